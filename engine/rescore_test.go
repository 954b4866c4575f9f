package engine_test

import (
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/scheme"
)

// scored is an assessed worker of town 青山镇 with the deductions and a
// satisfaction score of 20.
func scored(id string, pay gs.Fen, ds ...gs.Deduction) gs.WorkerResult {
	s := scheme.Default()
	sum := map[gs.CategoryID]gs.Points{}
	for _, d := range ds {
		sum[gs.CategoryOf(d.Rule)] += d.Points
	}
	cats := gs.CategoryScores{
		Info: max(0, s.Max[gs.CatInfo]-sum[gs.CatInfo]), Events: max(0, s.Max[gs.CatEvents]-sum[gs.CatEvents]),
		KeyWork: max(0, s.Max[gs.CatKeyWork]-sum[gs.CatKeyWork]), Discipline: max(0, s.Max[gs.CatDiscipline]-sum[gs.CatDiscipline]),
		Satisfaction: 2000,
	}
	total := cats.Info + cats.Events + cats.KeyWork + cats.Discipline + cats.Satisfaction
	w := gs.WorkerResult{WorkerID: id, Town: "青山镇", Eligible: true, Categories: &cats, Total: &total,
		Deductions: ds, Flags: []string{}, Pay: pay}
	for _, d := range ds {
		if d.Rule == gs.RuleDisciplineDisobey {
			w.Flags = append(w.Flags, gs.FlagInterviewDue)
		}
	}
	return w
}

func TestRescore(t *testing.T) {
	s := scheme.Default()
	stale := gs.Deduction{Rule: gs.RuleInfoStale, Period: "2023-07", Points: 300, Evidence: []string{"E1"}}
	stale2 := gs.Deduction{Rule: gs.RuleInfoStale, Period: "2023-08", Points: 300, Evidence: []string{"E2"}}
	login := gs.Deduction{Rule: gs.RuleDisciplineLogin, Period: "2023-07", Points: 100}
	disobey := gs.Deduction{Rule: gs.RuleDisciplineDisobey, Period: "2023-07-03", Points: 500, Evidence: []string{"F1"}}
	base := func(string) gs.Fen { return 60000 } // 200 yuan × 3 months
	tests := []struct {
		name      string
		workers   []gs.WorkerResult
		void      map[string]gs.Deduction
		wantTotal map[string]gs.Points
		wantRank  map[string]int
		wantPay   map[string]gs.Fen
		wantFlag  bool
	}{{
		name:      "nothing voided: scores, ranks and pay as computed",
		workers:   []gs.WorkerResult{scored("A", 0, login), scored("B", 0)},
		wantTotal: map[string]gs.Points{"A": 9900, "B": 10000},
		wantRank:  map[string]int{"A": 2, "B": 1},
		wantPay:   map[string]gs.Fen{"A": 59400, "B": 60000},
	}, {
		name:      "info floored at 0: voiding one of two −3 brings info from 0 to 2, not 3",
		workers:   []gs.WorkerResult{scored("A", 0, stale, stale2), scored("B", 0, login)},
		void:      map[string]gs.Deduction{"A": stale},
		wantTotal: map[string]gs.Points{"A": 9700, "B": 9900},
		wantRank:  map[string]int{"A": 2, "B": 1},
		wantPay:   map[string]gs.Fen{"A": 58200, "B": 59400},
	}, {
		name:      "voiding A's only deduction ties A with B: both rank 1",
		workers:   []gs.WorkerResult{scored("A", 0, login), scored("B", 0)},
		void:      map[string]gs.Deduction{"A": login},
		wantTotal: map[string]gs.Points{"A": 10000, "B": 10000},
		wantRank:  map[string]int{"A": 1, "B": 1},
		wantPay:   map[string]gs.Fen{"A": 60000, "B": 60000},
	}, {
		name:      "voiding the refusal drops the interview due",
		workers:   []gs.WorkerResult{scored("A", 0, disobey)},
		void:      map[string]gs.Deduction{"A": disobey},
		wantTotal: map[string]gs.Points{"A": 10000},
		wantRank:  map[string]int{"A": 1},
		wantPay:   map[string]gs.Fen{"A": 60000},
	}, {
		name:      "the same deduction of another worker stays",
		workers:   []gs.WorkerResult{scored("A", 0, login), scored("B", 0, login)},
		void:      map[string]gs.Deduction{"B": login},
		wantTotal: map[string]gs.Points{"A": 9900, "B": 10000},
		wantRank:  map[string]int{"A": 2, "B": 1},
		wantPay:   map[string]gs.Fen{"A": 59400, "B": 60000},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			engine.Rescore(&s, tt.workers, base, func(id string, d gs.Deduction) bool {
				v, ok := tt.void[id]
				return ok && v.Rule == d.Rule && v.Period == d.Period
			})
			for _, w := range tt.workers {
				if *w.Total != tt.wantTotal[w.WorkerID] {
					t.Errorf("%s total = %v, want %v", w.WorkerID, *w.Total, tt.wantTotal[w.WorkerID])
				}
				if w.Rank == nil || *w.Rank != tt.wantRank[w.WorkerID] {
					t.Errorf("%s rank = %v, want %d", w.WorkerID, w.Rank, tt.wantRank[w.WorkerID])
				}
				if w.Pay != tt.wantPay[w.WorkerID] {
					t.Errorf("%s pay = %v, want %v", w.WorkerID, w.Pay, tt.wantPay[w.WorkerID])
				}
				if v, ok := tt.void[w.WorkerID]; ok {
					for _, d := range w.Deductions {
						if d.Rule == v.Rule && d.Period == v.Period {
							t.Errorf("%s still carries the voided %s %s", w.WorkerID, d.Rule, d.Period)
						}
					}
					if w.HasFlag(gs.FlagInterviewDue) {
						t.Errorf("%s still has interview_due", w.WorkerID)
					}
				}
			}
			if tt.workers[0].Rank != nil && len(tt.workers) > 1 && *tt.workers[0].Rank > *tt.workers[1].Rank {
				t.Errorf("not ordered by rank: %s before %s", tt.workers[0].WorkerID, tt.workers[1].WorkerID)
			}
		})
	}
}

func TestRescoreKeepsIneligiblePay(t *testing.T) {
	s := scheme.Default()
	ws := []gs.WorkerResult{{WorkerID: "X", Town: "青山镇", Pay: 12345, Deductions: []gs.Deduction{}}}
	engine.Rescore(&s, ws, func(string) gs.Fen { return 1 }, func(string, gs.Deduction) bool { return true })
	if ws[0].Pay != 12345 || ws[0].Total != nil || ws[0].Rank != nil {
		t.Errorf("ineligible worker changed: %+v", ws[0])
	}
}
