package web

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// surveySamples has a typed page of every survey template, filled in
// enough to take every branch that shows data.
func surveySamples(t *testing.T) map[string]any {
	staff := &gs.User{Username: "staff", DisplayName: "青山镇工作人员", Role: gs.RoleTownStaff, Town: "青山镇"}
	q := gs.Quarter{Year: 2023, Q: 3}
	c := gs.Campaign{ID: 1, Town: "青山镇", Quarter: q, Title: "三季度测评",
		OpensAt: time.Date(2023, 9, 18, 8, 0, 0, 0, gs.CST), ClosesAt: time.Date(2023, 10, 1, 0, 0, 0, 0, gs.CST)}
	grid := CampaignGridRow{Grid: "QS-13", GridName: "东街", Worker: "赵磊", Planned: [2]int{2, 5}, Issued: [2]int{2, 5},
		Answered: [2]int{1, 3}, Unused: 3, Paper: 4, Ballots: 8, Satisfied: 5, Basic: 1, Unsatisfied: 2, Rate: "75.0%", Few: true,
		Conflict: "网格 QS-13 在 2023-09-20 有 2 名网格员同时在岗（QS013 赵磊、QS098 赵重），这个网格的评价无法计入：请先核对网格员的到岗、离岗日期。"}
	svg, err := qrSVG("http://gridscore.local/v/K7QM2XPD9RTAHW3CF")
	if err != nil {
		t.Fatal(err)
	}
	slip := SheetSlip{QR: svg, Code: "K7QM-2XPD-9RTA-HW3C-F", URL: "http://gridscore.local/v/K7QM2XPD9RTAHW3CF",
		Grid: "QS-13", GridName: "东街", Worker: "赵磊", Group: "居民群众", Serial: "第 1 批 1/1"}
	return map[string]any{
		"survey": &SurveyPage{Page: Page{Title: "满意度评价", User: staff, Nav: "survey"}, Town: "青山镇", CanRun: true, ResultsURL: "/survey/results",
			Campaigns: []CampaignRow{{Title: "三季度测评", Town: "青山镇", Quarter: "2023年第3季度", Window: "2023-09-18 08:00 至 2023-09-30 24:00", State: "进行中", URL: "/survey/1", Issued: 7, Answered: 8}},
			Form: CampaignForm{Title: "测评", Quarter: "2023Q3", OpensAt: "2023-09-18T08:00", ClosesAt: "2023-09-30T18:00", Cadre: "5", Resident: "10",
				Grids: []Option{{Value: "QS-13", Label: "QS-13 东街", Selected: true}}, Errors: map[string]string{"title": "必填", "quarter": "格式", "opens_at": "x", "closes_at": "y", "cadre": "整数", "resident": "整数", "grids": "请至少选择一个网格"}}},
		"survey_campaign": &CampaignPage{Page: Page{Title: "三季度测评", User: staff, Nav: "survey"}, Campaign: c, State: "进行中", Open: true,
			Window: "2023-09-18 08:00 至 2023-09-30 24:00", Grids: []CampaignGridRow{grid}, Total: grid, MinBallots: 10, FewGrids: 1, CanRun: true,
			Notice: "已发起", Print: PrintForm{Grids: []Option{{Value: "", Label: "全部网格"}}, Cadre: "2", Resident: "5", Error: "张数应为整数。"},
			Tally:    TallyForm{Workers: []Option{{Value: "QS013", Label: "QS013 赵磊"}}, Groups: []Option{{Value: "cadre", Label: "村社区干部"}}, Satisfied: "1", Error: "三项票数不能都是 0"},
			Tallies:  []TallyListRow{{ID: 1, Worker: "QS013 赵磊", Group: "村社区干部", Ratings: "满意 1、基本满意 0、不满意 0", Note: "村委会", By: "staff", At: "2023-09-20 10:00", DeleteURL: "/survey/1/tallies/1/delete"}},
			Comments: []CommentListRow{{Grid: "QS-13", Worker: "赵磊", Group: "居民群众", Rating: "满意", Text: "很负责"}},
			Action:   "/survey/1", ReportURL: "/survey/1/report.xlsx", ResultsURL: "/survey/results", CloseURL: "/survey/1/close"},
		"survey_sheets": &SheetsPage{Page: Page{Title: "评价票", User: staff, Nav: "survey"}, Town: "青山镇", Title: "三季度测评", Window: "2023-09-18 08:00 至 2023-09-30 24:00",
			Batch: 1, Count: 1, EntryURL: "http://gridscore.local/v", Sheets: [][]SheetSlip{{slip}}, BackURL: "/survey/1"},
		"survey_results": &SurveyResultsPage{Page: Page{Title: "结果", User: staff, Nav: "survey"}, Period: Period{Quarter: q}, Town: "青山镇", MinBallots: 10, Few: 1,
			Sources: []string{"扫码", "纸质", "导入"},
			Rows: []SurveyResultRow{{First: true, Span: 2, WorkerID: "QS013", Name: "赵磊", Grid: "QS-13", URL: "/workers/QS013", Group: "全部", Cells: []string{"3（满意 3、基本满意 0、不满意 0）", "", ""}, N: 3, Rate: "100.0%", Score: "20", Few: true, Total: true},
				{Group: "居民群众", Cells: []string{"3（满意 3、基本满意 0、不满意 0）", "", ""}, N: 3, Rate: "100.0%"}}},
	}
}

// TestSurveyPagesRender renders every survey page with its typed page: a
// template that fails, leaves a value out or has no sample fails here,
// and each page links its own stylesheet.
func TestSurveyPagesRender(t *testing.T) {
	s := &Server{}
	for name, data := range surveySamples(t) {
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
		if !regexp.MustCompile(`href="/static/survey\.[0-9a-f]{12}\.css"`).MatchString(body) {
			t.Errorf("%s: no survey style sheet", name)
		}
		if name == "survey_campaign" && (strings.Contains(body, "min_ballots") || !strings.Contains(body, "至少应收回 10 份（考核方案规定的每个网格最少有效票数）")) {
			t.Errorf("survey_campaign: the least number of ballots is not told in Chinese")
		}
		if name == "survey_campaign" && !strings.Contains(body, `<p class="field-error" role="note">网格 QS-13 在 2023-09-20 有 2 名网格员同时在岗`) {
			t.Errorf("survey_campaign: the grid with two workers in post is not warned of")
		}
	}
}

// TestBallotPageIsSmallAndSelfContained: every state of the ballot page
// is a few kilobytes of HTML with no script, no style attribute and
// nothing from another site: its stylesheet is its own, and small.
func TestBallotPageIsSmallAndSelfContained(t *testing.T) {
	s := &Server{}
	view := &app.BallotView{Code: "K7QM2XPD9RTAHW3CF", Town: "青山镇", Title: "三季度测评", GridName: "东街", WorkerName: "赵磊", Group: gs.RaterResident}
	done := ballotPage(view, gs.RatingBasic, "")
	done.Done, done.RatingName = true, "基本满意"
	wrong := ballotPage(view, "", "太长")
	wrong.RatingError, wrong.CommentError = "请选择", "太长"
	for name, page := range map[string]*BallotPage{"entry": {Typed: "x", CodeError: "评价码应为 17 位"}, "ballot": ballotPage(view, "", ""),
		"wrong": wrong, "done": done, "refused": {Refusal: "这张评价票已经使用过"}} {
		rec := httptest.NewRecorder()
		if err := s.renderBallot(rec, 200, page); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		body := rec.Body.String()
		if len(body) > 4096 {
			t.Errorf("%s: %d bytes of HTML, want at most 4 KB", name, len(body))
		}
		for _, bad := range []string{"<script", "style=", "http://", "https://", "<no value>", "<img"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: the page has %q", name, bad)
			}
		}
		if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", name, rec.Header())
		}
	}
	assets, _ := loadAssets()
	for n, a := range assets {
		if strings.HasPrefix(n, "ballot.") && len(a.body) > 3072 {
			t.Errorf("%s: %d bytes, want at most 3 KB", n, len(a.body))
		}
	}
}

// TestLogPathLeavesOutTheCode: the request log writes a ballot's path
// without its code, and every other path as it is.
func TestLogPathLeavesOutTheCode(t *testing.T) {
	for path, want := range map[string]string{"/v/K7QM2XPD9RTAHW3CF": "/v/…", "/v": "/v", "/survey/1": "/survey/1"} {
		if got := logPath(path); got != want {
			t.Errorf("logPath(%q) = %q, want %q", path, got, want)
		}
	}
}
