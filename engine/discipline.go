package engine

import (
	"fmt"
	"slices"
	"time"

	gs "github.com/gridscore/gridscore"
)

// logins applies discipline.login: every elapsed duty day needs an app
// login, and a full-time stationed worker also a pc login; each (day,
// channel) without one is one deduction.
func (ix *index) logins(wc *workerContext) []gs.Deduction {
	channels := []gs.Channel{gs.ChannelApp}
	if wc.w.Type == gs.FullTime && wc.w.Stationed {
		channels = append(channels, gs.ChannelPC)
	}
	seen := wc.ch.loginDays[wc.w.ID]
	if seen == nil {
		seen = &logins{}
	}
	var ds []gs.Deduction
	for _, d := range wc.dutyDays(ix.first, ix.judgedUntil()) {
		for _, c := range channels {
			if seen.of(c).has(d) {
				continue
			}
			ds = append(ds, gs.Deduction{
				Rule: gs.RuleDisciplineLogin, Period: d.String(), Count: 1,
				Points:   ix.scheme.Points[gs.RuleDisciplineLogin],
				Detail:   fmt.Sprintf("%s（工作日）未登录%s", dateLabel(d), gs.ChannelName[c]),
				Evidence: []string{}, Item: string(c),
			})
		}
	}
	return ds
}

// interval is a merged patrol: from start to end, made of the patrols ids.
type interval struct {
	start, end time.Time
	ids        []string
}

// mergedPatrols merges the worker's patrols that have an end and overlap or
// touch into single intervals, in order of start.
func mergedPatrols(ps []*gs.Patrol) []interval {
	ended := make([]*gs.Patrol, 0, len(ps))
	for _, p := range ps {
		if !p.EndedAt.IsZero() { // a patrol with no end is ignored
			ended = append(ended, p)
		}
	}
	slices.SortFunc(ended, func(a, b *gs.Patrol) int { return a.StartedAt.Compare(b.StartedAt) })
	// The ids of every interval are a run of ids, in the order of start.
	ids := make([]string, len(ended))
	out := make([]interval, 0, len(ended))
	first := 0 // index in ended of the first patrol of the last interval
	for i, p := range ended {
		ids[i] = p.ID
		if n := len(out); n > 0 && !p.StartedAt.After(out[n-1].end) {
			last := &out[n-1]
			if p.EndedAt.After(last.end) {
				last.end = p.EndedAt
			}
			last.ids = ids[first : i+1 : i+1]
			continue
		}
		first = i
		out = append(out, interval{p.StartedAt, p.EndedAt, ids[i : i+1 : i+1]})
	}
	return out
}

// patrols applies discipline.patrol: on every elapsed duty day the worker needs
// patrols_per_day merged patrols that start that day and last at least
// patrol_min_hours.
func (ix *index) patrols(wc *workerContext) []gs.Deduction {
	if !ix.scheme.PatrolApplies(wc.w.Type) || ix.scheme.PatrolsPerDay == 0 {
		return nil
	}
	minLen := time.Duration(ix.scheme.PatrolMinMinutes) * time.Minute
	// By day of the quarter (only duty days, all in the quarter, are looked
	// at): the patrols started and how many of them count.
	var (
		counted [quarterDays]int
		started [quarterDays][]string
	)
	for _, iv := range mergedPatrols(wc.ch.patrols[wc.w.ID]) {
		i := int(gs.DateOf(iv.start) - ix.first)
		if i < 0 || i >= quarterDays {
			continue
		}
		started[i] = append(started[i], iv.ids...)
		if iv.end.Sub(iv.start) >= minLen {
			counted[i]++
		}
	}
	need := ix.scheme.PatrolsPerDay
	var ds []gs.Deduction
	for _, d := range wc.dutyDays(ix.first, ix.judgedUntil()) {
		i := int(d - ix.first)
		missing := max(0, need-counted[i])
		if missing == 0 {
			continue
		}
		ev := sortedIDs(append([]string{}, started[i]...))
		ds = append(ds, gs.Deduction{
			Rule: gs.RuleDisciplinePatrol, Period: d.String(), Count: missing,
			Points: ix.scheme.Points[gs.RuleDisciplinePatrol] * gs.Points(missing),
			Detail: fmt.Sprintf("%s有效巡查%d次（每次不少于%s），少%d次",
				dateLabel(d), counted[i], hoursText(ix.scheme.PatrolMinMinutes), missing),
			Evidence: ev,
		})
	}
	return ds
}

// meetings applies discipline.meeting: each absence without leave from a
// meeting held in the quarter on or before date(as_of).
func (ix *index) meetings(wc *workerContext) []gs.Deduction {
	var ds []gs.Deduction
	for _, a := range wc.ch.absences[wc.w.ID] {
		m := a.meeting
		if !ix.dated(m.HeldOn) {
			continue
		}
		ds = append(ds, gs.Deduction{
			Rule: gs.RuleDisciplineMeeting, Period: m.HeldOn.String(), Count: 1,
			Points:   ix.scheme.Points[gs.RuleDisciplineMeeting],
			Detail:   fmt.Sprintf("%s无故缺席“%s”", dateLabel(m.HeldOn), m.Title),
			Evidence: []string{m.ID},
		})
	}
	return ds
}

// quiz applies discipline.quiz: the wrong answers of the worker's spot
// checks in the quarter up to date(as_of), each costing the rule's points.
func (ix *index) quiz(wc *workerContext) []gs.Deduction {
	var ds []gs.Deduction
	for _, z := range wc.ch.quizzes[wc.w.ID] {
		if z.WrongAnswers <= 0 || !ix.dated(z.TakenOn) {
			continue
		}
		ds = append(ds, gs.Deduction{
			Rule: gs.RuleDisciplineQuiz, Period: z.TakenOn.String(), Count: z.WrongAnswers,
			Points:   ix.scheme.Points[gs.RuleDisciplineQuiz] * gs.Points(z.WrongAnswers),
			Detail:   fmt.Sprintf("%s%s抽查答错%d处", dateLabel(z.TakenOn), gs.KindName[gs.KindQuiz], z.WrongAnswers),
			Evidence: []string{z.ID},
		})
	}
	return ds
}
