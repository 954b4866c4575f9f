package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storetest"
)

// categoryEvents returns n events numbered from first, with category c.
func categoryEvents(first, n int, c string) []gridscore.Event {
	var evs []gridscore.Event
	start := time.Date(2023, 7, 1, 8, 0, 0, 0, gridscore.CST)
	for i := first; i < first+n; i++ {
		evs = append(evs, gridscore.Event{ID: fmt.Sprintf("C%06d", i), WorkerID: "W001", Flow: gridscore.FlowSelfHandled,
			Severity: gridscore.SeverityGeneral, Category: c, ReportedAt: start.Add(time.Duration(i) * time.Minute)})
	}
	return evs
}

// TestImportTxFallsBackWhenAKeyIsStored writes, into a table holding rows,
// parts whose keys are new, a part whose last key is stored (with the same
// content) and a part giving again, changed, keys this import wrote: on
// PostgreSQL the new keys are copied straight into the table until a
// stored key turns up, which undoes that part's copy and sends the rest
// through the staging table. On both engines every key ends with its last
// content and the statistics count each row once.
func TestImportTxFallsBackWhenAKeyIsStored(t *testing.T) {
	for _, be := range storetest.Backends() {
		t.Run(be.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storedEvents(t, be.Target(t), 1000)

			it, err := db.BeginImport(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer it.Rollback()
			write := func(evs []gridscore.Event) *tableWriter {
				t.Helper()
				if err := it.Write(ctx, &gridscore.Records{Events: evs}); err != nil {
					t.Fatal(err)
				}
				return it.tables[tableIndex(t, "events")]
			}
			pg := db.dialect == postgresDialect
			if tw := write(categoryEvents(1000, 2000, "新")); tw.collided || tw.stage != "" {
				t.Error("new keys did not go straight into a table holding rows")
			}
			// 999 new keys, then C000000 as stored: the 999 copied before
			// it are undone and written again through the staging table.
			if tw := write(append(categoryEvents(3000, 999, "新"), categoryEvents(0, 1, "旧")...)); pg && (!tw.collided || tw.stage == "") {
				t.Error("a stored key did not send the rows through the staging table")
			}
			write(categoryEvents(2000, 1000, "改"))
			stats, err := it.Commit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if s, want := stats["events"], (KindStats{Received: 4000, Inserted: 2999, Updated: 1000, Unchanged: 1}); s != want {
				t.Errorf("stats = %+v, want %+v", s, want)
			}
			want := categoryEvents(0, 1000, "旧")
			want = append(want, categoryEvents(1000, 1000, "新")...)
			want = append(want, categoryEvents(2000, 1000, "改")...)
			want = append(want, categoryEvents(3000, 999, "新")...)
			got, err := db.Load(ctx, time.Date(2023, 1, 1, 0, 0, 0, 0, gridscore.CST), time.Date(2024, 1, 1, 0, 0, 0, 0, gridscore.CST))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Events) != len(want) {
				t.Fatalf("%d events stored, want %d", len(got.Events), len(want))
			}
			byID := map[string]string{}
			for _, e := range got.Events {
				byID[e.ID] = e.Category
			}
			for _, e := range want {
				if byID[e.ID] != e.Category {
					t.Errorf("%s: category %q, want %q", e.ID, byID[e.ID], e.Category)
				}
			}
		})
	}
}

// TestImportGathersStatistics: on PostgreSQL an import writing many rows
// into a table leaves the table's statistics gathered for the planner
// (its columns in pg_stats), and one rolled back leaves none.
func TestImportGathersStatistics(t *testing.T) {
	dsn, ok := storetest.Postgres()
	if !ok {
		t.Skip("PostgreSQL only: SQLite plans from its indexes")
	}
	ctx := context.Background()
	db, err := Open(ctx, storetest.PostgresTarget(t, dsn), WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	columns := func() int {
		var n int
		if err := db.read.QueryRow("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'events'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	it, err := db.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := it.Write(ctx, &gridscore.Records{Events: categoryEvents(0, analyzeRows, "新")}); err != nil {
		t.Fatal(err)
	}
	if err := it.Write(ctx, &gridscore.Records{Logins: []gridscore.Login{{WorkerID: "W001", Channel: gridscore.ChannelApp, At: time.Now()}}}); err != nil {
		t.Fatal(err)
	}
	it.Rollback()
	if n := columns(); n != 0 {
		t.Errorf("a rolled-back import left statistics of %d columns", n)
	}
	if _, err := db.Import(ctx, &gridscore.Records{Events: categoryEvents(0, analyzeRows, "新")}, nil); err != nil {
		t.Fatal(err)
	}
	if n := columns(); n != len(tables[tableIndex(t, "events")].cols) {
		t.Errorf("statistics of %d columns of events after an import, want all %d", n, len(tables[tableIndex(t, "events")].cols))
	}
}
