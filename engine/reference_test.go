package engine_test

// An independent reference implementation of RULES.md §1–§7 and the standing
// of §9, written from the spec alone (RULES.md, DATA.md and the domain types), without reading the
// engine's implementation. differential_test.go compares it with
// engine.Assess on random towns.
//
// It deliberately avoids the product's date helpers (DateOf, AddMonths,
// Quarter.Months, InPost, ...): days are its own day numbers counted from
// 2000-01-01 in its own CST zone; only gs.NewDate is used to hand a date to
// the calendar. Every score is an integer in hundredths; satisfaction uses
// math/big rationals. No float enters a score.
//
// Readings where RULES.md leaves room (the engine agrees with every one):
//
//   - §9 standing: "today" is the CST date of as_of; a day is elapsed when
//     it is before today. Logins and patrols look at elapsed duty days,
//     quota and batch at months whose last day is elapsed, visits at months
//     whose visit day (the 28th, param) is elapsed, missing entries at due
//     dates that are elapsed; findings, attendance (by the meeting's date)
//     and spot checks count when dated in Q and not after today. Duty-day
//     counts that prorate a quota or decide whether a month is judged stay
//     those of the whole month, as §3–§4 define them.
//   - An event closed after as_of is judged by its closed_at, not as open.
//   - A card's time limit may be 0 or negative (deadline at or before
//     reported_at): then any overdue is red, as the formula says.
//   - missing_entry looks only at the register row with the same person_id
//     and its entered_at (a person entered and removed before the due date
//     was entered in time).
//   - Grid deductions (missing_entry, visits) fall on the worker in post on
//     the day named; nobody when the grid is empty that day.
//   - Patrols are merged over all the worker's patrols with an end, across
//     days; a merged patrol counts for the date it starts.
//   - A finding's count of 0 counts once (DATA.md: default 1).
//   - Group weights whose sum over the groups with ballots is 0: full score
//     without the no_ballots flag (the engine's reading; not generated).
//   - A worker who is not assessed carries no flags (not compared).

import (
	"math/big"
	"sort"
	"time"

	gs "github.com/gridscore/gridscore"
)

// refCST is China Standard Time, UTC+8 without DST (RULES.md §0).
var refCST = time.FixedZone("refCST", 8*3600)

// refEpoch is day 0 of refDay.
var refEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// refDay is a CST calendar date as a day number (0 = 2000-01-01).
type refDay int

func refYMD(y int, m time.Month, d int) refDay {
	return refDay(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(refEpoch) / (24 * time.Hour))
}

// refDayOf is the CST date of an instant.
func refDayOf(t time.Time) refDay {
	y, m, d := t.In(refCST).Date()
	return refYMD(y, m, d)
}

func (d refDay) ymd() (int, time.Month, int) { return refEpoch.AddDate(0, 0, int(d)).Date() }

// start is 00:00 CST of the day; "on or before the end of d" is t < (d+1).start().
func (d refDay) start() time.Time {
	y, m, dd := d.ymd()
	return time.Date(y, m, dd, 0, 0, 0, 0, refCST)
}

func (d refDay) String() string { return refEpoch.AddDate(0, 0, int(d)).Format("2006-01-02") }

// gs converts to the product's Date, only through its constructor.
func (d refDay) gs() gs.Date {
	y, m, dd := d.ymd()
	return gs.NewDate(y, m, dd)
}

// refFromDate reads a product Date ("counted in days", date.go) as a refDay.
// ok is false for the zero Date ("no date").
func refFromDate(d gs.Date) (refDay, bool) {
	if d.IsZero() {
		return 0, false
	}
	return refDay(int(d - gs.NewDate(2000, time.January, 1))), true
}

func refMustDay(d gs.Date) refDay {
	r, _ := refFromDate(d)
	return r
}

// refDaysIn is the number of days of month m of year y.
func refDaysIn(y int, m time.Month) int {
	return int(refYMD(y, m+1, 1) - refYMD(y, m, 1))
}

// refAddMonths adds n calendar months, clamping to the end of the target
// month (RULES.md §1: 2023-08-31 + 6 months = 2024-02-29).
func refAddMonths(d refDay, n int) refDay {
	y, m, dd := d.ymd()
	idx := y*12 + int(m) - 1 + n
	ty, tm := idx/12, time.Month(idx%12+1)
	if last := refDaysIn(ty, tm); dd > last {
		dd = last
	}
	return refYMD(ty, tm, dd)
}

// refMonth is one calendar month of the quarter.
type refMonth struct {
	first, last refDay
}

// day returns day n (1-based) of the month.
func (m refMonth) day(n int) refDay { return m.first + refDay(n-1) }

func (m refMonth) String() string { return m.first.String()[:7] }

// refQuarter returns the quarter's three months.
func refQuarter(q gs.Quarter) [3]refMonth {
	var ms [3]refMonth
	for i := range ms {
		m := time.Month(3*(q.Q-1) + 1 + i)
		first := refYMD(q.Year, m, 1)
		ms[i] = refMonth{first: first, last: refYMD(q.Year, m+1, 1) - 1}
	}
	return ms
}

// refCal is what the reference takes of a calendar: the official one
// (calendar.New(nil)), asked with no town. The records' calendar days are
// laid over it by the reference itself (refWorkday).
type refCal interface {
	IsWorkday(town string, d gs.Date) bool
}

// refWorkday reads RULES.md §0 for a worker of town: the official
// calendar, then the calendar records of the district (no town), then
// those of the worker's town, which win; of two records of one date and
// town the later one.
func refWorkday(official refCal, days []gs.CalendarDay, town string, d refDay) bool {
	v := official.IsWorkday("", d.gs())
	for _, layer := range []string{"", town} {
		for _, c := range days {
			if c.Town == layer && refMustDay(c.Date) == d {
				v = c.Kind == gs.DayWorkday
			}
		}
	}
	return v
}

// refTownDay is a day of a town's calendar.
type refTownDay struct {
	town string
	d    refDay
}

// refOut is the reference's result for one listed worker.
type refOut struct {
	ID        string
	Town      string
	Type      gs.WorkerType
	Eligible  bool
	Total     int64                   // hundredths; eligible only
	Cats      map[gs.CategoryID]int64 // floored category scores
	Rules     map[gs.RuleID]int64     // points deducted per rule, before the floor
	Counts    map[gs.RuleID]int64     // occurrences per rule
	Rank      int
	Pay       int64 // fen
	NoBallots bool
	Interview bool
}

// refCategoryOf maps a rule to its category by the tables of §2–§5.
var refCategoryOf = map[gs.RuleID]gs.CategoryID{
	"info.stale": gs.CatInfo, "info.incomplete": gs.CatInfo,
	"events.quota": gs.CatEvents, "events.batch": gs.CatEvents, "events.yellow": gs.CatEvents,
	"events.red": gs.CatEvents, "events.irregular": gs.CatEvents, "events.omit_general": gs.CatEvents,
	"events.omit_major": gs.CatEvents, "events.serious_late": gs.CatEvents,
	"key.missing_entry": gs.CatKeyWork, "key.visits": gs.CatKeyWork, "key.lost_control": gs.CatKeyWork,
	"discipline.login": gs.CatDiscipline, "discipline.items": gs.CatDiscipline,
	"discipline.patrol": gs.CatDiscipline, "discipline.meeting": gs.CatDiscipline,
	"discipline.inspection": gs.CatDiscipline, "discipline.disobey": gs.CatDiscipline,
	"discipline.phone": gs.CatDiscipline, "discipline.quiz": gs.CatDiscipline,
}

// refFindingRule maps each finding kind to the rule it feeds.
var refFindingRule = map[gs.FindingKind]gs.RuleID{
	"info_stale": "info.stale", "info_incomplete": "info.incomplete",
	"omit_general": "events.omit_general", "omit_major": "events.omit_major",
	"serious_unreported": "events.serious_late", "lost_control": "key.lost_control",
	"items_unhandled": "discipline.items", "inspection": "discipline.inspection",
	"disobey": "discipline.disobey", "phone": "discipline.phone",
}

// refModel holds the indexes of one assessment.
type refModel struct {
	s      *gs.Scheme
	cal    refCal
	r      *gs.Records
	asOf   time.Time
	today  refDay // date(as_of): the days before it are elapsed (§9)
	months [3]refMonth
	qFirst refDay
	qLast  refDay

	towns    map[string]string // grid → town
	byWorker map[string]*refWorkerRecs
	persons  map[string]*gs.Person // register by person_id
	visits   map[string][]gs.Visit // by person_id
	meetings map[string]refDay
	workday  map[refTownDay]bool
}

type refWorkerRecs struct {
	w        *gs.Worker
	events   []gs.Event
	logins   map[gs.Channel]map[refDay]bool
	patrols  []gs.Patrol
	leaves   []gs.Leave
	findings []gs.Finding
	quizzes  []gs.Quiz
	ballots  []gs.Ballot
	attend   []gs.Attendance
	counts   map[gs.RuleID]int64
	interv   bool
}

func (m *refModel) inQ(d refDay) bool { return d >= m.qFirst && d <= m.qLast }

// over is §9's elapsed day: d < date(as_of); the day of as_of is not over.
func (m *refModel) over(d refDay) bool { return d < m.today }

// upToToday is §9 for findings, attendance and spot checks: dated in Q on or
// before date(as_of).
func (m *refModel) upToToday(d refDay) bool { return m.inQ(d) && d <= m.today }

// isWorkday: a workday for the worker, by the calendar of their grid's
// town.
func (m *refModel) isWorkday(wr *refWorkerRecs, d refDay) bool {
	k := refTownDay{m.towns[wr.w.GridCode], d}
	v, ok := m.workday[k]
	if !ok {
		v = refWorkday(m.cal, m.r.Calendar, k.town, d)
		m.workday[k] = v
	}
	return v
}

// inPost: hired_on ≤ d and (left_on empty or d ≤ left_on) (§0).
func refInPost(w *gs.Worker, d refDay) bool {
	if d < refMustDay(w.HiredOn) {
		return false
	}
	if left, ok := refFromDate(w.LeftOn); ok && d > left {
		return false
	}
	return true
}

func (m *refModel) onLeave(wr *refWorkerRecs, d refDay) bool {
	for _, l := range wr.leaves {
		if refMustDay(l.From) <= d && d <= refMustDay(l.To) {
			return true
		}
	}
	return false
}

// duty: a workday on which the worker is in post and not on leave.
func (m *refModel) duty(wr *refWorkerRecs, d refDay) bool {
	return m.isWorkday(wr, d) && refInPost(wr.w, d) && !m.onLeave(wr, d)
}

// responsible is the worker in post in grid on day d (nil if none). The
// records never have two (the generator guarantees it); if they did, the
// reference panics so that the generator gets fixed.
func (m *refModel) responsible(grid string, d refDay) *refWorkerRecs {
	var found *refWorkerRecs
	for i := range m.r.Workers {
		w := &m.r.Workers[i]
		if w.GridCode == grid && refInPost(w, d) {
			if found != nil {
				panic("reference: two workers in post in grid " + grid + " on " + d.String())
			}
			found = m.byWorker[w.ID]
		}
	}
	return found
}

// refAssess computes RULES.md §1–§7 for every listed worker, as their §9
// standing when as_of is inside Q.
func refAssess(s *gs.Scheme, cal refCal, r *gs.Records, q gs.Quarter, asOf time.Time) map[string]*refOut {
	m := &refModel{s: s, cal: cal, r: r, asOf: asOf, months: refQuarter(q),
		towns: map[string]string{}, byWorker: map[string]*refWorkerRecs{}, persons: map[string]*gs.Person{},
		visits: map[string][]gs.Visit{}, meetings: map[string]refDay{}, workday: map[refTownDay]bool{}}
	m.qFirst, m.qLast = m.months[0].first, m.months[2].last
	m.today = refDayOf(asOf)
	for _, g := range r.Grids {
		m.towns[g.Code] = g.Town
	}
	for i := range r.Workers {
		w := &r.Workers[i]
		m.byWorker[w.ID] = &refWorkerRecs{w: w, logins: map[gs.Channel]map[refDay]bool{}, counts: map[gs.RuleID]int64{}}
	}
	get := func(id string) *refWorkerRecs { return m.byWorker[id] }
	for _, e := range r.Events {
		if wr := get(e.WorkerID); wr != nil {
			wr.events = append(wr.events, e)
		}
	}
	for _, l := range r.Logins {
		if wr := get(l.WorkerID); wr != nil {
			if wr.logins[l.Channel] == nil {
				wr.logins[l.Channel] = map[refDay]bool{}
			}
			wr.logins[l.Channel][refDayOf(l.At)] = true
		}
	}
	for _, p := range r.Patrols {
		if wr := get(p.WorkerID); wr != nil {
			wr.patrols = append(wr.patrols, p)
		}
	}
	for _, l := range r.Leaves {
		if wr := get(l.WorkerID); wr != nil {
			wr.leaves = append(wr.leaves, l)
		}
	}
	for _, f := range r.Findings {
		if wr := get(f.WorkerID); wr != nil {
			wr.findings = append(wr.findings, f)
		}
	}
	for _, x := range r.Quizzes {
		if wr := get(x.WorkerID); wr != nil {
			wr.quizzes = append(wr.quizzes, x)
		}
	}
	for _, b := range r.Ballots {
		if wr := get(b.WorkerID); wr != nil {
			wr.ballots = append(wr.ballots, b)
		}
	}
	for _, a := range r.Attendance {
		if wr := get(a.WorkerID); wr != nil {
			wr.attend = append(wr.attend, a)
		}
	}
	for i := range r.Register {
		m.persons[r.Register[i].PersonID] = &r.Register[i]
	}
	for _, v := range r.Visits {
		m.visits[v.PersonID] = append(m.visits[v.PersonID], v)
	}
	for _, mt := range r.Meetings {
		m.meetings[mt.ID] = refMustDay(mt.HeldOn)
	}

	out := map[string]*refOut{}
	// §1: listed = in post on at least one day of Q.
	for i := range r.Workers {
		w := &r.Workers[i]
		listed := false
		for d := m.qFirst; d <= m.qLast && !listed; d++ {
			listed = refInPost(w, d)
		}
		if !listed {
			continue
		}
		o := &refOut{ID: w.ID, Town: m.towns[w.GridCode], Type: w.Type}
		o.Eligible = refAddMonths(refMustDay(w.HiredOn), s.MinTenureMonths) <= m.qLast
		out[w.ID] = o
	}

	// Worker-based rules.
	for _, o := range out {
		if !o.Eligible {
			continue
		}
		wr := m.byWorker[o.ID]
		m.findingRules(wr)
		m.eventRules(wr)
		m.disciplineRules(wr)
	}
	// Grid-based rules: they fall on whoever is responsible.
	m.missingEntry(out)
	m.visitRules(out)

	for _, o := range out {
		wr := m.byWorker[o.ID]
		o.Pay = m.base(wr)
		if !o.Eligible {
			if s.IneligiblePay == gs.IneligiblePayNone {
				o.Pay = 0
			}
			continue
		}
		o.Counts = wr.counts
		o.Rules = map[gs.RuleID]int64{}
		ded := map[gs.CategoryID]int64{}
		for rule, n := range wr.counts {
			p := n * int64(s.Points[rule])
			o.Rules[rule] = p
			ded[refCategoryOf[rule]] += p
		}
		o.Cats = map[gs.CategoryID]int64{}
		for _, c := range []gs.CategoryID{gs.CatInfo, gs.CatEvents, gs.CatKeyWork, gs.CatDiscipline} {
			o.Cats[c] = max(0, int64(s.Max[c])-ded[c])
		}
		o.Cats[gs.CatSatisfaction], o.NoBallots = m.satisfaction(wr)
		o.Interview = wr.interv
		for _, v := range o.Cats {
			o.Total += v
		}
		// §7 pay: base × total / 100, rounded half-up to the fen.
		o.Pay = refRoundHalfUp(big.NewRat(o.Pay*o.Total, 10000))
	}
	// §7 rank: among eligible workers of the same town, competition ranking.
	for _, o := range out {
		if !o.Eligible {
			continue
		}
		o.Rank = 1
		for _, p := range out {
			if p.Eligible && p.Town == o.Town && p.Total > o.Total {
				o.Rank++
			}
		}
	}
	return out
}

// base is the full pay of §7: monthly performance × months of Q in post at
// least one day (full-time), or the quarterly subsidy (part-time).
func (m *refModel) base(wr *refWorkerRecs) int64 {
	w := wr.w
	if w.Type == gs.FullTime {
		per := int64(m.s.MonthlyPerformance)
		if w.MonthlyPerformanceFen != nil {
			per = int64(*w.MonthlyPerformanceFen)
		}
		n := int64(0)
		for _, mo := range m.months {
			for d := mo.first; d <= mo.last; d++ {
				if refInPost(w, d) {
					n++
					break
				}
			}
		}
		return per * n
	}
	sub := int64(m.s.QuarterlySubsidy)
	if w.QuarterlySubsidyFen != nil {
		sub = int64(*w.QuarterlySubsidyFen)
	}
	return sub
}

// refRoundHalfUp rounds a non-negative rational to the nearest integer, halves up.
func refRoundHalfUp(x *big.Rat) int64 {
	y := new(big.Rat).Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(y.Num(), y.Denom()) // floor for non-negative
	return q.Int64()
}

// findingRules: every finding in Q (by occurred_on) up to date(as_of) counts
// `count` times (default 1); disobey also makes an interview due.
func (m *refModel) findingRules(wr *refWorkerRecs) {
	for _, f := range wr.findings {
		if !m.upToToday(refMustDay(f.OccurredOn)) {
			continue
		}
		rule, ok := refFindingRule[f.Kind]
		if !ok {
			continue
		}
		n := int64(f.Count)
		if n <= 0 {
			n = 1
		}
		wr.counts[rule] += n
		if f.Kind == gs.FindingDisobey {
			wr.interv = true
		}
	}
}

// refCeilDiv is ceil(a/b) for a ≥ 0, b > 0.
func refCeilDiv(a, b int64) int64 { return (a + b - 1) / b }

// refScaledQuota is the quota of §3 for a month with the given duty days and
// workdays.
func refScaledQuota(q gs.Quota, duty, workdays int) (total, reported int64) {
	total, reported = int64(q.Total), int64(q.Reported)
	if duty < workdays {
		total = refCeilDiv(total*int64(duty), int64(workdays))
		reported = refCeilDiv(reported*int64(duty), int64(workdays))
	}
	return
}

func (m *refModel) eventRules(wr *refWorkerRecs) {
	s := m.s
	for _, mo := range m.months {
		var total, reported, last int64
		for _, e := range wr.events {
			d := refDayOf(e.ReportedAt)
			if d < mo.first || d > mo.last {
				continue
			}
			total++
			if e.Flow == gs.FlowReported {
				reported++
			}
			if d > mo.last-refDay(s.BatchDays) {
				last++
			}
		}
		duty, work, dutyBefore := 0, 0, false
		for d := mo.first; d <= mo.last; d++ {
			if m.isWorkday(wr, d) {
				work++
			}
			if m.duty(wr, d) {
				duty++
				if d <= mo.last-refDay(s.BatchDays) {
					dutyBefore = true
				}
			}
		}
		// §9: a month is judged on quota and batch once its last day is over.
		judged := m.over(mo.last)
		// quota
		if judged && duty > 0 {
			tq, rq := refScaledQuota(s.Quotas[wr.w.Type], duty, work)
			if miss := max(0, tq-total, rq-reported); miss > 0 {
				wr.counts["events.quota"] += miss
			}
		}
		// batch: events of the last BatchDays days ≥ share of the month's.
		if judged && dutyBefore && total > 0 && last*100 >= s.BatchShare*total {
			wr.counts["events.batch"]++
		}
	}
	for _, e := range wr.events {
		inQ := m.inQ(refDayOf(e.ReportedAt))
		if e.Irregular && inQ {
			wr.counts["events.irregular"]++
		}
		if e.Severity == gs.SeveritySerious && inQ {
			occ := e.OccurredAt
			if occ.IsZero() {
				occ = e.ReportedAt
			}
			if e.ReportedAt.Sub(occ) > time.Duration(s.SeriousReportMinutes)*time.Minute {
				wr.counts["events.serious_late"]++
			}
		}
		switch m.card(e) {
		case gs.CardYellow:
			wr.counts["events.yellow"]++
		case gs.CardRed:
			wr.counts["events.red"]++
		}
	}
}

// card is the card of §3 that belongs to Q, or none.
func (m *refModel) card(e gs.Event) gs.Card {
	if e.Flow != gs.FlowSelfHandled && e.Flow != gs.FlowAssigned {
		return gs.CardNone
	}
	period := e.ReportedAt
	if !e.Deadline.IsZero() {
		period = e.Deadline
	}
	if !m.inQ(refDayOf(period)) {
		return gs.CardNone
	}
	if e.Card != gs.CardNone {
		return e.Card
	}
	if e.Deadline.IsZero() {
		return gs.CardNone
	}
	end := e.ClosedAt
	if end.IsZero() || end.After(m.asOf) { // still open at as_of
		end = m.asOf
	}
	overdue := end.Sub(e.Deadline)
	if overdue <= 0 {
		return gs.CardNone
	}
	// red when the handling took more than red_factor × the limit:
	// (end − reported_at) × 100 > red_factor × (deadline − reported_at);
	// with red_factor 2 this is overdue > limit.
	took := big.NewInt(int64(end.Sub(e.ReportedAt)))
	took.Mul(took, big.NewInt(100))
	lim := big.NewInt(int64(e.Deadline.Sub(e.ReportedAt)))
	lim.Mul(lim, big.NewInt(m.s.RedFactor))
	if took.Cmp(lim) > 0 {
		return gs.CardRed
	}
	return gs.CardYellow
}

// missingEntry: a roster row due (listed_on + entry_days) in Q whose person is
// not on the register with entered_at before the end of the due date costs
// the worker in post in the row's grid on the due date.
func (m *refModel) missingEntry(out map[string]*refOut) {
	for _, row := range m.r.Rosters {
		due := refMustDay(row.ListedOn) + refDay(m.s.EntryDays)
		if !m.inQ(due) || !m.over(due) {
			continue // §9: only due dates that are over
		}
		if p := m.persons[row.PersonID]; p != nil && p.EnteredAt.Before((due + 1).start()) {
			continue
		}
		if wr := m.responsible(row.GridCode, due); wr != nil {
			if o := out[wr.w.ID]; o != nil && o.Eligible {
				wr.counts["key.missing_entry"]++
			}
		}
	}
}

// visitRules: per month, if a person of the grid who needs visits lacks them
// by the end of the 28th, the worker in post in the grid on the 28th loses 5,
// unless that worker had no duty day from the 1st to the 28th.
func (m *refModel) visitRules(out map[string]*refOut) {
	grids := map[string]bool{}
	for _, p := range m.r.Register {
		grids[p.GridCode] = true
	}
	for grid := range grids {
		for _, mo := range m.months {
			vd := mo.day(m.s.VisitDay)
			if !m.over(vd) {
				continue // §9: the month is judged once its 28th is over
			}
			lacking := false
			for i := range m.r.Register {
				p := &m.r.Register[i]
				if p.GridCode != grid {
					continue
				}
				need := m.s.VisitsPerMonth[p.Category]
				if need <= 0 {
					continue
				}
				if !p.EnteredAt.Before(mo.first.start()) {
					continue // not entered before the first day of m
				}
				if !p.LeftAt.IsZero() && p.LeftAt.Before(vd.start()) {
					continue // left before the 28th
				}
				n := 0
				for _, v := range m.visits[p.PersonID] {
					if !v.VisitedAt.Before(mo.first.start()) && v.VisitedAt.Before((vd + 1).start()) {
						n++
					}
				}
				if n < need {
					lacking = true
				}
			}
			if !lacking {
				continue
			}
			wr := m.responsible(grid, vd)
			if wr == nil {
				continue
			}
			if o := out[wr.w.ID]; o == nil || !o.Eligible {
				continue
			}
			hadDuty := false
			for d := mo.first; d <= vd; d++ {
				if m.duty(wr, d) {
					hadDuty = true
					break
				}
			}
			if hadDuty {
				wr.counts["key.visits"]++
			}
		}
	}
}

func (m *refModel) disciplineRules(wr *refWorkerRecs) {
	s := m.s
	w := wr.w
	channels := []gs.Channel{gs.ChannelApp}
	if w.Type == gs.FullTime && w.Stationed {
		channels = append(channels, gs.ChannelPC)
	}
	patrols := false
	for _, t := range s.PatrolAppliesTo {
		if t == w.Type {
			patrols = true
		}
	}
	// Merge overlapping or touching patrols (those with an end).
	type iv struct{ a, b time.Time }
	var ivs []iv
	for _, p := range wr.patrols {
		if p.EndedAt.IsZero() {
			continue
		}
		ivs = append(ivs, iv{p.StartedAt, p.EndedAt})
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].a.Before(ivs[j].a) })
	var merged []iv
	for _, x := range ivs {
		if n := len(merged); n > 0 && !x.a.After(merged[n-1].b) {
			if x.b.After(merged[n-1].b) {
				merged[n-1].b = x.b
			}
			continue
		}
		merged = append(merged, x)
	}
	good := map[refDay]int{}
	for _, x := range merged {
		if x.b.Sub(x.a) >= time.Duration(s.PatrolMinMinutes)*time.Minute {
			good[refDayOf(x.a)]++
		}
	}
	for d := m.qFirst; d <= m.qLast; d++ {
		if !m.over(d) || !m.duty(wr, d) {
			continue
		}
		for _, c := range channels {
			if !wr.logins[c][d] {
				wr.counts["discipline.login"]++
			}
		}
		if patrols {
			if miss := s.PatrolsPerDay - good[d]; miss > 0 {
				wr.counts["discipline.patrol"] += int64(miss)
			}
		}
	}
	for _, a := range wr.attend {
		held, ok := m.meetings[a.MeetingID]
		if ok && m.upToToday(held) && a.Status == gs.StatusAbsent {
			wr.counts["discipline.meeting"]++
		}
	}
	for _, x := range wr.quizzes {
		if m.upToToday(refMustDay(x.TakenOn)) && x.WrongAnswers > 0 {
			wr.counts["discipline.quiz"] += int64(x.WrongAnswers)
		}
	}
}

// satisfaction is §6: the category max × rate, rounded half-up to the
// hundredth; full marks and the no_ballots flag without a ballot in Q.
func (m *refModel) satisfaction(wr *refWorkerRecs) (int64, bool) {
	max := int64(m.s.Max[gs.CatSatisfaction])
	type acc struct{ n, sum int64 }
	groups := map[gs.RaterGroup]*acc{}
	all := &acc{}
	for _, b := range wr.ballots {
		if !m.inQ(refDayOf(b.CastAt)) {
			continue
		}
		wt := m.s.RatingWeights[b.Rating]
		all.n++
		all.sum += wt
		if groups[b.RaterGroup] == nil {
			groups[b.RaterGroup] = &acc{}
		}
		groups[b.RaterGroup].n++
		groups[b.RaterGroup].sum += wt
	}
	if all.n == 0 {
		return max, true
	}
	var rate *big.Rat
	if len(m.s.GroupWeights) == 0 {
		rate = big.NewRat(all.sum, all.n*100)
	} else {
		num, den := new(big.Rat), new(big.Rat)
		for g, a := range groups {
			gw := big.NewRat(m.s.GroupWeights[g], 100)
			num.Add(num, new(big.Rat).Mul(gw, big.NewRat(a.sum, a.n*100)))
			den.Add(den, gw)
		}
		if den.Sign() == 0 {
			return max, false // reading: the engine's
		}
		rate = new(big.Rat).Quo(num, den)
	}
	return refRoundHalfUp(new(big.Rat).Mul(rate, big.NewRat(max, 1))), false
}
