package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storetest"
)

// mappingMatrix: only a town's center maps the files of its uploads; the
// district keeps mappings of its own; a grid worker none.
var mappingMatrix = []route{
	{method: "GET", path: "/import/999/mapping?file=x.csv", want: [5]int{303, 403, 404, 404, 403}},
	{method: "POST", path: "/import/999/mapping", want: [5]int{401, 403, 404, 404, 403}},
	{method: "GET", path: "/mappings", want: [5]int{303, 200, 200, 200, 403}},
	{method: "POST", path: "/mappings", want: [5]int{401, 400, 400, 400, 403}},
	{method: "GET", path: "/mappings/file?name=x", want: [5]int{303, 404, 404, 404, 403}},
	{method: "POST", path: "/mappings/delete", want: [5]int{401, 404, 404, 404, 403}},
}

func TestMappingAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	runMatrix(t, mappingMatrix)
}

// platformHeader is the header of a grid platform's event export: its own
// names, in its own order, with columns DATA.md has not.
const platformHeader = "事件ID,事件标题,办理状态,上报人工号,上报人,上报时间,紧急程度,办结时间,备注\n"

// platformRows are events of the demo town as the platform exports them:
// its own spelling of the flow and the severity (普通, 紧急), dates written
// 2023.08.03.
const platformRows = "WG-0001,路灯损坏,自行处置,QS001,王建华,2023.08.03 09:15,普通,2023.08.03 17:00,\n" +
	"WG-0002,占道经营,上报,QS002,李秀英,2023.08.04 10:00,紧急,,已上报城管\n" +
	"WG-0003,垃圾堆放,转办,QS003,张志强,2023.8.5 8:30,普通,2023.08.06 09:00,\n"

// platformFile encodes an export as the platform writes it: GB18030.
func platformFile(t *testing.T, content string) string {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().String(content)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// valueSelects returns, per column index of the mapping page, the name of
// the select of each value (by the value).
func valueSelects(page string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, m := range regexp.MustCompile(`<select name="val\.(\d+)\.(\d+)" aria-label="“(.*?)”的含义"`).FindAllStringSubmatch(page, -1) {
		if out[m[1]] == nil {
			out[m[1]] = map[string]string{}
		}
		out[m[1]][m[3]] = "val." + m[1] + "." + m[2]
	}
	return out
}

// selected reports whether the select name of page has value chosen.
func selected(page, name, value string) bool {
	i := strings.Index(page, `<select name="`+name+`"`)
	if i < 0 {
		return false
	}
	end := strings.Index(page[i:], "</select>")
	return strings.Contains(page[i:i+end], `<option value="`+value+`" selected>`)
}

// TestMappingThroughBrowser: on each engine, a platform's export (GB18030,
// foreign headers and values, dates 2023.08.03, columns to ignore) is not
// DATA.md's, so its upload asks for a mapping and imports nothing; the
// mapping page shows the columns as guessed, the severity column's values
// once it is chosen, and the form of the dates detected; saved, the
// mapping reads the file (the report says with which), which imports the
// events as DATA.md would. The next upload of a file with the same headers
// in another order is read with it without a question; a value the
// mapping lacks is reported at its row and column, naming the mapping.
func TestMappingThroughBrowser(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			f := newFixtureAt(t, b.Target(t))
			staff := f.login("staff")
			const file = "网格E通事件导出20231008.csv"

			path, page := f.uploadReport(staff, [2]string{file, platformFile(t, platformHeader+platformRows)})
			if !strings.Contains(page, `id="import-unmapped"`) || strings.Contains(page, `id="commit"`) {
				t.Fatalf("the report of an unmapped export:\n%s", page)
			}
			mapURL := path + "/mapping?file=" + url.QueryEscape(file)
			if !strings.Contains(page, `href="`+strings.ReplaceAll(mapURL, "&", "&amp;")+`"`) {
				t.Fatalf("the report does not link %s:\n%s", mapURL, page)
			}

			res, page := f.get(mapURL, staff)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("mapping page: %d\n%s", res.StatusCode, page)
			}
			for name, key := range map[string]string{"key.2": "flow", "key.3": "worker_id", "key.5": "reported_at", "key.7": "closed_at", "key.1": ""} {
				if !selected(page, name, key) {
					t.Errorf("the guess does not fill %s with %q", name, key)
				}
			}
			if !strings.Contains(page, `value="网格E通事件导出"`) || !strings.Contains(page, "年.月.日，如 2023.07.03") ||
				!strings.Contains(page, "还没有对应的必填列：事件编号（event_id）") {
				t.Errorf("the mapping page does not name the mapping after the file, detect 年.月.日 or tell event_id missing:\n%s", page)
			}
			if vs := valueSelects(page)["2"]; !selected(page, vs["自行处置"], "self_handled") || !selected(page, vs["转办"], "assigned") {
				t.Errorf("the values of 办理状态 are not guessed: %v", vs)
			}

			form := url.Values{"file": {file}, "kind": {"events"}, "shown_kind": {"events"}, "name": {"网格E通事件导出"},
				"key.0": {"event_id"}, "key.2": {"flow"}, "key.3": {"worker_id"}, "key.5": {"reported_at"}, "key.6": {"severity"}, "key.7": {"closed_at"},
				"date.5": {"y.m.d"}, "date.7": {"y.m.d"}, "action": {"update"}}
			res, page = f.post(path+"/mapping", form, staff)
			sev := valueSelects(page)["6"]
			if res.StatusCode != http.StatusOK || sev["普通"] == "" || sev["紧急"] == "" {
				t.Fatalf("after choosing 事件等级 for 紧急程度 its values are not asked (%d): %v\n%s", res.StatusCode, sev, page)
			}
			// Saved with a value's meaning left unchosen: refused, saying which.
			form.Set("action", "save")
			res, page = f.post(path+"/mapping", form, staff)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "请为“紧急程度”一列的取值“紧急”选择含义") {
				t.Fatalf("a save with values unchosen: %d\n%s", res.StatusCode, page)
			}
			flow := valueSelects(page)["2"]
			form.Set(flow["自行处置"], "self_handled")
			form.Set(flow["上报"], "reported")
			form.Set(flow["转办"], "assigned")
			form.Set(sev["普通"], "general")
			form.Set(sev["紧急"], "major")
			res, page = f.post(path+"/mapping", form, staff)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), path+"?mapped=") {
				t.Fatalf("save: %d %q\n%s", res.StatusCode, res.Header.Get("Location"), page)
			}
			_, page = f.get(res.Header.Get("Location"), staff)
			if !strings.Contains(page, "已保存映射“网格E通事件导出”") || !strings.Contains(page, "按映射“网格E通事件导出”读取") ||
				!strings.Contains(page, "校验通过") || !strings.Contains(page, `id="commit"`) {
				t.Fatalf("the report after the mapping:\n%s", page)
			}
			before := f.counts()
			if res, page := f.post(path+"/commit", nil, staff); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("commit: %d\n%s", res.StatusCode, page)
			}
			if got := f.counts()["events"]; got != before["events"]+3 {
				t.Errorf("events %d → %d, want 3 more", before["events"], got)
			}
			recs, err := f.db.Record(context.Background(), gs.KindEvents, "WG-0002")
			if err != nil || len(recs.Events) != 1 {
				t.Fatalf("WG-0002: %v", err)
			}
			if e := recs.Events[0]; e.WorkerID != "QS002" || e.Flow != gs.FlowReported || e.Severity != gs.SeverityMajor ||
				e.ReportedAt.In(gs.CST).Format("2006-01-02 15:04") != "2023-08-04 10:00" || !e.ClosedAt.IsZero() {
				t.Errorf("WG-0002 stored as %+v", e)
			}

			// The same headers in another order, another file name: read
			// with the mapping, no question asked.
			reordered := "上报人工号,事件ID,办结时间,事件标题,上报时间,办理状态,备注,紧急程度,上报人\n" +
				"QS004,WG-0004,2023.08.07 12:00,,2023.08.07 08:00,自行处置,,普通,杨婷\n" +
				"合计,1,,,,,,,\n" // the platform's footer: skipped and said so
			_, page = f.uploadReport(staff, [2]string{"导出1009.csv", platformFile(t, reordered)})
			if !strings.Contains(page, "校验通过") || !strings.Contains(page, "按映射“网格E通事件导出”读取") ||
				!strings.Contains(page, "跳过合计行（第 3 行）") {
				t.Errorf("the second export is not recognised:\n%s", page)
			}

			// A value the mapping does not know: the row, the file's column
			// and the mapping named; nothing imported.
			_, page = f.uploadReport(staff, [2]string{"导出1010.csv", platformFile(t, platformHeader+
				"WG-0005,,自行处理,QS005,,2023.08.08 08:00,普通,,\n")})
			if !tableRow("导出1010.csv", "2", "办理状态（办理方式）").MatchString(page) || !strings.Contains(page, "不在映射“网格E通事件导出”中") {
				t.Errorf("a value the mapping lacks:\n%s", page)
			}
			// The report links the mapping page, which starts from the saved
			// mapping and asks for the new value alone.
			edit := regexp.MustCompile(`<a class="edit-mapping" href="([^"]+)">修改映射</a>`).FindStringSubmatch(page)
			if edit == nil {
				t.Fatalf("the report does not offer to change the mapping:\n%s", page)
			}
			_, page = f.get(strings.ReplaceAll(edit[1], "&amp;", "&"), staff)
			vs := valueSelects(page)["2"]
			if !strings.Contains(page, "已按保存的映射“网格E通事件导出”填好") || !selected(page, "key.0", "event_id") || !selected(page, "key.6", "severity") ||
				vs["自行处理"] == "" || !selected(page, vs["自行处理"], "self_handled") {
				t.Fatalf("the mapping page of a recognised export:\n%s", page)
			}
			form = browserPost(formOf(page, "mapping-form"))
			form.Set("action", "save")
			res, page = f.post(strings.SplitN(edit[1], "?", 2)[0], form, staff)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("the mapping saved again: %d\n%s", res.StatusCode, page)
			}
			_, page = f.get(res.Header.Get("Location"), staff)
			if !strings.Contains(page, "校验通过") {
				t.Errorf("the report once 自行处理 means 自办:\n%s", page)
			}

			_, page = f.get("/audit?action="+gs.AuditMappingSaved, f.login("admin"))
			if !strings.Contains(page, "导入映射“网格E通事件导出”（青山镇）") {
				t.Errorf("the audit log does not show the mapping saved:\n%s", page)
			}
		})
	}
}

// TestMappingFilesTravel: a town's mapping downloaded as a file and
// imported by the district becomes the district's (listed for the town
// too, marked 全区); a file that is no mapping is refused with a reason;
// a town cannot delete the district's mapping.
func TestMappingFilesTravel(t *testing.T) {
	f := newFixture(t)
	staff := f.login("staff")
	m := &gs.Mapping{Town: "青山镇", Name: "网格E通事件导出", Kind: "events", Columns: []gs.MappedColumn{
		{Header: "事件ID", Key: "event_id"}, {Header: "上报人工号", Key: "worker_id"},
		{Header: "办理状态", Key: "flow", Values: map[string]string{"自行处置": "self_handled"}},
		{Header: "上报时间", Key: "reported_at", DateFormat: "y.m.d"}}}
	if err := f.db.SaveMapping(context.Background(), m, gs.AuditEntry{At: clock, Username: "staff", Action: gs.AuditMappingSaved, Object: "mapping:青山镇/x"}); err != nil {
		t.Fatal(err)
	}
	res, data := f.get("/mappings/file?town="+url.QueryEscape("青山镇")+"&name="+url.QueryEscape(m.Name), staff)
	if res.StatusCode != http.StatusOK || !strings.Contains(data, `"format": "gridscore-mapping"`) || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q\n%s", res.StatusCode, res.Header.Get("Content-Disposition"), data)
	}
	district := f.login("district")
	res, page := f.uploadMapping(district, data)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", res.StatusCode, page)
	}
	_, page = f.get(res.Header.Get("Location"), district)
	if !strings.Contains(page, "已导入映射“网格E通事件导出”") || !strings.Contains(page, "全区") {
		t.Errorf("the district's mappings after the import:\n%s", page)
	}
	_, page = f.get("/mappings", staff)
	if strings.Count(page, "<strong>网格E通事件导出</strong>") != 2 {
		t.Errorf("the town does not list its mapping and the district's:\n%s", page)
	}
	res, page = f.uploadMapping(district, "事件ID,办理状态\n")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "不是映射文件") {
		t.Errorf("a file that is no mapping: %d\n%s", res.StatusCode, page)
	}
	// The town's delete removes its own, never the district's.
	f.post("/mappings/delete", url.Values{"name": {m.Name}}, staff)
	res, page = f.post("/mappings/delete", url.Values{"name": {m.Name}}, staff)
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("a town deleting the district's mapping: %d\n%s", res.StatusCode, page)
	}
	_, page = f.get("/mappings", district)
	if !strings.Contains(page, "<strong>网格E通事件导出</strong>") {
		t.Errorf("the district's mapping is gone:\n%s", page)
	}
}

// uploadMapping posts a mapping file to /mappings as a browser's form does.
func (f *fixture) uploadMapping(token, content string) (*http.Response, string) {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, err := mw.CreateFormFile("file", "导入映射.json")
	if err != nil {
		f.t.Fatal(err)
	}
	w.Write([]byte(content))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/mappings", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	withSession(req, token)
	return f.do(req)
}

// TestDistrictNavigationReachesMappings: the district, which imports no
// files and so has no 导入 link, reaches its mappings from the navigation;
// a town's center reaches them from 导入 and gets no second link.
func TestDistrictNavigationReachesMappings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, c := range []struct {
		role, home string
		want       bool
	}{{"district", "/", true}, {"admin", "/", false}, {"staff", "/", false}, {"QS001", "/workers/QS001", false}} {
		req := httptest.NewRequest("GET", c.home, nil)
		withSession(req, f.login(c.role))
		res, body := f.do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: home page status %d", c.role, res.StatusCode)
		}
		nav := body[strings.Index(body, `<nav`):]
		nav = nav[:strings.Index(nav, `</nav>`)]
		if got := strings.Contains(nav, `href="/mappings"`); got != c.want {
			t.Errorf("%s: navigation links to /mappings: %v, want %v\n%s", c.role, got, c.want, nav)
		}
	}
}

// TestMappingNoticeFromKeysOnly: the mappings page announces only what a
// redirect's key names, and only what is so — a mapping imported is saved,
// one deleted is not, and confirmed without the link's name — not any text
// a link carries.
func TestMappingNoticeFromKeysOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("staff")
	m := &gs.Mapping{Town: "青山镇", Name: "网格E通", Kind: "events", Columns: []gs.MappedColumn{{Header: "事件ID", Key: "event_id"}}}
	if err := f.db.SaveMapping(context.Background(), m, gs.AuditEntry{At: clock, Username: "staff", Action: gs.AuditMappingSaved, Object: "mapping:青山镇/网格E通"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ query, want, not string }{
		{"?done=imported&name=" + url.QueryEscape("网格E通"), "已导入映射“网格E通”。", ""},
		{"?done=deleted&name=" + url.QueryEscape("旧映射"), "已删除映射。", "旧映射"},
		{"?done=deleted&name=" + url.QueryEscape("系统已升级，请到某网站重新登录"), "已删除映射。", "系统已升级"},
		{"?done=" + url.QueryEscape("系统已升级，请到某网站重新登录"), "", "系统已升级"},
		{"?done=imported&name=" + url.QueryEscape("系统已升级，请到某网站重新登录"), "", "系统已升级"},
		{"?done=deleted&name=" + url.QueryEscape("网格E通"), "", "已删除映射"},
	} {
		req := httptest.NewRequest("GET", "/mappings"+c.query, nil)
		withSession(req, token)
		res, body := f.do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", c.query, res.StatusCode)
		}
		if c.want != "" && !strings.Contains(body, c.want) {
			t.Errorf("%s: the page does not say %q", c.query, c.want)
		}
		if c.not != "" && strings.Contains(body, c.not) {
			t.Errorf("%s: the page says %q", c.query, c.not)
		}
	}
}
