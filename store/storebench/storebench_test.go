package storebench_test

import (
	"context"
	"slices"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storebench"
	"github.com/gridscore/gridscore/store/storetest"
)

// The bulk load stores every generated row, with the indexes of a store
// fresh from its migrations once it commits, and the floor reads exactly
// the rows Load reads of the kinds it scans: all of them without a window,
// Load's rows of a window with one.
func TestFloorScansWhatLoadReads(t *testing.T) {
	for _, be := range storetest.Backends() {
		t.Run(be.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := store.OpenAndMigrate(ctx, be.Target(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			q := gs.Quarter{Year: 2023, Q: 3}
			indexes := storetest.Indexes(t, db, store.Kinds())
			if len(indexes) < 10 {
				t.Fatalf("the migrated store has %d indexes: %v", len(indexes), indexes)
			}
			bl, err := storebench.NewBulkLoader(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			var generated int64
			err = gen.Generate(gen.Options{Workers: 20, Quarter: q, Seed: 1}, func(town *gs.Records) error {
				for _, t := range store.RowsOf(town) {
					generated += int64(len(t.Rows))
				}
				return bl.Load(ctx, town)
			})
			if err != nil {
				t.Fatal(err)
			}
			loaded, spent, err := bl.Commit(ctx)
			if err != nil || loaded != generated || spent <= 0 {
				t.Fatalf("bulk load: %d rows in %v, %v; want %d", loaded, spent, err, generated)
			}
			if got := storetest.Indexes(t, db, store.Kinds()); !slices.Equal(got, indexes) {
				t.Errorf("indexes after the bulk load:\n%v\nwant\n%v", got, indexes)
			}

			counts, err := db.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var stored int64
			for _, n := range counts {
				stored += n
			}
			if stored != generated {
				t.Errorf("the store holds %d rows, %d generated", stored, generated)
			}
			// Half the quarter: the window leaves rows out.
			from, to := q.First().Start(), q.First().AddDays(45).Start()
			recs, err := db.Load(ctx, from, to)
			if err != nil {
				t.Fatal(err)
			}
			all := counts["events"] + counts["logins"] + counts["patrols"] + counts["visits"] +
				counts["findings"] + counts["quiz"] + counts["ballots"]
			inWindow := int64(len(recs.Events) + len(recs.Logins) + len(recs.Patrols) + len(recs.Visits) +
				len(recs.Findings) + len(recs.Quizzes) + len(recs.Ballots))
			if inWindow == 0 || inWindow == all {
				t.Fatalf("the window holds %d of %d rows: it tells nothing", inWindow, all)
			}
			for _, tc := range []struct {
				window bool
				want   int64
			}{{false, all}, {true, inWindow}} {
				n, err := storebench.FloorScan(ctx, db, from, to, tc.window)
				if err != nil || n != tc.want {
					t.Errorf("window %v: floor read %d rows, %v; want %d", tc.window, n, err, tc.want)
				}
			}
		})
	}
}
