package engine_test

import (
	"encoding/json"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
)

// TestSettledResultHoldsLater: a result the engine calls settled is, worker
// for worker, the result as of any later moment; a quarter still running,
// or one with an event still open, is not settled. Random towns of
// refGenerate, each assessed a day, a week and a year after its quarter.
func TestSettledResultHoldsLater(t *testing.T) {
	t.Parallel()
	settled, open := 0, 0
	for seed := uint64(3000); seed < 3080; seed++ {
		c := refGenerate(seed)
		assess := func(asOf time.Time) *gs.Result { return assessCaseAt(c, asOf) }
		workers := func(r *gs.Result) string { return workersJSON(t, r) }
		if mid := assess(c.quarter.First().AddDays(30).Start().Add(10 * time.Hour)); mid.Settled {
			t.Errorf("seed %d: a result inside the quarter is called settled", seed)
		}
		if last := assess(c.quarter.Last().Start().Add(23 * time.Hour)); last.Settled {
			t.Errorf("seed %d: a result on the quarter's last day is called settled", seed)
		}
		after := c.quarter.Last().AddDays(1).Start().Add(9 * time.Hour)
		first := assess(after)
		if !first.Settled && !hasOpenJudgedEvent(c, after) {
			t.Errorf("seed %d: not settled after the quarter though no event of it is open", seed)
		}
		if !first.Settled {
			open++
			continue
		}
		settled++
		for _, later := range []time.Time{after.Add(7 * 24 * time.Hour), after.Add(365 * 24 * time.Hour)} {
			if got := assess(later); workers(got) != workers(first) {
				t.Errorf("seed %d: settled as of %s, but as of %s the workers differ", seed, after, later)
			}
		}
	}
	if settled == 0 || open == 0 {
		t.Fatalf("the towns drawn cover only one case: %d settled, %d with open events", settled, open)
	}
}

// hasOpenJudgedEvent tells whether c has an event the quarter's cards may
// judge at as_of: self-handled or assigned, no card given, a deadline in
// the quarter, not closed at asOf (its worker may yet be one who is not
// assessed).
func hasOpenJudgedEvent(c *refCase, asOf time.Time) bool {
	for _, e := range c.rec.Events {
		if (e.Flow == gs.FlowSelfHandled || e.Flow == gs.FlowAssigned) && e.Card == gs.CardNone &&
			!e.Deadline.IsZero() && (e.ClosedAt.IsZero() || e.ClosedAt.After(asOf)) && c.quarter.Contains(e.Deadline) {
			return true
		}
	}
	return false
}

// TestSettledFromHoldsEarlier: a settled result is, worker for worker, the
// result as of every moment from its SettledFrom on, earlier moments than
// its own included; a second before a SettledFrom that is an event's
// closing, that event is open and the result is not settled. Random towns
// of refGenerate, assessed a year after their quarter.
func TestSettledFromHoldsEarlier(t *testing.T) {
	t.Parallel()
	atEnd, atClosing := 0, 0
	for seed := uint64(3000); seed < 3120; seed++ {
		c := refGenerate(seed)
		end := c.quarter.Last().End()
		// Every other town has events closed late, after the quarter,
		// some of them a few seconds into a minute.
		if seed%2 == 1 {
			n := 0
			for i := range c.rec.Events {
				e := &c.rec.Events[i]
				if (e.Flow == gs.FlowSelfHandled || e.Flow == gs.FlowAssigned) && e.Card == gs.CardNone &&
					c.quarter.Contains(e.Deadline) && !e.ClosedAt.IsZero() && n < 3 {
					n++
					e.ClosedAt = end.Add(time.Duration(n*int(seed%50+1))*time.Hour + 1500*time.Millisecond)
				}
			}
		}
		assess := func(asOf time.Time) *gs.Result { return assessCaseAt(c, asOf) }
		workers := func(r *gs.Result) string { return workersJSON(t, r) }
		late := assess(end.Add(365 * 24 * time.Hour))
		if !late.Settled {
			if !late.SettledFrom.IsZero() {
				t.Errorf("seed %d: a result that is not settled says it is settled from %s", seed, late.SettledFrom)
			}
			continue
		}
		from := late.SettledFrom
		if from.Before(end) || from.After(late.AsOf) {
			t.Fatalf("seed %d: settled from %s, outside [%s, %s]", seed, from, end, late.AsOf)
		}
		for _, at := range []time.Time{from, from.Add(time.Second), from.Add(time.Hour), from.Add(40 * 24 * time.Hour)} {
			got := assess(at)
			if !got.Settled || workers(got) != workers(late) {
				t.Errorf("seed %d: settled from %s, but as of %s the result differs (settled %v)", seed, from, at, got.Settled)
			}
			if !got.SettledFrom.Equal(from) {
				t.Errorf("seed %d: as of %s settled from %s, as of a year later from %s", seed, at, got.SettledFrom, from)
			}
		}
		if from.Equal(end) {
			atEnd++
			continue
		}
		atClosing++
		if before := assess(from.Add(-time.Second)); before.Settled {
			t.Errorf("seed %d: settled from %s (an event's closing), yet settled a second before", seed, from)
		}
	}
	if atEnd == 0 || atClosing == 0 {
		t.Fatalf("the towns drawn cover only one case: %d settled from the quarter's end, %d from an event's closing", atEnd, atClosing)
	}
}

// assessCaseAt assesses c as of asOf.
func assessCaseAt(c *refCase, asOf time.Time) *gs.Result {
	return engine.Assess(engine.Input{Scheme: &c.scheme, Calendar: calendar.New(c.rec.Calendar),
		Records: c.rec, Quarter: c.quarter, AsOf: asOf})
}

// workersJSON is r's workers as JSON, to compare results but for as_of.
func workersJSON(t *testing.T, r *gs.Result) string {
	t.Helper()
	js, err := json.Marshal(r.Workers)
	if err != nil {
		t.Fatal(err)
	}
	return string(js)
}
