package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
	"github.com/xuri/excelize/v2"
)

var (
	qsAdmin = &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: "青山镇"}
	bsStaff = &gs.User{Username: "bs-staff", Role: gs.RoleTownStaff, Town: "白石镇"}
)

// demoFiles returns the demo town's files as uploads.
func demoFiles(t *testing.T) []gs.UploadFile {
	t.Helper()
	entries, err := os.ReadDir(demoDir)
	if err != nil {
		t.Fatal(err)
	}
	var files []gs.UploadFile
	for _, e := range entries {
		f, err := os.Open(filepath.Join(demoDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		files = append(files, gs.UploadFile{Name: e.Name(), Body: f})
	}
	return files
}

// textFile is an upload of text.
func textFile(name, text string) gs.UploadFile {
	return gs.UploadFile{Name: name, Body: strings.NewReader(text)}
}

func stage(t *testing.T, svc *app.Service, u *gs.User, files ...gs.UploadFile) int64 {
	t.Helper()
	up, err := svc.StageUpload(app.WithActor(context.Background(), u.Username), u, files)
	if err != nil {
		t.Fatalf("stage: %v", err)
	}
	return up.ID
}

// TestUploadChecksThenCommits: the demo quarter uploaded by the town's
// administrator is checked (every kind to be added, nothing written), then
// committed (every row written, the import in the audit log, the upload
// gone); the same files again change nothing.
func TestUploadChecksThenCommits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		svc := &app.Service{DB: db}
		id := stage(t, svc, qsAdmin, demoFiles(t)...)

		rep, err := svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Committed {
			t.Fatalf("check: problems %v, committed %v", rep.Problems, rep.Committed)
		}
		if len(rep.Files) != 15 || len(rep.Kinds) != 15 {
			t.Fatalf("check: %d files, %d kinds, want 15 of each", len(rep.Files), len(rep.Kinds))
		}
		for _, f := range rep.Files {
			if f.Kind == "" || f.Rows == 0 {
				t.Errorf("file %s: kind %q, %d rows", f.Name, f.Kind, f.Rows)
			}
		}
		for _, k := range rep.Kinds {
			if k.Inserted != k.Received || k.Inserted == 0 {
				t.Errorf("%s: %+v, want every row added", k.Title, k)
			}
		}
		_, counts := mustLoadAll(t, db)
		for kind, n := range counts {
			if n != 0 {
				t.Errorf("the check wrote %d %s", n, kind)
			}
		}

		rep, err = svc.CommitUpload(ctx, qsAdmin, id)
		if err != nil || !rep.Committed {
			t.Fatalf("commit: %v (committed %v)", err, rep != nil && rep.Committed)
		}
		_, counts = mustLoadAll(t, db)
		for _, k := range rep.Kinds {
			if counts[k.Name] != k.Inserted {
				t.Errorf("%s: %d stored, the report says %d added", k.Name, counts[k.Name], k.Inserted)
			}
		}
		log, err := db.Audit(context.Background(), gs.AuditFilter{Action: gs.AuditRecordsImported})
		if err != nil || len(log) != 1 || log[0].Username != "admin" || !strings.Contains(log[0].Detail, "events.csv") ||
			!strings.Contains(log[0].Detail, "事件 新增 ") {
			t.Errorf("audit log: %+v (%v)", log, err)
		}
		// The committed upload's page shows the commit's report: what was
		// imported, when and by whom; a second commit (the form sent again)
		// imports nothing and answers the same; it can no longer be cancelled
		// and no longer waits.
		for name, again := range map[string]func() (*app.UploadReport, error){
			"check":  func() (*app.UploadReport, error) { return svc.CheckUpload(ctx, qsAdmin, id) },
			"commit": func() (*app.UploadReport, error) { return svc.CommitUpload(ctx, qsAdmin, id) },
		} {
			kept, err := again()
			if err != nil || !kept.Committed || kept.CommittedBy != "admin" || kept.CommittedAt.IsZero() ||
				!reflect.DeepEqual(kept.Kinds, rep.Kinds) || !reflect.DeepEqual(kept.Files, rep.Files) || len(kept.Upload.Files) != 15 {
				t.Errorf("%s of the committed upload: %+v, %v; want the commit's report", name, kept, err)
			}
		}
		if _, again := mustLoadAll(t, db); !reflect.DeepEqual(again, counts) {
			t.Errorf("a second commit changed the counts: %v → %v", counts, again)
		}
		if log, _ := db.Audit(context.Background(), gs.AuditFilter{Action: gs.AuditRecordsImported}); len(log) != 1 {
			t.Errorf("a second commit was audited: %d entries", len(log))
		}
		if err := svc.CancelUpload(ctx, qsAdmin, id); gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("cancel of a committed upload: %v, want a conflict", err)
		}
		if ups, err := svc.Uploads(ctx, qsAdmin); err != nil || len(ups) != 0 {
			t.Errorf("waiting uploads after the commit: %+v (%v)", ups, err)
		}

		again := stage(t, svc, qsAdmin, demoFiles(t)...)
		rep, err = svc.CommitUpload(ctx, qsAdmin, again)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range rep.Kinds {
			if k.Written() != 0 || k.Unchanged != k.Received {
				t.Errorf("re-import %s: %+v, want every row unchanged", k.Title, k)
			}
		}
		_, after := mustLoadAll(t, db)
		if !reflect.DeepEqual(after, counts) {
			t.Errorf("re-import changed the counts: %v → %v", counts, after)
		}
	})
}

// TestUploadProblemsWriteNothing: a bad value is reported with its file,
// row and column, at the check and at the commit, and nothing is written.
func TestUploadProblemsWriteNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := context.Background()
		svc := &app.Service{DB: db}
		id := stage(t, svc, qsAdmin,
			textFile("grids.csv", "grid_code,grid_name,town\nQS-01,第一网格,青山镇\n"),
			textFile("workers.csv", "worker_id,name,type,grid_code,hired_on\nQS001,王建华,专职,QS-01,2018-04-09\nQS002,李秀英,专职,QS-01,2018-13-01\n"),
			textFile("notes.txt", "hello"))
		for _, run := range []func() (*app.UploadReport, error){
			func() (*app.UploadReport, error) { return svc.CheckUpload(ctx, qsAdmin, id) },
			func() (*app.UploadReport, error) { return svc.CommitUpload(ctx, qsAdmin, id) },
		} {
			rep, err := run()
			if rep == nil {
				t.Fatalf("no report: %v", err)
			}
			if rep.OK() || rep.Committed || len(rep.Kinds) != 0 {
				t.Fatalf("a bad upload passed: %+v", rep)
			}
			want := app.Problem{File: "workers.csv", Row: 3, Column: "入职日期（hired_on）"}
			if !hasProblem(rep.Problems, want) || !hasProblem(rep.Problems, app.Problem{File: "notes.txt"}) {
				t.Errorf("problems %v, want one at %v and one for notes.txt", rep.Problems, want)
			}
		}
		if _, counts := mustLoadAll(t, db); counts["grids"] != 0 || counts["workers"] != 0 {
			t.Errorf("a bad upload wrote %v", counts)
		}
		if _, err := svc.CheckUpload(ctx, qsAdmin, id); err != nil {
			t.Errorf("a refused commit dropped the upload: %v", err)
		}
	})
}

// TestUploadValidRows: a row whose worker does not exist, or that names
// another town's worker, is not counted among a file's valid rows.
func TestUploadValidRows(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := context.Background()
		svc := &app.Service{DB: db}
		id := stage(t, svc, qsAdmin,
			textFile("grids.csv", "grid_code,grid_name,town\nQS-01,第一网格,青山镇\n"),
			textFile("workers.csv", "worker_id,name,type,grid_code,hired_on\nQS001,王建华,专职,QS-01,2018-04-09\n"),
			textFile("leaves.csv", "工号,开始日期,结束日期,事由\nQS001,2023-08-01,2023-08-02,事假\nQS404,2023-08-01,2023-08-02,事假\n"))
		rep, err := svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		if !hasProblem(rep.Problems, app.Problem{File: "leaves.csv", Row: 3}) {
			t.Fatalf("problems %v, want one at leaves.csv row 3", rep.Problems)
		}
		want := []app.FileReport{{Name: "grids.csv", Kind: "网格", Rows: 1}, {Name: "workers.csv", Kind: "网格员", Rows: 1},
			{Name: "leaves.csv", Kind: "请假", Rows: 1}}
		if !reflect.DeepEqual(rep.Files, want) {
			t.Errorf("files %+v, want %+v", rep.Files, want)
		}
	})
}

func hasProblem(ps []app.Problem, want app.Problem) bool {
	for _, p := range ps {
		if p.File == want.File && (want.Row == 0 || p.Row == want.Row) && (want.Column == "" || p.Column == want.Column) {
			return true
		}
	}
	return false
}

// TestUploadOtherTownRefused: a town's staff cannot write another town's
// records: a grid of another town, a record of another town's worker, a key
// already used by another town's record, a worker moved into a grid of
// another town, a visit to a person on another town's register, a
// calendar day of another town or of the district. Another town's upload
// is not found; the district and workers may not import.
func TestUploadOtherTownRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := context.Background()
		svc := &app.Service{DB: db}
		mustImportFiles(t, db, demoDir)
		_, before := mustLoadAll(t, db)

		id := stage(t, svc, bsStaff,
			textFile("grids.csv", "grid_code,grid_name,town\nBS-01,白石第一网格,白石镇\nQS-02,青山社区第二网格,白石镇\nBS-02,抢来的网格,青山镇\n"),
			textFile("workers.csv", "worker_id,name,type,grid_code,hired_on\nBS001,白一,专职,BS-01,2020-01-01\nBS002,白二,专职,QS-03,2020-01-01\n"),
			textFile("events.csv", "event_id,worker_id,flow,reported_at\nBS-E1,BS001,自办,2023-07-03 09:00\nBS-E2,QS001,自办,2023-07-03 09:00\nSJ2307-0001,BS001,自办,2023-07-03 09:00\n"),
			textFile("register.csv", "person_id,category,grid_code,entered_at\nBS-P1,吸毒人员,BS-01,2023-07-01 09:00\n"),
			textFile("visits.csv", "visit_id,person_id,worker_id,visited_at\nBS-V1,BS-P1,BS001,2023-07-03 09:00\nBS-V2,TS0001,BS001,2023-07-03 09:00\n"),
			textFile("calendar.csv", "date,kind,town\n2023-07-15,工作日,白石镇\n2023-08-12,工作日,\n2023-09-29,工作日,青山镇\n"))
		rep, err := svc.CheckUpload(ctx, bsStaff, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []app.Problem{
			{File: "grids.csv", Row: 3, Column: "网格编码（grid_code）"}, // QS-02 is 青山镇's
			{File: "grids.csv", Row: 4, Column: "镇街（town）"},
			{File: "workers.csv", Row: 3, Column: "网格编码（grid_code）"},
			{File: "events.csv", Row: 3, Column: "工号（worker_id）"},
			{File: "events.csv", Row: 4, Column: "事件编号（event_id）"},
			{File: "visits.csv", Row: 3, Column: "人员编号（person_id）"}, // TS0001 is on 青山镇's register
			{File: "calendar.csv", Row: 3, Column: "镇街（town）"},      // the district's
			{File: "calendar.csv", Row: 4, Column: "镇街（town）"},      // 青山镇's
		} {
			if !hasProblem(rep.Problems, want) {
				t.Errorf("no problem at %s:%d %s; problems:\n%v", want.File, want.Row, want.Column, rep.Problems)
			}
		}
		for _, p := range rep.Problems {
			if p.Row == 2 {
				t.Errorf("a row of 白石镇 was refused: %v", p)
			}
		}
		if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "只对本镇街") {
			t.Errorf("notes %v, want one on the calendar", rep.Notes)
		}
		if rep, err := svc.CommitUpload(ctx, bsStaff, id); err == nil || rep.Committed {
			t.Fatal("the upload was committed")
		}
		if _, after := mustLoadAll(t, db); !reflect.DeepEqual(after, before) {
			t.Errorf("the refused upload changed the counts: %v → %v", before, after)
		}

		// Only the uploader's town sees the upload.
		if _, err := svc.CheckUpload(ctx, qsAdmin, id); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("another town's check: %v, want not found", err)
		}
		if err := svc.CancelUpload(ctx, qsAdmin, id); gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("another town's cancel: %v, want not found", err)
		}
		if ups, err := svc.Uploads(ctx, qsAdmin); err != nil || len(ups) != 0 {
			t.Errorf("another town lists %d uploads (%v)", len(ups), err)
		}
		if ups, err := svc.Uploads(ctx, bsStaff); err != nil || len(ups) != 1 {
			t.Errorf("the town lists %d uploads (%v), want 1", len(ups), err)
		} else if one, err := svc.Upload(ctx, bsStaff, id); err != nil || !reflect.DeepEqual(ups[0], *one) {
			t.Errorf("the list shows %+v, the upload is %+v (%v)", ups[0], one, err)
		}
		for _, u := range []*gs.User{
			{Username: "district", Role: gs.RoleDistrict},
			{Username: "QS001", Role: gs.RoleWorker, Town: "青山镇", WorkerID: "QS001"},
		} {
			if _, err := svc.CheckUpload(ctx, u, id); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s checks: %v, want forbidden", u.Username, err)
			}
			if _, err := svc.StageUpload(ctx, u, []gs.UploadFile{textFile("grids.csv", "x")}); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s uploads: %v, want forbidden", u.Username, err)
			}
		}
		if err := svc.CancelUpload(ctx, bsStaff, id); err != nil {
			t.Fatal(err)
		}
		if ups, _ := svc.Uploads(ctx, bsStaff); len(ups) != 0 {
			t.Errorf("a cancelled upload is still listed")
		}
	})
}

// TestUploadWorkbook: a workbook is reported sheet by sheet, with the
// kind and rows of each, and imported like CSV files.
func TestUploadWorkbook(t *testing.T) {
	db := mustOpen(t, storetest.SQLiteTarget(t))
	svc := &app.Service{DB: db}
	book := excelize.NewFile()
	for name, rows := range map[string][][]any{
		"网格":  {{"网格编码", "网格名称", "镇街"}, {"QS-01", "第一网格", "青山镇"}, {"QS-02", "第二网格", "青山镇"}},
		"网格员": {{"工号", "姓名", "类型", "网格编码", "入职日期"}, {"QS001", "王建华", "专职", "QS-01", "2018-04-09"}},
	} {
		if _, err := book.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := book.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := book.Write(&buf); err != nil {
		t.Fatal(err)
	}
	id := stage(t, svc, qsAdmin, gs.UploadFile{Name: "本季度.xlsx", Body: &buf})
	rep, err := svc.CommitUpload(context.Background(), qsAdmin, id)
	if err != nil {
		t.Fatal(err)
	}
	want := []app.FileReport{{Name: "本季度.xlsx[网格]", Kind: "网格", Rows: 2}, {Name: "本季度.xlsx[网格员]", Kind: "网格员", Rows: 1}}
	if !reflect.DeepEqual(rep.Files, want) {
		t.Errorf("files %+v, want %+v", rep.Files, want)
	}
	if _, counts := mustLoadAll(t, db); counts["grids"] != 2 || counts["workers"] != 1 {
		t.Errorf("stored %v", counts)
	}
}

// TestUploadsExpire: an upload left for longer than UploadLifetime is
// cleaned up when the next one is staged, and is no longer listed before.
func TestUploadsExpire(t *testing.T) {
	db := mustOpen(t, storetest.SQLiteTarget(t))
	now := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)
	svc := &app.Service{DB: db, Now: func() time.Time { return now }}
	old := stage(t, svc, qsAdmin, textFile("grids.csv", "grid_code,grid_name,town\n"))
	now = now.Add(app.UploadLifetime + time.Minute)
	if ups, _ := svc.Uploads(context.Background(), qsAdmin); len(ups) != 0 {
		t.Errorf("an expired upload is listed")
	}
	stage(t, svc, qsAdmin, textFile("grids.csv", "grid_code,grid_name,town\n"))
	if _, err := db.Upload(context.Background(), old); gs.ErrorCode(err) != gs.ENOTFOUND {
		t.Errorf("the expired upload is still stored: %v", err)
	}
}

// TestUploadNames: two files of one name are refused before anything is
// stored, and so is an upload of no file.
func TestUploadNames(t *testing.T) {
	db := mustOpen(t, storetest.SQLiteTarget(t))
	svc := &app.Service{DB: db}
	_, err := svc.StageUpload(context.Background(), qsAdmin, []gs.UploadFile{textFile("events.csv", ""), textFile("dir/EVENTS.csv", "")})
	if gs.ErrorCode(err) != gs.EINVALID || !strings.Contains(gs.ErrorMessage(err), "都叫") {
		t.Errorf("two files of one name: %v", err)
	}
	if _, err := svc.StageUpload(context.Background(), qsAdmin, nil); gs.ErrorCode(err) != gs.EINVALID {
		t.Errorf("no file: %v", err)
	}
}

// TestUploadEmptyFile: a file with a header and no rows is said to have
// none — beside files with rows a note on the report, which may be
// committed; alone, a problem, and nothing may be committed.
func TestUploadEmptyFile(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		svc := &app.Service{DB: db}
		id := stage(t, svc, qsAdmin,
			textFile("grids.csv", "grid_code,grid_name,town\nQS-01,第一网格,青山镇\n"),
			textFile("events.csv", "event_id,worker_id,flow,reported_at\n"))
		rep, err := svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || !reflect.DeepEqual(rep.Notes, []string{"events.csv 只有表头，没有数据行，其中没有可导入的数据。"}) {
			t.Errorf("report OK %v, problems %v, notes %q: want OK and a note on events.csv", rep.OK(), rep.Problems, rep.Notes)
		}
		if want := (app.FileReport{Name: "events.csv", Kind: "事件"}); len(rep.Files) != 2 || rep.Files[1] != want {
			t.Errorf("files %+v, want events.csv with no rows", rep.Files)
		}

		id = stage(t, svc, qsAdmin, textFile("events.csv", "event_id,worker_id,flow,reported_at\n"))
		rep, err = svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		want := []app.Problem{{File: "events.csv", Message: "只有表头，没有数据行：这次导入没有任何数据可以导入"}}
		if rep.OK() || !reflect.DeepEqual(rep.Problems, want) {
			t.Errorf("problems %+v, want %+v", rep.Problems, want)
		}
		if _, err := svc.CommitUpload(ctx, qsAdmin, id); gs.ErrorCode(err) != gs.EINVALID {
			t.Errorf("commit of an empty file: %v, want it refused", err)
		}
	})
}

// TestUploadNamedRowsBounded: an upload of more grids than
// app.MaxUploadNamedRows (which are held in memory while it is checked) is
// refused, the grids past the bound unread.
func TestUploadNamedRowsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("grid_code,grid_name,town\n")
	for i := range app.MaxUploadNamedRows + 1 {
		fmt.Fprintf(&b, "QS-X%06d,网格,青山镇\n", i)
	}
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		svc := &app.Service{DB: db}
		id := stage(t, svc, qsAdmin, textFile("grids.csv", b.String()))
		rep, err := svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("网格超过 %d 行，超出了一次导入的上限", app.MaxUploadNamedRows)
		if rep.OK() || len(rep.Problems) != 1 || !strings.HasPrefix(rep.Problems[0].Message, want) {
			t.Errorf("problems %v, want one saying %q", rep.Problems, want)
		}
	})
}
