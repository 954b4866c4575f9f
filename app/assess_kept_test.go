package app_test

import (
	"context"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
)

// keptTowns is the demo town with every event closed, one of them only on
// 20 October (after the quarter, so the quarter's result changes until
// then), and a second town, 白石镇, with a worker and an event of its own.
func keptTowns() *gs.Records {
	recs := demo.Town(1)
	q := demo.Quarter()
	late := false
	for i := range recs.Events {
		e := &recs.Events[i]
		if !e.ClosedAt.IsZero() {
			continue
		}
		e.ClosedAt = e.ReportedAt.Add(time.Hour)
		if !late && (e.Flow == gs.FlowSelfHandled || e.Flow == gs.FlowAssigned) && e.Card == gs.CardNone && q.Contains(e.Deadline) {
			e.ClosedAt = keptLateClosing
			late = true
		}
	}
	if !late {
		panic("the demo town has no open event the cards judge: the test would show nothing")
	}
	recs.Grids = append(recs.Grids, gs.Grid{Code: "BS-01", Name: "白石一网格", Town: "白石镇"})
	recs.Workers = append(recs.Workers, gs.Worker{ID: "BS001", Name: "白一", Type: gs.FullTime, GridCode: "BS-01", HiredOn: gs.NewDate(2020, 1, 1)})
	reported := q.First().AddDays(5).Start().Add(9 * time.Hour)
	recs.Events = append(recs.Events, gs.Event{ID: "BS-E1", WorkerID: "BS001", Flow: gs.FlowSelfHandled, Severity: gs.SeverityGeneral,
		Category: "市容市貌", OccurredAt: reported, ReportedAt: reported, Deadline: reported.Add(48 * time.Hour), ClosedAt: reported.Add(72 * time.Hour)})
	return recs
}

// keptLateClosing is when the last event of keptTowns is closed.
var keptLateClosing = time.Date(2023, 10, 20, 10, 0, 30, 0, gs.CST)

// TestAssessKeptIsAssess: the results an import keeps (KeepAssessed) are
// what AssessKept gives for the quarter, without computing, as of every
// moment from the last closing of an event on — earlier moments than the
// one they were computed as of included — and exactly what Assess gives
// then, for both towns of the store. A moment before that closing, a
// changed record and another scheme are each computed again, and again
// give what Assess gives, as after a worker moves from one town to the
// other. A quarter under way is not computed ahead.
func TestAssessKeptIsAssess(t *testing.T) {
	forEachQuarterServiceOf(t, keptTowns, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := context.Background()
		q := demo.Quarter()
		*now = time.Date(2023, 11, 30, 17, 0, 0, 0, gs.CST)
		next := gs.Quarter{Year: 2023, Q: 4}
		done, err := s.KeepAssessed(ctx, []gs.Quarter{q, next}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 1 || done[0] != q {
			t.Fatalf("computed ahead %v, want only %s (%s is under way on 30 November)", done, q, next)
		}
		computed := 0
		s.Computing = func() { computed++ }
		check := func(what string, asOf time.Time, wantComputed int) {
			t.Helper()
			before := computed
			got, err := s.AssessKept(ctx, q, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if n := computed - before; n != wantComputed {
				t.Errorf("%s: computed %d times, want %d", what, n, wantComputed)
			}
			want, err := s.Assess(ctx, q, asOf)
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, what, got, want)
			if got.SchemeName != want.SchemeName {
				t.Errorf("%s: scheme name %q, want %q", what, got.SchemeName, want.SchemeName)
			}
			towns := map[string]bool{}
			for _, w := range got.Workers {
				towns[w.Town] = true
			}
			if !towns[demo.TownName] || !towns["白石镇"] {
				t.Errorf("%s: the result has the workers of %v, want both towns", what, towns)
			}
		}
		for _, asOf := range []time.Time{keptLateClosing, keptLateClosing.Add(time.Hour), *now, now.AddDate(1, 0, 0)} {
			check("kept result as of "+asOf.String(), asOf, 0)
		}
		// On 8 October the late event was still open: that moment is
		// computed, then kept.
		early := demo.AsOf()
		check("as of 8 October", early, 1)
		check("as of 8 October again", early, 0)
		check("a second before the late closing", keptLateClosing.Add(-time.Second), 1)
		// The pages' live results take the kept ones too.
		if res, err := s.CachedTown(ctx, "白石镇", q, now.Add(time.Hour)); err != nil || res == nil {
			t.Errorf("白石镇's page is not given the kept result (err %v)", err)
		}

		// A finding of QS001 changes the records.
		if _, err := s.DB.Import(ctx, &gs.Records{Findings: []gs.Finding{{ID: "KEPT-1", WorkerID: "QS001", Kind: gs.FindingOmitMajor,
			OccurredOn: q.First().AddDays(20), Count: 1}}}, nil); err != nil {
			t.Fatal(err)
		}
		check("after a finding", *now, 1)
		check("after a finding, again", *now, 0)
		if done, err := s.KeepAssessed(ctx, []gs.Quarter{q}, nil); err != nil || len(done) != 0 {
			t.Errorf("with its results kept, the quarter was computed ahead again (%v, err %v)", done, err)
		}

		// QS002 moves to 白石镇's grid: both towns' results change, and are
		// read again together.
		var moved gs.Worker
		for _, w := range demo.Town(1).Workers {
			if w.ID == "QS002" {
				moved = w
			}
		}
		if moved.ID == "" {
			t.Fatal("the demo town has no QS002")
		}
		moved.GridCode = "BS-01"
		if _, err := s.DB.Import(ctx, &gs.Records{Workers: []gs.Worker{moved}}, nil); err != nil {
			t.Fatal(err)
		}
		check("after QS002 moved to 白石镇", *now, 1)
		if res, err := s.AssessKept(ctx, q, *now); err != nil {
			t.Fatal(err)
		} else {
			for _, w := range res.Workers {
				if w.WorkerID == "QS002" && w.Town != "白石镇" {
					t.Errorf("QS002 is listed in %s after moving to 白石镇", w.Town)
				}
			}
		}
		check("after QS002 moved, again", *now, 0)

		// Another scheme: a yellow card costs more.
		other := scheme.Default()
		other.Points[gs.RuleEventsYellow] *= 2
		s2 := &app.Service{DB: s.DB, Scheme: other, Now: s.Now}
		n2 := 0
		s2.Computing = func() { n2++ }
		got, err := s2.AssessKept(ctx, q, *now)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s2.Assess(ctx, q, *now)
		if err != nil {
			t.Fatal(err)
		}
		if n2 != 1 {
			t.Errorf("another scheme: computed %d times, want 1", n2)
		}
		sameResult(t, "another scheme", got, want)
	})
}
