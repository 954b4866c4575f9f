package store

import (
	"context"
	"strings"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestImportCountsNoTable: an import into a table holding rows — new keys,
// stored keys changed, stored keys the same, a key given twice — reports
// the same figures from Preview and Commit as counting the table before
// and after would, without counting the table (a COUNT(*) scans the whole
// table, a district's on PostgreSQL). A large import counts a SQLite table
// holding rows once, for deferring its indexes, and PostgreSQL's not at
// all.
func TestImportCountsNoTable(t *testing.T) {
	for _, be := range storetest.Backends() {
		for _, large := range []bool{false, true} {
			name := be.Name
			if large {
				name += "/large"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				db := storedEvents(t, be.Target(t), 1000)
				var opts []ImportOption
				if large {
					opts = append(opts, LargeImport())
				}
				it, err := db.BeginImport(ctx, opts...)
				if err != nil {
					t.Fatal(err)
				}
				defer it.Rollback()
				write := func(evs []gridscore.Event) {
					t.Helper()
					if err := it.Write(ctx, &gridscore.Records{Events: evs}); err != nil {
						t.Fatal(err)
					}
				}
				write(categoryEvents(1000, 500, "新"))                                        // 500 new
				write(append(categoryEvents(0, 300, "改"), categoryEvents(300, 200, "旧")...)) // 300 changed, 200 the same
				write(categoryEvents(1000, 100, "再改"))                                       // 100 of this import's changed again
				want := KindStats{Received: 1100, Inserted: 500, Updated: 400, Unchanged: 200}
				preview, err := it.Preview(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if preview["events"] != want {
					t.Errorf("preview = %+v, want %+v", preview["events"], want)
				}
				stats, err := it.Commit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if stats["events"] != want {
					t.Errorf("commit = %+v, want %+v", stats["events"], want)
				}
				wantCounts := 0
				if large && db.dialect == sqliteDialect {
					wantCounts = 1
				}
				if it.counts != wantCounts {
					t.Errorf("the import counted a table %d times, want %d", it.counts, wantCounts)
				}
				var n int64
				if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM events").Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 1500 {
					t.Errorf("%d events stored, want 1500", n)
				}
			})
		}
	}
}

// TestImportCountsWhenRowidsAreFar: a SQLite table whose largest rowid is
// near the end, where SQLite may give new rows any free rowid, is counted
// before and after, and the figures are still right.
func TestImportCountsWhenRowidsAreFar(t *testing.T) {
	ctx := context.Background()
	db := storedEvents(t, storetest.SQLiteTarget(t), 10)
	if _, err := db.write.ExecContext(ctx, "UPDATE events SET rowid = ? WHERE event_id = 'C000009'", int64(farRowid)+1); err != nil {
		t.Fatal(err)
	}
	it, err := db.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Rollback()
	if err := it.Write(ctx, &gridscore.Records{Events: append(categoryEvents(5, 5, "改"), categoryEvents(10, 7, "新")...)}); err != nil {
		t.Fatal(err)
	}
	stats, err := it.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (KindStats{Received: 12, Inserted: 7, Updated: 5}); stats["events"] != want {
		t.Errorf("stats = %+v, want %+v", stats["events"], want)
	}
	if it.counts != 2 {
		t.Errorf("the import counted a table %d times, want 2 (before and after)", it.counts)
	}
}

// storedEvents opens a new store at target, closed when the test ends,
// holding n events of category 旧 (categoryEvents from 0).
func storedEvents(t *testing.T, target string, n int) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, target, WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Import(ctx, &gridscore.Records{Events: categoryEvents(0, n, "旧")}, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestImportTablesTakeRowidsInOrder guards what sqliteInserted rests on:
// every table an import writes gives a new row the rowid one above the
// largest stored. A table WITHOUT ROWID has no rowid, one declared
// AUTOINCREMENT takes rowids above any ever used (deleted rows' too), and
// an INTEGER PRIMARY KEY is the rowid itself, set by the records: counting
// by the rowid's move would then be wrong, and such a table must be
// counted another way.
func TestImportTablesTakeRowidsInOrder(t *testing.T) {
	ctx := context.Background()
	db, err := OpenAndMigrate(ctx, storetest.SQLiteTarget(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tb := range tables {
		var ddl string
		if err := db.read.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", tb.name).Scan(&ddl); err != nil {
			t.Fatalf("%s: %v", tb.name, err)
		}
		upper := strings.ToUpper(ddl)
		for _, word := range []string{"WITHOUT ROWID", "AUTOINCREMENT"} {
			if strings.Contains(upper, word) {
				t.Errorf("table %s is declared %s:\n%s", tb.name, word, ddl)
			}
		}
		rows, err := db.read.QueryContext(ctx, "SELECT type, pk FROM pragma_table_info(?)", tb.name)
		if err != nil {
			t.Fatal(err)
		}
		var pkTypes []string
		cols := 0
		for rows.Next() {
			cols++
			var typ string
			var pk int
			if err := rows.Scan(&typ, &pk); err != nil {
				t.Fatal(err)
			}
			if pk > 0 {
				pkTypes = append(pkTypes, strings.ToUpper(typ))
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if cols != len(tb.cols) {
			t.Errorf("table %s: %d columns read, want the %d it is written with", tb.name, cols, len(tb.cols))
		}
		if len(pkTypes) == 1 && pkTypes[0] == "INTEGER" {
			t.Errorf("table %s has an INTEGER PRIMARY KEY, which is its rowid, set by the records", tb.name)
		}
	}
}
