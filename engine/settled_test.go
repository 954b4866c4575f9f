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
		assess := func(asOf time.Time) *gs.Result {
			return engine.Assess(engine.Input{Scheme: &c.scheme, Calendar: calendar.New(c.rec.Calendar),
				Records: c.rec, Quarter: c.quarter, AsOf: asOf})
		}
		workers := func(r *gs.Result) string {
			js, err := json.Marshal(r.Workers)
			if err != nil {
				t.Fatal(err)
			}
			return string(js)
		}
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
