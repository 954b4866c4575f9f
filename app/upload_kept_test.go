package app_test

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// countingStore counts the reads of staged files: each is one check of an
// upload working out its report.
type countingStore struct {
	*store.DB
	reads atomic.Int32
}

func (c *countingStore) ReadUploadFiles(ctx context.Context, id int64, each func(string, io.Reader) error) error {
	c.reads.Add(1)
	return c.DB.ReadUploadFiles(ctx, id, each)
}

// TestUploadReportWorkedOutOnce: eight views of an upload at once, on two
// servers, read the staged files once; the report is kept in the database
// and shown again after a restart without reading them; once the records
// change, the next views read them once more.
func TestUploadReportWorkedOutOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		cs := &countingStore{DB: db}
		servers := []*app.Service{{DB: cs}, {DB: cs}}
		id := stage(t, servers[0], qsAdmin, demoFiles(t)...)
		views := func() {
			t.Helper()
			var wg sync.WaitGroup
			reports := make([]*app.UploadReport, 8)
			for i := range reports {
				wg.Go(func() {
					rep, err := servers[i%2].CheckUpload(ctx, qsAdmin, id)
					if err != nil {
						t.Error(err)
						return
					}
					reports[i] = rep
				})
			}
			wg.Wait()
			for _, rep := range reports {
				if rep == nil || !rep.OK() || len(rep.Files) != len(reports[0].Files) || inserted(rep) != inserted(reports[0]) {
					t.Fatalf("the views got different reports")
				}
			}
		}
		views()
		if n := cs.reads.Load(); n != 1 {
			t.Errorf("8 views read the files %d times, want once", n)
		}
		restarted := &app.Service{DB: cs}
		if _, err := restarted.CheckUpload(ctx, qsAdmin, id); err != nil {
			t.Fatal(err)
		}
		if n := cs.reads.Load(); n != 1 {
			t.Errorf("a view after a restart read the files again (%d reads)", n)
		}
		if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
			t.Fatal(err)
		}
		views()
		if n := cs.reads.Load(); n != 2 {
			t.Errorf("after the records changed, 8 views read the files %d times in all, want twice", n)
		}
	})
}

// TestUploadViewWaitsForTheCheckUnderWay: while another server checks an
// upload, a view waits for its report instead of reading the files; a
// claim whose server stopped lapses at its end.
func TestUploadViewWaitsForTheCheckUnderWay(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		ctx := app.WithActor(context.Background(), qsAdmin.Username)
		cs := &countingStore{DB: db}
		svc := &app.Service{DB: cs}
		id := stage(t, svc, qsAdmin, textFile("grids.csv", "grid_code,grid_name,town\nQS-01,第一网格,青山镇\n"))
		now := time.Now()
		if ok, err := db.ClaimUploadCheck(ctx, id, now, now.Add(time.Minute)); !ok || err != nil {
			t.Fatalf("claim: %v %v", ok, err)
		}
		got := make(chan *app.UploadReport, 1)
		go func() {
			rep, err := svc.CheckUpload(ctx, qsAdmin, id)
			if err != nil {
				t.Error(err)
			}
			got <- rep
		}()
		time.Sleep(300 * time.Millisecond)
		v, _ := db.DataVersion(ctx)
		if err := db.SaveUploadReport(ctx, id, v, []byte(`{"Notes":["另一台服务器的报告"]}`)); err != nil {
			t.Fatal(err)
		}
		select {
		case rep := <-got:
			if rep == nil || len(rep.Notes) != 1 || rep.Notes[0] != "另一台服务器的报告" || cs.reads.Load() != 0 {
				t.Errorf("the view got %+v after %d reads, want the other server's report and no read", rep, cs.reads.Load())
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the view did not see the report kept")
		}

		id = stage(t, svc, qsAdmin, textFile("grids.csv", "grid_code,grid_name,town\nQS-01,第一网格,青山镇\n"))
		if ok, err := db.ClaimUploadCheck(ctx, id, now.Add(-time.Hour), now.Add(-time.Minute)); !ok || err != nil {
			t.Fatalf("claim: %v %v", ok, err)
		}
		if rep, err := svc.CheckUpload(ctx, qsAdmin, id); err != nil || !rep.OK() || cs.reads.Load() != 1 {
			t.Errorf("after a lapsed claim: %v, %d reads, want the view to check the upload itself", err, cs.reads.Load())
		}
	})
}
