package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestLiveUpdateEqualsFullComputation is the differential test of
// computing a town's live result again worker by worker (app.Service's
// updateTown): two small generated towns go through a long random sequence
// of changes of every kind — made by hand (store.DB.ChangeRecords) or
// imported — and after each one, every town's live result at a moment in
// the quarter (with its warnings) and one after it is compared, worker by
// worker (scores, deductions, warnings, rank, pay, flags), and in its
// notes and whether it is settled, with the town computed whole from the
// records as they are then. The live results are brought up to date from
// the ones kept before the change, found in memory or, by a service
// started afresh, in the store. A change that concerns only some workers
// must not read the whole town in the quarter (it did, it would pass
// without testing anything).
//
// One sequence of 150 changes is run on each engine, seed 1 on SQLite and
// seed 2 on PostgreSQL, so that both sequences run when both engines are
// tested; GRIDSCORE_DIFF_STEPS and GRIDSCORE_DIFF_SEED run longer or other
// ones (the seed given on each engine).
func TestLiveUpdateEqualsFullComputation(t *testing.T) {
	steps, seeds := 150, map[string]uint64{"sqlite": 1, "postgres": 2}
	if n, err := strconv.Atoi(os.Getenv("GRIDSCORE_DIFF_STEPS")); err == nil {
		steps = n
	}
	if n, err := strconv.ParseUint(os.Getenv("GRIDSCORE_DIFF_SEED"), 10, 64); err == nil {
		seeds = map[string]uint64{"sqlite": n, "postgres": n}
	}
	forEachBackend(t, func(t *testing.T, b storetest.Backend, db *store.DB) {
		seed := seeds[b.Name]
		d := newDifferential(t, db, seed)
		for step := range steps {
			d.step(step)
		}
		t.Logf("seed %d: %d changes; computed again worker by worker %d times, whole %d times (%d of them for a change that concerns the whole town)",
			seed, steps, d.counts.since, d.counts.full, d.wholeChanges)
		if d.counts.since < steps {
			t.Errorf("seed %d: only %d updates worker by worker in %d changes", seed, d.counts.since, steps)
		}
	})
}

// TestLiveUpdateEachKindOfChange is the differential test making every
// kind of change in turn, with the service kept (its memory holds the kept
// results and the towns' grids, workers, meetings and calendar days as long
// as they are unchanged), so that each kind is made with that memory in
// use, whatever the random sequences do: three rounds on SQLite, one on
// PostgreSQL (run with -coverpkg, the second and third rounds ran no
// statement of app or store that the first had not, on either engine).
func TestLiveUpdateEachKindOfChange(t *testing.T) {
	rounds := map[string]int{"sqlite": 3, "postgres": 1}
	forEachBackend(t, func(t *testing.T, b storetest.Backend, db *store.DB) {
		d := newDifferential(t, db, 3)
		d.inTurn, d.keep = true, true
		for step := range rounds[b.Name] * d.kinds() {
			d.step(step)
		}
	})
}

// readCounter is the store, counting how the live results were brought
// up to date: worker by worker (LoadTownSince), or by reading whole towns.
type readCounter struct {
	*store.DB
	since, full int
}

func (c *readCounter) LoadTown(ctx context.Context, town string, from, to time.Time) (*gs.Records, error) {
	c.full++
	return c.DB.LoadTown(ctx, town, from, to)
}

func (c *readCounter) LoadChunked(ctx context.Context, from, to time.Time, whole, size int,
	shared func(*gs.Records) error, each func(*gs.Records) error) error {
	c.full++
	return c.DB.LoadChunked(ctx, from, to, whole, size, shared, each)
}

func (c *readCounter) LoadTownSince(ctx context.Context, town string, since, refs int64, from, to time.Time) (*store.TownDelta, error) {
	d, err := c.DB.LoadTownSince(ctx, town, since, refs, from, to)
	if err == nil && !d.Whole {
		c.since++
	}
	return d, err
}

// differential holds the stores and services of the differential test.
type differential struct {
	t   *testing.T
	db  *store.DB
	rnd *rand.Rand
	q   gs.Quarter
	// mid is a moment in the quarter (the standing with warnings), after
	// one after its end.
	mid, after time.Time
	counts     *readCounter
	live       *app.Service // brought up to date, memo and all
	full       *app.Service // computes whole towns
	towns      []string     // every town seen
	history    []string     // the changes so far
	next       int          // for new ids
	// wholeChanges counts the changes that concern every worker of a town.
	wholeChanges int
	// inTurn makes every kind of change in turn rather than at random;
	// turn is the last one made.
	inTurn bool
	turn   int
	// keep keeps the service from one change to the next (else it is
	// started afresh a third of the time).
	keep bool
}

func newDifferential(t *testing.T, db *store.DB, seed uint64) *differential {
	ctx := context.Background()
	q := differentialQuarter
	d := &differential{t: t, db: db, rnd: rand.New(rand.NewPCG(seed, 14)), q: q,
		mid:   time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST),
		after: q.Last().AddDays(8).Start().Add(9 * time.Hour)}
	towns, err := differentialTowns()
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range towns {
		d.towns = append(d.towns, part.Grids[0].Town)
		if _, err := db.Import(ctx, part, nil); err != nil {
			t.Fatal(err)
		}
	}
	d.counts = &readCounter{DB: db}
	d.live = &app.Service{DB: d.counts, Scheme: scheme.Default()}
	d.full = &app.Service{DB: db, Scheme: scheme.Default()}
	d.compare("at the start", false)
	return d
}

// differentialQuarter is the quarter of the differential tests.
var differentialQuarter = gs.Quarter{Year: 2023, Q: 3}

// differentialTowns returns the records each differential test starts
// from: two generated towns, six grids of each kept (every kind of record,
// rosters naming persons of other grids, a worker replaced mid-quarter),
// their events closed so that the quarter's end can be settled. They are
// generated once and only read (store.DB.Import): the changes are made to
// the records read back from each store.
var differentialTowns = sync.OnceValues(func() ([]*gs.Records, error) {
	var towns []*gs.Records
	err := gen.Generate(gen.Options{Workers: 450, Quarter: differentialQuarter, Seed: 3}, func(recs *gs.Records) error {
		part := firstGrids(recs, 6)
		for i := range part.Events {
			if e := &part.Events[i]; e.ClosedAt.IsZero() {
				e.ClosedAt = e.ReportedAt.Add(30 * time.Hour)
			}
		}
		towns = append(towns, part)
		return nil
	})
	return towns, err
})

// firstGrids returns a copy of a town's records limited to its first n
// grids: their workers and those workers' records, their register and
// rosters, the visits of the persons on that register, every meeting and
// calendar day.
func firstGrids(r *gs.Records, n int) *gs.Records {
	out := &gs.Records{Grids: slices.Clone(r.Grids[:n]), Meetings: slices.Clone(r.Meetings), Calendar: slices.Clone(r.Calendar)}
	grids, workers, persons := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, g := range out.Grids {
		grids[g.Code] = true
	}
	out.Workers = keep(r.Workers, func(w gs.Worker) bool { workers[w.ID] = grids[w.GridCode]; return grids[w.GridCode] })
	out.Register = keep(r.Register, func(p gs.Person) bool { persons[p.PersonID] = grids[p.GridCode]; return grids[p.GridCode] })
	out.Rosters = keep(r.Rosters, func(x gs.RosterRow) bool { return grids[x.GridCode] })
	out.Visits = keep(r.Visits, func(v gs.Visit) bool { return persons[v.PersonID] && workers[v.WorkerID] })
	out.Events = keep(r.Events, func(e gs.Event) bool { return workers[e.WorkerID] })
	out.Logins = keep(r.Logins, func(l gs.Login) bool { return workers[l.WorkerID] })
	out.Patrols = keep(r.Patrols, func(p gs.Patrol) bool { return workers[p.WorkerID] })
	out.Leaves = keep(r.Leaves, func(l gs.Leave) bool { return workers[l.WorkerID] })
	out.Attendance = keep(r.Attendance, func(a gs.Attendance) bool { return workers[a.WorkerID] })
	out.Findings = keep(r.Findings, func(f gs.Finding) bool { return workers[f.WorkerID] })
	out.Quizzes = keep(r.Quizzes, func(z gs.Quiz) bool { return workers[z.WorkerID] })
	out.Ballots = keep(r.Ballots, func(b gs.Ballot) bool { return workers[b.WorkerID] })
	return out
}

// keep returns the elements of s for which ok is true, in a new slice.
func keep[T any](s []T, ok func(T) bool) []T {
	var out []T
	for _, x := range s {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

// step makes one random change and compares.
func (d *differential) step(i int) {
	d.t.Helper()
	ctx := context.Background()
	now, err := d.db.Load(ctx, d.q.First().AddDays(-7).Start(), d.q.Last().End())
	if err != nil {
		d.t.Fatal(err)
	}
	c := d.change(now)
	if c.whole {
		d.wholeChanges++
	}
	how := "by hand"
	if c.ch.Put != nil && c.ch.Delete == nil && d.rnd.IntN(3) == 0 {
		how = "imported"
		if _, err := d.db.Import(ctx, c.ch.Put, nil); err != nil {
			d.t.Fatalf("step %d, %s: %v", i, c.what, err)
		}
	} else if err := d.db.ChangeRecords(ctx, c.ch); err != nil {
		d.t.Fatalf("step %d, %s: %v", i, c.what, err)
	}
	d.history = append(d.history, fmt.Sprintf("%d. %s (%s)", i, c.what, how))
	if !d.keep && d.rnd.IntN(3) == 0 { // another server, or this one after a start: the kept results are in the store
		d.live = &app.Service{DB: d.counts, Scheme: scheme.Default()}
	}
	d.compare(c.what, c.whole)
}

// compare compares every town's live result with the town computed whole,
// as of both moments. Unless the change concerns every worker of a town,
// the live results in the quarter must not have read a whole town.
func (d *differential) compare(what string, whole bool) {
	d.t.Helper()
	ctx := context.Background()
	moments := []time.Time{d.mid, d.after}
	if d.rnd.IntN(2) == 0 {
		moments[0], moments[1] = moments[1], moments[0]
	}
	for _, asOf := range moments {
		for _, town := range d.towns {
			fullBefore := d.counts.full
			got, err := d.live.LiveTown(ctx, town, d.q, asOf)
			if err != nil {
				d.t.Fatalf("after %s: live %s: %v", what, town, err)
			}
			if asOf.Equal(d.mid) && !whole && len(d.history) > 0 && d.counts.full > fullBefore {
				d.t.Fatalf("after %s: %s's live result read the whole town\n%s", what, town, d.tail())
			}
			want, err := d.full.AssessTown(ctx, town, d.q, asOf)
			if err != nil {
				d.t.Fatal(err)
			}
			d.same(what, town, asOf, got, want)
		}
	}
}

// same fails the test at the first difference between got and want,
// naming the worker and showing both.
func (d *differential) same(what, town string, asOf time.Time, got, want *gs.Result) {
	d.t.Helper()
	at := fmt.Sprintf("after %s: %s as of %s", what, town, asOf.Format("01-02 15:04"))
	// A result brought up to date may say it is settled from a later moment
	// than it is (a changed worker's earlier closing is still counted),
	// never from an earlier one: it would serve moments it is not the
	// result of.
	if !got.AsOf.Equal(want.AsOf) || got.Settled != want.Settled || got.SettledFrom.Before(want.SettledFrom) ||
		got.Settled != !got.SettledFrom.IsZero() || !slices.Equal(got.Notes, want.Notes) {
		d.t.Fatalf("%s: as of %v settled %v (from %v) notes %q, want %v %v (from %v) %q\n%s", at, got.AsOf, got.Settled, got.SettledFrom, got.Notes,
			want.AsOf, want.Settled, want.SettledFrom, want.Notes, d.tail())
	}
	for i := range max(len(got.Workers), len(want.Workers)) {
		var g, w []byte
		if i < len(got.Workers) {
			g, _ = json.Marshal(got.Workers[i])
		}
		if i < len(want.Workers) {
			w, _ = json.Marshal(want.Workers[i])
		}
		if string(g) != string(w) {
			d.t.Fatalf("%s: worker %d of %d (want %d) differs:\n got %.600s\nwant %.600s\n%s",
				at, i+1, len(got.Workers), len(want.Workers), g, w, d.tail())
		}
	}
}

// tail is the last changes made, for a failure's message.
func (d *differential) tail() string {
	h := d.history[max(0, len(d.history)-8):]
	out := "changes (last 8):"
	for _, s := range h {
		out += "\n  " + s
	}
	return out
}

// newID returns a fresh id with prefix.
func (d *differential) newID(prefix string) string {
	d.next++
	return fmt.Sprintf("%s-DIFF-%04d", prefix, d.next)
}
