package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
)

// count returns how many times re matches s.
func count(re, s string) int { return len(regexp.MustCompile(re).FindAllString(s, -1)) }

// TestTownDashboard: the town's center sees the quarter's numbers, both
// charts drawn as SVG, the workers who need attention with why, and the
// ranking of all 21 workers with their five categories, total and pay.
func TestTownDashboard(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, role := range []string{"admin", "staff"} {
		res, body := f.get("/", f.login(role))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", role, res.StatusCode)
		}
		if n := count(`<tr(?: class="inelig")?><td[^>]*>`, body); n != 21 {
			t.Errorf("%s: ranking has %d rows, want the 21 workers of the demo town", role, n)
		}
		for _, want := range []string{
			"青山镇 考核总览", "2023年第3季度", "截至 2023-10-08 09:00",
			// The charts.
			`<svg class="chart"`, `aria-label="总分分布：`, `aria-label="各类别平均得分：`,
			// Who needs attention, and why.
			"需约谈", "本季度无满意度评价", `<span class="tag">不参加考核</span><br><span class="muted small">在岗未满6个月`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: dashboard lacks %q", role, want)
			}
		}
		// The best worker's line: rank, 工号, name, grid, five categories, total, pay
		// (the cells' classes and labels aside).
		cells := regexp.MustCompile(`<td[^>]*>`).ReplaceAllString(body, "<td>")
		if want := `<td>1</td><td><a href="/workers/QS001">QS001</a></td><td><a href="/workers/QS001">王建华</a></td><td>QS-01</td><td>5</td><td>30</td><td>30</td><td>15</td><td>20</td><td>100</td><td>600.00</td>`; !strings.Contains(cells, want) {
			t.Errorf("%s: dashboard lacks the best worker's line %q", role, want)
		}
		if n := count(`<svg class="chart"`, body); n != 2 {
			t.Errorf("%s: %d charts, want 2", role, n)
		}
		// 13 of 20 eligible workers scored 90–100 (see the assess output).
		if !strings.Contains(body, "<title>90–100 分：13 人</title>") {
			t.Errorf("%s: the 90–100 bin does not count 13 workers", role)
		}
	}
}

// TestWorkerQuarter: a worker's page lists every deduction with its Chinese
// rule name, period, count, points, sentence and evidence, per category, and
// the pay.
func TestWorkerQuarter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res, body := f.get("/workers/QS013", f.login("staff"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		"赵磊", "QS013", "专职", "QS-13",
		`<span class="stat-num">73</span><span class="stat-label">总分</span>`,
		`<span class="stat-num">19</span><span class="stat-label">镇内排名</span>`,
		`<span class="stat-num">438.00</span>`,
		"重点工作 <span class=\"score\">12 / 30</span>",
		`<span class="ded-rule">特殊人群走访未完成</span><span class="ded-points">−5 分</span>`,
		"期间 2023-08 · 1 次",
		"8月有1名特殊人群未在28日前完成走访：TS0040（吸毒人员，走访0/1次）",
		"<code>TS0040</code>",
		`<span class="ded-rule">无故缺席例会培训</span>`, "<code>HY20230904</code>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("QS013's quarter lacks %q", want)
		}
	}
	if n := count(`<li[^>]*>\s*<div class="ded-head">`, body); n != 6 {
		t.Errorf("%d deductions listed, want QS013's 6", n)
	}
	if n := count(`<section class="card category">`, body); n != 5 {
		t.Errorf("%d categories, want 5", n)
	}

	// A worker not assessed: the reason, the pay, no categories.
	_, body = f.get("/workers/QS021", f.login("staff"))
	if !strings.Contains(body, "本季度不参加考核：在岗未满6个月") || !strings.Contains(body, "400.00") || strings.Contains(body, "category") {
		t.Error("QS021's page does not explain why the worker is not assessed")
	}
	// The flags of a worker, and a long evidence list folded away.
	_, body = f.get("/workers/QS015", f.login("staff"))
	if !strings.Contains(body, `<span class="tag">需约谈</span>`) || !strings.Contains(body, "<summary>依据：56 条记录</summary>") {
		t.Error("QS015's page lacks the interview flag or the folded evidence")
	}
}

// TestPersonalDataMasked: special-population names and ID numbers are shown
// in full to the town administrator only.
func TestPersonalDataMasked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var name, id string
	for _, p := range demo.Town(1).Register {
		if p.PersonID == "TS0040" {
			name, id = p.Name, p.IDNumber
		}
	}
	maskedName := string([]rune(name)[:1]) + strings.Repeat("*", len([]rune(name))-1)
	maskedID := id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:]
	for _, c := range []struct {
		role string
		full bool
	}{{"admin", true}, {"staff", false}, {"district", false}, {"QS013", false}} {
		token := f.login(c.role)
		res, body := f.get("/workers/QS013", token)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", c.role, res.StatusCode)
		}
		shown, hidden := []string{maskedName, maskedID}, []string{name, id}
		if c.full {
			shown, hidden = hidden, shown
		}
		for _, s := range shown {
			if !strings.Contains(body, s) {
				t.Errorf("%s sees no %q", c.role, s)
			}
		}
		for _, s := range hidden {
			if strings.Contains(body, s) {
				t.Errorf("%s sees %q", c.role, s)
			}
		}
	}
}

// TestWorkerList: search by name or 工号 and filter by grid and type.
func TestWorkerList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("staff")
	rows := func(query string) []string {
		t.Helper()
		res, body := f.get("/workers?"+query, token)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", query, res.StatusCode)
		}
		var ids []string
		for _, m := range regexp.MustCompile(`<tr><td[^>]*><a href="/workers/(QS\d+)`).FindAllStringSubmatch(body, -1) {
			ids = append(ids, m[1])
		}
		return ids
	}
	for query, want := range map[string]string{
		"":                            "QS001 QS002 QS003 QS004 QS005 QS006 QS007 QS008 QS009 QS010 QS011 QS012 QS013 QS014 QS015 QS016 QS017 QS018 QS019 QS020 QS021",
		"q=" + url.QueryEscape("王建华"): "QS001",
		"q=qs013":                     "QS013",
		"grid=QS-19":                  "QS019 QS021",
		"type=part_time":              "QS012 QS014 QS015 QS018 QS020",
		"type=part_time&q=" + url.QueryEscape("黄"): "QS015",
		"q=" + url.QueryEscape("没有这个人"):            "",
	} {
		if got := strings.Join(rows(query), " "); got != want {
			t.Errorf("/workers?%s lists %q, want %q", query, got, want)
		}
	}
	_, body := f.get("/workers?q=QS01&quarter=2023Q3", token)
	if !strings.Contains(body, `<input type="hidden" name="quarter" value="2023Q3">`) || !strings.Contains(body, `href="/workers/QS010?quarter=2023Q3"`) {
		t.Error("the list does not keep the quarter in its form and links")
	}
}

// TestPeriod: the quarter and moment come from the URL, are kept in links,
// and a mistake in them is a Chinese 400 page.
func TestPeriod(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("admin")
	_, body := f.get("/?quarter=2023q3&as_of=2023-10-08T09:00", token)
	if !strings.Contains(body, `href="/workers/QS001?as_of=2023-10-08T09%3A00&amp;quarter=2023Q3"`) {
		t.Error("the ranking's links do not keep the period")
	}
	// An event still open is judged as of the moment asked for.
	_, early := f.get("/workers/QS006?quarter=2023Q3&as_of=2023-10-01T08:00", token)
	if !strings.Contains(early, "截至 2023-10-01 08:00") || !strings.Contains(early, "截至2023-10-01 08:00仍未办结") {
		t.Error("as_of is not applied")
	}
	if _, body := f.get("/?as_of=2023-09-25T08:00", token); !strings.Contains(body, "本季度尚未结束") {
		t.Error("no note that the quarter is still running")
	}
	res, body := f.get("/?quarter=2023Q5", token)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "季度格式应为 2023Q3") {
		t.Errorf("bad quarter: status %d", res.StatusCode)
	}
	res, body = f.get("/?as_of=yesterday", token)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "计算时点格式") {
		t.Errorf("bad as_of: status %d", res.StatusCode)
	}
	res, body = f.get("/?quarter=2024Q1", token)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "早于本季度开始") {
		t.Errorf("a moment before the quarter: status %d, or no note", res.StatusCode)
	}
}

// TestTownWithoutData: a town's center with nothing imported yet sees an
// empty dashboard that says so.
func TestTownWithoutData(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := &gs.User{Username: "baishi", Role: gs.RoleTownAdmin, Town: "白石镇"}
	if err := f.auth.CreateUser(context.Background(), u, password); err != nil {
		t.Fatal(err)
	}
	res, body := f.get("/", f.login("baishi"))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "2023年第3季度还没有考核数据") {
		t.Errorf("status %d, or no word that nothing is there", res.StatusCode)
	}
	if strings.Contains(body, "王建华") || strings.Contains(body, "青山镇") {
		t.Error("another town's data is shown")
	}
}

// TestWorkerListPages: a long list is shown page by page, the pages keep the
// search and the period, and a page past the end shows the last.
func TestWorkerListPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.server.PageSize = 10
	f.handler = f.server.Handler()
	token := f.login("staff")
	_, body := f.get("/workers?quarter=2023Q3&q=QS", token)
	if n := count(`<tr><td[^>]*><a href="/workers/`, body); n != 10 {
		t.Errorf("first page: %d rows, want 10", n)
	}
	for _, want := range []string{"共 21 人，第 1–10 人", "第 1 / 3 页", `href="/workers?page=2&amp;q=QS&amp;quarter=2023Q3" rel="next"`} {
		if !strings.Contains(body, want) {
			t.Errorf("first page lacks %q", want)
		}
	}
	if strings.Contains(body, `rel="prev"`) {
		t.Error("the first page links a previous one")
	}
	_, body = f.get("/workers?quarter=2023Q3&q=QS&page=9", token)
	if n := count(`<tr><td[^>]*><a href="/workers/`, body); n != 1 || !strings.Contains(body, "QS021") || !strings.Contains(body, `rel="prev"`) || strings.Contains(body, `rel="next"`) {
		t.Errorf("page past the end: %d rows, want the last page with QS021 only", n)
	}
}
