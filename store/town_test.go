package store_test

import (
	"context"
	"reflect"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
)

// TestLoadTown stores two generated towns and checks that LoadTown reads
// only one town's rows, and that assessing them gives that town's workers
// exactly the results of assessing the whole store.
func TestLoadTown(t *testing.T) {
	q := gs.Quarter{Year: 2024, Q: 1}
	opts := gen.Options{Workers: 450, Quarter: q, Seed: 2}
	if gen.Towns(opts) < 2 {
		t.Fatalf("450 workers make %d town; the test needs two", gen.Towns(opts))
	}
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		var town string
		if err := gen.Generate(opts, func(r *gs.Records) error {
			town = r.Grids[0].Town // the last town's
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
		// A grid of the town lists a person entered in another town.
		var townGrid string
		other := map[string]bool{}
		for _, g := range all.Grids {
			if g.Town == town {
				townGrid = g.Code
			} else {
				other[g.Code] = true
			}
		}
		elsewhere := listElsewhere(t, db, q, townGrid, all.Register, func(p gs.Person) bool { return other[p.GridCode] })
		if all, err = db.Load(ctx, from, to); err != nil {
			t.Fatal(err)
		}
		one, err := db.LoadTown(ctx, town, from, to)
		if err != nil {
			t.Fatal(err)
		}
		grids := map[string]bool{}
		for _, g := range one.Grids {
			if g.Town != town {
				t.Errorf("grid %s of %s loaded for %s", g.Code, g.Town, town)
			}
			grids[g.Code] = true
		}
		workers := map[string]bool{}
		for _, w := range one.Workers {
			if !grids[w.GridCode] {
				t.Errorf("worker %s of grid %s loaded for %s", w.ID, w.GridCode, town)
			}
			workers[w.ID] = true
		}
		if len(one.Workers) == 0 || len(one.Workers) >= len(all.Workers) || len(one.Events) == 0 || len(one.Events) >= len(all.Events) {
			t.Errorf("loaded %d of %d workers, %d of %d events", len(one.Workers), len(all.Workers), len(one.Events), len(all.Events))
		}
		for _, e := range one.Events {
			if !workers[e.WorkerID] {
				t.Errorf("event %s of worker %s loaded for %s", e.ID, e.WorkerID, town)
			}
		}
		for _, p := range one.Register {
			if !grids[p.GridCode] && p.PersonID != elsewhere.PersonID {
				t.Errorf("person %s of grid %s loaded for %s", p.PersonID, p.GridCode, town)
			}
		}

		sc := scheme.Default()
		assess := func(r *gs.Records) *gs.Result {
			return engine.Assess(engine.Input{Scheme: &sc, Calendar: calendar.New(r.Calendar), Records: r, Quarter: q, AsOf: q.Last().End()})
		}
		var want []gs.WorkerResult
		for _, w := range assess(all).Workers {
			if w.Town == town {
				want = append(want, w)
			}
		}
		got := assess(one).Workers
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("LoadTown assesses %d workers differently from the whole store's %d", len(got), len(want))
		}
	})
}
