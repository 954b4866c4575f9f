package gen

import (
	"slices"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/scheme"
)

// TestAssessGeneratedTown assesses a generated town with the default scheme
// and checks that the result looks like a real town's: most workers score
// well, a tail scores below 80, some recent hires are not yet eligible, and
// the deductions spread over many rules.
func TestAssessGeneratedTown(t *testing.T) {
	t.Parallel()
	for _, seed := range []int64{1, 2, 3} {
		for _, q := range []gs.Quarter{{Year: 2023, Q: 3}, {Year: 2024, Q: 1}} {
			recs := collect(t, Options{Workers: 300, Quarter: q, Seed: seed})[0]
			s := scheme.Default()
			res := engine.Assess(engine.Input{
				Scheme: &s, Calendar: calendar.New(recs.Calendar), Records: recs, Quarter: q,
				AsOf: q.Last().End().Add(7 * 24 * time.Hour),
			})
			var totals []gs.Points
			ineligible, below80 := 0, 0
			rules := map[gs.RuleID]int{}
			for _, w := range res.Workers {
				if !w.Eligible {
					ineligible++
					continue
				}
				totals = append(totals, *w.Total)
				if *w.Total < 8000 {
					below80++
				}
				for _, d := range w.Deductions {
					rules[d.Rule]++
				}
			}
			if len(res.Workers) != len(recs.Workers) {
				t.Errorf("seed %d %s: %d workers assessed, %d generated", seed, q, len(res.Workers), len(recs.Workers))
			}
			slices.Sort(totals)
			median := totals[len(totals)/2]
			t.Logf("seed %d %s: %d eligible, median %s, lowest %s, %d below 80, %d ineligible, %d rules at work",
				seed, q, len(totals), median, totals[0], below80, ineligible, len(rules))
			if median < 8500 {
				t.Errorf("seed %d %s: median total %s, want at least 85", seed, q, median)
			}
			if below80 == 0 || below80*5 > len(totals) {
				t.Errorf("seed %d %s: %d of %d eligible workers below 80, want a tail", seed, q, below80, len(totals))
			}
			if ineligible == 0 {
				t.Errorf("seed %d %s: every worker is eligible; recent hires should not be", seed, q)
			}
			if len(rules) < 15 {
				t.Errorf("seed %d %s: only rules %v at work", seed, q, rules)
			}
		}
	}
}
