package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

// This file computes the early warnings (预警) of RULES.md §9: for the
// periods of the quarter that contain date(as_of), the points a worker can
// still save and what to do to save them. Warnings change no score.

// warningsOn reports whether as_of falls inside the quarter, the only case
// in which a result carries warnings: once the quarter is over every period
// has elapsed and nothing is left to warn about.
func (ix *index) warningsOn() bool {
	return !ix.asOf.Before(ix.first.Start()) && ix.asOf.Before(ix.last.End())
}

// dayLogins are, by worker, the channels on which the worker logged in on
// date(as_of) at or before as_of.
type dayLogins map[string]map[gs.Channel]bool

// asOfLogins collects the logins of rs made on date(as_of) up to as_of, for
// the login warning; nil when the result carries no warnings.
func (ix *index) asOfLogins(rs *gs.Records) dayLogins {
	if !ix.warningsOn() {
		return nil
	}
	today := gs.DateOf(ix.asOf)
	out := dayLogins{}
	for _, l := range rs.Logins {
		if gs.DateOf(l.At) != today || l.At.After(ix.asOf) {
			continue
		}
		c := gs.ChannelApp // as the login rule reads it: any channel but pc is the app
		if l.Channel == gs.ChannelPC {
			c = gs.ChannelPC
		}
		if out[l.WorkerID] == nil {
			out[l.WorkerID] = map[gs.Channel]bool{}
		}
		out[l.WorkerID][c] = true
	}
	return out
}

// warnings returns the eligible worker's warnings ordered by due, or nil
// when as_of is not inside the quarter.
func (ix *index) warnings(wc *workerContext) *[]gs.Warning {
	if !ix.warningsOn() {
		return nil
	}
	ws := []gs.Warning{}
	ws = append(ws, ix.warnQuota(wc)...)
	ws = append(ws, ix.warnCards(wc)...)
	ws = append(ws, ix.warnVisits(wc)...)
	ws = append(ws, ix.warnMissingEntry(wc)...)
	ws = append(ws, ix.warnLogin(wc)...)
	ws = append(ws, ix.warnPatrol(wc)...)
	// A warning with nothing at risk is not listed.
	ws = slices.DeleteFunc(ws, func(w gs.Warning) bool { return w.Points <= 0 })
	sort.SliceStable(ws, func(i, j int) bool {
		a, b := ws[i], ws[j]
		if !a.Due.Equal(b.Due) {
			return a.Due.Before(b.Due)
		}
		if a.Rule != b.Rule {
			return ruleOrder[a.Rule] < ruleOrder[b.Rule]
		}
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		return firstOf(a.Evidence) < firstOf(b.Evidence)
	})
	return &ws
}

// todayMonth is date(as_of) and the index of its month in the quarter.
func (ix *index) todayMonth() (gs.Date, int) {
	d := gs.DateOf(ix.asOf)
	return d, ix.monthIndex(d)
}

// warnQuota warns of events.quota in the month of as_of: the month's quota
// (prorated as the rule does) against the events entered so far.
func (ix *index) warnQuota(wc *workerContext) []gs.Warning {
	q, ok := ix.scheme.Quotas[wc.w.Type]
	today, i := ix.todayMonth()
	if !ok || wc.monthDuty[i] == 0 {
		return nil
	}
	needTotal, needReported := q.Total, q.Reported
	if duty, wd := wc.monthDuty[i], wc.workdays.month[i]; duty < wd {
		// ⌈quota × duty days / workdays⌉
		needTotal, needReported = (q.Total*duty+wd-1)/wd, (q.Reported*duty+wd-1)/wd
	}
	total, reported := 0, 0
	ids := []string{}
	for _, e := range wc.monthEvents[i] {
		if e.ReportedAt.After(ix.asOf) {
			continue
		}
		total++
		if e.Flow == gs.FlowReported {
			reported++
		}
		ids = append(ids, e.ID)
	}
	missing := max(0, needTotal-total, needReported-reported)
	if missing == 0 {
		return nil
	}
	m := ix.months[i]
	detail := fmt.Sprintf("本月还需办理事件 %d 条", missing)
	if r := needReported - reported; r > 0 {
		detail += fmt.Sprintf("，其中上报 %d 件", r)
	}
	detail += fmt.Sprintf("，剩余 %d 个工作日", len(wc.dutyDays(today, m.Last())))
	return []gs.Warning{{
		Rule: gs.RuleEventsQuota, Period: m.String(),
		Points:   ix.scheme.Points[gs.RuleEventsQuota] * gs.Points(missing),
		Due:      m.Last().End(),
		Detail:   detail,
		Evidence: sortedIDs(ids),
	}}
}

// warnCards warns of the cards still ahead of the worker's open events
// (entered by as_of, self-handled or assigned, no card given, a deadline in
// the quarter, not closed by as_of): a yellow card once the event has used
// warn_share of its time limit, and a red card while it is overdue but not
// yet red.
func (ix *index) warnCards(wc *workerContext) []gs.Warning {
	var ws []gs.Warning
	yellow, red := ix.scheme.Points[gs.RuleEventsYellow], ix.scheme.Points[gs.RuleEventsRed]
	for _, e := range wc.ch.events[wc.w.ID] {
		if e.ReportedAt.After(ix.asOf) || (e.Flow != gs.FlowSelfHandled && e.Flow != gs.FlowAssigned) ||
			e.Card != gs.CardNone || e.Deadline.IsZero() || !ix.q.Contains(e.Deadline) ||
			!openAt(e, ix.asOf) {
			continue
		}
		limit := e.Deadline.Sub(e.ReportedAt)
		used := ix.asOf.Sub(e.ReportedAt)
		period := gs.DateOf(e.Deadline).String()
		switch {
		case !ix.asOf.After(e.Deadline):
			if int64(used)*100 < ix.scheme.WarnShare*int64(limit) {
				continue
			}
			ws = append(ws, gs.Warning{
				Rule: gs.RuleEventsYellow, Period: period, Points: yellow,
				Due:      e.Deadline.In(gs.CST),
				Detail:   fmt.Sprintf("事件 %s 将于 %s 超时（黄牌）", e.ID, clockLabel(e.Deadline)),
				Evidence: []string{e.ID},
			})
		default:
			// Red when overdue × 100 > (red_factor − 100) × limit; it is
			// not red yet, and turns red after deadline + that much.
			overdue := ix.asOf.Sub(e.Deadline)
			if int64(overdue)*100 > (ix.scheme.RedFactor-100)*int64(limit) {
				continue
			}
			f := ix.scheme.RedFactor - 100
			grace := time.Duration(int64(limit)/100*f + int64(limit)%100*f/100)
			due := e.Deadline.Add(grace)
			ws = append(ws, gs.Warning{
				Rule: gs.RuleEventsRed, Period: period, Points: red - yellow,
				Due:      due.In(gs.CST),
				Detail:   fmt.Sprintf("事件 %s 已超时（黄牌），%s 前仍未办结将升级为红牌", e.ID, clockLabel(due)),
				Evidence: []string{e.ID},
			})
		}
	}
	return ws
}

// clockLabel is an instant as a Chinese date and time ("8月3日 17:00").
func clockLabel(t time.Time) string {
	t = t.In(gs.CST)
	return dateLabel(gs.DateOf(t)) + " " + t.Format("15:04")
}

// inPostOn returns the worker in post in grid on day d, or nil.
func (ix *index) inPostOn(grid string, d gs.Date) *gs.Worker {
	for _, w := range ix.byGrid[grid] {
		if w.InPost(d) {
			return w
		}
	}
	return nil
}

// responsibleToday reports whether the worker is the one in post in their
// grid on date(as_of).
func (ix *index) responsibleToday(wc *workerContext) bool {
	today, _ := ix.todayMonth()
	rw := ix.inPostOn(wc.w.GridCode, today)
	return rw != nil && rw.ID == wc.w.ID
}

// warnVisits warns of key.visits in the month of as_of while its visit day
// is not over: the persons of the grid who need visits this month and have
// had fewer than they need so far.
func (ix *index) warnVisits(wc *workerContext) []gs.Warning {
	today, i := ix.todayMonth()
	m := ix.months[i]
	day := m.Day(ix.scheme.VisitDay)
	if today > day || !ix.responsibleToday(wc) || !wc.hasDutyDay(m.First(), day) {
		return nil
	}
	from := m.First().Start()
	var lacking []*gs.Person
	for _, p := range wc.ch.persons[wc.w.GridCode] {
		if !p.EnteredAt.Before(from) || (!p.LeftAt.IsZero() && gs.DateOf(p.LeftAt) < day) {
			continue
		}
		got := 0
		for _, v := range wc.ch.personVisits[p.PersonID] {
			if !v.VisitedAt.Before(from) && !v.VisitedAt.After(ix.asOf) {
				got++
			}
		}
		if got < ix.scheme.VisitsPerMonth[p.Category] {
			lacking = append(lacking, p)
		}
	}
	if len(lacking) == 0 {
		return nil
	}
	slices.SortFunc(lacking, func(a, b *gs.Person) int { return strings.Compare(a.PersonID, b.PersonID) })
	ids := make([]string, len(lacking))
	who := make([]string, len(lacking))
	for k, p := range lacking {
		ids[k], who[k] = p.PersonID, personLabel(p)
	}
	return []gs.Warning{{
		Rule: gs.RuleKeyVisits, Period: m.String(),
		Points:   ix.scheme.Points[gs.RuleKeyVisits],
		Due:      day.End(),
		Detail:   fmt.Sprintf("%s前还需走访：%s", dateLabel(day), strings.Join(who, "、")),
		Evidence: ids,
	}}
}

// personLabel names a special-population person for a warning: the name
// masked (王*) and the person id, or the id alone when the name is unknown.
func personLabel(p *gs.Person) string {
	if p.Name == "" {
		return p.PersonID
	}
	return fmt.Sprintf("%s（%s）", gs.MaskName(p.Name), p.PersonID)
}

// warnMissingEntry warns of key.missing_entry: each roster row of the
// worker's grid, listed by date(as_of) and due in the quarter on or after
// it, whose person is not on the register yet.
func (ix *index) warnMissingEntry(wc *workerContext) []gs.Warning {
	today, _ := ix.todayMonth()
	if !ix.responsibleToday(wc) {
		return nil
	}
	var ws []gs.Warning
	for _, r := range wc.ch.rosters[wc.w.GridCode] {
		due := r.ListedOn.AddDays(ix.scheme.EntryDays)
		if r.ListedOn > today || due < today || !ix.q.ContainsDate(due) {
			continue
		}
		if p := wc.ch.registered[r.PersonID]; p != nil && !p.EnteredAt.After(ix.asOf) {
			continue
		}
		ws = append(ws, gs.Warning{
			Rule: gs.RuleKeyMissingEntry, Period: due.String(),
			Points: ix.scheme.Points[gs.RuleKeyMissingEntry],
			Due:    due.End(),
			Detail: fmt.Sprintf("%s前须将%s名单人员 %s（%s）录入特殊人群登记",
				dateLabel(due), deptLabel(r.Department), r.PersonID, gs.PopulationName[r.Category]),
			Evidence: []string{r.PersonID},
		})
	}
	return ws
}

// warnLogin warns of discipline.login on date(as_of), a duty day: the
// required channels without a login so far today.
func (ix *index) warnLogin(wc *workerContext) []gs.Warning {
	today, _ := ix.todayMonth()
	if !wc.duty.has(today) {
		return nil
	}
	channels := []gs.Channel{gs.ChannelApp}
	if wc.w.Type == gs.FullTime && wc.w.Stationed {
		channels = append(channels, gs.ChannelPC)
	}
	done := wc.ch.asOfLogins[wc.w.ID]
	var missing []string
	for _, c := range channels {
		if !done[c] {
			missing = append(missing, gs.ChannelName[c])
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return []gs.Warning{{
		Rule: gs.RuleDisciplineLogin, Period: today.String(),
		Points:   ix.scheme.Points[gs.RuleDisciplineLogin] * gs.Points(len(missing)),
		Due:      today.End(),
		Detail:   "今天还需登录" + strings.Join(missing, "和"),
		Evidence: []string{},
	}}
}

// warnPatrol warns of discipline.patrol on date(as_of), a duty day: the
// patrols still missing, counting the merged patrols ended by as_of that
// start today and last long enough.
func (ix *index) warnPatrol(wc *workerContext) []gs.Warning {
	today, _ := ix.todayMonth()
	need := ix.scheme.PatrolsPerDay
	if !wc.duty.has(today) || need == 0 || !ix.scheme.PatrolApplies(wc.w.Type) {
		return nil
	}
	minLen := time.Duration(ix.scheme.PatrolMinMinutes) * time.Minute
	var ended []*gs.Patrol
	for _, p := range wc.ch.patrols[wc.w.ID] {
		if !p.EndedAt.IsZero() && !p.EndedAt.After(ix.asOf) {
			ended = append(ended, p)
		}
	}
	counted := 0
	var walked time.Duration
	ids := []string{}
	for _, iv := range mergeEnded(ended) {
		if gs.DateOf(iv.start) != today {
			continue
		}
		ids = append(ids, iv.ids...)
		walked += iv.end.Sub(iv.start)
		if iv.end.Sub(iv.start) >= minLen {
			counted++
		}
	}
	missing := need - counted
	if missing <= 0 {
		return nil
	}
	detail := fmt.Sprintf("今天还需巡查 %d 次（每次不少于%s）", missing, walkedText(time.Duration(ix.scheme.PatrolMinMinutes)*time.Minute))
	if walked > 0 {
		detail = fmt.Sprintf("今天还需巡查 %d 次（已巡查 %s）", missing, walkedText(walked))
	}
	return []gs.Warning{{
		Rule: gs.RuleDisciplinePatrol, Period: today.String(),
		Points:   ix.scheme.Points[gs.RuleDisciplinePatrol] * gs.Points(missing),
		Due:      today.End(),
		Detail:   detail,
		Evidence: sortedIDs(ids),
	}}
}

// walkedText says a length of time in hours and minutes ("3小时10分",
// "45分", "3小时").
func walkedText(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%d分", m)
	case m == 0:
		return fmt.Sprintf("%d小时", h)
	}
	return fmt.Sprintf("%d小时%d分", h, m)
}

// deptLabel names the department of a roster row, or says 职能部门 when the
// row does not name one.
func deptLabel(d string) string {
	if d == "" {
		return "职能部门"
	}
	return d
}

// patrolSpan is a run of overlapping or touching patrols merged into one.
type patrolSpan struct {
	start, end time.Time
	ids        []string
}

// mergeEnded merges patrols (each with an end) that overlap or touch into
// spans, in order of start (RULES.md §5 patrol).
func mergeEnded(ps []*gs.Patrol) []patrolSpan {
	ps = slices.Clone(ps)
	slices.SortStableFunc(ps, func(a, b *gs.Patrol) int { return a.StartedAt.Compare(b.StartedAt) })
	var spans []patrolSpan
	for _, p := range ps {
		if n := len(spans); n > 0 && !p.StartedAt.After(spans[n-1].end) {
			s := &spans[n-1]
			if p.EndedAt.After(s.end) {
				s.end = p.EndedAt
			}
			s.ids = append(s.ids, p.ID)
			continue
		}
		spans = append(spans, patrolSpan{start: p.StartedAt, end: p.EndedAt, ids: []string{p.ID}})
	}
	return spans
}
