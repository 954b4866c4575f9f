package engine

import (
	gs "github.com/gridscore/gridscore"
)

// BasePay is the pay a worker's total scales (RULES.md §7): a full-time
// worker's monthly performance pay times the months of quarter q they were
// employed in, or a part-time worker's quarterly subsidy.
func BasePay(s *gs.Scheme, q gs.Quarter, w *gs.Worker) gs.Fen {
	if w.Type != gs.FullTime {
		if w.QuarterlySubsidyFen != nil {
			return *w.QuarterlySubsidyFen
		}
		return s.QuarterlySubsidy
	}
	monthly := s.MonthlyPerformance
	if w.MonthlyPerformanceFen != nil {
		monthly = *w.MonthlyPerformanceFen
	}
	months := 0
	for _, m := range q.Months() {
		if w.HiredOn <= m.Last() && (w.LeftOn.IsZero() || w.LeftOn >= m.First()) {
			months++
		}
	}
	return gs.Fen(int64(monthly) * int64(months))
}

// PayOf is the pay of a worker with base pay base and the total (nil for a
// worker not assessed), exact to the fen and rounded half-up.
func PayOf(s *gs.Scheme, base gs.Fen, total *gs.Points) gs.Fen {
	if total == nil {
		if s.IneligiblePay == gs.IneligiblePayNone {
			return 0
		}
		return base
	}
	return gs.Fen(divRoundHalfUp(int64(base)*int64(*total), 10000))
}

// Rescore takes results of one computation and drops the deductions voided
// says do not count (a deduction the center voided, or an upheld appeal):
// for each assessed worker it recomputes the category scores with the floor
// at 0 (the satisfaction score is kept), the total and the pay from base,
// then ranks every worker again within their town. An interview due
// (interview_due) goes when its deduction is voided. ws is changed in place
// and reordered by town, rank and worker id.
func Rescore(s *gs.Scheme, ws []gs.WorkerResult, base func(workerID string) gs.Fen,
	voided func(workerID string, d gs.Deduction) bool) {
	for i := range ws {
		w := &ws[i]
		kept := make([]gs.Deduction, 0, len(w.Deductions))
		for _, d := range w.Deductions {
			if !voided(w.WorkerID, d) {
				kept = append(kept, d)
			}
		}
		w.Deductions = kept
		w.Rank = nil
		if !w.Eligible || w.Categories == nil {
			continue
		}
		disobey := false
		for _, d := range kept {
			disobey = disobey || d.Rule == gs.RuleDisciplineDisobey
		}
		cats := categoryScores(s, kept, w.Categories.Satisfaction)
		total := cats.Info + cats.Events + cats.KeyWork + cats.Discipline + cats.Satisfaction
		w.Categories, w.Total = &cats, &total
		w.Pay = PayOf(s, base(w.WorkerID), &total)
		if !disobey && w.HasFlag(gs.FlagInterviewDue) {
			flags := []string{}
			for _, f := range w.Flags {
				if f != gs.FlagInterviewDue {
					flags = append(flags, f)
				}
			}
			w.Flags = flags
		}
	}
	rank(ws)
}
