package engine

import (
	"fmt"
	"sort"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// responsible returns the worker in post in the grid on day d, or nil. Import
// guarantees at most one.
func (ix *index) responsible(grid string, d gs.Date) *gs.Worker {
	for _, w := range ix.byGrid[grid] {
		if w.InPost(d) {
			return w
		}
	}
	return nil
}

// missingEntry applies key.missing_entry: a roster row due (listed_on +
// entry_days) on an elapsed day of the quarter whose person is not on the register by the end
// of the due date costs the worker responsible for the row's grid on that
// date.
func (ix *index) missingEntry(wc *workerContext) []gs.Deduction {
	var ds []gs.Deduction
	for _, r := range wc.ch.rosters[wc.w.GridCode] {
		due := r.ListedOn.AddDays(ix.scheme.EntryDays)
		if !ix.q.ContainsDate(due) || !ix.elapsed(due) {
			continue
		}
		if p := wc.ch.registered[r.PersonID]; p != nil && p.EnteredAt.Before(due.End()) {
			continue
		}
		if rw := ix.responsible(r.GridCode, due); rw == nil || rw.ID != wc.w.ID {
			continue
		}
		ds = append(ds, gs.Deduction{
			Rule: gs.RuleKeyMissingEntry, Period: due.String(), Count: 1,
			Points: ix.scheme.Points[gs.RuleKeyMissingEntry],
			Detail: fmt.Sprintf("%s名单人员%s（%s）%s列入，应于%s前录入特殊人群信息，未按时录入",
				departmentText(r.Department), r.PersonID, gs.PopulationName[r.Category], dateLabel(r.ListedOn), dateLabel(due)),
			Evidence: []string{r.PersonID},
		})
	}
	return ds
}

func departmentText(d string) string {
	if d == "" {
		return "职能部门"
	}
	return d
}

// visits applies key.visits: for each month whose visit day has elapsed,
// every person of the worker's
// grid entered on the register before the month and not left before the
// visit day needs visits_per_month visits from the 1st to the end of the visit
// day; any lack costs once for the month, to the worker in post in the grid
// on the visit day, unless that worker had no duty day from the 1st to the
// visit day.
func (ix *index) visits(wc *workerContext) []gs.Deduction {
	var ds []gs.Deduction
	for _, m := range ix.months {
		day := m.Day(ix.scheme.VisitDay)
		if !ix.elapsed(day) {
			continue
		}
		if rw := ix.responsible(wc.w.GridCode, day); rw == nil || rw.ID != wc.w.ID {
			continue
		}
		if !wc.hasDutyDay(m.First(), day) {
			continue
		}
		from, until := m.First().Start(), day.End()
		var lacking []string
		var names []string
		for _, p := range wc.ch.persons[wc.w.GridCode] {
			if !p.EnteredAt.Before(from) {
				continue // entered on or after the 1st: not yet due this month
			}
			if !p.LeftAt.IsZero() && gs.DateOf(p.LeftAt) < day {
				continue // left before the visit day
			}
			need := ix.scheme.VisitsPerMonth[p.Category]
			got := 0
			for _, v := range wc.ch.personVisits[p.PersonID] {
				if !v.VisitedAt.Before(from) && v.VisitedAt.Before(until) {
					got++
				}
			}
			if got < need {
				lacking = append(lacking, p.PersonID)
				names = append(names, fmt.Sprintf("%s（%s，走访%d/%d次）", p.PersonID, gs.PopulationName[p.Category], got, need))
			}
		}
		if len(lacking) == 0 {
			continue
		}
		sort.Strings(names)
		ds = append(ds, gs.Deduction{
			Rule: gs.RuleKeyVisits, Period: m.String(), Count: 1,
			Points: ix.scheme.Points[gs.RuleKeyVisits],
			Detail: fmt.Sprintf("%s有%d名特殊人群未在%d日前完成走访：%s",
				monthLabel(m), len(lacking), ix.scheme.VisitDay, strings.Join(names, "、")),
			Evidence: sortedIDs(lacking),
		})
	}
	return ds
}
