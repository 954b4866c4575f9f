package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storetest"
)

// importMatrix: only a town's center imports; an upload that does not
// exist (or is another town's) is not found.
var importMatrix = []route{
	{method: "GET", path: "/import", want: [5]int{303, 403, 200, 200, 403}},
	{method: "POST", path: "/import", want: [5]int{401, 403, 400, 400, 403}},
	{method: "GET", path: "/import/999", want: [5]int{303, 403, 404, 404, 403}},
	{method: "GET", path: "/import/abc", want: [5]int{303, 403, 404, 404, 403}},
	{method: "GET", path: "/import/999/problems.xlsx", want: [5]int{303, 403, 404, 404, 403}},
	{method: "POST", path: "/import/999/commit", want: [5]int{401, 403, 404, 404, 403}},
	{method: "POST", path: "/import/999/cancel", want: [5]int{401, 403, 404, 404, 403}},
	{method: "GET", path: "/import/999/commit", want: [5]int{303, 303, 303, 303, 303}},
	{method: "GET", path: "/import/999/cancel", want: [5]int{303, 303, 303, 303, 303}},
	{method: "DELETE", path: "/import/999", want: [5]int{405, 405, 405, 405, 405}},
}

func TestImportAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	runMatrix(t, importMatrix)
}

// upload posts files (name → content) to /import as a browser's form does.
func (f *fixture) upload(token string, files ...[2]string) (*http.Response, string) {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, file := range files {
		w, err := mw.CreateFormFile("files", file[0])
		if err != nil {
			f.t.Fatal(err)
		}
		w.Write([]byte(file[1]))
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	withSession(req, token)
	return f.do(req)
}

// uploadReport uploads files and follows the redirect to the report,
// returning its path and page.
func (f *fixture) uploadReport(token string, files ...[2]string) (string, string) {
	f.t.Helper()
	res, body := f.upload(token, files...)
	if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/import/\d+$`).MatchString(res.Header.Get("Location")) {
		f.t.Fatalf("upload: status %d, location %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	path := res.Header.Get("Location")
	res, body = f.get(path, token)
	if res.StatusCode != http.StatusOK {
		f.t.Fatalf("report: status %d\n%s", res.StatusCode, body)
	}
	return path, body
}

func (f *fixture) counts() map[string]int64 {
	f.t.Helper()
	c, err := f.db.Counts(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// tableRow matches a row of a table holding the cells in order.
func tableRow(cells ...string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`<tr>`)
	for _, c := range cells {
		b.WriteString(`<td[^>]*>` + regexp.QuoteMeta(c) + `</td>`)
	}
	return regexp.MustCompile(b.String())
}

const newFinding = "finding_id,worker_id,kind,occurred_on,count\nF-WEB-1,QS001,网格手机,2023-08-01,1\n"

// TestImportProblemsDownload: a file with 450 bad rows is reported with
// every one of them: the page shows the first 200 and says where the
// others are, and the download lists all 450 by file, row, column and
// problem, as the command line does. Another town's center cannot
// download it.
func TestImportProblemsDownload(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.login("staff")
	var b strings.Builder
	b.WriteString("event_id,worker_id,flow,reported_at\n")
	for i := range 450 {
		fmt.Fprintf(&b, "E-BAD-%d,QS001,上报,2023-07-%02d 09:00\n", i, 32+i%9) // no such day
	}
	path, page := f.uploadReport(staff, [2]string{"events.csv", b.String()})
	table := page[strings.Index(page, `id="problems"`):]
	if n := strings.Count(table, `<td class="import-msg">`); n != 200 {
		t.Errorf("the page shows %d problems, want the first 200", n)
	}
	if !strings.Contains(page, "问题（450 处）") || !strings.Contains(page, "另有 250 处在") ||
		!strings.Contains(page, `href="`+path+`/problems.xlsx"`) || strings.Contains(page, "未列出") {
		t.Errorf("the page does not say 450 problems, 250 of them in the download:\n%s", table)
	}
	_, rows := f.downloadList(path+"/problems.xlsx", staff)
	if !strings.HasPrefix(rows[0][0], "导入问题清单（events.csv）") || strings.Join(rows[1], ",") != "文件,行,列,问题" {
		t.Fatalf("title %q, header %q", rows[0], rows[1])
	}
	if len(rows) != 2+450 {
		t.Fatalf("%d problems downloaded, want 450", len(rows)-2)
	}
	last := rows[len(rows)-1]
	if last[0] != "events.csv" || last[1] != "451" || last[2] != "上报时间" || !strings.Contains(last[3], "2023-07-40") {
		t.Errorf("the last problem downloaded is %q, want events.csv row 451's 上报时间 2023-07-40", last)
	}
	if err := f.auth.CreateUser(context.Background(), &gs.User{Username: "bs", DisplayName: "白石镇工作人员",
		Role: gs.RoleTownStaff, Town: "白石镇"}, password); err != nil {
		t.Fatal(err)
	}
	if res, _ := f.get(path+"/problems.xlsx", f.login("bs")); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's center downloads the problems: status %d", res.StatusCode)
	}
}

// TestImportThroughBrowser: on each engine, a bad file is reported by
// file, row and column and writes nothing; a good one is reported with the
// rows it adds, written only at the commit (with its audit entry, the
// dashboard linked as the next step); the same file again changes nothing;
// a cancelled upload is gone.
func TestImportThroughBrowser(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			f := newFixtureAt(t, b.Target(t))
			admin := f.login("admin")
			before := f.counts()

			_, page := f.uploadReport(admin, [2]string{"findings.csv", newFinding + "F-WEB-2,QS002,网格手机,2023-08-32,1\n"})
			if !tableRow("findings.csv", "3", "发现日期").MatchString(page) || !strings.Contains(page, "不能导入") {
				t.Errorf("the report does not show the bad date at findings.csv row 3:\n%s", page)
			}
			if strings.Contains(page, `id="commit"`) {
				t.Error("a report with problems offers the commit")
			}

			path, page := f.uploadReport(admin, [2]string{"findings.csv", newFinding})
			if !strings.Contains(page, "校验通过") || !tableRow("findings.csv", "核查记录", "1").MatchString(page) ||
				!tableRow("核查记录", "1", "1", "0", "0").MatchString(page) || !strings.Contains(page, `action="`+path+`/commit"`) {
				t.Errorf("the report of a good file:\n%s", page)
			}
			if got := f.counts(); got["findings"] != before["findings"] {
				t.Fatalf("the check wrote: findings %d → %d", before["findings"], got["findings"])
			}
			// The commit sends the browser to the upload's page (post,
			// redirect, get), which shows the commit's report, who and when.
			res, page := f.post(path+"/commit", nil, admin)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
				t.Fatalf("commit: status %d, location %q\n%s", res.StatusCode, res.Header.Get("Location"), page)
			}
			res, page = f.get(path, admin)
			if res.StatusCode != http.StatusOK || !strings.Contains(page, "导入完成") || !strings.Contains(page, `<a href="/">考核总览</a>`) ||
				!regexp.MustCompile(`admin 于 \d{4}-\d\d-\d\d \d\d:\d\d 确认导入`).MatchString(page) ||
				!tableRow("核查记录", "1", "1", "0", "0").MatchString(page) || strings.Contains(page, `id="commit"`) {
				t.Fatalf("the committed upload's page: status %d\n%s", res.StatusCode, page)
			}
			// Its commit's address opened again (the browser's history)
			// leads to the same page.
			if res, _ := f.get(path+"/commit", admin); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
				t.Errorf("GET of the commit: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
			}
			if got := f.counts(); got["findings"] != before["findings"]+1 {
				t.Errorf("the commit wrote %d findings, want 1", got["findings"]-before["findings"])
			}
			log, err := f.db.Audit(context.Background(), gs.AuditFilter{Action: "records_imported"})
			if err != nil || len(log) != 1 || log[0].Username != "admin" || !strings.Contains(log[0].Detail, "findings.csv") {
				t.Errorf("audit log %+v (%v)", log, err)
			}
			if res, _ := f.post(path+"/commit", nil, admin); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
				t.Errorf("a second commit (a reload): status %d, want 303 to the report", res.StatusCode)
			}
			if got := f.counts(); got["findings"] != before["findings"]+1 {
				t.Errorf("a second commit wrote: %d findings, want 1", got["findings"]-before["findings"])
			}
			if log, _ := f.db.Audit(context.Background(), gs.AuditFilter{Action: "records_imported"}); len(log) != 1 {
				t.Errorf("a second commit was audited: %d entries", len(log))
			}

			path, page = f.uploadReport(admin, [2]string{"findings.csv", newFinding})
			if !tableRow("核查记录", "1", "0", "0", "1").MatchString(page) {
				t.Errorf("the same file again is not reported unchanged:\n%s", page)
			}
			after := f.counts()
			if res, _ := f.post(path+"/commit", nil, admin); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("second import: status %d", res.StatusCode)
			}
			if got := f.counts(); fmt.Sprint(got) != fmt.Sprint(after) {
				t.Errorf("importing the same file again changed the counts: %v → %v", after, got)
			}

			path, _ = f.uploadReport(admin, [2]string{"findings.csv", newFinding})
			res, _ = f.post(path+"/cancel", nil, admin)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/import?cancelled=1" {
				t.Fatalf("cancel: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
			}
			if res, _ := f.get(path, admin); res.StatusCode != http.StatusNotFound {
				t.Errorf("a cancelled upload: status %d, want 404", res.StatusCode)
			}
			if _, page := f.get("/import?cancelled=1", admin); !strings.Contains(page, "已取消") || strings.Contains(page, path) {
				t.Errorf("the form after cancelling:\n%s", page)
			}
		})
	}
}

// TestImportOtherTown: another town's staff cannot import into 青山镇 (the
// rows are refused with the reason) and cannot see, commit or cancel
// 青山镇's uploads; 青山镇's staff can.
func TestImportOtherTown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if err := f.auth.CreateUser(context.Background(), &gs.User{Username: "bs", DisplayName: "白石镇工作人员",
		Role: gs.RoleTownStaff, Town: "白石镇"}, password); err != nil {
		t.Fatal(err)
	}
	bs, admin, staff := f.login("bs"), f.login("admin"), f.login("staff")
	before := f.counts()

	path, page := f.uploadReport(bs, [2]string{"findings.csv", newFinding})
	if !tableRow("findings.csv", "2", "工号").MatchString(page) || !strings.Contains(page, "是青山镇的网格员") {
		t.Errorf("a row of another town's worker is not refused:\n%s", page)
	}
	if res, _ := f.post(path+"/commit", nil, bs); res.StatusCode != http.StatusConflict {
		t.Errorf("commit of refused rows: status %d, want 409", res.StatusCode)
	}
	if got := f.counts(); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("refused rows were written: %v → %v", before, got)
	}

	ours, _ := f.uploadReport(admin, [2]string{"findings.csv", newFinding})
	for _, c := range []struct {
		method, path string
	}{{"GET", ours}, {"POST", ours + "/commit"}, {"POST", ours + "/cancel"}} {
		var res *http.Response
		var body string
		if c.method == "GET" {
			res, body = f.get(c.path, bs)
		} else {
			res, body = f.post(c.path, nil, bs)
		}
		if res.StatusCode != http.StatusNotFound || strings.Contains(body, "findings.csv") {
			t.Errorf("%s %s as 白石镇: status %d, want 404 showing nothing", c.method, c.path, res.StatusCode)
		}
	}
	if _, page := f.get("/import", bs); strings.Contains(page, ours) {
		t.Error("白石镇's import page lists 青山镇's upload")
	}
	if _, page := f.get("/import", staff); !strings.Contains(page, ours) {
		t.Error("青山镇's staff do not see the town's waiting upload")
	}
	if res, _ := f.post(ours+"/commit", nil, staff); res.StatusCode != http.StatusSeeOther {
		t.Errorf("青山镇's staff commit: status %d", res.StatusCode)
	}
	if got := f.counts(); got["findings"] != before["findings"]+1 {
		t.Errorf("findings %d → %d, want one more", before["findings"], got["findings"])
	}
}

// TestImportForm: the form is Chinese, phone-sized, posts files; an upload
// without files is shown again with the message beside the field.
func TestImportForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	_, page := f.get("/import", admin)
	for _, want := range []string{`enctype="multipart/form-data"`, `type="file"`, `multiple`, "上传并校验", `aria-current="page">导入`} {
		if !strings.Contains(page, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	res, page := f.upload(admin)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, `class="field-error"`) || !strings.Contains(page, "请选择要导入的文件") {
		t.Errorf("no file: status %d\n%s", res.StatusCode, page)
	}
	res, page = f.upload(admin, [2]string{"events.csv", ""}, [2]string{"EVENTS.csv", ""})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "都叫") {
		t.Errorf("two files of one name: status %d\n%s", res.StatusCode, page)
	}
}

// TestLongCheckShowsProgress: while an upload's check takes longer than a
// view waits, the view says the check is going on and for how long, and
// reloads itself; once done, the same address shows the report.
func TestLongCheckShowsProgress(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.server.CheckWait = time.Nanosecond
	staff := f.login("staff")
	res, body := f.upload(staff, [2]string{"findings.csv", newFinding + "F-LONG-1,QS002,网格手机,2023-08-02,1\n"})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.StatusCode, body)
	}
	path := res.Header.Get("Location")
	res, body = f.get(path, staff)
	if res.StatusCode != http.StatusAccepted || !strings.Contains(body, "正在逐行校验") || !strings.Contains(body, "已用时") ||
		!strings.Contains(body, `<meta http-equiv="refresh" content="3">`) {
		t.Fatalf("a view during the check: status %d\n%s", res.StatusCode, body)
	}
	f.server.Wait()
	res, body = f.get(path, staff)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "确认导入") || strings.Contains(body, "http-equiv") {
		t.Fatalf("a view after the check: status %d\n%s", res.StatusCode, body)
	}
}
