package app_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// patrolExport is a platform's patrol export for the demo town in a
// workbook whose one sheet (Sheet1) says nothing of its kind: its own
// headers, dates written 20230803 0800.
func patrolExport(t *testing.T, rows ...[]any) gs.UploadFile {
	t.Helper()
	return sheetFile(t, "巡查导出.xlsx", append([][]any{{"巡查ID", "网格员工号", "开始", "结束", "里程（米）", "轨迹说明"}}, rows...))
}

// sheetFile is a workbook named name whose one sheet (Sheet1) has rows.
func sheetFile(t *testing.T, name string, rows [][]any) gs.UploadFile {
	t.Helper()
	book := excelize.NewFile()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := book.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := book.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return gs.UploadFile{Name: name, Body: &buf}
}

var patrolRow = []any{"XC-1", "QS001", "20230803 0800", "20230803 1130", 5200, "沿青山路"}

// patrolInput maps patrolExport on the mapping page.
var patrolInput = &app.MappingInput{Kind: "patrols", ShownKind: "patrols", Name: "巡查导出",
	Keys:  map[int]string{0: "patrol_id", 1: "worker_id", 2: "started_at", 3: "ended_at", 4: "distance_m"},
	Dates: map[int]string{2: "ymd", 3: "ymd"}}

// TestUploadWaitsForItsMapping: on each engine, a workbook sheet of a
// platform's export is not checked until it has a mapping (nor
// committed); once the town saves one on the mapping page, the report
// kept for the upload is made again and reads the sheet with it; the
// district's mapping of the same headers is used by a town that has none,
// the town's own first; another town sees neither the town's mapping nor
// its uploads.
func TestUploadWaitsForItsMapping(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		svc := &app.Service{DB: db, Now: func() time.Time { return demo.AsOf() }}
		if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
			t.Fatal(err)
		}
		id := stage(t, svc, qsAdmin, patrolExport(t, patrolRow))
		rep, err := svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Unmapped) != 1 || rep.Unmapped[0].File != "巡查导出.xlsx[Sheet1]" || rep.OK() {
			t.Fatalf("an unmapped sheet: %+v", rep)
		}
		if _, err := svc.CommitUpload(ctx, qsAdmin, id); err == nil || !strings.Contains(err.Error(), "还没有设置与 DATA.md 各列的对应关系") {
			t.Errorf("commit of an unmapped upload: %v", err)
		}

		// The district's mapping of these headers (wrongly read: no
		// distance) is used while the town has none.
		district := &gs.User{Username: "district", Role: gs.RoleDistrict}
		districts := *patrolInput
		districts.Keys = map[int]string{0: "patrol_id", 1: "worker_id", 2: "started_at", 3: "ended_at"}
		f, err := svc.MappingForm(ctx, qsAdmin, id, "巡查导出.xlsx[Sheet1]", &districts)
		if err != nil {
			t.Fatal(err)
		}
		if f.Rows != 1 || f.Columns[2].Detected != "ymd" {
			t.Errorf("mapping form of the sheet: %d rows, dates %q", f.Rows, f.Columns[2].Detected)
		}
		m := gs.Mapping{Name: "全区巡查导出", Kind: "patrols", Columns: []gs.MappedColumn{
			{Header: "巡查ID", Key: "patrol_id"}, {Header: "网格员工号", Key: "worker_id"}, {Header: "开始", Key: "started_at", DateFormat: "ymd"},
			{Header: "结束", Key: "ended_at", DateFormat: "ymd"}, {Header: "里程（米）"}, {Header: "轨迹说明"}}}
		if err := svc.SaveMapping(ctx, district, &m); err != nil {
			t.Fatal(err)
		}
		rep, err = svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil || !rep.OK() || rep.Files[0].Mapping != "全区巡查导出" {
			t.Fatalf("with the district's mapping: %v %+v", err, rep)
		}

		// The town's own, saved from the page, comes first.
		if _, err := svc.SaveUploadMapping(ctx, qsAdmin, id, "巡查导出.xlsx[Sheet1]", patrolInput); err != nil {
			t.Fatal(err)
		}
		rep, err = svc.CommitUpload(ctx, qsAdmin, id)
		if err != nil || rep.Files[0].Mapping != "巡查导出" {
			t.Fatalf("commit with the town's mapping: %v %+v", err, rep)
		}
		recs, err := db.Record(ctx, gs.KindPatrols, "XC-1")
		if err != nil {
			t.Fatal(err)
		}
		if p := recs.Patrols[0]; p.DistanceM != 5200 || p.StartedAt.In(gs.CST).Format("2006-01-02 15:04") != "2023-08-03 08:00" ||
			p.EndedAt.In(gs.CST).Format("15:04") != "11:30" {
			t.Errorf("stored %+v", p)
		}

		other := &gs.User{Username: "bs-admin", Role: gs.RoleTownAdmin, Town: "白石镇"}
		ms, err := svc.Mappings(ctx, other)
		if err != nil || len(ms) != 1 || ms[0].Name != "全区巡查导出" {
			t.Errorf("another town's mappings: %v %+v, want the district's alone", err, ms)
		}
		if _, err := svc.MappingForm(ctx, other, id, "巡查导出.xlsx[Sheet1]", nil); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("another town's view of the upload's mapping: %v", err)
		}
	})
}

// TestMappingOfTheSameHeadersConflicts: one town keeps one mapping per
// set of headers (whatever their order), named in the refusal; saving
// under the same name replaces it.
func TestMappingOfTheSameHeadersConflicts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		svc := &app.Service{DB: db}
		m := func(name string, headers ...string) *gs.Mapping {
			out := &gs.Mapping{Name: name, Kind: "logins"}
			for i, h := range headers {
				out.Columns = append(out.Columns, gs.MappedColumn{Header: h, Key: []string{"worker_id", "channel", "at"}[i]})
			}
			out.Columns[1].Values = map[string]string{"手机": "app"}
			return out
		}
		if err := svc.SaveMapping(ctx, qsAdmin, m("登录导出", "工号", "终端", "时间")); err != nil {
			t.Fatal(err)
		}
		err := svc.SaveMapping(ctx, qsAdmin, m("另一个", "终端", "工号", "时间"))
		if gs.ErrorCode(err) != gs.ECONFLICT || !strings.Contains(gs.ErrorMessage(err), "已有映射“登录导出”读取表头相同的文件") {
			t.Errorf("a second mapping of the same headers: %v", err)
		}
		if err := svc.SaveMapping(ctx, qsAdmin, m("登录导出", "时间", "终端", "工号")); err != nil {
			t.Errorf("the same name again: %v", err)
		}
		var es gs.MappingErrors
		if err := svc.SaveMapping(ctx, qsAdmin, &gs.Mapping{Name: "空", Kind: "logins", Columns: []gs.MappedColumn{{Header: "工号"}}}); !errors.As(err, &es) {
			t.Errorf("a mapping filling no required column: %v", err)
		}
		ms, _ := svc.Mappings(ctx, qsAdmin)
		if len(ms) != 1 {
			t.Errorf("mappings %+v, want the one", ms)
		}
	})
}

// TestMappingSamplesMasked: the mapping page of a register export shows the
// town's staff masked names and ID numbers among its sample values (as
// every other page does), the administrator the values as they are.
func TestMappingSamplesMasked(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		svc := &app.Service{DB: db, Now: func() time.Time { return demo.AsOf() }}
		if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
			t.Fatal(err)
		}
		id := stage(t, svc, qsAdmin, sheetFile(t, "重点人群.xlsx", [][]any{{"编号", "类别", "网格", "登记时间", "姓名", "证件号码"},
			{"SP-9", "刑满释放", "QS-G01", "2023-07-03 09:00", "欧阳小明", "11010119900101123X"}}))
		in := &app.MappingInput{Kind: "register", ShownKind: "register", Name: "重点人群",
			Keys: map[int]string{0: "person_id", 1: "category", 2: "grid_code", 3: "entered_at"}}
		staff := &gs.User{Username: "staff", Role: gs.RoleTownStaff, Town: qsAdmin.Town}
		for _, c := range []struct {
			u          *gs.User
			name, card string
		}{{qsAdmin, "欧阳小明", "11010119900101123X"}, {staff, "欧***", "110101********123X"}} {
			f, err := svc.MappingForm(ctx, c.u, id, "重点人群.xlsx[Sheet1]", in)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Columns[4].Samples; len(got) != 1 || got[0] != c.name {
				t.Errorf("%s sees the names as %q, want %q", c.u.Role, got, c.name)
			}
			if got := f.Columns[5].Samples; len(got) != 1 || got[0] != c.card {
				t.Errorf("%s sees the ID numbers as %q, want %q", c.u.Role, got, c.card)
			}
			if got := f.Columns[0].Samples; len(got) != 1 || got[0] != "SP-9" {
				t.Errorf("%s sees the person ids as %q", c.u.Role, got)
			}
			// Mapped by mistake to a key of fixed values or to a date, the
			// ID numbers are listed as values or as a date that does not
			// read: masked too.
			wrong := *in
			wrong.Keys = map[int]string{0: "person_id", 1: "category", 2: "grid_code", 3: "entered_at", 5: "left_at"}
			if f, err = svc.MappingForm(ctx, c.u, id, "重点人群.xlsx[Sheet1]", &wrong); err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Columns[5].Dates {
				if d.Misfit != "" && d.Misfit != c.card {
					t.Errorf("%s sees an ID number that does not read as a date as %q, want %q", c.u.Role, d.Misfit, c.card)
				}
			}
			wrong.Keys = map[int]string{0: "person_id", 1: "category", 2: "grid_code", 3: "entered_at", 5: "category"}
			wrong.Keys[1] = ""
			if f, err = svc.MappingForm(ctx, c.u, id, "重点人群.xlsx[Sheet1]", &wrong); err != nil {
				t.Fatal(err)
			}
			if vs := f.Columns[5].Values; len(vs) != 1 || vs[0].Value != c.card {
				t.Errorf("%s sees the ID numbers as values %+v, want %q", c.u.Role, vs, c.card)
			}
		}
	})
}
