package store_test

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// parts splits recs into one Records per record of each kind, in the order
// of the kinds: the smallest parts an ImportTx can be given.
func parts(recs *gridscore.Records) []*gridscore.Records {
	var ps []*gridscore.Records
	add := func(r gridscore.Records) { ps = append(ps, &r) }
	for _, x := range recs.Grids {
		add(gridscore.Records{Grids: []gridscore.Grid{x}})
	}
	for _, x := range recs.Workers {
		add(gridscore.Records{Workers: []gridscore.Worker{x}})
	}
	for _, x := range recs.Events {
		add(gridscore.Records{Events: []gridscore.Event{x}})
	}
	for _, x := range recs.Logins {
		add(gridscore.Records{Logins: []gridscore.Login{x}})
	}
	rest := *recs
	rest.Grids, rest.Workers, rest.Events, rest.Logins = nil, nil, nil, nil
	add(rest)
	return ps
}

// importInParts writes each part in its own Write of one ImportTx.
func importInParts(tb testing.TB, db *store.DB, ps []*gridscore.Records) store.ImportStats {
	tb.Helper()
	ctx := context.Background()
	it, err := db.BeginImport(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer it.Rollback()
	for _, p := range ps {
		if err := it.Write(ctx, p); err != nil {
			tb.Fatal(err)
		}
	}
	stats, err := it.Commit(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return stats
}

func TestImportTxInPartsStoresWhatImportStores(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		want := fullRecords()
		stats := importInParts(t, db, parts(want))
		for kind, n := range kindsOf(want) {
			if s := stats[kind]; s != (store.KindStats{Received: n, Inserted: n}) {
				t.Errorf("stats[%s] = %+v, want %d received and inserted", kind, s, n)
			}
		}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), want); d != "" {
			t.Errorf("loaded records differ from written:\n%s", d)
		}

		// Again, with one event changed: one update, the rest unchanged.
		next := fullRecords()
		next.Events[1].Category = "新类别"
		stats = importInParts(t, db, parts(next))
		if s := stats["events"]; s != (store.KindStats{Received: 2, Updated: 1, Unchanged: 1}) {
			t.Errorf("events stats = %+v", s)
		}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), next); d != "" {
			t.Errorf("loaded records differ from written:\n%s", d)
		}
	})
}

func TestImportTxRollbackLeavesTheStoreAsItWas(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		ctx := context.Background()
		mustImport(t, db, fullRecords())
		counts := mustCounts(t, db)
		loaded := mustLoad(t, db, everythingFrom, everythingTo)

		it, err := db.BeginImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		changed := fullRecords()
		changed.Workers[0].Name = "改名"
		for _, p := range append(parts(changed), manyEvents(3000, 0)) {
			if err := it.Write(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := it.Rollback(); err != nil {
			t.Fatal(err)
		}
		if err := it.Rollback(); err != nil {
			t.Errorf("second Rollback: %v", err)
		}
		if err := it.Write(ctx, fullRecords()); err == nil {
			t.Error("Write after Rollback succeeded")
		}
		if _, err := it.Commit(ctx); err == nil {
			t.Error("Commit after Rollback succeeded")
		}
		if got := mustCounts(t, db); !maps.Equal(got, counts) {
			t.Errorf("counts after rollback = %v, want %v", got, counts)
		}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), loaded); d != "" {
			t.Errorf("rollback left changes:\n%s", d)
		}

		// The store takes the next import as usual.
		if stats := importInParts(t, db, []*gridscore.Records{manyEvents(10, 0)}); stats["events"].Inserted != 10 {
			t.Errorf("stats after rollback = %+v", stats)
		}
	})
}

// manyEvents returns n events numbered from first, with the given category.
func manyEvents(n, first int) *gridscore.Records {
	recs := &gridscore.Records{}
	for i := range n {
		recs.Events = append(recs.Events, gridscore.Event{ID: fmt.Sprintf("M-%07d", first+i), WorkerID: "W001",
			Flow: gridscore.FlowSelfHandled, Severity: gridscore.SeverityGeneral,
			ReportedAt: at(2023, 7, 1, 8, 0, 0).Add(time.Duration(first+i) * time.Minute)})
	}
	return recs
}

func TestImportTxSameKeyInTwoWritesKeepsTheLast(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		first := manyEvents(1500, 0)
		second := manyEvents(1500, 1000) // 500 keys again, with other times
		for i := range second.Events {
			second.Events[i].Category = "第二次"
		}
		stats := importInParts(t, db, []*gridscore.Records{first, second})
		// 2500 distinct keys; the 500 given twice count as written twice.
		if s := stats["events"]; s != (store.KindStats{Received: 3000, Inserted: 2500, Updated: 500}) {
			t.Errorf("stats = %+v", s)
		}
		want := &gridscore.Records{Events: append(first.Events[:1000:1000], second.Events...)}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), want); d != "" {
			t.Errorf("loaded records differ:\n%s", d)
		}
	})
}
