package app_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
)

// TestLiveTownKeptUntilRecordsChange: a town computed live is kept in the
// store and given again for the same moment, exactly as computed; another
// moment is not given the kept result; and once a record changes, the kept
// result is no longer given and the next one shows the change.
func TestLiveTownKeptUntilRecordsChange(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := context.Background()
		q, asOf := demo.Quarter(), demo.AsOf()
		if res, err := s.CachedTown(ctx, demo.TownName, q, asOf); err != nil || res != nil {
			t.Fatalf("before any computation: kept result %v, err %v", res != nil, err)
		}
		live, err := s.LiveTown(ctx, demo.TownName, q, asOf)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.AssessTown(ctx, demo.TownName, q, asOf)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, "first live result", live, want)
		kept, err := s.CachedTown(ctx, demo.TownName, q, asOf)
		if err != nil || kept == nil {
			t.Fatalf("the live result was not kept (err %v)", err)
		}
		sameResult(t, "kept result", kept, want)
		if other, err := s.CachedTown(ctx, demo.TownName, q, asOf.Add(time.Hour)); err != nil || other != nil {
			t.Fatalf("another moment was given the kept result (err %v)", err)
		}

		// QS001 is found to have let a major matter go unreported.
		before := totalOf(t, want, "QS001")
		recs := &gs.Records{Findings: []gs.Finding{{ID: "LIVE-1", WorkerID: "QS001", Kind: gs.FindingOmitMajor,
			OccurredOn: q.First().AddDays(20), Count: 1}}}
		if _, err := s.DB.Import(ctx, recs, nil); err != nil {
			t.Fatal(err)
		}
		if res, err := s.CachedTown(ctx, demo.TownName, q, asOf); err != nil || res != nil {
			t.Fatalf("after a record changed the old result is still given (err %v)", err)
		}
		after, err := s.LiveTown(ctx, demo.TownName, q, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if got := totalOf(t, after, "QS001"); got >= before {
			t.Errorf("QS001's live total %v after the finding, was %v: want lower", got, before)
		}
		want, err = s.AssessTown(ctx, demo.TownName, q, asOf)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, "live result after the change", after, want)
	})
}

func sameResult(t *testing.T, what string, got, want *gs.Result) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Fatalf("%s differs from the assessment:\n got %.300s\nwant %.300s", what, g, w)
	}
	if len(got.Notes) != len(want.Notes) {
		t.Errorf("%s: notes %q, want %q", what, got.Notes, want.Notes)
	}
}

func totalOf(t *testing.T, res *gs.Result, id string) gs.Points {
	t.Helper()
	for _, w := range res.Workers {
		if w.WorkerID == id && w.Total != nil {
			return *w.Total
		}
	}
	t.Fatalf("%s has no total", id)
	return 0
}

// TestSettledQuarterNotComputedAgain: a quarter that is over is computed
// again at every new moment while an event of it is still open; once none
// is, its kept result serves every later moment, exactly as computing it
// then would.
func TestSettledQuarterNotComputedAgain(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := context.Background()
		q, asOf := demo.Quarter(), demo.AsOf()
		later := asOf.Add(40 * 24 * time.Hour)
		res, err := s.LiveTown(ctx, demo.TownName, q, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if res.Settled {
			t.Fatal("the demo quarter, with events still open, is called settled")
		}
		if kept, err := s.CachedTown(ctx, demo.TownName, q, later); err != nil || kept != nil {
			t.Fatalf("with events open, a later moment was given the kept result (err %v)", err)
		}

		// Every open event of the town is closed.
		var closed []gs.Event
		for _, e := range demo.Town(1).Events {
			if e.ClosedAt.IsZero() {
				e.ClosedAt = e.ReportedAt.Add(time.Hour)
				closed = append(closed, e)
			}
		}
		if len(closed) == 0 {
			t.Fatal("the demo town has no open event: the test shows nothing")
		}
		if _, err := s.DB.Import(ctx, &gs.Records{Events: closed}, nil); err != nil {
			t.Fatal(err)
		}
		if res, err = s.LiveTown(ctx, demo.TownName, q, asOf); err != nil || !res.Settled {
			t.Fatalf("with no event open, the quarter is not settled (err %v)", err)
		}
		kept, err := s.CachedTown(ctx, demo.TownName, q, later)
		if err != nil || kept == nil {
			t.Fatalf("a later moment of the settled quarter is not given the kept result (err %v)", err)
		}
		want, err := s.AssessTown(ctx, demo.TownName, q, later)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, "kept settled result at a later moment", kept, want)
	})
}

// TestLiveTownKeptThroughOtherTownsChanges: a change by hand to a worker of
// another town keeps the town's live result; one to the town's own worker
// does not.
func TestLiveTownKeptThroughOtherTownsChanges(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := context.Background()
		q, asOf := demo.Quarter(), demo.AsOf()
		if _, err := s.DB.Import(ctx, &gs.Records{
			Grids:   []gs.Grid{{Code: "BS-01", Name: "白石一网格", Town: "白石镇"}},
			Workers: []gs.Worker{{ID: "BS001", Name: "白一", Type: gs.FullTime, GridCode: "BS-01", HiredOn: gs.NewDate(2020, 1, 1)}},
		}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LiveTown(ctx, demo.TownName, q, asOf); err != nil {
			t.Fatal(err)
		}
		kept := func() bool {
			t.Helper()
			res, err := s.CachedTown(ctx, demo.TownName, q, asOf)
			if err != nil {
				t.Fatal(err)
			}
			return res != nil
		}
		finding := func(id, worker string) store.RecordChange {
			return store.RecordChange{New: true, Put: &gs.Records{Findings: []gs.Finding{{ID: id, WorkerID: worker, Kind: gs.FindingPhone,
				OccurredOn: q.First().AddDays(10), Count: 1}}}}
		}
		if err := s.DB.ChangeRecords(ctx, finding("F-BS", "BS001")); err != nil {
			t.Fatal(err)
		}
		if !kept() {
			t.Error("a finding of 白石镇's worker made 青山镇's live result outdated")
		}
		if err := s.DB.ChangeRecords(ctx, finding("F-QS", "QS001")); err != nil {
			t.Fatal(err)
		}
		if kept() {
			t.Error("a finding of 青山镇's own worker kept its old live result")
		}
	})
}
