package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// surveyFixture is the fixture with its clock inside the demo quarter.
func surveyFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.server.Service.Now = func() time.Time { return surveyClock }
	return f
}

// openCampaign opens the campaign of the form's defaults as staff and
// returns its path.
func (f *fixture) openCampaign(staff string) string {
	f.t.Helper()
	return strings.TrimSuffix(f.mustSave(staff, "/survey", url.Values{"title": {"三季度测评"}, "quarter": {"2023Q3"},
		"opens_at": {"2023-09-18T08:00"}, "closes_at": {"2023-09-30T18:00"}, "cadre": {"2"}, "resident": {"5"},
		"grid": {"QS-13", "QS-01"}}), "?done=opened")
}

// printCodes prints ballots of grid as staff and returns the codes the
// sheets show.
func (f *fixture) printCodes(staff, campaign, grid, cadre, resident string) []string {
	f.t.Helper()
	res, body := f.post(campaign+"/print", url.Values{"grid": {grid}, "cadre": {cadre}, "resident": {resident}}, staff)
	if res.StatusCode != http.StatusOK {
		f.t.Fatalf("print: status %d\n%s", res.StatusCode, body)
	}
	var codes []string
	for _, m := range regexp.MustCompile(`<p class="slip-code">([0-9A-Z-]+)</p>`).FindAllStringSubmatch(body, -1) {
		codes = append(codes, strings.ReplaceAll(m[1], "-", ""))
	}
	return codes
}

// TestSurveyForms: a campaign typed wrong is shown again with the message
// beside the field and what was typed; one typed right opens; ballots
// print; a voter answers without an account, once; a tally typed wrong is
// refused with a message and one typed right is counted; every step is in
// the town's operation log, named in Chinese.
func TestSurveyForms(t *testing.T) {
	f := surveyFixture(t)
	staff := f.login("staff")
	res, body := f.post("/survey", url.Values{"title": {"三季度测评"}, "quarter": {"2023Q3"}, "opens_at": {"2023-09-18T08:00"},
		"closes_at": {"2023-10-05T18:00"}, "cadre": {"2"}, "resident": {"五"}, "grid": {"QS-13"}}, staff)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请填写整数") || !strings.Contains(body, `value="2023-10-05T18:00"`) {
		t.Fatalf("a campaign with a word for a number: status %d\n%s", res.StatusCode, body)
	}
	res, body = f.post("/survey", url.Values{"title": {"三季度测评"}, "quarter": {"2023Q3"}, "opens_at": {"2023-09-18T08:00"},
		"closes_at": {"2023-10-05T18:00"}, "cadre": {"2"}, "resident": {"5"}, "grid": {"QS-13"}}, staff)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "结束时间不能晚于2023年第3季度的最后一天") {
		t.Fatalf("a campaign past its quarter: status %d\n%s", res.StatusCode, body)
	}
	campaign := f.openCampaign(staff)
	codes := f.printCodes(staff, campaign, "QS-13", "1", "2")
	if len(codes) != 3 {
		t.Fatalf("printed %d codes, want 3", len(codes))
	}
	res, body = f.get("/v/"+codes[0], "")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "赵磊") || !strings.Contains(body, "村社区干部") {
		t.Fatalf("the ballot page: status %d\n%s", res.StatusCode, body)
	}
	res, body = f.post("/v/"+codes[0], url.Values{"comment": {"好"}}, "")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请选择") || !strings.Contains(body, ">好</textarea>") {
		t.Fatalf("an answer without a rating: status %d\n%s", res.StatusCode, body)
	}
	res, body = f.post("/v/"+codes[0], url.Values{"rating": {"satisfied"}, "comment": {"很负责"}}, "")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "评价已提交") {
		t.Fatalf("the answer: status %d\n%s", res.StatusCode, body)
	}
	res, body = f.post("/v/"+codes[0], url.Values{"rating": {"unsatisfied"}}, "")
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已经使用过") {
		t.Fatalf("the answer again: status %d\n%s", res.StatusCode, body)
	}
	res, body = f.post("/v", url.Values{"code": {strings.ToLower(app.FormatCode(codes[1]))}}, "")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `action="/v/`+codes[1]+`"`) {
		t.Fatalf("a code typed in small letters with dashes: status %d\n%s", res.StatusCode, body)
	}
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"worker_id": {"QS013"}, "rater_group": {"cadre"}}, "三项票数不能都是 0"},
		{url.Values{"worker_id": {"QS013"}, "rater_group": {"cadre"}, "satisfied": {"三"}}, "应为整数"},
		{url.Values{"worker_id": {"QS005"}, "rater_group": {"cadre"}, "satisfied": {"3"}}, "不在这次评价之内"},
	} {
		res, body := f.post(campaign+"/tallies", tc.form, staff)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("tally %v: status %d, want 400 with %q", tc.form, res.StatusCode, tc.want)
		}
	}
	f.mustSave(staff, campaign+"/tallies", url.Values{"worker_id": {"QS013"}, "rater_group": {"resident"}, "satisfied": {"3"}, "unsatisfied": {"1"}, "note": {"村委会收回"}})
	res, body = f.get(campaign, staff)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the campaign: status %d", res.StatusCode)
	}
	for _, want := range []string{"很负责", "村委会收回", "满意 3、基本满意 0、不满意 1", "样本少", "80.0%"} {
		if !strings.Contains(body, want) {
			t.Errorf("the campaign's page lacks %q", want)
		}
	}
	_, body = f.get(campaign+"/close", staff)
	if !strings.Contains(body, "尚未使用的 2 张评价票全部作废") {
		t.Errorf("the close's confirmation:\n%s", body)
	}
	f.mustSave(staff, campaign+"/close", url.Values{"confirm": {"yes"}})
	res, body = f.get("/v/"+codes[2], "")
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已经结束") {
		t.Errorf("a ballot of the closed campaign: status %d\n%s", res.StatusCode, body)
	}
	_, body = f.get("/audit", f.login("admin"))
	for _, want := range []string{"发起满意度评价", "印制评价票", "录入纸质评价", "结束满意度评价", "青山镇 满意度评价 1 号", "未使用的 2 张评价票作废"} {
		if !strings.Contains(body, want) {
			t.Errorf("the town's operation log lacks %q", want)
		}
	}
	if strings.Contains(body, codes[0]) {
		t.Errorf("the operation log holds a code")
	}
}

// TestSurveyAccessOverHTTP: a grid worker gets 403 on every survey page
// and action; the district reads a town's campaign and results but prints
// nothing; nobody needs an account for the ballot page, and nobody
// without one reaches the centers' pages.
func TestSurveyAccessOverHTTP(t *testing.T) {
	f := surveyFixture(t)
	staff := f.login("staff")
	campaign := f.openCampaign(staff)
	worker, district := f.login("QS013"), f.login("district")
	for _, path := range []string{"/survey", campaign, "/survey/results", campaign + "/report.xlsx", campaign + "/close"} {
		if res, _ := f.get(path, worker); res.StatusCode != http.StatusForbidden {
			t.Errorf("the worker GET %s: status %d, want 403", path, res.StatusCode)
		}
		if res, _ := f.get(path, ""); res.StatusCode != http.StatusSeeOther {
			t.Errorf("nobody GET %s: status %d, want a redirect to the login", path, res.StatusCode)
		}
	}
	for _, path := range []string{campaign + "/print", campaign + "/tallies", campaign + "/close", "/survey"} {
		for who, token := range map[string]string{"worker": worker, "district": district} {
			res, _ := f.post(path, url.Values{"grid": {"QS-13"}, "resident": {"1"}, "worker_id": {"QS013"}, "rater_group": {"cadre"}, "satisfied": {"1"}, "confirm": {"yes"}}, token)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("the %s POST %s: status %d, want 403", who, path, res.StatusCode)
			}
		}
	}
	for _, path := range []string{"/survey", campaign, "/survey/results?town=%E9%9D%92%E5%B1%B1%E9%95%87"} {
		if res, _ := f.get(path, district); res.StatusCode != http.StatusOK {
			t.Errorf("the district GET %s: status %d", path, res.StatusCode)
		}
	}
}

// TestGuessesFromOneAddressWait: past 20 codes that do not exist from one
// address, it is answered 429 with how long to wait; another address is
// served.
func TestGuessesFromOneAddressWait(t *testing.T) {
	f := surveyFixture(t)
	staff := f.login("staff")
	codes := f.printCodes(staff, f.openCampaign(staff), "QS-13", "0", "1")
	get := func(addr, code string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, "/v/"+code, nil)
		req.RemoteAddr = addr
		res, body := f.do(req)
		return res.StatusCode, body
	}
	for i := range app.GuessLimits.Free + 1 {
		guess, _ := app.NewBallotCode()
		if status, _ := get("203.0.113.5:4000", guess); status != http.StatusNotFound {
			t.Fatalf("guess %d: status %d, want 404", i+1, status)
		}
	}
	if status, body := get("203.0.113.5:4000", codes[0]); status != http.StatusTooManyRequests || !strings.Contains(body, "分钟后再试") {
		t.Errorf("a real code from the guessing address: status %d\n%s", status, body)
	}
	if status, _ := get("198.51.100.7:4000", codes[0]); status != http.StatusOK {
		t.Errorf("a real code from another address: status %d", status)
	}
}

// TestCampaignReportXLSX: the campaign's workbook has its progress, the
// quarter's ballots by worker, group and source with the score, the
// comments written as text (a comment starting with = is no formula) and
// the tallies.
func TestCampaignReportXLSX(t *testing.T) {
	f := surveyFixture(t)
	staff := f.login("staff")
	campaign := f.openCampaign(staff)
	code := f.printCodes(staff, campaign, "QS-01", "0", "1")[0]
	if res, _ := f.post("/v/"+code, url.Values{"rating": {"basic"}, "comment": {"=1+1 来得少"}}, ""); res.StatusCode != http.StatusOK {
		t.Fatalf("answer: status %d", res.StatusCode)
	}
	f.mustSave(staff, campaign+"/tallies", url.Values{"worker_id": {"QS013"}, "rater_group": {"cadre"}, "basic": {"2"}, "note": {"纸质"}})
	res, body := f.get(campaign+"/report.xlsx", staff)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != app.XLSXType {
		t.Fatalf("report: status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := strings.Join(x.GetSheetList(), " "); got != "进度 结果 意见 纸质录入" {
		t.Errorf("sheets %s", got)
	}
	rows, _ := x.GetRows("结果")
	var qs013 []string
	for _, r := range rows {
		if len(r) > 10 && r[0] == "QS013" && r[3] == "全部" {
			qs013 = r
		}
		if len(r) > 4 && r[0] == "QS013" && r[4] == "纸质" && r[6] != "2" {
			t.Errorf("QS013's paper row %v, want 2 基本满意", r)
		}
	}
	if qs013 == nil || qs013[10] == "" {
		t.Errorf("QS013's total row %v has no score", qs013)
	}
	if v, _ := x.GetCellValue("意见", "E3"); v != "=1+1 来得少" {
		t.Errorf("comment %q", v)
	}
	if fm, _ := x.GetCellFormula("意见", "E3"); fm != "" {
		t.Errorf("the comment became the formula %q", fm)
	}
	if v, _ := x.GetCellValue("纸质录入", "H3"); v != "纸质" {
		t.Errorf("tally note %q", v)
	}
	if v, _ := x.GetCellValue("进度", "A1"); !strings.Contains(v, "三季度测评") || !strings.Contains(v, fmt.Sprint("2023年第3季度")) {
		t.Errorf("title %q", v)
	}
}

// TestDashboardShowsSurveys: the town's dashboard offers to open a survey
// while none runs and the quarter goes on, then shows the quarter's survey with its ballots
// printed and answered.
func TestDashboardShowsSurveys(t *testing.T) {
	f := surveyFixture(t)
	staff := f.login("staff")
	if _, body := f.get("/towns/青山镇", staff); strings.Contains(body, `">发起满意度评价</a>`) {
		t.Errorf("after the quarter's end the dashboard offers to open a survey of it")
	}
	if _, body := f.get("/towns/青山镇?as_of=2023-09-20T10:00", staff); !strings.Contains(body, `id="surveys-summary"`) || !strings.Contains(body, `">发起满意度评价</a>`) {
		t.Errorf("without a survey the dashboard should offer to open one")
	}
	campaign := f.openCampaign(staff)
	f.printCodes(staff, campaign, "QS-01", "2", "3")
	_, body := f.get("/towns/青山镇", staff)
	if !strings.Contains(body, `href="`+campaign+`"`) || !strings.Contains(body, "已印制评价票 5 张") {
		t.Errorf("the dashboard does not show the survey %s with its 5 ballots", campaign)
	}
}

// TestPrintErrorsNameTheirField: a refused print names the count that is
// wrong, in the form's words.
func TestPrintErrorsNameTheirField(t *testing.T) {
	f := surveyFixture(t)
	staff := f.login("staff")
	campaign := f.openCampaign(staff)
	for _, c := range []struct{ cadre, resident, want string }{
		{"2", "五", "居民群众票数应为整数"},
		{"x", "5", "村社区干部票数应为整数"},
		{"2", "100000", "居民群众票数：每个网格每类评价票应在 0 到"},
		{"0", "0", "张数：请填写要印制的张数"},
	} {
		res, body := f.post(campaign+"/print", url.Values{"grid": {"QS-13"}, "cadre": {c.cadre}, "resident": {c.resident}}, staff)
		if res.StatusCode == http.StatusOK || !strings.Contains(body, c.want) {
			t.Errorf("print %s/%s: status %d, want the form to say %q", c.cadre, c.resident, res.StatusCode, c.want)
		}
	}
}

// TestPrintGridNamesBothWorkersInPost: the grid list of the printing form
// names the worker in post of each grid, and both workers of a grid that
// has two in post (RULES.md §0 allows one), as the grid's warning does.
func TestPrintGridNamesBothWorkersInPost(t *testing.T) {
	f := surveyFixture(t)
	town := demo.Town(1)
	second := town.Workers[slices.IndexFunc(town.Workers, func(w gs.Worker) bool { return w.ID == "QS013" })]
	second.ID, second.Name, second.HiredOn = "QS098", "赵重", gs.NewDate(2023, 9, 1)
	if _, err := f.db.Import(context.Background(), &gs.Records{Workers: []gs.Worker{second}}, nil); err != nil {
		t.Fatal(err)
	}
	staff := f.login("staff")
	_, body := f.get(f.openCampaign(staff), staff)
	gridName := func(code string) string {
		return town.Grids[slices.IndexFunc(town.Grids, func(g gs.Grid) bool { return g.Code == code })].Name
	}
	for _, c := range []struct{ grid, label string }{
		{"QS-13", "QS-13 " + gridName("QS-13") + "（赵磊、赵重）"},
		{"QS-01", "QS-01 " + gridName("QS-01") + " " + workerName(t, "QS001")},
	} {
		if want := `<option value="` + c.grid + `">` + c.label + `</option>`; !strings.Contains(body, want) {
			t.Errorf("the printing form does not offer %s as %q", c.grid, c.label)
		}
	}
}

// TestWorkerSeesNoBallotsWhileSurveyRuns: while a campaign of the town
// runs, a grid worker's page shows neither the ballots by rating nor the
// satisfaction score, total or rank they move, and the records list no
// ballot of the quarter: a line says the results show once the survey
// ends. The town's staff see everything; once the campaign is closed, so
// does the worker.
func TestWorkerSeesNoBallotsWhileSurveyRuns(t *testing.T) {
	f := surveyFixture(t)
	staff, worker := f.login("staff"), f.login("QS013")
	page := func(path, token string) string {
		t.Helper()
		res, body := f.get(path, token)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d\n%s", path, res.StatusCode, body)
		}
		return body
	}
	shown := func(step, who, token string, want bool) {
		t.Helper()
		body := page("/workers/QS013", token)
		if got := strings.Contains(body, "依据本季度") && !strings.Contains(body, app.MsgBallotsWithheld); got != want {
			t.Errorf("%s: %s's page shows the ballots %v, want %v", step, who, got, want)
		}
		body = page("/workers/QS013?quarter=2023Q3&as_of=2023-09-20T09:00", token)
		if got := strings.Contains(body, "镇内第") && !strings.Contains(body, `id="survey-withheld"`); got != want {
			t.Errorf("%s: %s's standing shows the total and rank %v, want %v", step, who, got, want)
		}
		body = page("/records/ballots?worker=QS013", token)
		if got := strings.Contains(body, "PJ2309-") && !strings.Contains(body, app.MsgBallotsWithheld); got != want {
			t.Errorf("%s: %s's records list the ballots %v, want %v", step, who, got, want)
		}
	}
	shown("before the survey", "the worker", worker, true)
	campaign := f.openCampaign(staff)
	shown("during the survey", "the worker", worker, false)
	shown("during the survey", "the staff", staff, true)
	body := page("/workers/QS013?quarter=2023Q3&as_of=2023-09-20T09:00", worker)
	if !strings.Contains(body, `id="survey-withheld"`) || !strings.Contains(body, "/ 80") {
		t.Errorf("the worker's standing during the survey:\n%s", body)
	}
	body = page("/workers/QS013", worker)
	if !strings.Contains(body, `<span class="stat-num">—</span><span class="stat-label">镇内排名`) {
		t.Errorf("the worker's quarter during the survey shows the rank:\n%s", body)
	}
	// The worker's history, whose only quarter is the one withheld, says
	// why it is empty instead of "not found".
	if body = page("/workers/QS013/history", worker); !strings.Contains(body, "满意度评价进行中") {
		t.Errorf("the worker's history during the survey:\n%s", body)
	}
	f.mustSave(staff, campaign+"/close", url.Values{"confirm": {"yes"}})
	shown("after the survey", "the worker", worker, true)
}
