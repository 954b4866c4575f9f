package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// exportPath is the download file of the demo town.
func exportPath(file string) string {
	return "/towns/" + url.PathEscape(demo.TownName) + "/export/" + file
}

// download gets a workbook as the session and opens it.
func (f *fixture) download(file, token string) *excelize.File {
	f.t.Helper()
	res, body := f.get(exportPath(file), token)
	if res.StatusCode != http.StatusOK {
		f.t.Fatalf("download %s: status %d\n%s", file, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		f.t.Errorf("download %s: Content-Type %q", file, ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".xlsx") {
		f.t.Errorf("download %s: Content-Disposition %q", file, cd)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		f.t.Fatalf("download %s: not a workbook: %v", file, err)
	}
	f.t.Cleanup(func() { x.Close() })
	return x
}

// rows returns the cells of a sheet, failing on a missing sheet.
func rows(t *testing.T, x *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := x.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rs
}

// user returns the stored account, to call the services as it.
func (f *fixture) user(name string) *gs.User {
	f.t.Helper()
	u, err := f.db.UserByUsername(context.Background(), name)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// snapshot returns the demo quarter's stored results by worker id.
func (f *fixture) snapshot() map[string]gs.WorkerResult {
	f.t.Helper()
	rows, err := f.db.Snapshot(context.Background(), demo.TownName, demo.Quarter().String())
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]gs.WorkerResult{}
	for _, r := range rows {
		out[r.Result.WorkerID] = r.Result
	}
	return out
}

// TestExportResultAndPaySheet: the result workbook of an open quarter is
// the live result; once computed, the result and the pay sheet are the
// snapshot's, each worker's pay to the fen and the sum added up in fen.
func TestExportResultAndPaySheet(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		staff, district := f.login("staff"), f.login("district")
		live, err := f.server.Service.AssessTown(context.Background(), demo.TownName, demo.Quarter(), demo.AsOf())
		if err != nil {
			t.Fatal(err)
		}
		x := f.download("result.xlsx", staff)
		rs := rows(t, x, "考核结果")
		if !strings.Contains(rs[0][0], "，方案 XX镇网格员管理考核办法）") {
			t.Errorf("result title %q does not name the scheme by its name", rs[0][0])
		}
		if len(rs) != len(live.Workers)+2 {
			t.Fatalf("result: %d rows, want %d workers and two heading rows", len(rs), len(live.Workers))
		}
		byID := map[string]gs.WorkerResult{}
		for _, w := range live.Workers {
			byID[w.WorkerID] = w
		}
		for _, r := range rs[2:] {
			w, ok := byID[r[2]]
			if !ok {
				t.Fatalf("result row %v names no worker of the town", r)
			}
			if w.Total != nil && r[12] != fixed2(*w.Total) {
				t.Errorf("%s: total cell %q, want %s", w.WorkerID, r[12], w.Total)
			}
		}

		ctx := context.Background()
		if err := f.server.Service.Compute(ctx, f.user("staff"), demo.TownName, demo.Quarter(), demo.AsOf().Add(-24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		snap := f.snapshot()
		x = f.download("pay.xlsx", district)
		if got := x.GetSheetList(); !slices.Equal(got, []string{"工资表"}) {
			t.Errorf("pay sheets %v", got)
		}
		rs = rows(t, x, "工资表")
		if !strings.Contains(rs[0][0], "绩效工资表") || !strings.Contains(rs[0][0], "已计算") || !strings.Contains(rs[0][0], "未定稿，仅供核对，不能作为发放依据") {
			t.Errorf("pay sheet title %q: not the state, or not that it is not for paying", rs[0][0])
		}
		if want := []string{"序号", "工号", "姓名", "网格", "类型", "是否考核", "总分", "排名", "绩效工资(元)"}; !slices.Equal(rs[1][:9], want) {
			t.Errorf("pay sheet header %v", rs[1])
		}
		var sum gs.Fen
		for _, r := range rs[2 : len(rs)-1] {
			w, ok := snap[r[1]]
			if !ok {
				t.Fatalf("pay row %v names no worker of the snapshot", r)
			}
			if r[2] != w.Name || r[8] != w.Pay.String() {
				t.Errorf("%s: name %q pay %q, want %q %s", w.WorkerID, r[2], r[8], w.Name, w.Pay)
			}
			sum += w.Pay
		}
		if len(rs)-3 != len(snap) {
			t.Errorf("pay sheet has %d workers, the snapshot %d", len(rs)-3, len(snap))
		}
		if last := rs[len(rs)-1]; last[1] != "合计" || last[8] != sum.String() {
			t.Errorf("pay sheet total row %v, want 合计 %s", last, sum)
		}
		// The stored snapshot, not a new computation as of another moment.
		x = f.download("result.xlsx", staff)
		if title := rows(t, x, "考核结果")[0][0]; !strings.Contains(title, demo.AsOf().Add(-24*time.Hour).Format("2006-01-02 15:04")) {
			t.Errorf("result title %q is not the snapshot's moment", title)
		}
	})
}

// fixed2 writes points as the two-decimal cell of the result workbook.
func fixed2(p gs.Points) string {
	s := p.String()
	if !strings.Contains(s, ".") {
		return s + ".00"
	}
	if len(s)-strings.Index(s, ".") == 2 {
		return s + "0"
	}
	return s
}

// TestFilingPackage: the filing package waits for the finalized quarter,
// then holds the results, the deductions with their explanations, the
// appeals with their decisions and the voided deductions with their
// reasons, and does not change when a record changes afterwards. A grid
// worker never downloads it.
func TestFilingPackage(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		admin, district, qs001 := f.login("admin"), f.login("district"), f.login("QS001")
		ctx, svc, q, town := app.WithActor(context.Background(), "admin"), f.server.Service, demo.Quarter(), demo.TownName
		adminU := f.user("admin")

		res, body := f.get(exportPath("filing.xlsx"), admin)
		wantStatus(t, "filing of an open quarter", res, body, 409, "定稿后才能下载报备材料")
		if err := svc.Compute(ctx, adminU, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		var voidedID string
		var voided gs.Deduction
		for id, w := range f.snapshot() {
			if id != "QS013" && len(w.Deductions) > 0 && (voidedID == "" || id < voidedID) {
				voidedID, voided = id, w.Deductions[0]
			}
		}
		if err := svc.VoidDeduction(ctx, adminU, town, q, gs.RefOf(voidedID, voided), "巡查系统故障，记录缺失"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Publish(ctx, adminU, town, q); err != nil {
			t.Fatal(err)
		}
		appealed := f.snapshot()["QS013"].Deductions[0]
		a, err := svc.Appeal(app.WithActor(ctx, "QS013"), f.user("QS013"), q, gs.RefOf("QS013", appealed), "当天在医院，有病假条")
		if err != nil {
			t.Fatal(err)
		}
		res, body = f.get(exportPath("filing.xlsx"), district)
		wantStatus(t, "filing of a published quarter", res, body, 409, "公示中")
		if err := svc.Decide(ctx, adminU, town, q, a.ID, false, "病假未按规定报备"); err != nil {
			t.Fatal(err)
		}
		f.closeAppeals()
		if err := svc.Finalize(ctx, adminU, town, q); err != nil {
			t.Fatal(err)
		}

		x := f.download("filing.xlsx", district)
		if got, want := x.GetSheetList(), []string{"考核结果", "扣分明细", "申诉", "撤销的扣分", "报备说明"}; !slices.Equal(got, want) {
			t.Fatalf("filing sheets %v, want %v", got, want)
		}
		snap := f.snapshot()
		results := rows(t, x, "考核结果")
		if len(results)-2 != len(snap) {
			t.Errorf("filing results: %d workers, the snapshot %d", len(results)-2, len(snap))
		}
		for _, r := range results[2:] {
			w := snap[r[2]]
			if r[13] != w.Pay.String() || (w.Total != nil && r[12] != fixed2(*w.Total)) {
				t.Errorf("%s: total %q pay %q, want %v %s", r[2], r[12], r[13], w.Total, w.Pay)
			}
		}
		deductions := 0
		for _, w := range snap {
			deductions += len(w.Deductions)
		}
		if got := len(rows(t, x, "扣分明细")) - 2; got != deductions {
			t.Errorf("filing deductions: %d rows, the snapshot %d", got, deductions)
		}
		appeals := rows(t, x, "申诉")
		if len(appeals) != 3 || appeals[2][1] != "QS013" || appeals[2][7] != "当天在医院，有病假条" ||
			appeals[2][9] != "已驳回" || appeals[2][10] != "病假未按规定报备" || appeals[2][11] != "青山镇管理员（admin）" {
			t.Errorf("filing appeals %v", appeals)
		}
		voids := rows(t, x, "撤销的扣分")
		if len(voids) != 3 || voids[2][0] != voidedID || voids[2][2] != gs.RuleName[voided.Rule] || voids[2][3] != string(voided.Rule) || voids[2][6] != "巡查系统故障，记录缺失" || voids[2][7] != "青山镇管理员（admin）" {
			t.Errorf("filing voided deductions %v", voids)
		}
		cover := rows(t, x, "报备说明")
		// The scheme is named as people read it, its id after for the district.
		if !strings.Contains(results[0][0], "方案 XX镇网格员管理考核办法）") || cover[9][1] != "XX镇网格员管理考核办法（xx-town-2023）" {
			t.Errorf("the filing names the scheme %q and %q", results[0][0], cover[9][1])
		}
		if cover[3][1] != "已定稿" || cover[11][1] != "1" || cover[12][1] != "1" {
			t.Errorf("filing cover %v", cover)
		}

		// A record changed after finalizing leaves the package as it was.
		late := &gs.Records{Findings: []gs.Finding{{ID: "F-LATE-2", WorkerID: "QS013", Kind: gs.FindingPhone,
			OccurredOn: gs.NewDate(2023, 8, 2), Count: 3}}}
		if _, err := f.db.Import(ctx, late, nil); err != nil {
			t.Fatal(err)
		}
		again := f.download("filing.xlsx", admin)
		for _, sheet := range x.GetSheetList() {
			if a, b := rows(t, x, sheet), rows(t, again, sheet); !slices.EqualFunc(a, b, slices.Equal) {
				t.Errorf("sheet %s changed after a late record", sheet)
			}
		}

		// Finalized, the pay sheet is the one to pay by.
		if title := rows(t, f.download("pay.xlsx", admin), "工资表")[0][0]; !strings.Contains(title, "已定稿") || strings.Contains(title, "未定稿") {
			t.Errorf("finalized pay sheet title %q", title)
		}
		for _, file := range []string{"filing.xlsx", "result.xlsx", "pay.xlsx"} {
			res, body := f.get(exportPath(file), qs001)
			wantStatus(t, "worker downloads "+file, res, body, 403, "网格员不能下载")
			if strings.Contains(body, workerName(t, "QS013")) {
				t.Errorf("the 403 of %s names another worker", file)
			}
		}
	})
}

// TestDashboardLinksDownloads: the town's dashboard offers the result and
// the pay sheet, and the filing package once finalized.
func TestDashboardLinksDownloads(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	res, body := f.get("/", admin)
	wantStatus(t, "dashboard", res, body, 200, "/export/result.xlsx", "/export/pay.xlsx")
	if strings.Contains(body, "/export/filing.xlsx") {
		t.Error("the dashboard of an open quarter offers the filing package")
	}
}
