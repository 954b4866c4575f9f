package web

import (
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/scheme"
)

// samplePages has a typed page of every template, filled in enough to take
// every branch that shows data.
func samplePages() map[string]any {
	admin := &gs.User{Username: "admin", DisplayName: "青山镇管理员", Role: gs.RoleTownAdmin, Town: "青山镇"}
	worker := &gs.User{Username: "QS001", DisplayName: "王建华", Role: gs.RoleWorker, Town: "青山镇", WorkerID: "QS001"}
	p := Period{Quarter: gs.Quarter{Year: 2023, Q: 3}, AsOf: time.Date(2023, 9, 8, 9, 0, 0, 0, gs.CST)}
	p.given = map[string][]string{"quarter": {"2023Q3"}}
	stored := p
	stored.Stored, stored.StoredAsOf = "已定稿", p.AsOf
	total := gs.Points(9850)
	rank := 1
	ws := []gs.WorkerResult{
		{WorkerID: "QS001", Name: "王建华", Town: "青山镇", GridCode: "QS-01", Eligible: true, Total: &total, Rank: &rank,
			Categories: &gs.CategoryScores{Info: 500, Events: 3000, KeyWork: 3000, Discipline: 1350, Satisfaction: 2000},
			Flags:      []string{gs.FlagNoBallots}, Pay: 60000},
		{WorkerID: "QS021", Name: "谢雨欣", Town: "青山镇", GridCode: "QS-19", Reason: "在岗未满6个月", Pay: 40000},
	}
	sum := summarize(ws)
	full := scheme.Default().Max
	stats := statsOf(sum)
	deduction := DeductionRow{Rule: "工作日未登录", Period: "2023-08-29", Count: 1, Points: "−3", Detail: "8月29日（工作日）未登录网格E通", Evidence: []RecordLink{{ID: "DL1"}}, PeriodURL: "/records/logins?worker=QS001"}
	many := deduction
	for i := range 12 {
		id := "SJ-" + string(rune('A'+i))
		many.Evidence = append(many.Evidence, RecordLink{ID: id, URL: "/records/events?id=" + id})
	}
	appealing := deduction
	appealing.CanAppeal, appealing.Action, appealing.RuleID, appealing.Reason, appealing.Error = true, "/workers/QS001/appeals", "discipline.login", "系统故障", "请填写申诉理由。"
	appealed := deduction
	appealed.Appeal = &AppealRow{StatusName: "已驳回", Reply: "记录无误"}
	voiding := deduction
	voiding.CanVoid, voiding.Action = true, "/workers/QS001/void"
	pending := AppealRow{ID: 1, WorkerID: "QS001", Rule: "工作日未登录", Period: "2023-08-29", Reason: "系统故障", StatusName: "待处理",
		Pending: true, WorkerURL: "/workers/QS001", Action: "/appeals/1", ReplyTyped: "经核实", Error: "请填写答复。", CreatedAt: "2023-10-09 10:00"}
	decided := pending
	decided.Pending, decided.StatusName, decided.Reply, decided.DecidedBy, decided.DecidedAt = false, "已支持（扣分撤销）", "属实", "admin", "2023-10-10 09:00"
	return map[string]any{
		"audit": &AuditPage{Page: Page{Title: "操作日志", User: admin, Nav: "audit"}, Scope: "青山镇",
			Filter:  AuditFilterForm{User: "admin", Action: "login", From: "十月", To: "2023-10-08", FromError: "请按 2023-10-08 的格式填写日期。", ToError: "结束日期不能早于开始日期。"},
			Actions: auditActions("login"), Rows: []AuditRow{{At: "2023-10-08 09:00:00", User: "admin", Action: "登录", Object: "user:admin", Detail: "说明"}},
			Header: []Column{{Label: "时间", URL: "/audit?sort=at", Sort: "descending", Arrow: "↓"}, {Label: "对象"}}, Count: "共 120 条",
			Pager: Pager{Page: 2, Pages: 3, First: 51, Last: 100, Prev: "/audit", Next: "/audit?page=3", Jump: PageJump{Action: "/audit"}},
			Reset: "/audit", ExportURL: "/export/audit"},
		"appeals": &AppealsPage{Page: Page{Title: "申诉处理", User: admin, Nav: "appeals"}, Period: p, Town: "青山镇", State: "公示中",
			Pending: []AppealRow{pending}, Decided: []AppealRow{decided}, CanDecide: true},
		"login":    &LoginPage{Page: Page{Title: "登录"}, Username: "staff", Next: "/workers", Error: "用户名或密码错误"},
		"password": &PasswordPage{Page: Page{Title: "修改密码", User: admin}, Must: true, MinLength: 8, Errors: PasswordErrors{Current: "当前密码不正确。", New: "太短", Confirm: "不一致"}},
		"error":    &ErrorPage{Page: Page{Title: "没有权限", User: worker}, Status: 403, Heading: "没有权限", Message: "网格员只能查看本人的考核结果。"},
		"dashboard": &DashboardPage{Page: Page{Title: "总览", User: admin, Nav: "home"}, Period: p, Town: "青山镇", ToDistrict: true,
			Notes: []string{"2099年没有国家法定节假日数据"}, Stats: stats, Histogram: newHistogram(ws), Categories: newCategoryChart(sum, full),
			Flagged: []FlagRow{{WorkerID: "QS021", Name: "谢雨欣", Grid: "QS-19", URL: "/workers/QS021", Tags: flagTags(ws[1])}},
			Ranking: []RankRow{rankRow(ws[0], "/workers/QS001"), rankRow(ws[1], "/workers/QS021")}, CategoryNames: []string{"信息录入", "事件办理", "重点工作", "工作纪律", "满意率"},
			Quarter: QuarterPanel{State: "published", StateName: "公示中", AsOf: "2023-10-08 09:00", ComputedAt: "2023-10-08 09:05",
				PublishedAt: "2023-10-08 10:00", FinalizedAt: "2023-10-20 10:00", FiledAt: "2023-10-21 10:00",
				Blockers: []string{"网格员 QS001 的申诉尚未处理"}, PendingAppeals: 1, AppealsURL: "/appeals",
				CanCompute: true, CanPublish: true, CanFinalize: true, CanReopen: true, CanFile: true, Action: "/towns/x/quarter/",
				AsOfField: "2023-10-08T09:00", Form: QuarterForm{Reason: "更正", ReasonError: "请填写原因", AsOfError: "时点有误", Error: "不能定稿"}}},
		"confirm": &ConfirmPage{Page: Page{Title: "确认重新打开", User: admin, Nav: "home"}, Heading: "确认重新打开", Subject: "青山镇 2023年第3季度",
			Effects: []string{"定稿和报备作废"}, Blockers: []string{"申诉期到 2023-10-13 结束"}, Action: "/towns/x/quarter/reopen", Button: "确认重新打开",
			Hidden: []Hidden{{"rule", "discipline.login"}}, ReasonLabel: "原因", Reason: "更正", ReasonError: "请填写原因", BackURL: "/"},
		"filings": &FilingsPage{Page: Page{Title: "报备", User: &gs.User{Username: "district", Role: gs.RoleDistrict}, Nav: "filings"}, Period: p,
			Towns: []TownFilingRow{{Town: "青山镇", StateName: "定稿", ChangedAt: "2023-10-20 10:00", Fingerprint: "ABCD-EF01-2345-6789",
				Package: &FilingPackageRow{FinalizedAt: "2023-10-20 10:00", SignedAt: "2023-10-21 09:00", ImportedAt: "2023-10-21 10:00", ImportedBy: "district",
					Workers: 21, Assessed: 20, Average: "95.5", Pay: "9000.00"}}, {Town: "白石镇"}},
			Packages: []FilingOutcome{{Message: "a.zip：已导入", Imported: true}, {Message: "b.zip：签名不符"}}, Errors: []string{"请选择要导入的报备包（.zip）。"}, KeyTown: "白石镇", KeyText: "x", KeyError: "公钥格式不对", KeyDone: "已登记", MaxMB: 64},
		"notice": &NoticePage{Page: Page{Title: "告知单", User: admin, Nav: "workers"}, Period: p, Town: "青山镇", BackURL: "/workers/QS001",
			Notices: []Notice{{Title: "青山镇网格员2023年第3季度考核结果告知单", WorkerID: "QS001", Name: "王建华", Type: "专职", Grid: "QS-01", Eligible: true,
				Categories: []NoticeCategory{{Name: "信息录入", Full: "5", Score: "4"}}, Total: "96", Rank: "2", Pay: "480.00", Assessed: 21,
				Deductions: []NoticeDeduction{{Category: "信息录入", Rule: "信息录入不规范", Period: "2023-07", Count: 1, Points: "1", Detail: "7月录入不规范1次"}},
				Tags:       []string{"无满意度评价"}, Appeal: "请于 2023年10月13日 前申诉", Computed: "2023-10-08 09:05"},
				{Title: "青山镇网格员2023年第3季度考核结果告知单", WorkerID: "QS021", Name: "孙丽", Reason: "入职不满一个月", Pay: "0.00"}}},
		"district": &DistrictPage{Page: Page{Title: "全区", User: &gs.User{Username: "district", Role: gs.RoleDistrict}, Nav: "home"}, Period: p,
			Stats: stats, Histogram: newHistogram(ws), Categories: newCategoryChart(sum, full), Towns: []TownRow{{Town: "青山镇", URL: "/towns/x", Stats: stats}}},
		"workers": &WorkersPage{Page: Page{Title: "网格员", User: admin, Nav: "workers"}, Period: p, Filter: WorkerFilter{Q: "王"}, ShowTown: true,
			Towns: []Option{{Value: "青山镇", Label: "青山镇", Selected: true}}, Grids: []Option{{Value: "QS-01", Label: "QS-01"}},
			Types: []Option{{Value: "full_time", Label: "专职"}}, Header: []Column{{Label: "总分", URL: "/workers?sort=total", Num: true}}, ExportURL: "/export/workers", Rows: []WorkerRow{{WorkerID: "QS001", Name: "王建华", Type: "专职", Town: "青山镇", Grid: "QS-01", Total: "98.5", Rank: "1", URL: "/workers/QS001"}}, Visible: 21, Matched: 1,
			Pager: Pager{Page: 2, Pages: 3, First: 51, Last: 100, Prev: "/workers?page=1", Next: "/workers?page=3", Note: "页码应为 1 到 3 之间的整数，已显示第 1 页。", Jump: PageJump{Action: "/workers"}}},
		"worker": &WorkerPage{Page: Page{Title: "王建华", User: worker, Nav: "home"}, Period: stored,
			Worker:     WorkerSummary{WorkerID: "QS001", Name: "王建华", Type: "专职", Town: "青山镇", Grid: "QS-01", Eligible: false, Reason: "在岗未满6个月", Rank: "1", Total: "98.5", Pay: "600.00", Deductions: 2},
			Categories: []CategoryRow{{Name: "工作纪律", Score: "12", Full: "15", Deducted: "3", Deductions: []DeductionRow{deduction, many, appealing, appealed, voiding}}, {Name: "信息录入", Score: "5", Full: "5", Deducted: "0"}},
			Other:      []DeductionRow{deduction}, Tags: []string{"需约谈"},
			People: []PersonRow{{PersonID: "TS0040", Category: "吸毒人员", Grid: "QS-13", Name: "李**", IDNumber: "439901********005X"}},
			Masked: true, Own: true, TownURL: "/towns/x",
			Life: WorkerLife{StateName: "公示中", Published: true, AppealUntil: "2023-10-13",
				Appeals: []AppealRow{pending, decided}, Voided: []VoidedRow{{Rule: "工作日未登录", Period: "2023-08-29", Reason: "系统故障", By: "staff", At: "2023-10-08 10:00"}}}},
		"account_slips": &SlipsPage{Page: Page{Title: "密码条", User: admin, Nav: "accounts"}, Town: "青山镇",
			Slips: []app.Slip{{WorkerID: "QS002", Name: "李秀英", Username: "QS002", Password: "k7mpx3ra"}},
			Notes: []string{"网格员 QS003 陈志强：用户名“QS003”已被其他账号使用"}, LoginURL: "http://gridscore.local/login", Created: "2023-10-08 09:00"},
	}
}

// TestEveryPageRenders renders every page template with its typed page:
// a template that fails, leaves a value out or has no sample fails here.
func TestEveryPageRenders(t *testing.T) {
	samples := samplePages()
	s := &Server{}
	areas := []string{"records", "record_form", "import", "import_report", "import_checking", "accounts", "history", "warnings", // sampled in their own render tests
		"survey", "survey_campaign", "survey_sheets", "survey_results", "integrations", "mapping", "mappings"}
	for _, name := range pageNames {
		if slices.Contains(areas, name) {
			continue
		}
		data, ok := samples[name]
		if !ok {
			t.Errorf("page %q has no sample in this test", name)
			continue
		}
		rec := httptest.NewRecorder()
		if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, name, data); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		body := rec.Body.String()
		for _, bad := range []string{"<no value>", "%!", "ZgotmplZ"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page contains %q", name, bad)
			}
		}
		if !strings.HasPrefix(body, "<!doctype html>") || !strings.Contains(body, `<html lang="zh-CN">`) {
			t.Errorf("%s: not a Chinese HTML page", name)
		}
		if !regexp.MustCompile(`href="/static/app\.[0-9a-f]{12}\.css"`).MatchString(body) {
			t.Errorf("%s: no content-hashed style sheet", name)
		}
	}
	for name := range samples {
		if _, ok := pages()[name]; !ok {
			t.Errorf("sample %q names no page template", name)
		}
	}
}

// TestHistogramBins: totals fall in 10-point bins, 100 in the last.
func TestHistogramBins(t *testing.T) {
	pts := func(v ...gs.Points) []gs.WorkerResult {
		var ws []gs.WorkerResult
		for _, p := range v {
			ws = append(ws, gs.WorkerResult{Total: &p})
		}
		return append(ws, gs.WorkerResult{}) // not assessed: not counted
	}
	h := newHistogram(pts(10000, 9000, 8999, 0, 999, 5000))
	want := [10]int{2, 0, 0, 0, 0, 1, 0, 0, 1, 2}
	for i, b := range h.Bars {
		if b.Count != want[i] {
			t.Errorf("bin %s: %d, want %d", b.Label, b.Count, want[i])
		}
	}
	if h.Bars[9].H != histBase-histTop || h.Bars[5].H != (histBase-histTop)/2 || h.Bars[1].H != 0 {
		t.Errorf("bar heights %d %d %d not to scale", h.Bars[9].H, h.Bars[5].H, h.Bars[1].H)
	}
	if empty := newHistogram(nil); !empty.Empty || !strings.Contains(empty.Summary, "暂无") {
		t.Error("an empty histogram does not say so")
	}
}

// TestAverages: averages round half up to hundredths of a point, and the
// category bars are drawn to the full score.
func TestAverages(t *testing.T) {
	a, b := gs.Points(9750), gs.Points(9800)
	cats := &gs.CategoryScores{Info: 400, Events: 3000, KeyWork: 1500, Discipline: 1500, Satisfaction: 2000}
	sum := summarize([]gs.WorkerResult{
		{Eligible: true, Total: &a, Categories: cats},
		{Eligible: true, Total: &b, Categories: cats, Flags: []string{gs.FlagInterviewDue}},
		{Eligible: false, Reason: "离职"},
	})
	if avg, high, low := sum.text(); avg != "97.75" || high != "98" || low != "97.5" {
		t.Errorf("average, highest, lowest = %s, %s, %s", avg, high, low)
	}
	if sum.workers != 3 || sum.eligible != 2 || sum.flagged != 2 {
		t.Errorf("counts %+v", sum)
	}
	if got := average(1, 3); got != 0 { // 0.0033 → 0
		t.Errorf("average(1,3) = %v", got)
	}
	if got := average(5, 2); got != 3 { // 2.5 → 3
		t.Errorf("average(5,2) = %v", got)
	}
	c := newCategoryChart(sum, scheme.Default().Max)
	if c.Rows[2].FillW != catBarW/2 || c.Rows[2].Value != "15 / 30" || c.Rows[0].Value != "4 / 5" {
		t.Errorf("key work bar %+v", c.Rows[2])
	}
}

// TestLocalPath: the login form's next never leaves the site.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/workers?q=1": "/workers?q=1", "": "/", "//evil": "/", "/\\evil": "/", "http://evil": "/", "evil": "/", "/a\r\nSet-Cookie:x": "/", "/\t/evil.example": "/", "/\x7f": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
