package engine_test

// Randomized comparison of the engine's warnings (RULES.md §9) with the
// reference of reference_warnings_test.go, on the random towns of
// differential_test.go (refGenerate) assessed at moments inside the quarter
// chosen on the boundaries §9 draws: the first and last minute and second of
// a day, the 1st, the 28th and 29th and the last day of each month, and the
// moments an open event reaches warn_share of its limit, its deadline and
// the point where it turns red (each ± 1 s). warn_share moves off 0.7 in half
// the towns.
//
// Reproduce one seed with
//
//	go test ./engine/ -run 'TestWarningsRandom/seed=17$' -v

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
)

const warnSeeds = 100

func TestWarningsRandom(t *testing.T) {
	seen := map[gs.RuleID]int{}
	moments := 0
	for seed := uint64(1); seed <= warnSeeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			c := refGenerate(seed)
			rng := rand.New(rand.NewPCG(seed, 0x3a7e5))
			c.scheme.WarnShare = []int64{70, 70, 50, 85, 100, 1}[rng.IntN(6)]
			for _, at := range warnMoments(rng, c) {
				moments++
				c.asOf = at
				want := refWarnings(&c.scheme, calendar.New(nil), c.rec, c.quarter, at)
				res := engine.Assess(engine.Input{Scheme: &c.scheme, Calendar: calendar.New(c.rec.Calendar), Records: c.rec, Quarter: c.quarter, AsOf: at})
				warnCompare(t, "Assess", at, res, want, seen)
				cardsAgreeWithWarnings(t, at, res)
				warnCompare(t, "AssessChunk", at, refAssessInChunks(c), want, nil)
			}
		})
	}
	if t.Failed() || moments < warnSeeds {
		return
	}
	t.Logf("%d moments; warnings per rule: %v", moments, seen)
	for _, r := range []gs.RuleID{gs.RuleEventsQuota, gs.RuleEventsYellow, gs.RuleEventsRed, gs.RuleKeyVisits,
		gs.RuleKeyMissingEntry, gs.RuleDisciplineLogin, gs.RuleDisciplinePatrol} {
		if seen[r] == 0 {
			t.Errorf("no moment produced a %s warning: the comparison no longer exercises it", r)
		}
	}
}

// warnMoments picks twelve moments inside the quarter, most on a
// boundary of §9.
func warnMoments(rng *rand.Rand, c *refCase) []time.Time {
	months := refQuarter(c.quarter)
	first, end := months[0].first.start(), (months[2].last + 1).start()
	var cands []time.Time
	for _, m := range months {
		for _, d := range []refDay{m.first, m.day(28), m.day(29), m.last, m.first + refDay(rng.IntN(int(m.last-m.first+1)))} {
			for _, clock := range []time.Duration{0, 59 * time.Second, 23*time.Hour + 59*time.Minute, 24*time.Hour - time.Second,
				time.Duration(7+rng.IntN(12))*time.Hour + time.Duration(rng.IntN(60))*time.Minute} {
				cands = append(cands, d.start().Add(clock))
			}
		}
	}
	// Moments of the open events: warn_share of the limit, the deadline,
	// the red point.
	for _, e := range c.rec.Events {
		if e.Deadline.IsZero() || !e.Deadline.After(e.ReportedAt) {
			continue
		}
		limit := e.Deadline.Sub(e.ReportedAt)
		warn := e.ReportedAt.Add(time.Duration(int64(limit) / 100 * c.scheme.WarnShare))
		red := e.Deadline.Add(time.Duration(int64(limit) / 100 * (c.scheme.RedFactor - 100)))
		for _, at := range []time.Time{warn, e.Deadline, red} {
			cands = append(cands, at.Add(-time.Second), at, at.Add(time.Second))
		}
	}
	// Patrol ends and logins: the moments a patrol or login starts counting.
	for _, p := range c.rec.Patrols {
		if !p.EndedAt.IsZero() {
			cands = append(cands, p.EndedAt.Add(-time.Second), p.EndedAt)
		}
	}
	for _, l := range c.rec.Logins {
		cands = append(cands, l.At.Add(-time.Second), l.At)
	}
	// The moments a visit, a register entry or an event starts counting.
	for _, v := range c.rec.Visits {
		cands = append(cands, v.VisitedAt.Add(-time.Second), v.VisitedAt)
	}
	for _, p := range c.rec.Register {
		cands = append(cands, p.EnteredAt.Add(-time.Second), p.EnteredAt)
	}
	for _, e := range c.rec.Events {
		cands = append(cands, e.ReportedAt.Add(-time.Second), e.ReportedAt)
	}
	cands = slices.DeleteFunc(cands, func(t time.Time) bool { return t.Before(first) || !t.Before(end) })
	rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	return cands[:min(12, len(cands))]
}

// warnCompare compares the engine's warnings with the reference's: the same
// warnings for every assessed worker, listed by due, and none for others.
func warnCompare(t *testing.T, path string, at time.Time, res *gs.Result, want map[string][]refWarning, seen map[gs.RuleID]int) {
	t.Helper()
	for i := range res.Workers {
		w := &res.Workers[i]
		ref, ok := want[w.WorkerID]
		if !ok {
			if w.Warnings != nil {
				t.Errorf("%s as of %s: %s (eligible %v) has warnings, the reference none", path, refT(at), w.WorkerID, w.Eligible)
			}
			continue
		}
		if w.Warnings == nil {
			t.Errorf("%s as of %s: %s has no warnings list", path, refT(at), w.WorkerID)
			continue
		}
		var got, exp []string
		for k, x := range *w.Warnings {
			if k > 0 && x.Due.Before((*w.Warnings)[k-1].Due) {
				t.Errorf("%s as of %s: %s's warnings not ordered by due", path, refT(at), w.WorkerID)
			}
			ev := slices.Clone(x.Evidence)
			slices.Sort(ev)
			got = append(got, fmt.Sprintf("%s %s %s %s %v", x.Rule, x.Period, x.Points, refT(x.Due), ev))
			if seen != nil {
				seen[x.Rule]++
			}
		}
		for _, x := range ref {
			exp = append(exp, fmt.Sprintf("%s %s %s %s %v", x.Rule, x.Period, gs.Points(x.Points), refT(x.Due), x.Evidence))
		}
		slices.Sort(got)
		slices.Sort(exp)
		if g, e := strings.Join(got, "\n"), strings.Join(exp, "\n"); g != e {
			t.Errorf("%s as of %s: %s's warnings\n%s\nreference:\n%s", path, refT(at), w.WorkerID, g, e)
		}
	}
}

// cardsAgreeWithWarnings checks that a standing never both deducts and
// warns the same card: an event warned of a yellow card carries no card yet,
// and one warned of turning red is not red yet (RULES.md §9: the standing
// holds only what is lost, the warnings what is still at risk).
func cardsAgreeWithWarnings(t *testing.T, at time.Time, res *gs.Result) {
	t.Helper()
	for _, w := range res.Workers {
		carded := map[string]gs.RuleID{}
		for _, d := range w.Deductions {
			if d.Rule == gs.RuleEventsYellow || d.Rule == gs.RuleEventsRed {
				carded[d.Evidence[0]] = d.Rule
			}
		}
		if w.Warnings == nil {
			continue
		}
		for _, wn := range *w.Warnings {
			if wn.Rule != gs.RuleEventsYellow && wn.Rule != gs.RuleEventsRed {
				continue
			}
			for _, id := range wn.Evidence {
				if got, ok := carded[id]; ok && (wn.Rule == gs.RuleEventsYellow || got == gs.RuleEventsRed) {
					t.Errorf("as of %s: worker %s's event %s is both deducted (%s) and warned (%s)", at.In(gs.CST).Format(time.DateTime), w.WorkerID, id, got, wn.Rule)
				}
			}
		}
	}
}
