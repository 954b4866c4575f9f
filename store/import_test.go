package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

func TestRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		want := fullRecords()
		stats := mustImport(t, db, want)

		for kind, n := range kindsOf(want) {
			s := stats[kind]
			if s != (store.KindStats{Received: n, Inserted: n}) {
				t.Errorf("stats[%s] = %+v, want %d received and inserted", kind, s, n)
			}
		}
		if got := mustCounts(t, db); !maps.Equal(got, kindsOf(want)) {
			t.Errorf("counts = %v, want %v", got, kindsOf(want))
		}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), want); d != "" {
			t.Errorf("loaded records differ from imported:\n%s", d)
		}
	})
}

func TestImportSameRecordsTwiceChangesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		mustImport(t, db, fullRecords())
		counts := mustCounts(t, db)
		loaded := mustLoad(t, db, everythingFrom, everythingTo)

		stats := mustImport(t, db, fullRecords())
		for kind, n := range kindsOf(fullRecords()) {
			if s := stats[kind]; s != (store.KindStats{Received: n, Unchanged: n}) {
				t.Errorf("second import stats[%s] = %+v, want all %d unchanged", kind, s, n)
			}
		}
		if got := mustCounts(t, db); !maps.Equal(got, counts) {
			t.Errorf("counts after second import = %v, want %v", got, counts)
		}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), loaded); d != "" {
			t.Errorf("second import changed records:\n%s", d)
		}
	})
}

func TestImportReplacesRowWithSameKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		mustImport(t, db, fullRecords())
		counts := mustCounts(t, db)

		// The worker loses their left_on date and own amounts, the event is
		// reopened, the leave gets longer: values become empty as well as
		// change.
		next := fullRecords()
		next.Workers[0].Name = "张三丰"
		next.Workers[0].LeftOn = 0
		next.Workers[0].MonthlyPerformanceFen = nil
		next.Workers[1].QuarterlySubsidyFen = fen(15000)
		next.Events[0].ClosedAt = time.Time{}
		next.Events[0].Card = gridscore.CardNone
		next.Leaves[0].To = day(2023, 7, 14)
		stats := mustImport(t, db, next)

		want := map[string]store.KindStats{
			"workers": {Received: 2, Updated: 2},
			"events":  {Received: 2, Updated: 1, Unchanged: 1},
			"leaves":  {Received: 2, Updated: 1, Unchanged: 1},
			"logins":  {Received: 2, Unchanged: 2},
			"grids":   {Received: 2, Unchanged: 2},
		}
		for kind, w := range want {
			if stats[kind] != w {
				t.Errorf("stats[%s] = %+v, want %+v", kind, stats[kind], w)
			}
		}
		if got := mustCounts(t, db); !maps.Equal(got, counts) {
			t.Errorf("counts after replacing = %v, want %v (replacing adds no rows)", got, counts)
		}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), next); d != "" {
			t.Errorf("stored rows were not replaced:\n%s", d)
		}
	})
}

func TestImportSameKeyTwiceInOneImportKeepsTheLast(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		recs := &gridscore.Records{Grids: []gridscore.Grid{
			{Code: "G01", Name: "旧名", Town: "XX镇"},
			{Code: "G01", Name: "新名", Town: "XX镇"},
		}}
		stats := mustImport(t, db, recs)
		if want := (store.KindStats{Received: 2, Inserted: 1, Unchanged: 1}); stats["grids"] != want {
			t.Errorf("stats = %+v, want %+v", stats["grids"], want)
		}
		got := mustLoad(t, db, everythingFrom, everythingTo).Grids
		if len(got) != 1 || got[0].Name != "新名" {
			t.Errorf("grids = %+v, want only G01 named 新名", got)
		}
	})
}

// rowErrors stands for the validation report a caller's check returns.
type rowErrors struct{ rows []string }

func (e *rowErrors) Error() string { return fmt.Sprintf("%d bad rows", len(e.rows)) }

func TestCheckErrorWritesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		stored := fullRecords()
		mustImport(t, db, stored)
		counts := mustCounts(t, db)

		incoming := &gridscore.Records{
			Grids:   []gridscore.Grid{{Code: "G09", Name: "九网格", Town: "XX镇"}},
			Workers: []gridscore.Worker{{ID: "W009", Name: "新人", Type: gridscore.FullTime, GridCode: "G09", HiredOn: day(2023, 9, 1)}},
			Events: []gridscore.Event{{ID: "E-9", WorkerID: "W404", Flow: gridscore.FlowReported,
				Severity: gridscore.SeverityGeneral, ReportedAt: at(2023, 9, 2, 9, 0, 0)}},
		}
		report := &rowErrors{rows: []string{"events.csv:2: worker_id: 工号 W404 不存在"}}
		var known *store.Known
		_, err := db.Import(context.Background(), incoming, func(k *store.Known) error {
			known = k
			return report
		})

		var got *rowErrors
		if !errors.As(err, &got) || got != report || err != error(report) {
			t.Fatalf("Import returned %v (%T), want the check's error unchanged", err, err)
		}
		if c := mustCounts(t, db); !maps.Equal(c, counts) {
			t.Errorf("counts after a failed check = %v, want %v", c, counts)
		}

		// What the check saw is what was stored, not what was arriving.
		wantGrids := map[string]bool{"G01": true, "G02": true}
		wantMeetings := map[string]bool{"M-1": true, "M-2": true}
		wantPersons := map[string]bool{"R-1": true, "R-2": true}
		if !maps.Equal(known.Grids, wantGrids) {
			t.Errorf("Known.Grids = %v, want %v", known.Grids, wantGrids)
		}
		if !reflect.DeepEqual(known.Workers, stored.Workers) {
			t.Errorf("Known.Workers = %+v, want %+v", known.Workers, stored.Workers)
		}
		if !maps.Equal(known.MeetingIDs, wantMeetings) {
			t.Errorf("Known.MeetingIDs = %v, want %v", known.MeetingIDs, wantMeetings)
		}
		if !maps.Equal(known.PersonIDs, wantPersons) {
			t.Errorf("Known.PersonIDs = %v, want %v", known.PersonIDs, wantPersons)
		}
	})
}

func TestCheckPassingWrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		var known *store.Known
		_, err := db.Import(context.Background(), fullRecords(), func(k *store.Known) error {
			known = k
			return nil
		})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if len(known.Grids) != 0 || len(known.Workers) != 0 || len(known.MeetingIDs) != 0 || len(known.PersonIDs) != 0 {
			t.Errorf("an empty store's Known = %+v, want nothing", known)
		}
		if got := mustCounts(t, db); !maps.Equal(got, kindsOf(fullRecords())) {
			t.Errorf("counts = %v, want %v", got, kindsOf(fullRecords()))
		}
	})
}

func TestImportFailingRowWritesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		// The grids come first and are fine; the event has no reported_at,
		// which the schema refuses: the grids must not stay behind.
		recs := &gridscore.Records{
			Grids: []gridscore.Grid{{Code: "G01", Name: "一网格", Town: "XX镇"}},
			Events: []gridscore.Event{{ID: "E-1", WorkerID: "W001", Flow: gridscore.FlowReported,
				Severity: gridscore.SeverityGeneral}},
		}
		_, err := db.Import(context.Background(), recs, nil)
		if code := gridscore.ErrorCode(err); code != gridscore.EINVALID {
			t.Errorf("error %v has code %q, want %q", err, code, gridscore.EINVALID)
		}
		for kind, n := range mustCounts(t, db) {
			if n != 0 {
				t.Errorf("%d %s rows written by a failed import", n, kind)
			}
		}
	})
}

func TestImportManyRows(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		// More rows than one statement takes, and not a multiple of it.
		recs := &gridscore.Records{}
		for i := range 1234 {
			recs.Logins = append(recs.Logins, gridscore.Login{WorkerID: "W001", Channel: gridscore.ChannelApp,
				At: at(2023, 7, 1, 8, 0, 0).Add(time.Duration(i) * time.Minute)})
			recs.Events = append(recs.Events, gridscore.Event{ID: fmt.Sprintf("E-%05d", i), WorkerID: "W001",
				Flow: gridscore.FlowSelfHandled, Severity: gridscore.SeverityGeneral,
				ReportedAt: at(2023, 7, 1, 8, 0, 0).Add(time.Duration(i) * time.Minute)})
		}
		stats := mustImport(t, db, recs)
		if stats["logins"].Inserted != 1234 || stats["events"].Inserted != 1234 {
			t.Errorf("stats = %+v, want 1234 logins and events inserted", stats)
		}
		stats = mustImport(t, db, recs)
		if stats["logins"].Unchanged != 1234 || stats["events"].Unchanged != 1234 {
			t.Errorf("second import stats = %+v, want all unchanged", stats)
		}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), recs); d != "" {
			t.Errorf("loaded records differ:\n%s", d)
		}
	})
}
