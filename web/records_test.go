package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// qsDay is the key in URLs of a calendar day of the demo town (2023-10-07,
// a day of 青山镇's own).
var qsDay = url.PathEscape("2023-10-07/青山镇")

// recordMatrix is the authorization matrix of the records pages, the forms
// and the evidence files: everyone signed in lists records (a grid worker
// only their own, 403 when naming another's); a town's center enters,
// changes or deletes; the district reads, but enters, changes and deletes
// meetings and calendar days (of the district or of any town).
var recordMatrix = []route{
	{method: "GET", path: "/records", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/events", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/logins", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/patrols", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/leaves", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/register", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/rosters", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/visits", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/meetings", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/attendance", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/findings", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/quiz", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/ballots", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/calendar", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records?kind=ballots&page=3", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/grids", want: [5]int{303, 404, 404, 404, 404}},
	{method: "GET", path: "/records/nothing", want: [5]int{303, 404, 404, 404, 404}},
	{method: "GET", path: "/records/findings?worker=QS013", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/findings?worker=QS001&from=2023-07-01&to=2023-09-30", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/register?grid=QS-13", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/events?town=白石镇", want: [5]int{303, 200, 403, 403, 403}},
	{method: "GET", path: "/records/findings?from=2023-13-01", want: [5]int{303, 400, 400, 400, 400}},
	{method: "GET", path: "/records/findings?from=2023-09-01&to=2023-08-01", want: [5]int{303, 400, 400, 400, 400}},

	// The forms of the kinds entered by hand.
	{method: "GET", path: "/records/findings/new", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/records/quiz/new", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/records/meetings/new", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/leaves/new", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/records/calendar/new", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/events/new", want: [5]int{303, 404, 404, 404, 404}},
	{method: "POST", path: "/records/findings", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/quiz", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/meetings", want: [5]int{401, 400, 400, 400, 403}},
	{method: "POST", path: "/records/leaves", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/calendar", want: [5]int{401, 400, 400, 400, 403}},
	{method: "POST", path: "/records/events", want: [5]int{401, 404, 404, 404, 404}},
	{method: "GET", path: "/records/findings/HC2023-005", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/findings/NO-SUCH", want: [5]int{303, 404, 404, 404, 403}},
	{method: "GET", path: "/records/quiz/CC2023-008", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/meetings/HY20230703", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/calendar/" + qsDay, want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/calendar/2023-10-07", want: [5]int{303, 404, 404, 404, 403}}, // no district day
	{method: "GET", path: "/records/events/E-1", want: [5]int{303, 404, 404, 404, 404}},
	{method: "POST", path: "/records/findings/HC2023-005", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/quiz/CC2023-008", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/meetings/HY20230703", want: [5]int{401, 400, 400, 400, 403}},
	{method: "POST", path: "/records/calendar/" + qsDay, want: [5]int{401, 400, 400, 400, 403}},
	{method: "POST", path: "/records/findings/HC2023-005/delete", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/calendar/" + qsDay + "/delete", want: [5]int{401, 400, 400, 400, 403}},
	{method: "POST", path: "/records/quiz/CC2023-008/delete", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/findings/NO-SUCH/delete", want: [5]int{401, 403, 404, 404, 403}},
	{method: "DELETE", path: "/records/findings/HC2023-005", want: [5]int{405, 405, 405, 405, 405}},

	// Evidence files (none stored in the fixture).
	{method: "GET", path: "/evidence/1", want: [5]int{303, 404, 404, 404, 403}},
	{method: "GET", path: "/evidence/x", want: [5]int{303, 404, 404, 404, 403}},
	{method: "POST", path: "/evidence/1", want: [5]int{405, 405, 405, 405, 405}},
}

// TestRecordsAuthorizationMatrix runs the records' matrix.
func TestRecordsAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	runMatrix(t, recordMatrix)
}

// TestRecordsWorkerSeesOnlyOwn: a grid worker lists only their own records
// of every kind (the register and rosters of their grid, the meetings they
// attended), and gets a Chinese 403 that shows nothing when a URL or query
// names another worker's record of any kind.
func TestRecordsWorkerSeesOnlyOwn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, token := f.login("admin"), f.login("QS001")
	// A meeting QS001 did not attend, a leave and a finding with evidence
	// of QS013.
	f.mustSave(admin, "/records/meetings", url.Values{"meeting_id": {"M-X"}, "held_on": {"2023-09-20"}, "title": {"专题会"}, "att:QS013": {"absent"}})
	f.mustSave(admin, "/records/leaves", url.Values{"worker_id": {"QS013"}, "from": {"2023-09-04"}, "to": {"2023-09-05"}, "reason": {"病假"}})
	f.mustUpload(admin, url.Values{"finding_id": {"F-13"}, "worker_id": {"QS013"}, "kind": {"phone"}, "occurred_on": {"2023-09-06"}}, "照片.png", pngBytes)
	evidence := f.evidenceURL("F-13")

	for _, kind := range store.ListedKinds() {
		res, body := f.get("/records/"+kind, token)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", kind, res.StatusCode)
		}
		for _, leak := range []string{"QS013", "QS-13", workerName(t, "QS013"), "M-X"} {
			if strings.Contains(tableOf(body), leak) {
				t.Errorf("QS001's list of %s shows %q", kind, leak)
			}
		}
		if kind != "calendar" && kind != "meetings" && kind != "rosters" && kind != "register" && kind != "leaves" && kind != "findings" && kind != "quiz" {
			if !strings.Contains(tableOf(body), "QS001") {
				t.Errorf("QS001's list of %s does not show their own records", kind)
			}
		}
	}
	other := []string{
		"/records/findings?worker=QS013", "/records/events?worker=QS013", "/records/logins?worker=QS013",
		"/records/patrols?worker=QS013", "/records/leaves?worker=QS013", "/records/register?grid=QS-13",
		"/records/rosters?grid=QS-13", "/records/visits?worker=QS013", "/records/meetings?worker=QS013",
		"/records/attendance?worker=QS013", "/records/quiz?worker=QS013", "/records/ballots?worker=QS013",
		"/records/calendar?worker=QS013", "/records/events?town=白石镇",
		"/records/findings/HC2023-005", "/records/findings/F-13", "/records/quiz/CC2023-008", "/records/meetings/M-X",
		"/records/leaves/" + url.PathEscape("QS013/2023-09-04"), "/records/findings/NO-SUCH", evidence,
	}
	for _, path := range other {
		res, body := f.get(path, token)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", path, res.StatusCode)
		}
		if !strings.Contains(body, "只能查看本人") || strings.Contains(body, workerName(t, "QS013")) || strings.Contains(body, "专题会") {
			t.Errorf("%s: the 403 page does not explain in Chinese or shows the record", path)
		}
	}
	// Their own meeting shows their own attendance only.
	res, body := f.get("/records/meetings/HY20230703", token)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "QS001") || strings.Contains(body, "QS002") {
		t.Errorf("QS001's meeting: status %d, or the attendance of others shown", res.StatusCode)
	}
	if strings.Contains(body, "<button") && strings.Contains(body, "保存") {
		t.Error("a grid worker is offered to save a meeting")
	}
}

// TestRecordsMasked: the register's names and ID numbers are in full for
// the town administrator only.
func TestRecordsMasked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, c := range []struct {
		user   string
		masked bool
	}{{"admin", false}, {"staff", true}, {"district", true}, {"QS001", true}} {
		_, body := f.get("/records/register?from=&to=", f.login(c.user))
		full := strings.Contains(body, "439901195211199846") && strings.Contains(body, "董艳")
		masked := strings.Contains(body, "439901********9846") && strings.Contains(body, "董*")
		if c.masked && (full || !masked) || !c.masked && !full {
			t.Errorf("%s: full %v, masked %v; want masked %v", c.user, full, masked, c.masked)
		}
	}
}

// TestRecordsFiltersAndPages: the list is filtered by worker, grid and
// dates, in Chinese, and paged.
func TestRecordsFiltersAndPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("staff")
	_, body := f.get("/records/events?worker=QS002&from=2023-07-01&to=2023-07-31", token)
	table := tableOf(body)
	if !strings.Contains(table, "QS002") || strings.Contains(table, "QS003") || strings.Contains(table, "SJ2308") {
		t.Errorf("events of QS002 in July: other workers or months shown")
	}
	for _, zh := range []string{"办理方式", "上报时间", "事件等级", "姓名", workerName(t, "QS002")} {
		if !strings.Contains(table, zh) {
			t.Errorf("no Chinese header %q", zh)
		}
	}
	if regexp.MustCompile(`<td>(self_handled|reported|assigned|general)</td>`).MatchString(table) {
		t.Error("a value is shown in English")
	}
	if !regexp.MustCompile(`共 \d+ 条，第 1–50 条`).MatchString(body) || !strings.Contains(body, `rel="next"`) {
		t.Errorf("a month of one worker's events is not paged by 50:\n%s", regexp.MustCompile(`共[^<]*`).FindString(body))
	}
	_, page2 := f.get("/records/events?worker=QS002&from=2023-07-01&to=2023-07-31&page=2", token)
	if !strings.Contains(page2, "第 51–") {
		t.Error("page 2 does not start at 51")
	}
	_, grid := f.get("/records/findings?grid=QS-13&from=2023-07-01&to=2023-09-30", token)
	if !strings.Contains(tableOf(grid), "HC2023-005") || strings.Contains(tableOf(grid), "HC2023-001") {
		t.Error("the grid filter does not keep QS-13's findings only")
	}
	for path, want := range map[string]string{
		"/records/findings?worker=QS002&from=2023-01-01&to=2023-01-31": "没有符合条件的核查记录。",
		"/records/events?worker=QS002&from=2023-01-01&to=2023-01-31":   "没有符合条件的事件记录。",
	} {
		if _, body := f.get(path, token); !strings.Contains(body, want) {
			t.Errorf("%s: an empty list does not say %s", path, want)
		}
	}
	_, dist := f.get("/records/findings", f.login("district"))
	if !strings.Contains(dist, "HC2023-005") || strings.Contains(dist, "录入核查记录") || strings.Contains(dist, "查看/修改") {
		t.Error("the district does not read the findings, or is offered to enter or change them")
	}
}

// tableOf returns the records table of a page ("" when none).
func tableOf(body string) string {
	i := strings.Index(body, `<table class="table records`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</table>")
	return body[i : i+j]
}

// pngBytes is a tiny PNG picture.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

// mustSave posts a record form and expects it saved (303 to the record).
func (f *fixture) mustSave(token, path string, form url.Values) string {
	f.t.Helper()
	res, body := f.post(path, form, token)
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("save %s: status %d\n%s", path, res.StatusCode, body)
	}
	return res.Header.Get("Location")
}

// postMultipart posts a form with one file (none when name is "").
func (f *fixture) postMultipart(token, path string, form url.Values, name string, content []byte) (*http.Response, string) {
	f.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("evidence_file", name)
		fw.Write(content)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	withSession(req, token)
	return f.do(req)
}

// mustUpload enters a finding with one evidence file.
func (f *fixture) mustUpload(token string, form url.Values, name string, content []byte) {
	f.t.Helper()
	res, body := f.postMultipart(token, "/records/findings", form, name, content)
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("upload: status %d\n%s", res.StatusCode, body)
	}
}

// evidenceURL returns the URL of the first file of a finding.
func (f *fixture) evidenceURL(findingID string) string {
	f.t.Helper()
	es, err := f.db.EvidenceOf(context.Background(), []string{findingID})
	if err != nil || len(es) == 0 {
		f.t.Fatalf("no evidence of %s: %v", findingID, err)
	}
	return "/evidence/" + strconv.FormatInt(es[0].ID, 10)
}

// TestRecordFormShownAgain: a form with mistakes writes nothing and comes
// back with each message beside its field (the import's own messages) and
// the values typed.
func TestRecordFormShownAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("staff")
	before, _ := f.db.Counts(context.Background())
	for _, c := range []struct {
		path string
		form url.Values
		// want are the field ids and the message beside each.
		want map[string]string
		kept []string
	}{
		{"/records/findings", url.Values{"worker_id": {"QS999"}, "kind": {"phone"}, "occurred_on": {"2023/13/40"}, "count": {"0"}, "note": {"手机未带<b>"}},
			map[string]string{"worker_id": "没有对应的网格员", "occurred_on": "日期", "count": "不能小于 1"}, []string{`value="QS999"`, "手机未带&lt;b&gt;"}},
		{"/records/quiz", url.Values{"quiz_id": {"Q-1"}, "worker_id": {"QS002"}, "taken_on": {"2023-09-01"}, "wrong_answers": {"两处"}},
			map[string]string{"wrong_answers": "应为整数"}, []string{`value="Q-1"`, `value="两处"`}},
		{"/records/quiz", url.Values{"worker_id": {"QS002"}, "taken_on": {"2023-09-01"}, "wrong_answers": {"999"}},
			map[string]string{"wrong_answers": "不能大于 50"}, []string{`value="999"`}},
		{"/records/leaves", url.Values{"worker_id": {"QS002"}, "from": {"2023-09-05"}, "to": {"2023-09-01"}},
			map[string]string{"to": "结束日期早于开始日期"}, []string{`value="2023-09-05"`}},
		{"/records/calendar", url.Values{"date": {"2023-10-09"}, "kind": {"节日"}},
			map[string]string{"kind": "无法识别的值"}, []string{`value="2023-10-09"`}},
		{"/records/meetings", url.Values{"meeting_id": {"M-9"}, "title": {"例会"}, "att:QS002": {"迟到"}},
			map[string]string{"held_on": "必填", "att:QS002": "无法识别的值"}, []string{`value="例会"`}},
		{"/records/calendar", url.Values{"date": {"2023-10-07"}, "kind": {"workday"}},
			map[string]string{"date": "已经存在"}, []string{`value="2023-10-07"`}},
		// The server holds the limits the browser's maxlength only asks for.
		{"/records/findings", url.Values{"worker_id": {"QS002"}, "kind": {"phone"}, "occurred_on": {"2023-09-01"}, "note": {strings.Repeat("说", 5000)}},
			map[string]string{"note": "不能超过 1000 个字（现有 5000 个字）"}, []string{`value="QS002"`}},
		{"/records/meetings", url.Values{"meeting_id": {"M-9"}, "held_on": {"2023-09-01"}, "title": {"例会\x1b[2J"}, "kind": {strings.Repeat("类", 51)}},
			map[string]string{"title": "不能含有控制字符（U+001B）", "kind": "不能超过 50 个字"}, []string{`value="M-9"`}},
		{"/records/leaves", url.Values{"worker_id": {"QS002"}, "from": {"2023-09-05"}, "to": {"2023-09-06"}, "leave_reason": {"病\u202e假"}},
			map[string]string{"leave_reason": "不能含有改变文字方向的字符（U+202E）"}, []string{`value="2023-09-05"`}},
		{"/records/quiz", url.Values{"quiz_id": {"Q\u200b-1"}, "worker_id": {"QS002"}, "taken_on": {"2023-09-01"}, "wrong_answers": {"1"}},
			map[string]string{"quiz_id": "不能含有不可见字符或特殊空格（U+200B）"}, []string{`value="QS002"`}},
	} {
		res, body := f.post(c.path, c.form, token)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", c.path, res.StatusCode)
			continue
		}
		for field, msg := range c.want {
			// The message follows its field, before the next field's label.
			i := strings.Index(body, `name="`+field+`"`)
			if i < 0 {
				t.Errorf("%s: no field %s", c.path, field)
				continue
			}
			rest := body[i:]
			if j := strings.Index(rest[1:], "<label"); j > 0 {
				rest = rest[:j+1]
			}
			if !strings.Contains(rest, `class="field-error"`) || !strings.Contains(rest, strings.ReplaceAll(msg, "+", "&#43;")) {
				t.Errorf("%s: no message %q beside %s", c.path, msg, field)
			}
		}
		for _, v := range c.kept {
			if !strings.Contains(body, v) {
				t.Errorf("%s: the typed value %s is not kept", c.path, v)
			}
		}
	}
	after, _ := f.db.Counts(context.Background())
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d rows, was %d: a form with mistakes wrote", k, after[k], n)
		}
	}
	// A delete without a reason says so beside the delete form's field.
	res, body := f.post("/records/quiz/CC2023-008/delete", url.Values{"reason": {" "}}, token)
	if i := strings.Index(body, `id="d-reason"`); res.StatusCode != http.StatusBadRequest || i < 0 || !strings.Contains(body[i:], "请填写删除原因") {
		t.Errorf("delete without a reason: status %d, no message beside the field", res.StatusCode)
	}
	// A reason too long is kept as typed, with its own message.
	long := strings.Repeat("重复", 251)
	res, body = f.post("/records/quiz/CC2023-008/delete", url.Values{"reason": {long}}, token)
	if i := strings.Index(body, `id="d-reason"`); res.StatusCode != http.StatusBadRequest || i < 0 ||
		!strings.Contains(body[i:], "不能超过 500 个字") || !strings.Contains(body[i:], `value="`+long+`"`) || strings.Contains(body, "请填写删除原因") {
		t.Errorf("delete with a reason too long: status %d, the reason or its message not beside the field", res.StatusCode)
	}
	// A stored record changed without a reason keeps what was typed.
	res, body = f.post("/records/quiz/CC2023-008", url.Values{"worker_id": {"QS013"}, "taken_on": {"2023-09-21"}, "wrong_answers": {"3"}}, token)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请填写修改原因") || !strings.Contains(body, `value="3"`) {
		t.Errorf("change without a reason: status %d", res.StatusCode)
	}
}

// TestRecordLife: the center enters, changes and deletes a record of each
// hand kind; each change is in the audit log with who, what and why; the
// lists show it.
func TestRecordLife(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("staff")
	loc := f.mustSave(token, "/records/quiz", url.Values{"worker_id": {"QS002"}, "taken_on": {"2023-09-25"}, "wrong_answers": {"2"}, "reason": {"季度末抽查"}})
	// A spot check left without a number is numbered after the town's
	// last of its year (CC2023-010), as the center numbers them.
	if loc != "/records/quiz/CC2023-011?saved=1" {
		t.Fatalf("saved to %q, want the next free number CC2023-011", loc)
	}
	// A number may be typed; the next one left out is still the next free.
	f.mustSave(token, "/records/quiz", url.Values{"quiz_id": {"CC2023-020"}, "worker_id": {"QS002"}, "taken_on": {"2023-09-25"}, "wrong_answers": {"0"}})
	if loc := f.mustSave(token, "/records/findings", url.Values{"worker_id": {"QS002"}, "kind": {"phone"}, "occurred_on": {"2023/9/20"}, "count": {"1"}}); loc != "/records/findings/HC2023-014?saved=1" {
		t.Errorf("a finding saved to %q, want HC2023-014", loc)
	}
	if loc := f.mustSave(token, "/records/quiz", url.Values{"worker_id": {"QS002"}, "taken_on": {"2023-09-26"}, "wrong_answers": {"1"}}); loc != "/records/quiz/CC2023-021?saved=1" {
		t.Errorf("after CC2023-020 was typed, a spot check saved to %q, want CC2023-021", loc)
	}
	_, body := f.get(loc, token)
	if !strings.Contains(body, "已保存") || !strings.Contains(body, `value="2"`) {
		t.Error("the saved spot check is not shown")
	}
	path := strings.TrimSuffix(loc, "?saved=1")
	f.mustSave(token, path, url.Values{"worker_id": {"QS003"}, "taken_on": {"2023-09-26"}, "wrong_answers": {"1"}, "reason": {"核对答卷后更正"}})
	q, err := f.db.Record(context.Background(), "quiz", strings.TrimPrefix(path, "/records/quiz/"))
	if err != nil || q.Quizzes[0].WrongAnswers != 1 || q.Quizzes[0].WorkerID != "QS003" || q.Quizzes[0].TakenOn.String() != "2023-09-26" {
		t.Fatalf("after the change: %+v, %v", q, err)
	}
	f.mustSave(token, "/records/meetings", url.Values{"meeting_id": {"M-1"}, "held_on": {"2023-09-27"}, "title": {"9月例会"}, "kind": {"例会"},
		"att:QS001": {"present"}, "att:QS002": {"absent"}, "att:QS003": {"leave"}})
	f.mustSave(token, "/records/meetings/M-1", url.Values{"held_on": {"2023-09-27"}, "title": {"9月例会"}, "att:QS001": {"present"}, "att:QS002": {"present"}, "reason": {"QS002 实际到会"}})
	att, _ := f.db.Attendance(context.Background(), "M-1")
	if len(att) != 2 || att[1].WorkerID != "QS002" || att[1].Status != "present" {
		t.Errorf("attendance after the change: %+v", att)
	}
	f.mustSave(token, "/records/calendar", url.Values{"date": {"2023-09-30"}, "kind": {"workday"}, "name": {"调休上班"}})
	// A date typed as people write it names the record as stored.
	leave := "/records/leaves/" + url.PathEscape("QS004/2023-09-11")
	if loc := f.mustSave(token, "/records/leaves", url.Values{"worker_id": {"QS004"}, "from": {"2023/9/11"}, "to": {"2023年9月12日"}, "reason": {"事假"}}); loc != leave+"?saved=1" {
		t.Errorf("the leave saved to %s, want %s", loc, leave)
	}
	if res, body := f.get(leave, token); res.StatusCode != http.StatusOK || !strings.Contains(body, `value="2023-09-12"`) {
		t.Errorf("the leave's page: status %d", res.StatusCode)
	}
	res, _ := f.post(leave+"/delete", url.Values{"reason": {"请假取消"}}, token)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/records/leaves?deleted=1" {
		t.Fatalf("delete: status %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := f.db.Record(context.Background(), "leaves", "QS004", "2023-09-11"); err == nil {
		t.Error("the deleted leave is still stored")
	}
	res, _ = f.post("/records/meetings/M-1/delete", url.Values{"reason": {"重复录入"}}, token)
	if att, _ := f.db.Attendance(context.Background(), "M-1"); res.StatusCode != http.StatusSeeOther || len(att) != 0 {
		t.Errorf("a deleted meeting keeps %d attendance rows (status %d)", len(att), res.StatusCode)
	}

	entries, err := f.db.Audit(context.Background(), gs.AuditFilter{Username: "staff"})
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "record_") {
			log = append(log, e.Action+" "+e.Object+" "+e.Detail)
		}
	}
	all := strings.Join(log, "\n")
	for _, want := range []string{
		"record_created worker:QS002/quiz:CC2023-011", "原因：季度末抽查",
		"record_updated worker:QS003/quiz:CC2023-011", "答错处数：1", "原因：核对答卷后更正",
		"record_created meetings:M-1", "考勤：出席 1 人，请假 1 人，缺席 1 人",
		"record_updated meetings:M-1", "原因：QS002 实际到会",
		"record_created calendar:2023-09-30", "类型：工作日",
		"record_deleted worker:QS004/leaves:QS004/2023-09-11", "原因：请假取消",
		"record_deleted meetings:M-1", "原因：重复录入",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, all)
		}
	}
	if len(log) != 11 {
		t.Errorf("%d audit entries of records, want 11", len(log))
	}
	_, page := f.get("/audit", f.login("admin"))
	if !strings.Contains(page, "录入记录") || !strings.Contains(page, "删除记录") {
		t.Error("the audit page does not name the records' actions in Chinese")
	}
}

// TestEvidence: a finding's photo is stored, listed and served back with
// its type, name and nosniff to those who may see the finding; a file that
// is neither a picture nor a PDF, or too large, is refused beside the
// field.
func TestEvidence(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("staff")
	form := url.Values{"finding_id": {"F-1"}, "worker_id": {"QS001"}, "kind": {"inspection"}, "occurred_on": {"2023-09-06"}, "note": {"暗访发现未在岗"}}
	for _, c := range []struct {
		name    string
		content []byte
		msg     string
	}{
		{"page.html", []byte("<html><script>alert(1)</script></html>"), "不是照片"},
		{"photo.png", append(bytes.Clone(pngBytes), make([]byte, 5<<20)...), "超过 5 MB"},
		{"empty.png", nil, "是空的"},
	} {
		res, body := f.postMultipart(token, "/records/findings", form, c.name, c.content)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, c.msg) || !strings.Contains(body, "暗访发现未在岗") {
			t.Errorf("%s: status %d, want 400 with %q and the values kept", c.name, res.StatusCode, c.msg)
		}
		if _, err := f.db.Record(context.Background(), "findings", "F-1"); err == nil {
			t.Fatalf("%s: the finding was stored with a refused file", c.name)
		}
	}
	f.mustUpload(token, form, `..\现场 "照片".png`, pngBytes)
	link := f.evidenceURL("F-1")
	_, list := f.get("/records/findings?worker=QS001", token)
	if !strings.Contains(list, link) || !strings.Contains(list, "现场 照片.png") {
		t.Errorf("the list does not link the evidence %s", link)
	}
	for _, user := range []string{"admin", "staff", "district", "QS001"} {
		res, body := f.get(link, f.login(user))
		if res.StatusCode != http.StatusOK || body != string(pngBytes) {
			t.Errorf("%s: status %d, %d bytes", user, res.StatusCode, len(body))
			continue
		}
		h := res.Header
		if h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Content-Disposition"), "filename*=utf-8''%E7%8E%B0%E5%9C%BA%20%E7%85%A7%E7%89%87.png") {
			t.Errorf("%s: headers %v", user, h)
		}
	}
	if res, _ := f.get(link, f.login("QS013")); res.StatusCode != http.StatusForbidden {
		t.Errorf("QS013 reads QS001's evidence: status %d", res.StatusCode)
	}
	if res, _ := f.get(link, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("nobody: status %d", res.StatusCode)
	}
	// A second file on the same finding, then the finding deleted with
	// its files.
	res, _ := f.postMultipart(token, "/records/findings/F-1", url.Values{"worker_id": {"QS001"}, "kind": {"inspection"}, "occurred_on": {"2023-09-06"}, "reason": {"补充照片"}},
		"note.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"))
	if es, _ := f.db.EvidenceOf(context.Background(), []string{"F-1"}); res.StatusCode != http.StatusSeeOther || len(es) != 2 || es[1].ContentType != "application/pdf" {
		t.Fatalf("second file: status %d, %+v", res.StatusCode, es)
	}
	// The first file removed on the finding's form; the second stays.
	_, page := f.get("/records/findings/F-1", token)
	if !strings.Contains(page, `name="remove_evidence" value="`+strings.TrimPrefix(link, "/evidence/")+`"`) {
		t.Fatal("the finding's form offers no removal of its files")
	}
	res, _ = f.post("/records/findings/F-1", url.Values{"worker_id": {"QS001"}, "kind": {"inspection"}, "occurred_on": {"2023-09-06"},
		"reason": {"照片拍错"}, "remove_evidence": {strings.TrimPrefix(link, "/evidence/")}}, token)
	if es, _ := f.db.EvidenceOf(context.Background(), []string{"F-1"}); res.StatusCode != http.StatusSeeOther || len(es) != 1 || es[0].Name != "note.pdf" {
		t.Fatalf("remove a file: status %d, %+v", res.StatusCode, es)
	}
	if es, _ := f.db.Audit(context.Background(), gs.AuditFilter{Action: "record_updated"}); len(es) == 0 || !strings.Contains(es[0].Detail, "删除佐证文件 1 个") {
		t.Errorf("the removal is not in the audit log: %+v", es)
	}
	if res, _ := f.get(link, token); res.StatusCode != http.StatusNotFound {
		t.Errorf("a removed file: status %d", res.StatusCode)
	}
	link = f.evidenceURL("F-1")
	f.post("/records/findings/F-1/delete", url.Values{"reason": {"录入有误"}}, token)
	if res, _ := f.get(link, token); res.StatusCode != http.StatusNotFound {
		t.Errorf("the evidence of a deleted finding: status %d", res.StatusCode)
	}
}

// TestCalendarListOffersNoWorkerOrGrid: the calendar's filter form asks
// for dates only: a calendar day belongs to no worker or grid.
func TestCalendarListOffersNoWorkerOrGrid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, body := f.get("/records/calendar", f.login("admin"))
	if strings.Contains(body, `name="worker"`) || strings.Contains(body, `name="grid"`) || !strings.Contains(body, `name="from"`) {
		t.Errorf("the calendar's filters:\n%s", formOf(body, "filter"))
	}
	_, body = f.get("/records/events", f.login("admin"))
	if !strings.Contains(body, `name="worker"`) || !strings.Contains(body, `name="grid"`) {
		t.Error("the events' filters lost the worker and the grid")
	}
}
