package store_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

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
		importGenerated(t, db, opts)
		from, to := assessWindow(q)
		all, err := db.Load(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		// The first worker's grid lists a person entered in the last
		// worker's grid: another chunk's.
		first, last := all.Workers[0], all.Workers[len(all.Workers)-1]
		listElsewhere(t, db, q, first.GridCode, all.Register, func(p gs.Person) bool { return p.GridCode == last.GridCode })
		if all, err = db.Load(ctx, from, to); err != nil {
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

// listElsewhere lists on grid's roster, on the quarter's first day, a
// person of reg for whom in is true (on another grid's register, entered
// before the quarter), so that whether they were entered in time is known
// only from another grid's register (RULES.md key.missing_entry).
func listElsewhere(t *testing.T, db *store.DB, q gs.Quarter, grid string, reg []gs.Person, in func(gs.Person) bool) gs.Person {
	t.Helper()
	for _, p := range reg {
		if p.GridCode != grid && in(p) && p.EnteredAt.Before(q.First().Start()) && p.LeftAt.IsZero() {
			row := gs.RosterRow{PersonID: p.PersonID, ListedOn: q.First(), Category: p.Category, GridCode: grid, Department: "公安"}
			if _, err := db.Import(context.Background(), &gs.Records{Rosters: []gs.RosterRow{row}}, nil); err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	t.Fatal("no person to list on another grid's roster")
	return gs.Person{}
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
	importGenerated(t, db, gen.Options{Workers: 160, Quarter: q, Seed: 6})
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

// assessWindow is the window of records assessing q reads (app's:
// patrols from a week before the quarter).
func assessWindow(q gs.Quarter) (from, to time.Time) {
	return q.First().AddDays(-7).Start(), q.Last().End()
}

// ignoreRecords is a LoadChunked callback that keeps nothing.
func ignoreRecords(*gs.Records) error { return nil }

// importGenerated imports the records gen generates for opts into db.
func importGenerated(t *testing.T, db *store.DB, opts gen.Options) {
	t.Helper()
	if err := gen.Generate(opts, func(r *gs.Records) error {
		_, err := db.Import(context.Background(), r, nil)
		return err
	}); err != nil {
		t.Fatal(err)
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
	from, to := assessWindow(q)
	err := db.LoadChunked(context.Background(), from, to, size, size,
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

// compareChunked checks chunks of size against Load's records: the shared
// records are Load's workers, grids, meetings and calendar; every record of
// a worker (event, login, patrol, leave, finding, quiz, ballot, attendance)
// comes exactly once, in the chunk of its worker, with every field the
// engine reads; and each chunk holds exactly the register and rosters of
// its workers' grids, the register entries of the persons on those rosters,
// and the visits of the persons on those grids' register.
func compareChunked(t *testing.T, size int, all *gs.Records, got chunked) {
	t.Helper()
	wantShared := gs.Records{Workers: all.Workers, Grids: all.Grids, Meetings: all.Meetings, Calendar: all.Calendar}
	sh := *got.shared
	store.SortRecords(&sh)
	if !reflect.DeepEqual(sh, wantShared) {
		t.Errorf("chunks of %d: the shared records are not Load's workers, grids, meetings and calendar", size)
	}
	// The read path leaves out what the engine does not read.
	visits := slices.Clone(all.Visits)
	for i := range visits {
		visits[i].WorkerID, visits[i].Note = "", ""
	}
	var union gs.Records
	for i, c := range got.chunks {
		if len(c.Workers) == 0 || len(c.Workers) > size {
			t.Errorf("chunks of %d: chunk %d has %d workers", size, i, len(c.Workers))
		}
		mine, grids := map[string]bool{}, map[string]bool{}
		for _, w := range c.Workers {
			mine[w.ID] = true
			grids[w.GridCode] = true
		}
		for _, e := range c.Events {
			if !mine[e.WorkerID] {
				t.Errorf("chunks of %d: event %s of %s in a chunk without its worker", size, e.ID, e.WorkerID)
			}
		}
		// The kinds of the chunk's grids, exactly.
		listed, onGrids := map[string]bool{}, map[string]bool{}
		want := gs.Records{
			Rosters: filter(all.Rosters, func(r gs.RosterRow) bool { return grids[r.GridCode] }),
		}
		for _, r := range want.Rosters {
			listed[r.PersonID] = true
		}
		want.Register = filter(all.Register, func(p gs.Person) bool { return grids[p.GridCode] || listed[p.PersonID] })
		for _, p := range want.Register {
			onGrids[p.PersonID] = onGrids[p.PersonID] || grids[p.GridCode]
		}
		want.Visits = filter(visits, func(v gs.Visit) bool { return onGrids[v.PersonID] })
		have := gs.Records{Register: c.Register, Rosters: c.Rosters, Visits: c.Visits}
		store.SortRecords(&have)
		if !reflect.DeepEqual(have, want) {
			t.Errorf("chunks of %d: chunk %d has %d register entries, %d roster rows, %d visits; want %d, %d, %d",
				size, i, len(have.Register), len(have.Rosters), len(have.Visits), len(want.Register), len(want.Rosters), len(want.Visits))
		}
		for _, x := range c.Ballots {
			if !mine[x.WorkerID] {
				t.Errorf("chunks of %d: ballot %s of %s in a chunk without its worker", size, x.ID, x.WorkerID)
			}
		}
		union.Workers = append(union.Workers, c.Workers...)
		union.Events = append(union.Events, c.Events...)
		union.Logins = append(union.Logins, c.Logins...)
		union.Patrols = append(union.Patrols, c.Patrols...)
		union.Leaves = append(union.Leaves, c.Leaves...)
		union.Findings = append(union.Findings, c.Findings...)
		union.Quizzes = append(union.Quizzes, c.Quizzes...)
		union.Ballots = append(union.Ballots, c.Ballots...)
		union.Attendance = append(union.Attendance, c.Attendance...)
	}
	if !reflect.DeepEqual(union.Workers, all.Workers) {
		t.Errorf("chunks of %d: the workers are not Load's, in order", size)
	}
	store.SortRecords(&union)
	want := gs.Records{
		Workers: all.Workers, Events: slices.Clone(all.Events), Logins: all.Logins, Patrols: slices.Clone(all.Patrols),
		Leaves: all.Leaves, Findings: all.Findings, Quizzes: all.Quizzes, Ballots: all.Ballots, Attendance: all.Attendance,
	}
	for i := range want.Events {
		want.Events[i].Category = ""
	}
	for i := range want.Patrols {
		want.Patrols[i].DistanceM = 0
	}
	for _, k := range []struct {
		name      string
		got, want any
	}{
		{"events", union.Events, want.Events}, {"logins", union.Logins, want.Logins}, {"patrols", union.Patrols, want.Patrols},
		{"leaves", union.Leaves, want.Leaves}, {"findings", union.Findings, want.Findings}, {"quizzes", union.Quizzes, want.Quizzes},
		{"ballots", union.Ballots, want.Ballots}, {"attendance", union.Attendance, want.Attendance},
	} {
		if !reflect.DeepEqual(k.got, k.want) {
			t.Errorf("chunks of %d: the chunks' %s are not Load's, each once", size, k.name)
		}
	}
}

// filter returns the elements of xs for which keep is true.
func filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// TestLoadChunkedStopsCleanly checks that when the caller gives up half way
// (its each returns an error, or the context is cancelled), LoadChunked
// returns that error promptly, hands over no further chunk, and leaves the
// store as it was: the next read on the same pool gets every chunk again.
func TestLoadChunkedStopsCleanly(t *testing.T) {
	q := gs.Quarter{Year: 2023, Q: 3}
	from, to := assessWindow(q)
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		importGenerated(t, db, gen.Options{Workers: 120, Quarter: q, Seed: 8})
		full, _ := loadChunks(t, db, q, 10)
		if len(full.chunks) != 12 {
			t.Fatalf("%d chunks of 10 workers, want 12", len(full.chunks))
		}

		stop := errors.New("stop here")
		for i := range 3 {
			handed := 0
			err := db.LoadChunked(ctx, from, to, 10, 10, ignoreRecords,
				func(*gs.Records) error {
					handed++
					if handed == 3 {
						return stop
					}
					return nil
				})
			if !errors.Is(err, stop) || handed != 3 {
				t.Fatalf("round %d: each stopped at chunk 3: got %v after %d chunks", i, err, handed)
			}
		}
		cctx, cancel := context.WithCancel(ctx)
		handed := 0
		err := db.LoadChunked(cctx, from, to, 10, 10, ignoreRecords,
			func(*gs.Records) error {
				if handed++; handed == 2 {
					cancel()
				}
				return nil
			})
		if !errors.Is(err, context.Canceled) || handed != 2 {
			t.Errorf("cancelled at chunk 2: got %v after %d chunks", err, handed)
		}

		// Rows come in no particular order within a chunk (the planner may
		// choose another scan once statistics change): compare them sorted.
		again, _ := loadChunks(t, db, q, 10)
		for _, c := range [2]chunked{full, again} {
			for _, r := range c.chunks {
				store.SortRecords(r)
			}
		}
		if !reflect.DeepEqual(again, full) {
			t.Error("a read after the stopped ones differs from the first")
		}
	})
}

// TestLoadChunkedReportsBrokenStore checks that a read that fails before
// any chunk (here the workers' table is missing) returns the error instead
// of waiting, on one connection (a small PostgreSQL store) and on two
// (SQLite), and that the store reads again once mended.
func TestLoadChunkedReportsBrokenStore(t *testing.T) {
	q := gs.Quarter{Year: 2023, Q: 3}
	from, to := assessWindow(q)
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		importGenerated(t, db, gen.Options{Workers: 30, Quarter: q, Seed: 9})
		load := func() error {
			done := make(chan error, 1)
			go func() {
				done <- db.LoadChunked(ctx, from, to, 1000, 1000, ignoreRecords, ignoreRecords)
			}()
			select {
			case err := <-done:
				return err
			case <-time.After(20 * time.Second):
				t.Fatal("LoadChunked did not return")
				return nil
			}
		}
		if err := db.ExecForTest(ctx, "ALTER TABLE workers RENAME TO workers_gone"); err != nil {
			t.Fatal(err)
		}
		if err := load(); err == nil {
			t.Error("LoadChunked without a workers table: no error")
		}
		if err := db.ExecForTest(ctx, "ALTER TABLE workers_gone RENAME TO workers"); err != nil {
			t.Fatal(err)
		}
		if err := load(); err != nil {
			t.Errorf("LoadChunked after mending: %v", err)
		}
	})
}
