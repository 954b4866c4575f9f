package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/store/storetest"
)

// BenchmarkRowsPerStatement writes 200,000 events into a fresh SQLite store
// through an ImportTx with statements of various sizes.
//
//	go test -run XXX -bench RowsPerStatement -benchtime 3x ./store/
func BenchmarkRowsPerStatement(b *testing.B) {
	ctx := context.Background()
	recs := &gridscore.Records{}
	start := time.Date(2023, 7, 1, 8, 0, 0, 0, gridscore.CST)
	for i := range 200_000 {
		recs.Events = append(recs.Events, gridscore.Event{ID: fmt.Sprintf("E%08d", i), WorkerID: fmt.Sprintf("W%04d", i%3000),
			Flow: gridscore.FlowSelfHandled, Severity: gridscore.SeverityGeneral, Category: "治安",
			OccurredAt: start.Add(time.Duration(i) * 7 * time.Second), ReportedAt: start.Add(time.Duration(i) * 9 * time.Second)})
	}
	defer func(n int) { maxBatchRows = n }(maxBatchRows)
	for _, per := range []int{1, 10, 50, 100, 250, 500, 1000} {
		b.Run(strconv.Itoa(per), func(b *testing.B) {
			maxBatchRows = per
			for b.Loop() {
				b.StopTimer()
				db, err := Open(ctx, filepath.Join(b.TempDir(), "gs.db"), WithMigrate())
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				it, err := db.BeginImport(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < len(recs.Events); i += 8192 {
					if err := it.Write(ctx, &gridscore.Records{Events: recs.Events[i:min(i+8192, len(recs.Events))]}); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := it.Commit(ctx); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(recs.Events)*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// indexSQL returns the statements of db's secondary indexes, by name.
func indexSQL(t *testing.T, db *DB) map[string]string {
	t.Helper()
	query := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
	if db.dialect == postgresDialect {
		// Each test store has its own schema, named in the statements.
		query = "SELECT indexname, replace(indexdef, ' ON ' || current_schema() || '.', ' ON ') FROM pg_indexes WHERE schemaname = current_schema()"
	}
	rows, err := db.read.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			t.Fatal(err)
		}
		out[name] = create
	}
	return out
}

// TestDeferredIndexes checks, on each engine, that an import dropping the
// secondary indexes of the tables it fills (a table empty at its first
// write; on SQLite also a large import's table once it has written more
// rows than it held) builds them again exactly, with the same records
// stored as an import keeping them up row by row, and that an import
// rolled back after dropping them leaves them in place.
func TestDeferredIndexes(t *testing.T) {
	// One town of 70 workers, generated once for every import: its events,
	// logins, patrols, register, rosters, visits and ballots each hold over
	// 1,000 rows, the large import's threshold below, as a town of 200 did.
	q := gridscore.Quarter{Year: 2023, Q: 3}
	town := &gridscore.Records{}
	if err := gen.Generate(gen.Options{Workers: 70, Quarter: q, Seed: 4}, func(r *gridscore.Records) error {
		AppendRecords(town, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := min(len(town.Events), len(town.Logins), len(town.Patrols), len(town.Register), len(town.Rosters),
		len(town.Visits), len(town.Ballots)); n <= 1000 {
		t.Fatalf("a kind of the generated town has %d rows, not over the 1,000 the large import must write", n)
	}
	for _, be := range storetest.Backends() {
		t.Run(be.Name, func(t *testing.T) {
			testDeferredIndexes(t, be, q, town)
		})
	}
}

func testDeferredIndexes(t *testing.T, be storetest.Backend, q gridscore.Quarter, town *gridscore.Records) {
	ctx := context.Background()
	open := func() *DB {
		db, err := Open(ctx, be.Target(t), WithMigrate())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	// load imports the town in one Write; first is the rows a first write
	// must bring to defer, every the rows a large import must write
	// (SQLite).
	load := func(db *DB, first int, every int64) *gridscore.Records {
		defer func(n int, m int64) { deferFirstRows, deferIndexRows = n, m }(deferFirstRows, deferIndexRows)
		deferFirstRows, deferIndexRows = first, every
		it, err := db.BeginImport(ctx, LargeImport(), HoldEmptyTables())
		if err != nil {
			t.Fatal(err)
		}
		if err := it.Write(ctx, town); err != nil {
			t.Fatal(err)
		}
		deferred := it.tables[tableIndex(t, "events")].deferred != nil
		if _, err := it.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if want := first < 1<<30 || (db.dialect == sqliteDialect && every < 1<<40); deferred != want {
			t.Errorf("events' indexes deferred: %v, want %v", deferred, want)
		}
		recs, err := db.Load(ctx, q.First().AddDays(-7).Start(), q.Last().End())
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	kept := open()
	want := indexSQL(t, kept)
	keptRecs := load(kept, 1<<30, 1<<40)
	for _, c := range []struct {
		name  string
		first int
		every int64
	}{{"empty tables", 1, 1 << 40}, {"large import", 1 << 30, 1000}} {
		if c.every < 1<<40 && be.Name != "sqlite" {
			continue // PostgreSQL keeps the indexes of tables holding rows
		}
		deferred := open()
		if got := load(deferred, c.first, c.every); !reflect.DeepEqual(got, keptRecs) {
			t.Errorf("%s: the records stored by an import deferring its indexes differ", c.name)
		}
		if got := indexSQL(t, deferred); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: indexes after a deferring import:\n%v\nwant\n%v", c.name, got, want)
		}
	}

	// Rolled back after dropping them.
	empty := open()
	it, err := empty.BeginImport(ctx, LargeImport(), HoldEmptyTables())
	if err != nil {
		t.Fatal(err)
	}
	rolledBack := false
	defer func() {
		if !rolledBack { // a failed check must not leave the tables locked
			it.Rollback()
		}
	}()
	var evs []gridscore.Event
	for i := range deferFirstRows {
		evs = append(evs, gridscore.Event{ID: fmt.Sprintf("X%05d", i), WorkerID: "T0001-W0001", Flow: gridscore.FlowSelfHandled,
			Severity: gridscore.SeverityGeneral, Category: "治安", OccurredAt: q.First().Start(), ReportedAt: q.First().Start()})
	}
	if err := it.Write(ctx, &gridscore.Records{Events: evs}); err != nil {
		t.Fatal(err)
	}
	if tw := it.tables[tableIndex(t, "events")]; len(tw.deferred) == 0 {
		t.Fatal("the import did not drop the indexes of the empty events table")
	}
	rolledBack = true
	if err := it.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := indexSQL(t, empty); !reflect.DeepEqual(got, want) {
		t.Errorf("indexes after a rolled-back import:\n%v\nwant\n%v", got, want)
	}
}

// tableIndex returns the position of the named table in tables.
func tableIndex(t *testing.T, name string) int {
	for i := range tables {
		if tables[i].name == name {
			return i
		}
	}
	t.Fatalf("no table %s", name)
	return 0
}
