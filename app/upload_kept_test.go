package app_test

import (
	"context"
	"testing"

	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestUploadReportKeptUntilRecordsChange: an upload's report is kept and
// shown again while the records are unchanged; once they change, the next
// report is made again and tells what the upload would now do (here the
// same records, imported meanwhile, are all unchanged).
func TestUploadReportKeptUntilRecordsChange(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		svc := &app.Service{DB: db}
		id := stage(t, svc, qsAdmin, demoFiles(t)...)
		first, err := svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := db.DataVersion(ctx)
		if js, err := db.UploadReport(ctx, id, v); err != nil || js == nil {
			t.Fatalf("the report was not kept (err %v)", err)
		}
		again, err := svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		if inserted(again) != inserted(first) || inserted(first) == 0 || len(again.Files) != len(first.Files) || again.Upload == nil {
			t.Fatalf("kept report: %d to add in %d files, first %d in %d", inserted(again), len(again.Files), inserted(first), len(first.Files))
		}

		if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
			t.Fatal(err)
		}
		after, err := svc.CheckUpload(ctx, qsAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		if n := inserted(after); n != 0 {
			t.Errorf("after the same records were imported the report still adds %d rows (the old report was shown)", n)
		}
	})
}

func inserted(rep *app.UploadReport) int64 {
	var n int64
	for _, k := range rep.Kinds {
		n += k.Inserted
	}
	return n
}

// A kept report's problem is shown by its column's Chinese title; one kept
// from before the title was stored is shown by its column as written then.
func TestKeptProblemColumnTitle(t *testing.T) {
	for _, tc := range []struct {
		p    app.Problem
		want string
	}{
		{app.Problem{Column: "工号（worker_id）", Title: "工号"}, "工号"},
		{app.Problem{Column: "工号（worker_id）"}, "工号（worker_id）"},
		{app.Problem{}, ""},
	} {
		if got := tc.p.ColumnTitle(); got != tc.want {
			t.Errorf("%+v: ColumnTitle() = %q, want %q", tc.p, got, tc.want)
		}
	}
}
