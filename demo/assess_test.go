package demo

import (
	"fmt"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/scheme"
)

// assess assesses Town(seed) with the default scheme as of AsOf, as the
// README's commands do.
func assess(t *testing.T, seed int64) *gs.Result {
	t.Helper()
	recs := Town(seed)
	s := scheme.Default()
	return engine.Assess(engine.Input{
		Scheme:   &s,
		Calendar: calendar.New(recs.Calendar),
		Records:  recs,
		Quarter:  Quarter(),
		AsOf:     AsOf(),
	})
}

// wantTotals are the totals of the eligible workers, the same for every
// seed: the seed moves times and counts, never what a worker did wrong.
var wantTotals = map[string]string{
	"QS001": "100", "QS002": "99.5", "QS003": "78", "QS004": "98", "QS005": "99",
	"QS006": "74", "QS007": "98", "QS008": "86", "QS009": "97", "QS010": "97.5",
	"QS011": "78", "QS012": "97", "QS013": "73", "QS014": "96", "QS015": "71",
	"QS016": "96", "QS017": "79", "QS018": "99", "QS019": "100", "QS020": "95",
}

// wantRules says which workers each rule lands on, as poor.go documents.
var wantRules = map[gs.RuleID][]string{
	gs.RuleInfoStale:         {"QS003"},
	gs.RuleInfoIncomplete:    {"QS004", "QS010", "QS011", "QS018"},
	gs.RuleEventsQuota:       {"QS003", "QS015"},
	gs.RuleEventsBatch:       {"QS011"},
	gs.RuleEventsYellow:      {"QS006", "QS011"},
	gs.RuleEventsRed:         {"QS006", "QS015"},
	gs.RuleEventsIrregular:   {"QS011"},
	gs.RuleEventsOmitGeneral: {"QS013"},
	gs.RuleEventsOmitMajor:   {"QS013"},
	gs.RuleEventsSeriousLate: {"QS006", "QS008"},
	gs.RuleKeyMissingEntry:   {"QS013"},
	gs.RuleKeyVisits:         {"QS013"},
	gs.RuleKeyLostControl:    {"QS013"},
	gs.RuleDisciplineLogin:   {"QS003", "QS008", "QS016"},
	gs.RuleDisciplineItems:   {"QS003"},
	gs.RuleDisciplinePatrol:  {"QS009", "QS017", "QS020"},
	gs.RuleDisciplineMeeting: {"QS013"},
	gs.RuleDisciplineInspect: {"QS017"},
	gs.RuleDisciplineDisobey: {"QS015"},
	gs.RuleDisciplinePhone:   {"QS017"},
	gs.RuleDisciplineQuiz:    {"QS002", "QS007", "QS010", "QS011", "QS017"},
}

// TestAssessDemoTown assesses the demo town as the README does and checks
// what a new user should see: every rule of RULES.md at work, an ineligible
// worker, a worker without ballots, shared ranks, and most workers scoring
// well.
func TestAssessDemoTown(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 42} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			res := assess(t, seed)
			if len(res.Workers) != len(workers) {
				t.Fatalf("%d workers listed, want all %d", len(res.Workers), len(workers))
			}
			got := map[gs.RuleID][]string{}
			var eligible, high, ineligible, noBallots int
			ranks := map[int]int{}
			for _, w := range res.Workers {
				if !w.Eligible {
					ineligible++
					if w.WorkerID != "QS021" {
						t.Errorf("%s %s is not eligible (%s); only QS021 should be", w.WorkerID, w.Name, w.Reason)
					}
					continue
				}
				eligible++
				if *w.Total >= 8000 {
					high++
				}
				ranks[*w.Rank]++
				if w.HasFlag(gs.FlagNoBallots) {
					noBallots++
				}
				if s := w.Total.String(); s != wantTotals[w.WorkerID] {
					t.Errorf("%s %s: total %s, want %s; deductions: %+v", w.WorkerID, w.Name, s, wantTotals[w.WorkerID], w.Deductions)
				}
				for _, d := range w.Deductions {
					if n := len(got[d.Rule]); n == 0 || got[d.Rule][n-1] != w.WorkerID {
						got[d.Rule] = append(got[d.Rule], w.WorkerID)
					}
				}
			}
			for _, r := range gs.AllRules {
				if len(got[r]) == 0 {
					t.Errorf("rule %s appears in no deduction", r)
				}
				if !sameSet(got[r], wantRules[r]) {
					t.Errorf("rule %s lands on %v, want %v", r, got[r], wantRules[r])
				}
			}
			if ineligible == 0 {
				t.Error("no worker is ineligible")
			}
			if noBallots == 0 {
				t.Error("no worker has the no_ballots flag")
			}
			if 2*high <= eligible {
				t.Errorf("only %d of %d eligible workers score 80 or more", high, eligible)
			}
			shared := false
			for _, n := range ranks {
				shared = shared || n > 1
			}
			if !shared {
				t.Error("no two workers share a rank")
			}
		})
	}
}

// TestAssessDemoTownDetails checks the cases poor.go promises beyond the
// rule list: the end-of-month clamp, the worker who left, the interview.
func TestAssessDemoTownDetails(t *testing.T) {
	res := assess(t, 1)
	by := map[string]*gs.WorkerResult{}
	for i := range res.Workers {
		by[res.Workers[i].WorkerID] = &res.Workers[i]
	}
	if w := by["QS010"]; !w.Eligible {
		t.Errorf("QS010, hired 2023-03-31, should be eligible (2023-09-30 is six months on): %s", w.Reason)
	}
	if w := by["QS019"]; w.Pay != 40000 || !w.HasFlag(gs.FlagNoBallots) {
		t.Errorf("QS019 left on 2023-08-15: pay %s (want 400.00 for two months), flags %v (want no_ballots)", w.Pay, w.Flags)
	}
	if w := by["QS015"]; !w.HasFlag(gs.FlagInterviewDue) || w.Pay != 127800 {
		t.Errorf("QS015: flags %v (want interview_due), pay %s (want 1800 × 71%% = 1278.00)", w.Flags, w.Pay)
	}
	if w := by["QS017"]; w.Categories.Discipline != 0 {
		t.Errorf("QS017's discipline should floor at 0, is %s", w.Categories.Discipline)
	}
	if a, b := by["QS003"], by["QS011"]; *a.Rank != *b.Rank {
		t.Errorf("QS003 and QS011 both total 78 but rank %d and %d", *a.Rank, *b.Rank)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}
