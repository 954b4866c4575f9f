package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
)

// midQuarter is a moment inside the demo's quarter: a Tuesday morning.
const midQuarter = "2023-08-15T09:00"

// boardPath is the demo town's warnings board with the query q.
func boardPath(q url.Values) string {
	return "/towns/" + url.PathEscape(demo.TownName) + "/warnings?" + q.Encode()
}

// boardRow is one warning of the board as the page writes it.
type boardRow struct{ due, left, worker, rule string }

var (
	rowRE   = regexp.MustCompile(`<td data-label="到期">([^<]*) <span class="tag">([^<]*)</span></td><td class="inl" data-label="网格员"><a href="[^"]*">(\S+) [^<]*</a></td><td class="inl muted-sm" data-label="网格">[^<]*</td><td class="inl rule" data-label="预警项目">([^<]*)</td>`)
	countRE = regexp.MustCompile(`<span class="count">(\d+) 条</span>`)
	totalRE = regexp.MustCompile(`共 (\d+) 条预警`)
)

func boardRows(body string) []boardRow {
	var out []boardRow
	for _, m := range rowRE.FindAllStringSubmatch(body, -1) {
		out = append(out, boardRow{due: m[1], left: m[2], worker: m[3], rule: m[4]})
	}
	return out
}

// boardTotal is the number of warnings the board says its filters leave.
func boardTotal(t *testing.T, body string) int {
	t.Helper()
	m := totalRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the board does not say how many warnings it lists:\n%s", body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// engineWarnings returns the demo town's warnings as of midQuarter
// computed by the service: how many by rule, how many in all and how many
// fall due before the end of 2023-08-15.
func engineWarnings(t *testing.T, f *fixture) (map[gs.RuleID]int, int, int) {
	t.Helper()
	asOf, _ := time.ParseInLocation("2006-01-02T15:04", midQuarter, gs.CST)
	res, err := f.server.Service.AssessTown(context.Background(), demo.TownName, demo.Quarter(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	by, n, today := map[gs.RuleID]int{}, 0, 0
	for _, w := range res.Workers {
		if w.Warnings == nil {
			continue
		}
		for _, wn := range *w.Warnings {
			by[wn.Rule]++
			n++
			if !wn.Due.After(time.Date(2023, 8, 16, 0, 0, 0, 0, gs.CST)) {
				today++
			}
		}
	}
	if n == 0 {
		t.Fatal("the demo has no warnings as of " + midQuarter)
	}
	return by, n, today
}

// TestWarningsBoardMidQuarter: as of a Tuesday morning in mid-quarter the
// center's board lists every warning the engine gives, sorted by due, a
// page at a time; the counts per rule add up to the list; each filter
// (rule, grid, today, this week, a date range) leaves what it says; and
// the list of who may lose points this week names the workers.
func TestWarningsBoardMidQuarter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	byRule, total, today := engineWarnings(t, f)
	admin := f.login("admin")
	get := func(q url.Values) string {
		t.Helper()
		q.Set("as_of", midQuarter)
		res, body := f.get(boardPath(q), admin)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%v: status %d\n%s", q, res.StatusCode, body)
		}
		return body
	}

	body := get(url.Values{})
	if n := boardTotal(t, body); n != total {
		t.Errorf("the board lists %d warnings, the engine gives %d", n, total)
	}
	sum := 0
	for _, m := range countRE.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[1])
		sum += n
	}
	if sum != total {
		t.Errorf("the counts per rule add up to %d, the list has %d", sum, total)
	}
	rows := boardRows(body)
	pages := (total + 49) / 50
	for n := 2; n <= pages; n++ {
		rows = append(rows, boardRows(get(url.Values{"page": {strconv.Itoa(n)}}))...)
	}
	if len(rows) != total {
		t.Fatalf("the pages show %d warnings, want %d", len(rows), total)
	}
	if !sort.SliceIsSorted(rows, func(i, j int) bool { return rows[i].due < rows[j].due }) {
		t.Errorf("the warnings are not sorted by due: %v", rows)
	}
	if rows[0].left != "今天" || !strings.Contains(rows[0].due, "08-15 周二 24:00") {
		t.Errorf("the first warning falls due %q (%s), want today at the day's end", rows[0].due, rows[0].left)
	}
	if !strings.Contains(body, "谁本周可能被扣分") || !strings.Contains(body, `class="risk-list"`) {
		t.Error("the board does not say who may lose points this week")
	}
	if !strings.Contains(body, "/export/warnings.xlsx?as_of=") {
		t.Error("the board does not offer the warnings' workbook")
	}

	for _, c := range []struct {
		name string
		q    url.Values
		want int
		each func(boardRow) bool
	}{
		{"rule key.visits", url.Values{"rule": {"key.visits"}}, byRule[gs.RuleKeyVisits],
			func(r boardRow) bool { return r.rule == gs.RuleName[gs.RuleKeyVisits] }},
		{"grid QS-13", url.Values{"grid": {"QS-13"}}, -1, func(r boardRow) bool { return r.worker == "QS013" }},
		{"due today", url.Values{"due": {"today"}}, today,
			func(r boardRow) bool { return r.left == "今天" }},
		{"due this week", url.Values{"due": {"week"}}, -1, func(r boardRow) bool { return r.due < "08-21" }},
		{"due 2023-08-20 to 2023-08-31", url.Values{"from": {"2023-08-20"}, "to": {"2023-08-31"}}, byRule[gs.RuleKeyVisits] + byRule[gs.RuleEventsQuota],
			func(r boardRow) bool { return r.due >= "08-20" && r.due < "09-01" }},
	} {
		body := get(c.q)
		n := boardTotal(t, body)
		if c.want >= 0 && n != c.want {
			t.Errorf("%s: %d warnings, want %d", c.name, n, c.want)
		}
		rows := boardRows(body)
		if n == 0 || len(rows) == 0 {
			t.Errorf("%s: nothing listed", c.name)
		}
		for _, r := range rows {
			if !c.each(r) {
				t.Errorf("%s: the board lists %+v", c.name, r)
			}
		}
	}
	q := url.Values{"from": {"8月20日"}, "as_of": {midQuarter}}
	if res, body := f.get(boardPath(q), admin); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "2023-08-15 这样的格式") {
		t.Errorf("a date that cannot be read: status %d, want 400 with the message beside the field", res.StatusCode)
	}
}

// TestWarningsBoardAfterTheQuarter: once the quarter is over the board
// lists nothing and points to the result.
func TestWarningsBoardAfterTheQuarter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res, body := f.get("/towns/"+url.PathEscape(demo.TownName)+"/warnings", f.login("staff"))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="no-warnings"`) || !strings.Contains(body, "查看本季度考核结果") {
		t.Errorf("after the quarter: status %d, want a notice pointing to the result\n%s", res.StatusCode, body)
	}
	if strings.Contains(body, "谁本周可能被扣分") || len(boardRows(body)) > 0 {
		t.Error("the board lists warnings after the quarter's end")
	}
}

// TestDashboardStandingMidQuarter: while the quarter is open the town's
// dashboard says its numbers are the standing so far, shows no pay as if
// final, sums up the warnings and links to the board; the dashboard of a
// quarter over shows the pay and no standing.
func TestDashboardStandingMidQuarter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	_, body := f.get("/towns/"+url.PathEscape(demo.TownName)+"?as_of="+midQuarter, admin)
	for _, want := range []string{"截至目前（2023-08-15 09:00）", "截至目前的得分分布", `id="warnings-summary"`, "有预警的网格员", "打开预警看板",
		"/warnings?as_of=2023-08-15T09%3A00"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard mid-quarter lacks %q", want)
		}
	}
	if strings.Contains(body, "绩效（元）") {
		t.Error("the dashboard mid-quarter shows the pay as if final")
	}
	_, body = f.get("/", admin)
	if strings.Contains(body, "截至目前") || strings.Contains(body, `id="warnings-summary"`) || !strings.Contains(body, "绩效（元）") {
		t.Error("the dashboard after the quarter's end reads as a standing")
	}
	if !strings.Contains(body, `href="/towns/`+url.PathEscape(demo.TownName)+`/warnings">预警</a>`) {
		t.Error("the center's navigation has no link to the warnings board")
	}
}

// TestDistrictTownsAtRisk: the district's overview in mid-quarter computes
// the towns' warnings in the background, then tells per town the workers
// and points at risk, linking to the town's board.
func TestDistrictTownsAtRisk(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	district := f.login("district")
	_, body := f.get("/?as_of="+midQuarter, district)
	if !strings.Contains(body, "计算中") {
		t.Errorf("the first overview does not say the warnings are being computed\n%s", body)
	}
	f.server.Wait()
	_, body = f.get("/?as_of="+midQuarter, district)
	m := regexp.MustCompile(`<td class="num inl strong" data-label="有预警">(\d+) 人</td><td class="num inl" data-label="风险分值">([\d.]+)</td>`).FindStringSubmatch(body)
	if m == nil || m[1] == "0" {
		t.Fatalf("the overview does not tell the workers at risk:\n%s", body)
	}
	if !strings.Contains(body, "/towns/"+url.PathEscape(demo.TownName)+"/warnings?as_of=") {
		t.Error("the overview does not link to the town's board")
	}
	if _, board := f.get(boardPath(url.Values{"as_of": {midQuarter}}), district); !strings.Contains(board, "全区总览") || len(boardRows(board)) == 0 {
		t.Error("the district does not see the town's board")
	}
}
