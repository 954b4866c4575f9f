package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
)

// downloadList gets the download of a list as the session and returns
// its sheet's rows: the title, the header, then the rows.
func (f *fixture) downloadList(path, token string) (*excelize.File, [][]string) {
	f.t.Helper()
	res, body := f.get(path, token)
	if res.StatusCode != http.StatusOK {
		f.t.Fatalf("%s: status %d\n%s", path, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		f.t.Errorf("%s: Content-Type %q", path, ct)
	}
	cd := res.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''") || !strings.HasSuffix(cd, ".xlsx") {
		f.t.Errorf("%s: Content-Disposition %q, want a UTF-8 file name", path, cd)
	}
	if res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
		f.t.Errorf("%s: Content-Length %q for %d bytes", path, res.Header.Get("Content-Length"), len(body))
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		f.t.Fatalf("%s: not a workbook: %v", path, err)
	}
	f.t.Cleanup(func() { x.Close() })
	rs, err := x.GetRows(x.GetSheetName(0))
	if err != nil || len(rs) < 2 {
		f.t.Fatalf("%s: %d rows (%v)", path, len(rs), err)
	}
	return x, rs
}

// fileName is the file name a download's Content-Disposition gives.
func fileName(t *testing.T, res *http.Response) string {
	t.Helper()
	cd := res.Header.Get("Content-Disposition")
	i := strings.Index(cd, "utf-8''")
	name, err := url.PathUnescape(cd[i+len("utf-8''"):])
	if i < 0 || err != nil {
		t.Fatalf("Content-Disposition %q", cd)
	}
	return name
}

// column returns the cells of the column titled title in a list's rows
// (below its title and header).
func column(t *testing.T, rows [][]string, title string) []string {
	t.Helper()
	i := slices.Index(rows[1], title)
	if i < 0 {
		t.Fatalf("no column %s in %q", title, rows[1])
	}
	var out []string
	for _, r := range rows[2:] {
		if len(r) > i {
			out = append(out, r[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

// julyEvents are the ids of worker's demo events reported in July 2023.
func julyEvents(worker string) []string {
	var ids []string
	for _, e := range demo.Town(1).Events {
		if e.WorkerID == worker && e.ReportedAt.In(gs.CST).Month() == time.July {
			ids = append(ids, e.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

// TestRecordsExport: the download of a records list holds every record
// the filters keep, beyond the page shown and nothing else, in the list's
// order, with the page's Chinese columns and a title saying what it is.
func TestRecordsExport(t *testing.T) {
	t.Parallel()
	query := strings.TrimPrefix(qs002July, "/records/events") + "&sort=category&dir=desc"
	f, staff, page := staffList(t, "/records/events"+query)
	if !strings.Contains(page, `href="/export/records/events?dir=desc&amp;from=2023-07-01&amp;sort=category&amp;to=2023-07-31&amp;worker=QS002">导出 Excel</a>`) {
		t.Fatalf("the list does not link its download with its filters and order")
	}
	res, _ := f.get("/export/records/events"+query, staff)
	if name := fileName(t, res); name != demo.TownName+" 事件记录 "+clock.In(gs.CST).Format("2006-01-02")+".xlsx" {
		t.Errorf("file name %q", name)
	}
	_, rows := f.downloadList("/export/records/events"+query, staff)
	title := rows[0][0]
	for _, want := range []string{demo.TownName + " 事件记录", "工号 QS002", "2023-07-01 至 2023-07-31", "按事件类别降序", "导出于 " + clock.In(gs.CST).Format("2006-01-02 15:04")} {
		if !strings.Contains(title, want) {
			t.Errorf("title %q lacks %q", title, want)
		}
	}
	if got := strings.Join(rows[1], ","); got != "事件编号,工号,姓名,办理方式,事件等级,事件类别,发生时间,上报时间,办结时限,办结时间,警告,录入不规范" {
		t.Errorf("header %s", got)
	}
	ids := column(t, rows, "事件编号")
	want := julyEvents("QS002")
	if len(want) <= 50 {
		t.Fatalf("QS002 has %d events in July: too few to span pages", len(want))
	}
	if got := slices.Sorted(slices.Values(ids)); !slices.Equal(got, want) {
		t.Errorf("%d events exported, want QS002's %d of July", len(got), len(want))
	}
	if names := column(t, rows, "姓名"); names[0] != workerName(t, "QS002") {
		t.Errorf("姓名 %q", names[0])
	}
	cats := column(t, rows, "事件类别")
	if !slices.IsSortedFunc(cats, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("not sorted by 事件类别 descending: %q", cats)
	}
	if strings.Contains(strings.Join(column(t, rows, "办理方式"), ""), "self_handled") {
		t.Error("a value is exported in English")
	}

	// The cap: a longer list ends with a note.
	f.server.Service.ExportRows = 5
	_, rows = f.downloadList("/export/records/events"+query, staff)
	if len(rows) != 2+5+1 || !strings.Contains(rows[len(rows)-1][0], "只导出了前 5 条") {
		t.Errorf("capped at 5: %d rows, last %q", len(rows), rows[len(rows)-1])
	}
	f.server.Service.ExportRows = 0
	_, rows = f.downloadList("/export/records/events?worker=QS002&from=2023-01-01&to=2023-01-31", staff)
	if len(rows) != 3 || rows[2][0] != "没有符合条件的记录。" {
		t.Errorf("an empty list: %q", rows)
	}
	res, body := f.get("/export/records/events?from=七月", staff)
	wantStatus(t, "a bad date", res, body, http.StatusBadRequest, "请按 2023-10-08 的格式填写日期")
}

// TestRecordsExportAccess: the download is refused to whom the page is
// refused, gives a grid worker only their own records, and masks the
// register as the page does; a finding's evidence files are named and a
// note that looks like a formula stays text.
func TestRecordsExportAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	qs001 := f.login("QS001")
	_, rows := f.downloadList("/export/records/events?from=2023-07-01&to=2023-07-31", qs001)
	if ids := column(t, rows, "事件编号"); !slices.Equal(slices.Sorted(slices.Values(ids)), julyEvents("QS001")) {
		t.Errorf("QS001's download: %d events, want their own %d", len(ids), len(julyEvents("QS001")))
	}
	if !strings.Contains(rows[0][0], demo.TownName+" QS001 事件记录") {
		t.Errorf("title %q", rows[0][0])
	}
	for path, user := range map[string]string{
		"/export/records/events?worker=QS013": "QS001",
		"/export/records/events?grid=QS-13":   "QS001",
		"/export/records/events?town=白石镇":     "staff",
		"/export/records/register?town=白石镇":   "admin",
	} {
		if res, _ := f.get(path, f.login(user)); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s as %s: status %d, want 403", path, user, res.StatusCode)
		}
	}
	if res, _ := f.get("/export/records/events", ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("nobody: status %d, want a redirect to the login", res.StatusCode)
	}
	for _, c := range []struct {
		user   string
		masked bool
	}{{"admin", false}, {"staff", true}, {"district", true}, {"QS001", true}} {
		_, rows := f.downloadList("/export/records/register?from=&to=", f.login(c.user))
		all := strings.Join(slices.Concat(rows...), "|")
		full := strings.Contains(all, "439901195211199846") && strings.Contains(all, "董艳")
		masked := strings.Contains(all, "439901********9846") && strings.Contains(all, "董*")
		if c.masked && (full || !masked) || !c.masked && !full {
			t.Errorf("%s: full %v, masked %v; want masked %v", c.user, full, masked, c.masked)
		}
		if c.masked != strings.Contains(rows[0][0], "已脱敏") {
			t.Errorf("%s: title %q", c.user, rows[0][0])
		}
	}
	// Sorting by what is masked would tell what it hides: not offered.
	_, page := f.get("/records/register?from=&to=", f.login("staff"))
	if strings.Contains(page, "sort=id_number") || strings.Contains(page, "sort=name") || !strings.Contains(page, "sort=person_id") {
		t.Error("the staff may sort the register by masked names or ID numbers")
	}
	if _, page := f.get("/records/register?from=&to=", f.login("admin")); !strings.Contains(page, "sort=id_number") {
		t.Error("the administrator may not sort the register by ID number")
	}
	_, masked := f.downloadList("/export/records/register?from=&to=&sort=id_number", f.login("staff"))
	_, plain := f.downloadList("/export/records/register?from=&to=", f.login("staff"))
	if !slices.Equal(column(t, masked, "人员编号"), column(t, plain, "人员编号")) {
		t.Error("the staff's download is sorted by the masked ID numbers")
	}

	staff := f.login("staff")
	f.mustUpload(staff, url.Values{"finding_id": {"F-1"}, "worker_id": {"QS001"}, "kind": {"inspection"}, "occurred_on": {"2023-09-06"},
		"note": {`=HYPERLINK("http://example.com","点我")`}}, "现场.png", pngBytes)
	x, rows := f.downloadList("/export/records/findings?worker=QS001&from=2023-09-06&to=2023-09-06", staff)
	if len(rows) != 3 || column(t, rows, "佐证文件")[0] != "现场.png" {
		t.Fatalf("the finding's evidence files are not named: %q", rows)
	}
	cell, _ := excelize.CoordinatesToCellName(slices.Index(rows[1], "说明")+1, 3)
	formula, _ := x.GetCellFormula(x.GetSheetName(0), cell)
	value, _ := x.GetCellValue(x.GetSheetName(0), cell)
	style, _ := x.GetCellStyle(x.GetSheetName(0), cell)
	st, _ := x.GetStyle(style)
	if formula != "" || value != `=HYPERLINK("http://example.com","点我")` || st == nil || st.NumFmt != 49 {
		t.Errorf("a note beginning with =: formula %q, value %q, style %+v; want text kept as text", formula, value, st)
	}
}

// TestWorkersExport: the workers list downloads with its filters and
// order, scores as numbers, the district's with the towns; a grid worker
// has none.
func TestWorkersExport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.login("staff")
	_, page := f.get("/workers?sort=total&dir=desc", staff)
	if !strings.Contains(page, `href="/export/workers?dir=desc&amp;quarter=2023Q3&amp;sort=total">导出 Excel</a>`) &&
		!strings.Contains(page, `href="/export/workers?dir=desc&amp;sort=total">导出 Excel</a>`) {
		t.Fatalf("the list does not link its download:\n%s", page)
	}
	x, rows := f.downloadList("/export/workers?sort=total&dir=desc", staff)
	if got := strings.Join(rows[1], ","); got != "工号,姓名,类型,网格,总分,排名,备注" {
		t.Errorf("header %s", got)
	}
	if len(rows) != 2+21 || !strings.Contains(rows[0][0], demo.TownName+" 网格员") || !strings.Contains(rows[0][0], "按总分降序") {
		t.Fatalf("%d rows, title %q", len(rows), rows[0][0])
	}
	var totals []float64
	for i, v := range column(t, rows, "总分") {
		if v == "—" {
			continue
		}
		n, err := strconv.ParseFloat(v, 64)
		typ, _ := x.GetCellType(x.GetSheetName(0), "E"+strconv.Itoa(i+3))
		if err != nil || typ == excelize.CellTypeInlineString {
			t.Errorf("总分 %q is not a number", v)
		}
		totals = append(totals, n)
	}
	if len(totals) < 10 || !slices.IsSortedFunc(totals, func(a, b float64) int { return int(b*100 - a*100) }) {
		t.Errorf("totals not descending: %v", totals)
	}
	_, rows = f.downloadList("/export/workers?grid=QS-13", staff)
	if ids := column(t, rows, "工号"); !slices.Equal(ids, []string{"QS013"}) {
		t.Errorf("grid QS-13: %q", ids)
	}
	_, rows = f.downloadList("/export/workers", f.login("district"))
	if !slices.Contains(rows[1], "镇街") || !strings.Contains(rows[0][0], "全区 网格员") || len(rows) != 2+21 {
		t.Errorf("the district's download: header %q, title %q, %d rows", rows[1], rows[0][0], len(rows))
	}
	if res, _ := f.get("/export/workers", f.login("QS001")); res.StatusCode != http.StatusForbidden {
		t.Errorf("a grid worker downloads the workers: status %d", res.StatusCode)
	}
}

// TestAuditExport: the audit log downloads with its filters and order,
// the town's administrator only the town's entries.
func TestAuditExport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	f.login("staff")
	if err := f.db.AppendAudit(context.Background(), clock, "bs_admin", "quarter_published", "quarter:白石镇/2023Q3", "别镇的公示"); err != nil {
		t.Fatal(err)
	}
	_, rows := f.downloadList("/export/audit?action=login&sort=user", admin)
	if got := strings.Join(rows[1], ","); got != "时间,用户,操作,对象,说明" {
		t.Errorf("header %s", got)
	}
	if !strings.Contains(rows[0][0], demo.TownName+" 操作日志") || !strings.Contains(rows[0][0], "操作“登录”") || !strings.Contains(rows[0][0], "按用户升序") {
		t.Errorf("title %q", rows[0][0])
	}
	if users := column(t, rows, "用户"); !slices.Equal(users, []string{"admin", "staff"}) || slices.ContainsFunc(column(t, rows, "操作"), func(a string) bool { return a != "登录" }) {
		t.Errorf("logins by user: %q", rows[2:])
	}
	_, rows = f.downloadList("/export/audit", admin)
	if all := strings.Join(slices.Concat(rows...), "|"); strings.Contains(all, "别镇的公示") || !strings.Contains(all, "创建账号") {
		t.Errorf("the town's administrator's download: %q", rows[2:])
	}
	_, rows = f.downloadList("/export/audit", f.login("district"))
	if all := strings.Join(slices.Concat(rows...), "|"); !strings.Contains(all, "别镇的公示") || !strings.Contains(rows[0][0], "全部镇街 操作日志") {
		t.Errorf("the district's download lacks another town's entry: %q", rows[0][0])
	}
	if res, _ := f.get("/export/audit", f.login("staff")); res.StatusCode != http.StatusForbidden {
		t.Errorf("the staff download the log: status %d", res.StatusCode)
	}
}
