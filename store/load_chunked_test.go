package store_test

import (
	"cmp"
	"context"
	"database/sql"
	"reflect"
	"slices"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
)

// TestLoadChunkedMatchesLoad checks the assessment's read path against
// Load on generated towns, on every store: whether the quarter comes in one
// chunk (tables read in storage order) or in worker ranges, the shared
// records are Load's, every event, login and patrol of the window comes
// exactly once, in the chunk of its worker, with every field the engine
// reads, and assessing the chunks gives exactly the result of assessing
// Load's records.
func TestLoadChunkedMatchesLoad(t *testing.T) {
	q := gs.Quarter{Year: 2023, Q: 3}
	opts := gen.Options{Workers: 450, Quarter: q, Seed: 5}
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		if err := gen.Generate(opts, func(r *gs.Records) error {
			_, err := db.Import(ctx, r, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		from, to := q.First().AddDays(-7).Start(), q.Last().End()
		all, err := db.Load(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Events) == 0 || len(all.Logins) == 0 || len(all.Patrols) == 0 {
			t.Fatalf("generated %d events, %d logins, %d patrols", len(all.Events), len(all.Logins), len(all.Patrols))
		}
		want := assessAll(all, q)
		for _, size := range []int{1000, 100, 7} {
			got, res := loadChunks(t, db, q, size)
			compareChunked(t, size, all, got)
			if !reflect.DeepEqual(res, want) {
				t.Errorf("chunks of %d: the result differs from assessing Load's records", size)
			}
		}
	})
}

// TestLoadChunkedWhileWriterHoldsLock checks that on SQLite a writer
// holding the lock (another process importing) does not stop the
// assessment's read: it reads in one transaction instead of several and
// gets the same records.
func TestLoadChunkedWhileWriterHoldsLock(t *testing.T) {
	q := gs.Quarter{Year: 2023, Q: 3}
	path := t.TempDir() + "/gridscore.db"
	db := MustOpenTarget(t, path, store.WithMigrate())
	ctx := context.Background()
	if err := gen.Generate(gen.Options{Workers: 160, Quarter: q, Seed: 6}, func(r *gs.Records) error {
		_, err := db.Import(ctx, r, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	free, _ := loadChunks(t, db, q, 1000)

	other, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "DELETE FROM events"); err != nil { // not committed
		t.Fatal(err)
	}
	locked, _ := loadChunks(t, db, q, 1000)
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(free, locked) {
		t.Error("the records read while a writer held the lock differ")
	}
}

// chunked is what LoadChunked handed over.
type chunked struct {
	shared *gs.Records
	chunks []*gs.Records
}

// loadChunks reads q in chunks of size and assesses them as app.Assess
// does.
func loadChunks(t *testing.T, db *store.DB, q gs.Quarter, size int) (chunked, *gs.Result) {
	t.Helper()
	var (
		got chunked
		eng *engine.Engine
		res []gs.WorkerResult
	)
	err := db.LoadChunked(context.Background(), q.First().AddDays(-7).Start(), q.Last().End(), size,
		func(sh *gs.Records) error {
			got.shared = sh
			eng = engine.New(engineInput(sh, q))
			return nil
		},
		func(part *gs.Records) error {
			got.chunks = append(got.chunks, part)
			res = append(res, eng.AssessChunk(part)...)
			return nil
		})
	if err != nil {
		t.Fatalf("chunks of %d: %v", size, err)
	}
	return got, eng.Finish(res)
}

// engineInput is the input of assessing q from recs.
func engineInput(recs *gs.Records, q gs.Quarter) engine.Input {
	sch := scheme.Default()
	return engine.Input{Scheme: &sch, Calendar: calendar.New(recs.Calendar), Records: recs, Quarter: q,
		AsOf: q.Last().End().AddDate(0, 0, 7)}
}

// assessAll assesses q from every record at once.
func assessAll(recs *gs.Records, q gs.Quarter) *gs.Result {
	return engine.Assess(engineInput(recs, q))
}

// compareChunked checks chunks of size against Load's records.
func compareChunked(t *testing.T, size int, all *gs.Records, got chunked) {
	t.Helper()
	sh := *got.shared
	sh.Events, sh.Logins, sh.Patrols = all.Events, all.Logins, all.Patrols
	store.SortRecords(&sh)
	// The read path leaves out what the engine does not read.
	want := *all
	want.Visits = slices.Clone(all.Visits)
	for i := range want.Visits {
		want.Visits[i].WorkerID, want.Visits[i].Note = "", ""
	}
	if !reflect.DeepEqual(sh, want) {
		t.Errorf("chunks of %d: the shared records differ from Load's", size)
	}
	var (
		workers []gs.Worker
		events  []gs.Event
		logins  []gs.Login
		patrols []gs.Patrol
	)
	for i, c := range got.chunks {
		if len(c.Workers) == 0 || len(c.Workers) > size {
			t.Errorf("chunks of %d: chunk %d has %d workers", size, i, len(c.Workers))
		}
		mine := map[string]bool{}
		for _, w := range c.Workers {
			mine[w.ID] = true
		}
		for _, e := range c.Events {
			if !mine[e.WorkerID] {
				t.Errorf("chunks of %d: event %s of %s in a chunk without its worker", size, e.ID, e.WorkerID)
			}
		}
		workers = append(workers, c.Workers...)
		events = append(events, c.Events...)
		logins = append(logins, c.Logins...)
		patrols = append(patrols, c.Patrols...)
	}
	if !reflect.DeepEqual(workers, all.Workers) {
		t.Errorf("chunks of %d: the workers are not Load's, in order", size)
	}
	wantEvents := slices.Clone(all.Events)
	for i := range wantEvents {
		wantEvents[i].Category = ""
	}
	wantPatrols := slices.Clone(all.Patrols)
	for i := range wantPatrols {
		wantPatrols[i].DistanceM = 0
	}
	slices.SortFunc(events, func(a, b gs.Event) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(patrols, func(a, b gs.Patrol) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(logins, func(a, b gs.Login) int {
		return cmp.Or(strings.Compare(a.WorkerID, b.WorkerID), strings.Compare(string(a.Channel), string(b.Channel)), a.At.Compare(b.At))
	})
	if !reflect.DeepEqual(events, wantEvents) {
		t.Errorf("chunks of %d: %d events, want Load's %d", size, len(events), len(wantEvents))
	}
	if !reflect.DeepEqual(logins, all.Logins) {
		t.Errorf("chunks of %d: %d logins, want Load's %d", size, len(logins), len(all.Logins))
	}
	if !reflect.DeepEqual(patrols, wantPatrols) {
		t.Errorf("chunks of %d: %d patrols, want Load's %d", size, len(patrols), len(wantPatrols))
	}
}

// TestLoadChunkedEmptyStore: an empty store gives empty shared records and
// no chunk.
func TestLoadChunkedEmptyStore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		q := gs.Quarter{Year: 2023, Q: 3}
		var shared, chunks int
		err := db.LoadChunked(context.Background(), q.First().Start(), q.Last().End(), 10,
			func(*gs.Records) error { shared++; return nil },
			func(*gs.Records) error { chunks++; return nil })
		if err != nil || shared != 1 || chunks != 0 {
			t.Errorf("LoadChunked: %v, shared called %d times, each %d; want once and never", err, shared, chunks)
		}
	})
}
