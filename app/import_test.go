package app_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// demoDir holds the demo town's files: every kind, a realistic quarter.
var demoDir = filepath.Join("..", "demo", "qingshan")

var (
	everythingFrom = time.Date(2000, 1, 1, 0, 0, 0, 0, gs.CST)
	everythingTo   = time.Date(2100, 1, 1, 0, 0, 0, 0, gs.CST)
)

// forEachBackend runs test on a fresh store of each engine.
func forEachBackend(t *testing.T, test func(t *testing.T, b storetest.Backend, db *store.DB)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, b, mustOpen(t, b.Target(t)))
		})
	}
}

func mustImportFiles(tb testing.TB, db *store.DB, paths ...string) store.ImportStats {
	tb.Helper()
	res, err := (&app.Service{DB: db}).ImportFiles(context.Background(), paths...)
	if err != nil {
		tb.Fatalf("ImportFiles: %v", err)
	}
	return res.Stats
}

// mustLoadAll returns every stored record and the row counts.
func mustLoadAll(tb testing.TB, db *store.DB) (*gs.Records, map[string]int64) {
	tb.Helper()
	recs, err := db.Load(context.Background(), everythingFrom, everythingTo)
	if err != nil {
		tb.Fatal(err)
	}
	counts, err := db.Counts(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return recs, counts
}

// reportOf returns the problems of a failed import, failing the test when
// the error is not a *csvfile.Report.
func reportOf(tb testing.TB, err error) []string {
	tb.Helper()
	var rep *csvfile.Report
	if !errors.As(err, &rep) {
		tb.Fatalf("want a *csvfile.Report, got %v", err)
	}
	return strings.Split(rep.Error(), "\n")
}

// demoWorkers returns the IDs of the demo town's workers.
func demoWorkers(tb testing.TB) []string {
	tb.Helper()
	b, err := csvfile.Read(filepath.Join(demoDir, "workers.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for _, w := range b.Records.Workers {
		ids = append(ids, w.ID)
	}
	return ids
}

// manyEvents writes events.csv with n new events of the demo workers, the
// first of which replaces a stored demo event with other content.
func manyEvents(tb testing.TB, dir string, n int) {
	tb.Helper()
	workers := demoWorkers(tb)
	var b strings.Builder
	b.WriteString("事件编号,工号,办理方式,上报时间\nSJ2307-0001,QS005,上报,2023-07-03 08:31:18\n")
	for i := range n {
		fmt.Fprintf(&b, "X%07d,%s,自办,2023-08-%02d 09:%02d:00\n", i, workers[i%len(workers)], 1+i%28, i%60)
	}
	if err := os.WriteFile(filepath.Join(dir, "events.csv"), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func TestBadRowInTheLastFileWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"a bad value", "calendar.csv", "date,kind\n2023-10-07,工作日\n2023-10-08,放假\n",
			`calendar.csv:3: 类型（kind）: 无法识别的值 "放假"`},
		{"an unknown worker", "ballots.csv", "ballot_id,worker_id,rater_group,rating,cast_at\nNB1,QS001,群众,满意,2023-09-20 10:00\nNB2,QS999,群众,满意,2023-09-20 10:00\n",
			`ballots.csv:3: 工号（worker_id）: 工号 "QS999" 没有对应的网格员`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
				mustImportFiles(t, db, demoDir)
				before, counts := mustLoadAll(t, db)

				// 30,000 good events (several chunks written, one of them
				// replacing a stored event), then the bad row, in the file
				// read last.
				dir := t.TempDir()
				manyEvents(t, dir, 30_000)
				os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.content), 0o644)
				_, err := (&app.Service{DB: db}).ImportFiles(context.Background(), dir)
				if got := reportOf(t, err); len(got) != 1 || !strings.HasPrefix(got[0], tc.want) {
					t.Errorf("problems = %q, want one starting %q", got, tc.want)
				}
				after, afterCounts := mustLoadAll(t, db)
				if !reflect.DeepEqual(afterCounts, counts) {
					t.Errorf("counts after a failed import = %v, want %v", afterCounts, counts)
				}
				if !reflect.DeepEqual(after, before) {
					t.Error("a failed import changed stored records")
				}
			})
		})
	}
}

func TestDuplicateKeyAcrossFilesIsReportedWithBothRows(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		mustImportFiles(t, db, filepath.Join(demoDir, "grids.csv"), filepath.Join(demoDir, "workers.csv"))
		_, counts := mustLoadAll(t, db)
		a, b := t.TempDir(), t.TempDir()
		manyEvents(t, a, 20_000)
		os.WriteFile(filepath.Join(b, "事件.csv"), []byte("事件编号,工号,办理方式,上报时间\nX0000001,QS001,上报,2023-08-02 09:01:00\n"), 0o644)
		_, err := (&app.Service{DB: db}).ImportFiles(context.Background(), a, b)
		want := []string{`事件.csv:2: 事件编号（event_id）: 与 events.csv:4 重复（"X0000001"），但两行内容不同`}
		if got := reportOf(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("problems = %q\nwant %q", got, want)
		}
		if _, after := mustLoadAll(t, db); !reflect.DeepEqual(after, counts) {
			t.Errorf("counts = %v, want %v", after, counts)
		}
	})
}

// TestStreamingImportStoresWhatTheInMemoryImportStores imports the same
// files through ImportFiles and through csvfile.Read and store.Import, into
// fresh stores, and compares every stored row and the statistics; then
// imports them again, which changes nothing. The big town's events, logins
// and patrols each stream through in two full chunks of the Scanner
// (csvfile.DefaultChunkRows) and a partial one, each more than PostgreSQL's
// import writes before it gathers a table's statistics (10,000 rows), and
// its events file is larger than the first read of a file (1 MiB).
func TestStreamingImportStoresWhatTheInMemoryImportStores(t *testing.T) {
	big := t.TempDir()
	chunk := csvfile.DefaultChunkRows
	tw := town{workers: 500, events: 2*chunk + chunk/2, logins: 2*chunk + chunk/4, patrols: 2*chunk + chunk/8}
	if testing.Short() {
		tw = town{workers: 50, events: 15_000, logins: 8_000, patrols: 7_000}
	}
	tw.write(t, big)
	for _, tc := range []struct{ name, dir string }{{"demo town", demoDir}, {"big town", big}} {
		t.Run(tc.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, b storetest.Backend, streamed *store.DB) {
				stats := mustImportFiles(t, streamed, tc.dir)

				batch, err := csvfile.Read(tc.dir)
				if err != nil {
					t.Fatal(err)
				}
				inMemory := mustOpen(t, b.Target(t))
				wantStats, err := inMemory.Import(context.Background(), &batch.Records, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(stats, wantStats) {
					t.Errorf("streamed import stats = %v, in memory %v", stats, wantStats)
				}
				got, gotCounts := mustLoadAll(t, streamed)
				want, wantCounts := mustLoadAll(t, inMemory)
				if !reflect.DeepEqual(gotCounts, wantCounts) {
					t.Errorf("counts = %v, in memory %v", gotCounts, wantCounts)
				}
				if !reflect.DeepEqual(got, want) {
					t.Error("the streamed import stored other records than the in-memory import")
				}

				again := mustImportFiles(t, streamed, tc.dir)
				for kind, s := range again {
					if s.Received != stats[kind].Received || s.Unchanged != s.Received {
						t.Errorf("re-import stats[%s] = %+v, want all %d unchanged", kind, s, stats[kind].Received)
					}
				}
				if _, c := mustLoadAll(t, streamed); !reflect.DeepEqual(c, gotCounts) {
					t.Errorf("counts after re-import = %v, want %v", c, gotCounts)
				}
			})
		})
	}
}

// TestBadRowLateInAnEmptyStoreWritesNothing imports into an empty store,
// where each table's rows go straight in (COPY on PostgreSQL) with its
// secondary indexes dropped until the end: a bad row after 30,000 good
// events, or in a kind read after them, writes nothing, leaves every
// index in place and is named by file, row and column.
func TestBadRowLateInAnEmptyStoreWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"late in the events", "", "", `events.csv:29992: 上报时间（reported_at）: `},
		{"in a kind read after the events", "ballots.csv", "ballot_id,worker_id,rater_group,rating,cast_at\nNB1,QS001,群众,满意,2023-09-20 10:00\nNB2,QS001,群众,很好,2023-09-20 10:00\n",
			`ballots.csv:3: 评价（rating）: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
				indexes := storetest.Indexes(t, db, store.Kinds())
				dir := t.TempDir()
				for _, f := range []string{"grids.csv", "workers.csv"} {
					b, err := os.ReadFile(filepath.Join(demoDir, f))
					if err != nil {
						t.Fatal(err)
					}
					os.WriteFile(filepath.Join(dir, f), b, 0o644)
				}
				manyEvents(t, dir, 30_000)
				if tc.file == "" {
					b, _ := os.ReadFile(filepath.Join(dir, "events.csv"))
					lines := strings.Split(string(b), "\n")
					lines[29991] = strings.Replace(lines[29991], "2023-08-", "2023-13-", 1) // row 29,992 of the file
					os.WriteFile(filepath.Join(dir, "events.csv"), []byte(strings.Join(lines, "\n")), 0o644)
				} else {
					os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.content), 0o644)
				}
				_, err := (&app.Service{DB: db}).ImportFiles(context.Background(), dir)
				if got := reportOf(t, err); len(got) != 1 || !strings.HasPrefix(got[0], tc.want) {
					t.Errorf("problems = %q, want one starting %q", got, tc.want)
				}
				_, counts := mustLoadAll(t, db)
				for kind, n := range counts {
					if n != 0 {
						t.Errorf("%d rows of %s stored by a failed import", n, kind)
					}
				}
				if got := storetest.Indexes(t, db, store.Kinds()); !reflect.DeepEqual(got, indexes) {
					t.Errorf("indexes after a failed import:\n%v\nwant\n%v", got, indexes)
				}

				// The same files, corrected, import whole.
				manyEvents(t, dir, 30_000)
				os.Remove(filepath.Join(dir, "ballots.csv"))
				if s := mustImportFiles(t, db, dir)["events"]; s.Inserted != 30_001 {
					t.Errorf("events stats = %+v, want 30,001 inserted", s)
				}
				if got := storetest.Indexes(t, db, store.Kinds()); !reflect.DeepEqual(got, indexes) {
					t.Errorf("indexes after an import:\n%v\nwant\n%v", got, indexes)
				}
			})
		})
	}
}
