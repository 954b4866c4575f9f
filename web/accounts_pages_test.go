package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// TestOwnPagesRender renders the pages of accounts.go and history.go, and
// the district's read-only appeals, with typed samples that take every
// branch showing data.
func TestOwnPagesRender(t *testing.T) {
	admin := &gs.User{Username: "admin", DisplayName: "青山镇管理员", Role: gs.RoleTownAdmin, Town: "青山镇"}
	district := &gs.User{Username: "district", Role: gs.RoleDistrict}
	p := Period{Quarter: gs.Quarter{Year: 2023, Q: 3}}
	total, before := gs.Points(9850), gs.Points(9000)
	qs := []historyQuarter{
		{state: gs.QuarterState{Quarter: "2023Q1", State: gs.StateFinalized}, result: gs.WorkerResult{Total: &before}},
		{state: gs.QuarterState{Quarter: "2023Q2", State: gs.StateFinalized}, result: gs.WorkerResult{Reason: "请假"}},
		{state: gs.QuarterState{Quarter: "2023Q3"}, live: true, result: gs.WorkerResult{Total: &total}},
	}
	samples := map[string]any{
		"accounts": &AccountsPage{Page: Page{Title: "账号", User: admin, Nav: "accounts"}, Town: "青山镇",
			Rows: []AccountRow{
				{Username: "admin", RoleName: "镇中心管理员", Role: "town_admin", Self: true, Center: true, LastLogin: "2023-10-08 09:00", Action: "/accounts/admin/"},
				{Username: "staff", RoleName: "镇中心工作人员", Role: "town_staff", Center: true, Locked: true, LockedUntil: "2023-10-08 09:15", MustChange: true, Action: "/accounts/staff/", Error: "不能"},
				{Username: "QS001", RoleName: "网格员", Role: "worker", WorkerID: "QS001", WorkerName: "王建华", Disabled: true, Action: "/accounts/QS001/"},
			},
			Form: AccountForm{Username: "x", DisplayName: "李四", Role: "worker", WorkerID: "QS999",
				Errors: AccountFormErrors{Username: "用户名有误", DisplayName: "姓名有误", Role: "角色有误", WorkerID: "工号有误", Form: "出错"}},
			Roles: []Option{{Value: "worker", Label: "网格员", Selected: true}}, Workers: []Option{{Value: "QS002", Label: "李秀英"}},
			Issued: &IssuedPassword{Username: "qs002", Password: "abcDEF234", New: true}, Notice: "已解除"},
		"history": &HistoryPage{Page: Page{Title: "历次考核", User: admin, Nav: "workers"}, WorkerID: "QS001", Name: "王建华", Town: "青山镇",
			WorkerURL: "/workers/QS001", Chart: newTrendChart(qs, 10000),
			Columns: []HistoryColumn{{Quarter: "2023Q3", QuarterText: "2023年第3季度", State: "实时计算", Live: true, Rank: "1", Pay: "600.00", Note: "不参加考核", URL: "/workers/QS001?quarter=2023Q3"}},
			Rows:    []HistoryRow{{Name: "总分", Full: "100", Values: []string{"98.5"}, Total: true}}},
		"appeals": &AppealsPage{Page: Page{Title: "申诉", User: district, Nav: "appeals"}, Period: p, District: true,
			Towns:   []Option{{Value: "青山镇", Label: "青山镇", Selected: true}},
			TownOf:  map[int64]string{1: "青山镇", 2: "青山镇"},
			Pending: []AppealRow{{ID: 1, WorkerID: "QS001", Pending: true}}, Decided: []AppealRow{{ID: 2, WorkerID: "QS013"}}, BackURL: "/"},
	}
	s := &Server{}
	for name, data := range samples {
		rec := httptest.NewRecorder()
		if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, name, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		body := rec.Body.String()
		for _, bad := range []string{"<no value>", "%!", "ZgotmplZ"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page contains %q", name, bad)
			}
		}
		if name == "appeals" && (strings.Contains(body, `name="decision"`) || !strings.Contains(body, `data-label="镇街">青山镇</td>`)) {
			t.Errorf("the district's appeals offer decisions or lack the town:\n%s", body)
		}
	}
	c := newTrendChart(qs, 10000)
	if len(c.Lines) != 2 || len(c.Points) != 3 || c.Points[1].HasValue || c.Points[2].Y >= c.Points[0].Y {
		t.Errorf("trend chart: lines %v points %+v: want the line broken at the quarter not assessed, 98.5 above 90", c.Lines, c.Points)
	}
	if c.Points[0].Y != lineBase-(lineBase-lineTop)*90/100 {
		t.Errorf("90 of 100 drawn at y %d", c.Points[0].Y)
	}
	// 23Q3 then 24Q1: 23Q4, never published, keeps its place and breaks
	// the line.
	gap := newTrendChart([]historyQuarter{qs[2], {state: gs.QuarterState{Quarter: "2024Q1", State: gs.StateFinalized}, result: gs.WorkerResult{Total: &before}}}, 10000)
	if len(gap.Points) != 3 || gap.Points[1].Label != "23Q4" || gap.Points[1].HasValue || len(gap.Lines) != 2 ||
		!strings.Contains(gap.Summary, "2023Q4 无考核结果") {
		t.Errorf("trend chart across a missing quarter: lines %v points %+v summary %q", gap.Lines, gap.Points, gap.Summary)
	}
}
