package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// TestWarningPagesRender renders the warnings board in each of its states,
// the dashboard of a quarter still open with its warnings' summary and the
// district's overview with each town's warnings, with typed samples that
// take every branch showing data.
func TestWarningPagesRender(t *testing.T) {
	admin := &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: "青山镇"}
	district := &gs.User{Username: "district", Role: gs.RoleDistrict}
	p := Period{Quarter: gs.Quarter{Year: 2023, Q: 3}, AsOf: time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST)}
	total := gs.Points(9700)
	ws := []gs.WorkerResult{{WorkerID: "QS001", Name: "王建华", Town: "青山镇", GridCode: "QS-01", Eligible: true, Total: &total,
		Categories: &gs.CategoryScores{}, Warnings: &[]gs.Warning{
			{Rule: gs.RuleDisciplinePatrol, Period: "2023-08-15", Points: 600, Due: time.Date(2023, 8, 16, 0, 0, 0, 0, gs.CST), Detail: "今天还需巡查 2 次"},
			{Rule: gs.RuleKeyVisits, Period: "2023-08", Points: 500, Due: time.Date(2023, 8, 29, 0, 0, 0, 0, gs.CST), Detail: "8月28日前还需走访：李**（TS0040）"},
		}}}
	sum := summarizeWarnings(ws, "青山镇", p)
	board := &WarningsPage{Page: Page{Title: "预警", User: admin, Nav: "warnings"}, Period: p, Town: "青山镇", ToDistrict: true, State: "open",
		DashboardURL: "/towns/x", ExportURL: "/towns/x/export/warnings.xlsx", Action: "/towns/x/warnings", Reset: "/towns/x/warnings",
		Filter: WarningFilter{Rule: "key.visits", Grid: "QS-01", Due: "week", From: "八月", To: "2023-08-31", FromError: "日期有误", ToError: "日期有误"},
		Rules:  []Option{{Value: "key.visits", Label: "特殊人群走访未完成", Selected: true}}, Grids: []Option{{Value: "QS-01", Label: "QS-01"}},
		Dues: []Option{{Value: "week", Label: "本周到期", Selected: true}}, Counts: countRules(collectWarnings(ws)),
		Matched: 2, MatchedWorkers: 1, MatchedPoints: "11", Week: riskList(collectWarnings(ws), "", weekEnd(gs.DateOf(p.AsOf)), p),
		Pager: Pager{Page: 1, Pages: 2, First: 1, Last: 1, Next: "/towns/x/warnings?page=2"}}
	board.Week.More = 3
	board.Counts[0].Selected = true
	for _, it := range collectWarnings(ws) {
		board.Rows = append(board.Rows, warningRow(it, p))
	}
	ended, early := *board, *board
	ended.State, early.State = "ended", "early"
	samples := map[string]any{
		"warnings": board, "warnings ended": &ended, "warnings early": &early,
		"dashboard": &DashboardPage{Page: Page{Title: "总览", User: admin, Nav: "home"}, Period: p, Town: "青山镇", Stats: statsOf(summarize(ws)),
			Histogram: newHistogram(ws).standing(), Categories: newCategoryChart(summarize(ws), nil).standing(), Standing: true, Warnings: &sum,
			Ranking: []RankRow{rankRow(ws[0], "/workers/QS001")}},
		"district": &DistrictPage{Page: Page{Title: "全区", User: district, Nav: "home"}, Period: p, Open: true, Warming: 1, Stats: statsOf(summarize(ws)),
			Towns: []TownRow{{Town: "青山镇", URL: "/towns/x", Pending: true, Risk: &sum}, {Town: "白石镇", URL: "/towns/y", Warming: true, WarningsURL: "/towns/y/warnings"}}},
	}
	s := &Server{}
	for name, data := range samples {
		rec := httptest.NewRecorder()
		if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, strings.Fields(name)[0], data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		body := rec.Body.String()
		for _, bad := range []string{"<no value>", "%!", "ZgotmplZ"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page contains %q", name, bad)
			}
		}
		var want []string
		switch name {
		case "warnings":
			want = []string{"谁本周可能被扣分", "08-15 周二 24:00 前", "今天", "还剩 13 天", "一日双巡不足", "/towns/x/export/warnings.xlsx", "日期有误"}
		case "warnings ended":
			want = []string{"没有预警", `href="/towns/x"`}
		case "dashboard":
			want = []string{"截至目前", "有预警的网格员", "11", townPath("青山镇") + "/warnings?rule=discipline.patrol"}
		case "district":
			want = []string{"风险分值", "1 人", "计算中", "/towns/y/warnings"}
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q", name, w)
			}
		}
		if name == "dashboard" && strings.Contains(body, "绩效（元）") {
			t.Error("the dashboard of an open quarter shows pay as if final")
		}
	}
}

// TestDueWords: a due at midnight reads as the end of the day before; the
// days left count from the moment's day; the week ends on Sunday.
func TestDueWords(t *testing.T) {
	asOf := time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST) // a Tuesday
	for _, c := range []struct {
		due        time.Time
		text, left string
	}{
		{time.Date(2023, 8, 16, 0, 0, 0, 0, gs.CST), "08-15 周二 24:00 前", "今天"},
		{time.Date(2023, 8, 16, 14, 30, 0, 0, gs.CST), "08-16 周三 14:30 前", "明天"},
		{time.Date(2023, 9, 1, 0, 0, 0, 0, gs.CST), "08-31 周四 24:00 前", "还剩 16 天"},
	} {
		text, left := dueWords(c.due, asOf)
		if text != c.text || left != c.left {
			t.Errorf("due %v: %q %q, want %q %q", c.due, text, left, c.text, c.left)
		}
	}
	if got := weekEnd(gs.DateOf(asOf)).Start().Format("2006-01-02"); got != "2023-08-20" {
		t.Errorf("the week of 2023-08-15 ends %s, want Sunday 2023-08-20", got)
	}
	if sun := gs.DateOf(time.Date(2023, 8, 20, 9, 0, 0, 0, gs.CST)); weekEnd(sun) != sun {
		t.Error("a Sunday's week does not end that Sunday")
	}
}
