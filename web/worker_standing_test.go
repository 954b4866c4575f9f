package web_test

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// midQuarterQuery asks a page for midQuarter (warnings_test.go), a moment
// inside the demo quarter: Tuesday 2023-08-15 09:00.
const midQuarterQuery = "?as_of=" + midQuarter

var (
	// warningDue finds each warning card's deadline: the moment and its words.
	warningDue = regexp.MustCompile(`<time class="warning-due" datetime="([^"]+)">([^<]+)</time>`)
	// warningLink finds the links of the warning cards.
	warningLink = regexp.MustCompile(`<a class="warning-link" href="([^"]+)">(?:<code>([^<]+)</code>)?`)
)

// section returns the section of body with id, up to its end, or "".
func section(body, id string) string {
	return regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `".*?</section>`).FindString(body)
}

// TestWorkerPageOpensWithStandingAndWarnings: in mid-quarter the grid
// worker's page — where they land after logging in — opens with 截至目前
// (total and rank so far, worded as not final) and 需要注意 (their
// warnings by due, each with its deadline in words relative to the page's
// moment and the points at risk), before the categories.
func TestWorkerPageOpensWithStandingAndWarnings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	worker := f.login("QS013")
	res, _ := f.get("/"+midQuarterQuery, worker)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/workers/QS013?as_of=2023-08-15T09%3A00" {
		t.Fatalf("a grid worker's home: status %d to %q, want their own page", res.StatusCode, loc)
	}
	res, body := f.get("/workers/QS013"+midQuarterQuery, worker)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", res.StatusCode, body)
	}
	standing, attention := strings.Index(body, `id="standing"`), strings.Index(body, `id="attention"`)
	categories := strings.Index(body, `class="card category"`)
	if standing < 0 || attention < standing || categories < attention {
		t.Fatalf("want 截至目前, then 需要注意, then the categories; at %d, %d, %d", standing, attention, categories)
	}
	s := section(body, "standing")
	for _, want := range []string{"截至目前", "截至 8月15日 09:00，已确定扣除的分数", "不是最终得分", "镇内第 <strong>14</strong> 名", "（共 20 人）", "重点工作", "27</strong>/30"} {
		if !strings.Contains(s, want) {
			t.Errorf("截至目前 lacks %q\n%s", want, s)
		}
	}
	a := section(body, "attention")
	var dues, words []string
	for _, m := range warningDue.FindAllStringSubmatch(a, -1) {
		dues, words = append(dues, m[1]), append(words, m[2])
	}
	// QS013 on 2023-08-15 09:00: two patrols today, visits by the 28th, the
	// month's events by its end.
	if want := []string{"今天 24:00 前", "8月28日前", "8月31日前"}; !slices.Equal(words, want) {
		t.Errorf("deadlines %q, want %q", words, want)
	}
	if !slices.IsSorted(dues) {
		t.Errorf("warnings not by due: %v", dues)
	}
	for _, want := range []string{"今天还需巡查 2 次", "可扣 6 分", "8月28日前还需走访", "可扣 5 分", "本月还需办理事件 30 条"} {
		if !strings.Contains(a, want) {
			t.Errorf("需要注意 lacks %q", want)
		}
	}
	if strings.Contains(body, "绩效（元）") {
		t.Error("the standing's page shows a pay, as if final")
	}
}

// TestWarningsLinkTheirRecords: each warning links the records it is
// about — the event, the persons to visit, the worker's patrols of the day,
// the month's events — and each link opens a page that shows them, for the
// worker on their own page and for the center.
func TestWarningsLinkTheirRecords(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, worker := f.login("admin"), f.login("QS013")
	check := func(who, token, page string, wantPaths ...string) {
		t.Helper()
		res, body := f.get(page, token)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: status %d", who, page, res.StatusCode)
		}
		var hrefs []string
		for _, m := range warningLink.FindAllStringSubmatch(section(body, "attention"), -1) {
			href, id := html.UnescapeString(m[1]), html.UnescapeString(m[2])
			hrefs = append(hrefs, href)
			res, got := f.get(href, token)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: %s: status %d", who, href, res.StatusCode)
				continue
			}
			if id != "" && !strings.Contains(got, id) {
				t.Errorf("%s: %s does not show %s", who, href, id)
			}
		}
		for _, want := range wantPaths {
			if !slices.ContainsFunc(hrefs, func(h string) bool { return strings.HasPrefix(h, want) }) {
				t.Errorf("%s %s: no link to %s among %q", who, page, want, hrefs)
			}
		}
	}
	check("QS013", worker, "/workers/QS013"+midQuarterQuery,
		"/records/patrols?from=2023-08-15&to=2023-08-15&worker=QS013",
		"/records/register?id=TS0040", "/records/register?id=TS0041",
		"/records/visits?from=2023-08-01&to=2023-08-31&worker=QS013",
		"/records/events?from=2023-08-01&to=2023-08-31&worker=QS013")
	// QS007's event SJ2308-0428 turns yellow tomorrow at 09:25.
	res, body := f.get("/workers/QS007"+midQuarterQuery, admin)
	if res.StatusCode != http.StatusOK || !strings.Contains(section(body, "attention"), "明天 09:25 前") {
		t.Errorf("QS007: status %d, no yellow card due 明天 09:25 前\n%s", res.StatusCode, section(body, "attention"))
	}
	check("admin", admin, "/workers/QS007"+midQuarterQuery, "/records/events?id=SJ2308-0428")
}

// TestWorkerSeesOnlyTheirOwnWarnings: a grid worker cannot open another
// worker's page, warnings included; the center sees the same two sections
// on any worker's page of its town.
func TestWorkerSeesOnlyTheirOwnWarnings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	worker, staff := f.login("QS013"), f.login("staff")
	res, body := f.get("/workers/QS001"+midQuarterQuery, worker)
	if res.StatusCode != http.StatusForbidden || strings.Contains(body, "需要注意") || strings.Contains(body, "TS0001") {
		t.Errorf("QS013 opening QS001's page: status %d\n%s", res.StatusCode, body)
	}
	_, body = f.get("/workers/QS001"+midQuarterQuery, staff)
	if a := section(body, "attention"); !strings.Contains(body, `id="standing"`) || !strings.Contains(a, "今天还需登录PC端") || !strings.Contains(a, "TS0001") {
		t.Errorf("staff on QS001's page: no standing or warnings\n%s", a)
	}
}

// TestNoWarningsReassures: a worker with nothing at risk (QS019 on a
// Saturday) is told so in one line.
func TestNoWarningsReassures(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, body := f.get("/workers/QS019?as_of=2023-08-19T10:00", f.login("admin"))
	if a := section(body, "attention"); !strings.Contains(a, "目前没有需要注意的事项。") || strings.Contains(a, "warning-due") {
		t.Errorf("QS019 on a Saturday: want the reassuring line alone\n%s", a)
	}
}

// TestFinalPageHasNoWarnings: once the quarter is over the worker's page
// is the quarter's result as it always was — no 截至目前, no 需要注意, the
// total and pay in the headline numbers.
func TestFinalPageHasNoWarnings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, who := range []string{"QS013", "admin"} {
		_, body := f.get("/workers/QS013", f.login(who))
		for _, unwanted := range []string{"需要注意", `id="standing"`, "截至目前", "不是最终"} {
			if strings.Contains(body, unwanted) {
				t.Errorf("%s after the quarter: the page shows %q", who, unwanted)
			}
		}
		if !strings.Contains(body, "绩效（元）") || !strings.Contains(body, "实时计算的临时结果") {
			t.Errorf("%s after the quarter: the headline numbers or the period's words changed", who)
		}
	}
}
