package demo

import (
	"fmt"
	"time"

	gs "github.com/gridscore/gridscore"
)

// assignIDs puts the records in the order a platform export would list them
// (by time, then worker) and numbers them the way the platform does: a
// prefix, the month and a sequence number within the month.
func (g *gen) assignIDs() {
	rec := g.recs

	sortBy(rec.Events, func(a, b *gs.Event) bool { return byTime(a.ReportedAt, b.ReportedAt, a.WorkerID, b.WorkerID) })
	seq := newSequencer("SJ", 4)
	for i := range rec.Events {
		rec.Events[i].ID = seq.next(rec.Events[i].ReportedAt)
	}

	sortBy(rec.Patrols, func(a, b *gs.Patrol) bool { return byTime(a.StartedAt, b.StartedAt, a.WorkerID, b.WorkerID) })
	seq = newSequencer("XC", 4)
	for i := range rec.Patrols {
		rec.Patrols[i].ID = seq.next(rec.Patrols[i].StartedAt)
	}

	sortBy(rec.Logins, func(a, b *gs.Login) bool {
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return a.WorkerID+string(a.Channel) < b.WorkerID+string(b.Channel)
	})

	sortBy(rec.Visits, func(a, b *gs.Visit) bool { return byTime(a.VisitedAt, b.VisitedAt, a.PersonID, b.PersonID) })
	seq = newSequencer("ZF", 3)
	for i := range rec.Visits {
		rec.Visits[i].ID = seq.next(rec.Visits[i].VisitedAt)
	}

	sortBy(rec.Ballots, func(a, b *gs.Ballot) bool { return byTime(a.CastAt, b.CastAt, a.WorkerID, b.WorkerID) })
	seq = newSequencer("PJ", 4)
	for i := range rec.Ballots {
		rec.Ballots[i].ID = seq.next(rec.Ballots[i].CastAt)
	}

	sortBy(rec.Findings, func(a, b *gs.Finding) bool {
		return byTime(a.OccurredOn.Start(), b.OccurredOn.Start(), a.WorkerID, b.WorkerID)
	})
	for i := range rec.Findings {
		rec.Findings[i].ID = fmt.Sprintf("HC2023-%03d", i+1)
	}

	sortBy(rec.Quizzes, func(a, b *gs.Quiz) bool { return byTime(a.TakenOn.Start(), b.TakenOn.Start(), a.WorkerID, b.WorkerID) })
	for i := range rec.Quizzes {
		rec.Quizzes[i].ID = fmt.Sprintf("CC2023-%03d", i+1)
	}

	sortBy(rec.Leaves, func(a, b *gs.Leave) bool { return byTime(a.From.Start(), b.From.Start(), a.WorkerID, b.WorkerID) })
}

// byTime orders by time, then by a tie-breaking key.
func byTime(a, b time.Time, ka, kb string) bool {
	if !a.Equal(b) {
		return a.Before(b)
	}
	return ka < kb
}

// sequencer numbers records within each month: SJ2307-0001, SJ2307-0002, …
type sequencer struct {
	prefix string
	width  int
	month  gs.Month
	n      int
}

func newSequencer(prefix string, width int) *sequencer {
	return &sequencer{prefix: prefix, width: width}
}

// next returns the id of the next record, of the month of t.
func (s *sequencer) next(t time.Time) string {
	m := gs.MonthOf(gs.DateOf(t))
	if m != s.month {
		s.month, s.n = m, 0
	}
	s.n++
	return fmt.Sprintf("%s%02d%02d-%0*d", s.prefix, m.Year%100, int(m.Month), s.width, s.n)
}
