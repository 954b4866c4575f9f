package store

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestEveryTableNotesWhatItConcerns: a change to a record of any kind
// outdates the live results that rest on it, so every table says which of
// its columns name what a change concerns, and those columns are its own.
// A kind added without them would leave every town's result as it was.
func TestEveryTableNotesWhatItConcerns(t *testing.T) {
	for _, tb := range tables {
		ccs, ok := concernCols[tb.name]
		if !ok || len(ccs) == 0 {
			t.Errorf("table %s: no columns naming what a change to it concerns (concernCols)", tb.name)
		}
		for _, cc := range ccs {
			if !slices.Contains(tb.cols, cc.col) {
				t.Errorf("table %s has no column %s", tb.name, cc.col)
			}
		}
	}
	if len(concernCols) != len(tables) {
		t.Errorf("concernCols names %d tables, there are %d", len(concernCols), len(tables))
	}
}

// TestTownsBumpedWhole: a change that names only its towns (bumpTowns)
// has every worker of those towns computed again (LoadTownSince: whole),
// and the other towns' kept results still serve.
func TestTownsBumpedWhole(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, err := OpenAndMigrate(ctx, b.Target(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			_, err = db.Import(ctx, &gridscore.Records{
				Grids: []gridscore.Grid{{Code: "G1", Name: "一网格", Town: "青山镇"}, {Code: "G2", Name: "二网格", Town: "白石镇"}},
				Workers: []gridscore.Worker{{ID: "W1", Name: "王一", Type: gridscore.FullTime, GridCode: "G1", HiredOn: gridscore.NewDate(2020, 1, 1)},
					{ID: "W2", Name: "李二", Type: gridscore.FullTime, GridCode: "G2", HiredOn: gridscore.NewDate(2020, 1, 1)}},
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			since, err := db.TownVersion(ctx, "青山镇")
			if err != nil {
				t.Fatal(err)
			}
			tx, err := db.writeTx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := bumpTowns(ctx, tx, []string{"青山镇"}); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			from, to := time.Date(2023, 7, 1, 0, 0, 0, 0, gridscore.CST), time.Date(2023, 10, 1, 0, 0, 0, 0, gridscore.CST)
			for town, whole := range map[string]bool{"青山镇": true, "白石镇": false} {
				d, err := db.LoadTownSince(ctx, town, since, -1, from, to)
				if err != nil {
					t.Fatal(err)
				}
				if d.Whole != whole || len(d.Changed) != 0 {
					t.Errorf("%s: whole %v, changed %v; want whole %v and no worker changed", town, d.Whole, d.Changed, whole)
				}
			}
		})
	}
}

// TestSurveyChangedNotesTheWorker: a ballot answered or counted for a
// worker (surveyChanged) has that worker computed again, not the town.
func TestSurveyChangedNotesTheWorker(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, err := OpenAndMigrate(ctx, b.Target(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			hired := gridscore.NewDate(2020, 1, 1)
			_, err = db.Import(ctx, &gridscore.Records{
				Grids: []gridscore.Grid{{Code: "G1", Name: "一网格", Town: "青山镇"}, {Code: "G3", Name: "三网格", Town: "青山镇"}},
				Workers: []gridscore.Worker{{ID: "W1", Name: "王一", Type: gridscore.FullTime, GridCode: "G1", HiredOn: hired},
					{ID: "W3", Name: "张三", Type: gridscore.FullTime, GridCode: "G3", HiredOn: hired}},
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			since, err := db.TownVersion(ctx, "青山镇")
			if err != nil {
				t.Fatal(err)
			}
			tx, err := db.writeTx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := surveyChanged(ctx, tx, "W1"); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			from, to := time.Date(2023, 7, 1, 0, 0, 0, 0, gridscore.CST), time.Date(2023, 10, 1, 0, 0, 0, 0, gridscore.CST)
			d, err := db.LoadTownSince(ctx, "青山镇", since, -1, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if d.Whole || !reflect.DeepEqual(d.Changed, []string{"W1"}) {
				t.Errorf("after a ballot for W1: whole %v, changed %v; want only W1 computed again", d.Whole, d.Changed)
			}
			after, err := db.TownVersion(ctx, "青山镇")
			if err != nil {
				t.Fatal(err)
			}
			if after <= since {
				t.Errorf("town version %d after the ballot, was %d: the town's ranks would not be redone", after, since)
			}
		})
	}
}

// TestWithConnections: asked for two, Open leaves two PostgreSQL
// connections ready in the pool; by default one.
func TestWithConnections(t *testing.T) {
	for _, b := range storetest.Backends() {
		if b.Name == "sqlite" {
			continue // one file, nothing to connect
		}
		t.Run(b.Name, func(t *testing.T) {
			target := b.Target(t)
			for _, c := range []struct {
				opts []Option
				want int
			}{{nil, 1}, {[]Option{WithConnections(2)}, 2}} {
				db, err := Open(context.Background(), target, c.opts...)
				if err != nil {
					t.Fatal(err)
				}
				if got := db.read.Stats().OpenConnections; got != c.want {
					t.Errorf("%d connections open after Open, want %d", got, c.want)
				}
				db.Close()
			}
		})
	}
}

// TestExpectedRowsServesTheNextLoad: the table sizes ExpectedRows read are
// taken by the load that follows instead of being asked for again, once,
// and only while recent.
func TestExpectedRowsServesTheNextLoad(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, err := Open(ctx, b.Target(t), WithMigrate())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			same := func(a, b map[string]int64) bool {
				return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
			}
			db.ExpectedRows(ctx)
			kept := db.sized
			if kept == nil {
				t.Fatal("ExpectedRows kept no sizes for the load that follows")
			}
			if got := db.takeSizes(ctx); !same(got, kept) {
				t.Errorf("the load after ExpectedRows read the sizes again")
			}
			if got := db.takeSizes(ctx); same(got, kept) {
				t.Errorf("a second load took the sizes ExpectedRows kept for the first")
			}
			db.ExpectedRows(ctx)
			kept = db.sized
			db.sizedAt = time.Now().Add(-sizesKept - time.Second)
			if got := db.takeSizes(ctx); same(got, kept) {
				t.Errorf("a load %v after ExpectedRows took its sizes, want them read again", sizesKept+time.Second)
			}
		})
	}
}

// TestSchemaCheckedWhileConnecting: opening PostgreSQL with several
// connections to make and a migration to check, the first connection made
// finds whether the schema is current while the others connect; a schema
// not current is migrated as before.
func TestSchemaCheckedWhileConnecting(t *testing.T) {
	for _, b := range storetest.Backends() {
		if b.Name != "postgres" {
			continue
		}
		ctx := context.Background()
		fresh, migrated := b.Target(t), b.Target(t)
		db, err := Open(ctx, migrated, WithMigrate())
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		for _, c := range []struct {
			target string
			want   bool
		}{{migrated, true}, {fresh, false}} {
			db, err := openPostgres(ctx, c.target, options{migrate: true, connect: 2})
			if err != nil {
				t.Fatal(err)
			}
			if got := db.knownCurrent.Load(); got != c.want {
				t.Errorf("schema found current while connecting: %v, want %v", got, c.want)
			}
			db.Close()
		}
		db, err = Open(ctx, fresh, WithMigrate(), WithConnections(2))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if ok, err := db.SchemaCurrent(ctx); err != nil || !ok {
			t.Errorf("a new schema opened with two connections and migrated: current %v, %v", ok, err)
		}
	}
}
