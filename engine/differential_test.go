package engine_test

// Randomized differential test: random small towns, with records clustered on
// the boundaries of RULES.md, are assessed by engine.Assess and by the
// independent reference of reference_test.go; every listed worker's
// eligibility, total, category scores, per-rule deductions, rank, pay and
// no_ballots flag must agree.
//
// Reproduce one seed with
//
//	go test ./engine/ -run 'TestDifferential/seed=17$' -v
//
// and run without -run to see (with -v) how often each rule was exercised;
// the test fails if the generator stops exercising a rule.
//
// The generator clusters records on the boundaries RULES.md draws: hire dates
// around quarter end − min_tenure_months (with month-end clamping), hand-overs
// of a grid on the 27th–29th, leaves ending just before the burst window or
// the visit day, event counts around the (scaled) quota and around half in
// the burst window, deadlines and closes at 0, ±1 s, the limit and twice it,
// open events against an as_of inside or after the quarter, as_of on the
// days where §9's standing changes (the quarter's first day, a month's first
// and last day, the 28th and the 29th) at their first and last minute, given cards on
// every flow, serious events reported at 1:59, 2:00, 2:00:01 and 2:01,
// roster rows due on the quarter's edges, register rows entered at 00:00 on
// the 1st or 23:59:59 before it and removed on the 27th/28th, visits at
// 23:59:59 on the 28th and 00:00 on the 29th, patrols that touch, overlap,
// cross midnight, have no end, are 0 s long or exactly 3 h, logins at 00:00
// and 23:59:59, calendar overrides, two towns, ties, and in 30% of towns
// timestamps in UTC, EST or JST locations (the instant's CST date counts).
// One town in eight uses a scheme with every parameter moved off the default.

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/scheme"
)

const refSeeds = 300

// refCase is one generated town and assessment.
type refCase struct {
	seed    uint64
	scheme  gs.Scheme
	rec     *gs.Records
	quarter gs.Quarter
	asOf    time.Time
}

// refTownOf returns the town of a grid of r ("" when unknown).
func refTownOf(r *gs.Records, grid string) string {
	for _, g := range r.Grids {
		if g.Code == grid {
			return g.Town
		}
	}
	return ""
}

// refGen generates one town.
type refGen struct {
	rng    *rand.Rand
	s      *gs.Scheme
	rec    *gs.Records
	q      gs.Quarter
	months [3]refMonth
	qFirst refDay
	qLast  refDay
	cal    *calendar.Calendar
	nextID int
	// care scales the chance of trouble in a worker's events (1 = sloppy),
	// so that not every worker's events category ends at 0.
	care float64
}

func (g *refGen) id(prefix string) string {
	g.nextID++
	return fmt.Sprintf("%s%d", prefix, g.nextID)
}

func (g *refGen) chance(p float64) bool { return g.rng.Float64() < p }
func (g *refGen) intn(n int) int        { return g.rng.IntN(n) }
func (g *refGen) between(a, b int) int  { return a + g.rng.IntN(b-a+1) }

func refPick[T any](g *refGen, xs ...T) T { return xs[g.rng.IntN(len(xs))] }

// at is day d at hh:mm:ss CST.
func refAt(d refDay, hh, mm, ss int) time.Time {
	return d.start().Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second)
}

// randTime is a random moment of day d, with a bias to its first and last second.
func (g *refGen) randTime(d refDay) time.Time {
	switch g.intn(10) {
	case 0:
		return refAt(d, 0, 0, 0)
	case 1:
		return refAt(d, 23, 59, 59)
	default:
		return refAt(d, g.between(7, 20), g.intn(60), 0)
	}
}

// edgeDay picks a day in or near the quarter, biased to its edges.
func (g *refGen) edgeDay() refDay {
	switch g.intn(8) {
	case 0:
		return g.qFirst - 1
	case 1:
		return g.qFirst
	case 2:
		return g.qLast
	case 3:
		return g.qLast + 1
	default:
		return g.qFirst + refDay(g.intn(int(g.qLast-g.qFirst+1)))
	}
}

func refGenerate(seed uint64) *refCase {
	rng := rand.New(rand.NewPCG(seed, 0x5eed0f9a1d5c0de))
	s := scheme.Default()
	g := &refGen{rng: rng, s: &s, rec: &gs.Records{}}
	g.q = gs.Quarter{Year: g.between(2023, 2025), Q: g.between(1, 4)}
	g.months = refQuarter(g.q)
	g.qFirst, g.qLast = g.months[0].first, g.months[2].last

	// Scheme variations that the default scheme leaves untested.
	switch g.intn(8) {
	case 0:
		s.GroupWeights = map[gs.RaterGroup]int64{gs.RaterCadre: 40, gs.RaterResident: 60}
	case 1:
		s.IneligiblePay = gs.IneligiblePayNone
	case 2:
		s.QuarterlySubsidy = 60000
	case 3:
		// Another town: every parameter moved off the default.
		s.MinTenureMonths = 3
		s.BatchDays, s.BatchShare = 7, 60
		s.RedFactor = 300
		s.SeriousReportMinutes = 90
		s.EntryDays, s.VisitDay = 10, 25
		s.VisitsPerMonth = map[gs.Category]int{gs.CategoryDrug: 2, gs.CategoryCorrection: 1, gs.CategoryReleased: 1, gs.CategoryMental: 0}
		s.PatrolAppliesTo = []gs.WorkerType{gs.FullTime}
		s.PatrolsPerDay, s.PatrolMinMinutes = 1, 150
		s.RatingWeights = map[gs.Rating]int64{gs.RatingSatisfied: 100, gs.RatingBasic: 50, gs.RatingUnsatisfied: 0}
		s.GroupWeights = map[gs.RaterGroup]int64{gs.RaterCadre: 25, gs.RaterResident: 75}
		s.Quotas = map[gs.WorkerType]gs.Quota{gs.FullTime: {Total: 40, Reported: 5}, gs.PartTime: {Total: 30, Reported: 3}}
		s.Points = maps.Clone(s.Points)
		s.Points[gs.RuleDisciplineQuiz] = 25
		s.Points[gs.RuleEventsRed] = 1200
		s.Points[gs.RuleDisciplineLogin] = 150
		s.MonthlyPerformance = 33333
	}

	// Calendar days: the district's (no town) and the two towns' own
	// (the second town may not exist), some of a town on a date the
	// district has set too, so that the town's day has to win.
	if g.chance(0.4) {
		seen := map[refTownDay]bool{}
		add := func(town string, d refDay, kind gs.DayKind) {
			if k := (refTownDay{town, d}); !seen[k] {
				seen[k] = true
				g.rec.Calendar = append(g.rec.Calendar, gs.CalendarDay{Date: d.gs(), Kind: kind, Name: "override", Town: town})
			}
		}
		for n := g.between(1, 5); n > 0; n-- {
			d := g.qFirst + refDay(g.intn(int(g.qLast-g.qFirst+1)))
			kind := refPick(g, gs.DayHoliday, gs.DayWorkday)
			town := refPick(g, "", "", "XX镇", "YY镇")
			add(town, d, kind)
			if town == "" && g.chance(0.5) {
				add(refPick(g, "XX镇", "YY镇"), d, refPick(g, gs.DayHoliday, gs.DayWorkday))
			}
		}
	}
	g.cal = calendar.New(g.rec.Calendar)

	g.workers()
	for i := range g.rec.Workers {
		w := &g.rec.Workers[i]
		g.leaves(w)
		g.care = refPick(g, 1.0, 0.1, 0.01)
		g.events(w)
		g.logins(w)
		g.patrols(w)
		g.findings(w)
		g.quizzes(w)
		g.ballots(w)
	}
	g.meetings()
	g.keyWork()
	if g.chance(0.2) {
		g.cloneForTie()
	}
	asOf := g.asOf()
	if g.chance(0.3) {
		g.relocate()
		asOf = g.loc(asOf)
	}
	return &refCase{seed: seed, scheme: s, rec: g.rec, quarter: g.q, asOf: asOf}
}

// refZones are the locations timestamps may arrive in: the instant is what
// counts, and its date is always the CST date (RULES.md §0). An RFC 3339
// timestamp from the API may well carry +00:00.
var refZones = []*time.Location{time.UTC, time.FixedZone("EST", -5*3600), time.FixedZone("JST", 9*3600), refCST}

// loc moves t to a random location, keeping the instant.
func (g *refGen) loc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(refZones[g.intn(len(refZones))])
}

// relocate moves every timestamp of the records to random locations.
func (g *refGen) relocate() {
	r := g.rec
	for i := range r.Events {
		e := &r.Events[i]
		e.OccurredAt, e.ReportedAt, e.Deadline, e.ClosedAt = g.loc(e.OccurredAt), g.loc(e.ReportedAt), g.loc(e.Deadline), g.loc(e.ClosedAt)
	}
	for i := range r.Logins {
		r.Logins[i].At = g.loc(r.Logins[i].At)
	}
	for i := range r.Patrols {
		r.Patrols[i].StartedAt, r.Patrols[i].EndedAt = g.loc(r.Patrols[i].StartedAt), g.loc(r.Patrols[i].EndedAt)
	}
	for i := range r.Register {
		r.Register[i].EnteredAt, r.Register[i].LeftAt = g.loc(r.Register[i].EnteredAt), g.loc(r.Register[i].LeftAt)
	}
	for i := range r.Visits {
		r.Visits[i].VisitedAt = g.loc(r.Visits[i].VisitedAt)
	}
	for i := range r.Ballots {
		r.Ballots[i].CastAt = g.loc(r.Ballots[i].CastAt)
	}
}

// asOf draws the moment of the assessment: in half the towns a
// moment inside the quarter (RULES.md §9's standing), biased to the days
// where what is due changes — the quarter's first day, a month's first and
// last day, the visit day (28th) and the day after it, the first day of the
// burst window — and to the first and last minute of the day; otherwise
// the quarter's end exactly or a moment after it (the final result).
func (g *refGen) asOf() time.Time {
	switch g.intn(10) {
	case 0, 1, 2, 3, 4:
		mo := g.months[g.intn(3)]
		vd := mo.day(g.s.VisitDay)
		d := refPick(g, g.qFirst, mo.first, mo.last, vd, vd+1, mo.last-refDay(g.s.BatchDays)+1,
			g.qFirst+refDay(g.intn(int(g.qLast-g.qFirst+1))))
		switch g.intn(6) {
		case 0:
			return refAt(d, 0, 0, 0)
		case 1:
			return refAt(d, 0, 0, 59)
		case 2:
			return refAt(d, 23, 59, 0)
		case 3:
			return refAt(d, 23, 59, 59)
		default:
			return g.randTime(d)
		}
	case 5:
		return refAt(g.qLast, 23, 59, 59) // the quarter's last minute: its last day is not over
	case 6:
		return (g.qLast + 1).start()
	default:
		return g.randTime(g.qLast + refDay(g.between(1, 40)))
	}
}

// hireDay picks a hire date: long ago, around the eligibility boundary
// (quarter end − 6 months, with month-end clamping), or inside the quarter.
func (g *refGen) hireDay() refDay {
	switch g.intn(10) {
	case 0, 1, 2:
		return refYMD(g.between(2018, 2021), time.Month(g.between(1, 12)), g.between(1, 28))
	case 3, 4, 5, 6:
		// The boundary: last day of Q minus 6 months, ± 3 days. For a
		// quarter ending on the 30th this covers the clamped 31st.
		return refAddMonths(g.qLast, -g.s.MinTenureMonths) + refDay(g.between(-3, 3))
	case 7:
		// Month ends whose +6 months clamp: 08-31, 03-31, 12-31, 05-31.
		y := g.q.Year - g.intn(2)
		return refPick(g, refYMD(y, 8, 31), refYMD(y, 3, 31), refYMD(y-1, 12, 31), refYMD(y, 5, 31), refYMD(y, 10, 31))
	default:
		return g.qFirst + refDay(g.between(-10, int(g.qLast-g.qFirst)))
	}
}

// workers creates 1–2 towns, their grids and 3–8 workers; a grid has a chain
// of workers whose time in post never overlaps.
func (g *refGen) workers() {
	towns := []string{"XX镇"}
	if g.chance(0.4) {
		towns = append(towns, "YY镇")
	}
	n := g.between(3, 8)
	ngrids := max(2, n-g.intn(3))
	for i := 0; i < ngrids; i++ {
		code := fmt.Sprintf("G%d", i+1)
		g.rec.Grids = append(g.rec.Grids, gs.Grid{Code: code, Name: code, Town: towns[i%len(towns)]})
	}
	// Distribute n workers over the grids: every grid gets one, the rest
	// follow as successors.
	chains := make([][]int, ngrids)
	for i := 0; i < n; i++ {
		gi := i
		if i >= ngrids {
			gi = g.intn(ngrids)
		}
		chains[gi] = append(chains[gi], i)
	}
	g.rec.Workers = make([]gs.Worker, n)
	for gi, chain := range chains {
		var prevLeft refDay
		for k, wi := range chain {
			w := &g.rec.Workers[wi]
			w.ID = fmt.Sprintf("W%02d", wi+1)
			w.Name = w.ID
			w.GridCode = g.rec.Grids[gi].Code
			w.Type = gs.FullTime
			if g.chance(0.35) {
				w.Type = gs.PartTime
			}
			w.Stationed = g.chance(0.4)
			if g.chance(0.3) {
				f := gs.Fen(g.between(15000, 30000))
				w.MonthlyPerformanceFen = &f
			}
			if w.Type == gs.PartTime && g.chance(0.8) {
				f := gs.Fen(g.between(30000, 120000))
				w.QuarterlySubsidyFen = &f
			}
			var hired refDay
			if k == 0 {
				hired = g.hireDay()
			} else {
				hired = prevLeft + 1 + refDay(g.intn(4))
				if g.chance(0.3) {
					// Start on a month's visit day or on the first day of
					// its burst window, or just before.
					mo := g.months[g.intn(3)]
					if d := refPick(g, mo.day(g.s.VisitDay), mo.last-refDay(g.s.BatchDays), mo.last-refDay(g.s.BatchDays)+1); d > prevLeft {
						hired = d
					}
				}
			}
			w.HiredOn = hired.gs()
			last := k == len(chain)-1
			var left refDay
			switch {
			case !last:
				// Hand over inside the quarter, often near a 28th.
				mo := g.months[g.intn(3)]
				left = refPick(g, mo.day(27), mo.day(28), mo.day(29), mo.first, mo.first+refDay(g.intn(28)))
				if left < hired {
					left = hired + refDay(g.intn(10))
				}
			case g.chance(0.15):
				left = g.qFirst + refDay(g.intn(int(g.qLast-g.qFirst+1)))
			case g.chance(0.05):
				left = refPick(g, g.qFirst-1, g.qFirst, g.qLast, g.qLast+10)
			}
			if left != 0 {
				if left < hired {
					left = hired
				}
				w.LeftOn = left.gs()
				prevLeft = left
			} else if !last {
				prevLeft = hired + 30
			}
		}
	}
}

func (g *refGen) leaves(w *gs.Worker) {
	if !g.chance(0.3) {
		return
	}
	for n := g.between(1, 2); n > 0; n-- {
		var from, to refDay
		if g.chance(0.4) {
			mo := g.months[g.intn(3)]
			from = mo.first
			// A whole month; up to the burst window or just before it;
			// up to the visit day.
			to = refPick(g, mo.last, mo.last-refDay(g.s.BatchDays), mo.last-refDay(g.s.BatchDays)-1,
				mo.day(g.s.VisitDay), mo.day(g.s.VisitDay)-1)
		} else {
			from = g.qFirst + refDay(g.between(-5, int(g.qLast-g.qFirst)))
			to = from + refDay(g.intn(25))
		}
		g.rec.Leaves = append(g.rec.Leaves, gs.Leave{WorkerID: w.ID, From: from.gs(), To: to.gs(), Reason: "事假"})
	}
}

// dutyDays counts the worker's duty days and the workdays of month mo, as
// the generator's guide to quota-sized months.
func (g *refGen) dutyDays(w *gs.Worker, mo refMonth) (duty, work int) {
	town := refTownOf(g.rec, w.GridCode)
	for d := mo.first; d <= mo.last; d++ {
		if !g.cal.IsWorkday(town, d.gs()) {
			continue
		}
		work++
		if !refInPost(w, d) {
			continue
		}
		onLeave := false
		for _, l := range g.rec.Leaves {
			if l.WorkerID == w.ID && refMustDay(l.From) <= d && d <= refMustDay(l.To) {
				onLeave = true
			}
		}
		if !onLeave {
			duty++
		}
	}
	return
}

func (g *refGen) events(w *gs.Worker) {
	prev := refMonth{first: refAddMonths(g.qFirst, -1), last: g.qFirst - 1}
	next := refMonth{first: g.qLast + 1, last: refAddMonths(g.qLast+1, 1) - 1}
	// A few events just outside the quarter, whose deadlines may fall in it.
	for _, d := range []refDay{prev.last, prev.last - 2, next.first} {
		for n := g.intn(3); n > 0; n-- {
			g.event(w, g.randTime(d), g.chance(0.3))
		}
	}
	for _, mo := range g.months {
		var total, reported, inLast int
		k := g.intn(20)
		if g.care < 1 && g.chance(0.6) {
			k = 0
		}
		switch {
		case k < 7: // around the (scaled) quota
			duty, work := g.dutyDays(w, mo)
			tq, rq := refScaledQuota(g.s.Quotas[w.Type], duty, work)
			total = max(0, int(tq)+g.between(-3, 2))
			reported = min(total, max(0, int(rq)+g.between(-2, 1)))
			inLast = g.intn(4)
		case k < 11: // around the batch threshold
			total = g.between(1, 30)
			reported = g.intn(total + 1)
			inLast = max(0, min(total, refPick(g, total/2, (total+1)/2, total/2-1, (total+1)/2+1, total)))
		case k < 17:
			total = g.intn(12)
			reported = g.intn(total + 1)
			inLast = g.intn(total + 1)
		}
		lastStart := mo.last - refDay(g.s.BatchDays) + 1
		for i := 0; i < total; i++ {
			var at time.Time
			if i < inLast {
				d := lastStart + refDay(g.intn(g.s.BatchDays))
				at = g.randTime(d)
				if g.chance(0.15) {
					at = refAt(lastStart, 0, 0, 0)
				}
			} else {
				d := mo.first + refDay(g.intn(int(lastStart-mo.first)))
				at = g.randTime(d)
				if g.chance(0.1) {
					at = refAt(lastStart-1, 23, 59, 59)
				}
			}
			g.event(w, at, i < reported)
		}
	}
}

func (g *refGen) event(w *gs.Worker, at time.Time, reported bool) {
	e := gs.Event{ID: g.id("E"), WorkerID: w.ID, ReportedAt: at, OccurredAt: at.Add(-time.Duration(g.intn(600)) * time.Minute),
		Severity: gs.SeverityGeneral, Flow: refPick(g, gs.FlowSelfHandled, gs.FlowAssigned)}
	if reported {
		e.Flow = gs.FlowReported
	}
	switch k := g.intn(100); {
	case k < 8:
		e.Severity = gs.SeverityMajor
	case k < 8+int(8*g.care):
		e.Severity = gs.SeveritySerious
		e.OccurredAt = at.Add(-refPick(g, 2*time.Hour, 2*time.Hour+time.Second, 2*time.Hour+time.Minute,
			119*time.Minute, 5*time.Hour, 0))
	}
	if g.chance(0.4) {
		limit := refPick(g, 0, time.Hour, 2*time.Hour, 24*time.Hour, 72*time.Hour, 7*24*time.Hour, 15*24*time.Hour)
		e.Deadline = at.Add(limit)
		if g.chance(0.03) {
			e.Deadline = at.Add(-time.Hour) // a deadline before entry
			limit = -time.Hour
		}
		if !g.chance(g.care) {
			e.ClosedAt = e.Deadline.Add(-time.Duration(g.intn(100)) * time.Minute)
		} else if g.chance(0.6) {
			e.ClosedAt = e.Deadline.Add(refPick(g, -time.Minute, 0, time.Second, limit-time.Second, limit,
				limit+time.Second, 2*limit, -limit/2))
		}
	} else if g.chance(0.3) {
		e.ClosedAt = at.Add(time.Duration(g.between(1, 5000)) * time.Minute)
	}
	if g.chance(0.08 * g.care) {
		e.Card = refPick(g, gs.CardYellow, gs.CardRed)
	}
	e.Irregular = g.chance(0.06 * g.care)
	g.rec.Events = append(g.rec.Events, e)
}

func (g *refGen) logins(w *gs.Worker) {
	pMiss := refPick(g, 0.0, 0.02, 0.1, 0.3)
	pcToo := w.Stationed || g.chance(0.4)
	for d := g.qFirst - 1; d <= g.qLast+1; d++ {
		for _, c := range []gs.Channel{gs.ChannelApp, gs.ChannelPC} {
			if c == gs.ChannelPC && !pcToo {
				continue
			}
			if g.chance(pMiss) {
				continue
			}
			g.rec.Logins = append(g.rec.Logins, gs.Login{WorkerID: w.ID, Channel: c, At: g.randTime(d)})
		}
	}
}

// refPatrolPatterns are one day's patrols as [start, end] offsets from the
// day's 00:00; end < 0 is a patrol with no end.
var refPatrolPatterns = [][][2]time.Duration{
	{}, // none
	{{8 * time.Hour, 11*time.Hour + 30*time.Minute}, {14 * time.Hour, 17*time.Hour + 30*time.Minute}},
	{{8 * time.Hour, 11 * time.Hour}, {14 * time.Hour, 17*time.Hour - time.Second}},                                                                   // exactly 3h; 1s short
	{{8 * time.Hour, 11 * time.Hour}, {11 * time.Hour, 14 * time.Hour}},                                                                               // touching → 1
	{{8 * time.Hour, 11 * time.Hour}, {10 * time.Hour, 13 * time.Hour}},                                                                               // overlapping → 1
	{{8 * time.Hour, 9*time.Hour + 30*time.Minute}, {9*time.Hour + 30*time.Minute, 11 * time.Hour}, {14 * time.Hour, 17 * time.Hour}},                 // two halves touching → 2
	{{8 * time.Hour, 11 * time.Hour}, {14 * time.Hour, -1}},                                                                                           // no end ignored
	{{9 * time.Hour, 12 * time.Hour}, {21 * time.Hour, 24*time.Hour + 30*time.Minute}},                                                                // crossing midnight
	{{0, 3 * time.Hour}, {13 * time.Hour, 16 * time.Hour}},                                                                                            // from midnight; may merge into yesterday's
	{{22 * time.Hour, 25 * time.Hour}},                                                                                                                // exactly 3h across midnight
	{{8 * time.Hour, 18 * time.Hour}},                                                                                                                 // one long
	{{8 * time.Hour, 11 * time.Hour}, {11*time.Hour + time.Second, 14*time.Hour + time.Second}},                                                       // 1s gap → 2
	{{8 * time.Hour, 11*time.Hour + 30*time.Minute}, {8 * time.Hour, 11*time.Hour + 30*time.Minute}, {14 * time.Hour, 17*time.Hour + 30*time.Minute}}, // duplicate
	{{9 * time.Hour, 9 * time.Hour}, {10 * time.Hour, 13 * time.Hour}, {13 * time.Hour, 13 * time.Hour}, {14 * time.Hour, 17 * time.Hour}},            // zero-length
	{{8 * time.Hour, -1}, {9 * time.Hour, 12 * time.Hour}, {14 * time.Hour, 17 * time.Hour}},                                                          // no-end overlapping
	{{14 * time.Hour, 17 * time.Hour}},                                                                                                                // one
	{{23 * time.Hour, 26 * time.Hour}, {5 * time.Hour, 8 * time.Hour}},                                                                                // late night + early
}

func (g *refGen) patrols(w *gs.Worker) {
	pGood := refPick(g, 1.0, 0.95, 0.8, 0.5)
	for d := g.qFirst - 1; d <= g.qLast+1; d++ {
		pat := refPatrolPatterns[1]
		if !g.chance(pGood) {
			pat = refPatrolPatterns[g.intn(len(refPatrolPatterns))]
		}
		for _, p := range pat {
			x := gs.Patrol{ID: g.id("P"), WorkerID: w.ID, StartedAt: d.start().Add(p[0])}
			if p[1] >= 0 {
				x.EndedAt = d.start().Add(p[1])
			}
			g.rec.Patrols = append(g.rec.Patrols, x)
		}
	}
}

func (g *refGen) findings(w *gs.Worker) {
	for n := g.intn(5); n > 0; n-- {
		g.rec.Findings = append(g.rec.Findings, gs.Finding{ID: g.id("F"), WorkerID: w.ID,
			Kind: gs.FindingKinds[g.intn(len(gs.FindingKinds))], OccurredOn: g.edgeDay().gs(), Count: g.between(1, 3)})
	}
}

func (g *refGen) quizzes(w *gs.Worker) {
	for n := g.intn(3); n > 0; n-- {
		g.rec.Quizzes = append(g.rec.Quizzes, gs.Quiz{ID: g.id("Q"), WorkerID: w.ID, TakenOn: g.edgeDay().gs(), WrongAnswers: g.intn(5)})
	}
}

func (g *refGen) ballots(w *gs.Worker) {
	if g.chance(0.2) {
		return
	}
	groups := []gs.RaterGroup{gs.RaterCadre, gs.RaterResident}
	if g.chance(0.3) {
		groups = groups[g.intn(2):][:1]
	}
	outside := g.chance(0.1)
	for n := refPick(g, g.between(1, 10), g.between(1, 10), g.between(11, 33)); n > 0; n-- {
		var at time.Time
		switch {
		case outside:
			at = refPick(g, refAt(g.qFirst-1, 23, 59, 59), refAt(g.qLast+1, 0, 0, 0))
		case g.chance(0.2):
			at = refPick(g, refAt(g.qFirst, 0, 0, 0), refAt(g.qLast, 23, 59, 59), refAt(g.qLast+1, 0, 0, 0))
		default:
			at = g.randTime(g.qFirst + refDay(g.intn(int(g.qLast-g.qFirst+1))))
		}
		g.rec.Ballots = append(g.rec.Ballots, gs.Ballot{ID: g.id("B"), WorkerID: w.ID, RaterGroup: refPick(g, groups...),
			Rating: refPick(g, gs.RatingSatisfied, gs.RatingSatisfied, gs.RatingBasic, gs.RatingUnsatisfied), CastAt: at})
	}
}

func (g *refGen) meetings() {
	for n := g.between(1, 5); n > 0; n-- {
		m := gs.Meeting{ID: g.id("M"), HeldOn: g.edgeDay().gs(), Title: "例会"}
		g.rec.Meetings = append(g.rec.Meetings, m)
		for _, w := range g.rec.Workers {
			var st gs.AttendanceStatus
			switch k := g.intn(10); {
			case k < 3:
				st = gs.StatusAbsent
			case k < 5:
				st = gs.StatusLeave
			case k < 8:
				st = gs.StatusPresent
			default:
				continue
			}
			g.rec.Attendance = append(g.rec.Attendance, gs.Attendance{MeetingID: m.ID, WorkerID: w.ID, Status: st})
		}
	}
	// An attendance row of a meeting that does not exist.
	if g.chance(0.1) {
		g.rec.Attendance = append(g.rec.Attendance, gs.Attendance{MeetingID: "M-none", WorkerID: g.rec.Workers[0].ID, Status: gs.StatusAbsent})
	}
}

// keyWork creates register entries, department rosters and visits per grid.
func (g *refGen) keyWork() {
	for _, grid := range g.rec.Grids {
		for n := g.intn(4); n > 0; n-- {
			pid := g.id("R")
			cat := gs.Categories[g.intn(len(gs.Categories))]
			// Rosters: due near the quarter's edges, at a handover, or inside.
			var dues []refDay
			for k := g.intn(3); k > 0; k-- {
				dues = append(dues, refPick(g, g.qFirst-1, g.qFirst, g.qLast, g.qLast+1, g.edgeDay(),
					g.months[g.intn(3)].day(refPick(g, 27, 28, 29))))
			}
			for _, due := range dues {
				g.rec.Rosters = append(g.rec.Rosters, gs.RosterRow{PersonID: pid, Category: cat, GridCode: grid.Code,
					ListedOn: (due - refDay(g.s.EntryDays)).gs(), Department: "公安"})
			}
			if len(dues) > 0 && g.chance(0.2) {
				continue // never entered on the register
			}
			p := gs.Person{PersonID: pid, Category: cat, GridCode: grid.Code}
			mo := g.months[g.intn(3)]
			switch k := g.intn(8); {
			case k < 3:
				p.EnteredAt = g.randTime(g.qFirst - refDay(g.between(40, 400)))
			case k == 3:
				p.EnteredAt = refAt(mo.first, 0, 0, 0)
			case k == 4:
				p.EnteredAt = refAt(mo.first-1, 23, 59, 59)
			case k == 5 && len(dues) > 0:
				due := dues[0]
				p.EnteredAt = refPick(g, refAt(due, 23, 59, 59), refAt(due+1, 0, 0, 0), refAt(due, 0, 0, 0))
			default:
				p.EnteredAt = g.randTime(g.edgeDay())
			}
			if g.chance(0.3) {
				m2 := g.months[g.intn(3)]
				p.LeftAt = refPick(g, refAt(m2.day(27), 23, 59, 59), refAt(m2.day(28), 0, 0, 0), refAt(m2.day(28), 12, 0, 0),
					g.randTime(m2.day(g.between(1, 28))))
			}
			g.rec.Register = append(g.rec.Register, p)
			// Visits, by the grid's worker or anyone.
			for _, m := range g.months {
				var at time.Time
				switch k := g.intn(20); {
				case k < 12:
					at = g.randTime(m.day(g.between(1, 28)))
				case k == 12:
					at = refAt(m.day(28), 23, 59, 59)
				case k == 13:
					at = refAt(m.day(29), 0, 0, 0)
				case k == 14:
					at = refAt(m.first, 0, 0, 0)
				case k == 15:
					at = refAt(m.first-1, 23, 59, 59)
				default:
					continue
				}
				wid := g.rec.Workers[g.intn(len(g.rec.Workers))].ID
				g.rec.Visits = append(g.rec.Visits, gs.Visit{ID: g.id("V"), PersonID: pid, WorkerID: wid, VisitedAt: at})
				if g.chance(0.1) { // a second visit
					g.rec.Visits = append(g.rec.Visits, gs.Visit{ID: g.id("V"), PersonID: pid, WorkerID: wid, VisitedAt: at.Add(time.Hour)})
				}
			}
		}
	}
}

// cloneForTie gives worker b the personal records of worker a (same type and
// dates), so that the two often tie.
func (g *refGen) cloneForTie() {
	ws := g.rec.Workers
	a, b := &ws[g.intn(len(ws))], &ws[g.intn(len(ws))]
	if a == b || a.HiredOn != b.HiredOn || a.LeftOn != b.LeftOn {
		return
	}
	b.Type, b.Stationed = a.Type, a.Stationed
	b.MonthlyPerformanceFen, b.QuarterlySubsidyFen = a.MonthlyPerformanceFen, a.QuarterlySubsidyFen
	r := g.rec
	drop := func(id string) bool { return id == b.ID }
	r.Events = refFilter(r.Events, func(e gs.Event) bool { return !drop(e.WorkerID) })
	r.Logins = refFilter(r.Logins, func(e gs.Login) bool { return !drop(e.WorkerID) })
	r.Patrols = refFilter(r.Patrols, func(e gs.Patrol) bool { return !drop(e.WorkerID) })
	r.Leaves = refFilter(r.Leaves, func(e gs.Leave) bool { return !drop(e.WorkerID) })
	r.Findings = refFilter(r.Findings, func(e gs.Finding) bool { return !drop(e.WorkerID) })
	r.Quizzes = refFilter(r.Quizzes, func(e gs.Quiz) bool { return !drop(e.WorkerID) })
	r.Ballots = refFilter(r.Ballots, func(e gs.Ballot) bool { return !drop(e.WorkerID) })
	r.Attendance = refFilter(r.Attendance, func(e gs.Attendance) bool { return !drop(e.WorkerID) })
	for _, e := range r.Events {
		if e.WorkerID == a.ID {
			e.ID, e.WorkerID = g.id("E"), b.ID
			r.Events = append(r.Events, e)
		}
	}
	for _, e := range r.Logins {
		if e.WorkerID == a.ID {
			e.WorkerID = b.ID
			r.Logins = append(r.Logins, e)
		}
	}
	for _, e := range r.Patrols {
		if e.WorkerID == a.ID {
			e.ID, e.WorkerID = g.id("P"), b.ID
			r.Patrols = append(r.Patrols, e)
		}
	}
	for _, e := range r.Leaves {
		if e.WorkerID == a.ID {
			e.WorkerID = b.ID
			r.Leaves = append(r.Leaves, e)
		}
	}
	for _, e := range r.Findings {
		if e.WorkerID == a.ID {
			e.ID, e.WorkerID = g.id("F"), b.ID
			r.Findings = append(r.Findings, e)
		}
	}
	for _, e := range r.Quizzes {
		if e.WorkerID == a.ID {
			e.ID, e.WorkerID = g.id("Q"), b.ID
			r.Quizzes = append(r.Quizzes, e)
		}
	}
	for _, e := range r.Ballots {
		if e.WorkerID == a.ID {
			e.ID, e.WorkerID = g.id("B"), b.ID
			r.Ballots = append(r.Ballots, e)
		}
	}
	for _, e := range r.Attendance {
		if e.WorkerID == a.ID {
			e.WorkerID = b.ID
			r.Attendance = append(r.Attendance, e)
		}
	}
}

func refFilter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// ---- comparison ----

func refFmtPts(v int64) string { return gs.Points(v).String() }

// refStats counts what the random towns covered, so that a generator change
// that stops exercising a rule shows in -v output.
type refStats struct {
	seeds, listed, eligible, ties int
	rules                         map[gs.RuleID]int
	partial                       map[gs.CategoryID]int // scores strictly between 0 and the max
	// inside counts the towns assessed as of a moment inside the quarter
	// (RULES.md §9's standing), insideRules the workers of those towns
	// with a deduction per rule.
	inside      int
	insideRules map[gs.RuleID]int
	// ownDays counts the listed workers whose town's calendar differs from
	// the district's in the quarter, beaten those of them on a day both the
	// district and their town set, differently (RULES.md §0's layering).
	ownDays, beaten int
}

// countTownDays adds to st the listed workers of c whose town has days of
// its own that count (refStats.ownDays, beaten).
func (st *refStats) countTownDays(c *refCase) {
	official := calendar.New(nil)
	for _, w := range c.rec.Workers {
		town := refTownOf(c.rec, w.GridCode)
		own, beaten := false, false
		for d := refDayOf(c.quarter.First().Start()); d <= refDayOf(c.quarter.Last().Start()); d++ {
			if refWorkday(official, c.rec.Calendar, town, d) == refWorkday(official, c.rec.Calendar, "", d) {
				continue
			}
			own = true
			for _, x := range c.rec.Calendar {
				beaten = beaten || x.Town == "" && refMustDay(x.Date) == d
			}
		}
		if own {
			st.ownDays++
		}
		if beaten {
			st.beaten++
		}
	}
}

// refStandingRules are the rules whose periods §9 cuts at as_of: the
// randomized towns must exercise each with as_of inside the quarter.
var refStandingRules = []gs.RuleID{gs.RuleDisciplineLogin, gs.RuleDisciplinePatrol, gs.RuleEventsQuota, gs.RuleEventsBatch,
	gs.RuleKeyVisits, gs.RuleKeyMissingEntry, gs.RuleDisciplineMeeting, gs.RuleDisciplineQuiz, gs.RuleInfoStale}

func TestDifferential(t *testing.T) {
	st := &refStats{rules: map[gs.RuleID]int{}, partial: map[gs.CategoryID]int{}, insideRules: map[gs.RuleID]int{}}
	for seed := uint64(1); seed <= refSeeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			st.seeds++
			c := refGenerate(seed)
			st.countTownDays(c)
			refCompare(t, c, st)
		})
	}
	if st.seeds < refSeeds {
		return // -run picked some seeds: no coverage report
	}
	t.Logf("listed %d, eligible %d, tied ranks %d, partial category scores %v", st.listed, st.eligible, st.ties, st.partial)
	for _, r := range gs.AllRules {
		t.Logf("  %-22s deducted for %d workers", r, st.rules[r])
		if st.rules[r] == 0 {
			t.Errorf("generator never exercised %s", r)
		}
	}
	t.Logf("workers with days of their own town's %d, of them on a day the district set too %d", st.ownDays, st.beaten)
	if st.ownDays == 0 || st.beaten == 0 {
		t.Error("generator never gave a worker's town days of its own, or never on a day the district set")
	}
	t.Logf("as_of inside the quarter in %d towns", st.inside)
	for _, r := range refStandingRules {
		t.Logf("  %-22s deducted for %d workers as of a moment inside the quarter", r, st.insideRules[r])
		if st.insideRules[r] == 0 {
			t.Errorf("generator never exercised %s with as_of inside the quarter", r)
		}
	}
}

func refCompare(t *testing.T, c *refCase, st *refStats) {
	t.Helper()
	want := refAssess(&c.scheme, calendar.New(nil), c.rec, c.quarter, c.asOf)
	res := engine.Assess(engine.Input{Scheme: &c.scheme, Calendar: calendar.New(c.rec.Calendar), Records: c.rec, Quarter: c.quarter, AsOf: c.asOf})
	refCompareResult(t, c, "Assess", res, want, st)
	refCompareResult(t, c, "AssessChunk", refAssessInChunks(c), want, nil)
	refOnePerPeriod(t, c, res)
}

// refOnePerPeriod checks that a rule of gs.OnePerPeriod deducts at most
// once per worker, period and item: the voids and appeals of a quarter
// apply to the deduction of their Key (gs.DeductionRef.Key), whatever its
// records.
func refOnePerPeriod(t *testing.T, c *refCase, res *gs.Result) {
	t.Helper()
	for _, w := range res.Workers {
		seen := map[gs.DeductionRef]bool{}
		for _, d := range w.Deductions {
			if !gs.OnePerPeriod(d.Rule) {
				continue
			}
			k := gs.RefOf(w.WorkerID, d).Key()
			if seen[k] {
				t.Errorf("seed %d: %s has two deductions of %s %s %s", c.seed, w.WorkerID, d.Rule, d.Period, d.Item)
			}
			seen[k] = true
		}
	}
}

// refAssessInChunks assesses the town the way the app does: New with the
// workers, grids, meetings and calendar, then AssessChunk on random sets of
// workers with their records and their grids' (only those: see
// AssessChunk), then Finish.
func refAssessInChunks(c *refCase) *gs.Result {
	shared := gs.Records{Workers: c.rec.Workers, Grids: c.rec.Grids, Meetings: c.rec.Meetings, Calendar: c.rec.Calendar}
	eng := engine.New(engine.Input{Scheme: &c.scheme, Calendar: calendar.New(c.rec.Calendar), Records: &shared, Quarter: c.quarter, AsOf: c.asOf})
	rng := rand.New(rand.NewPCG(c.seed, 0xc4a11c))
	ws := append([]gs.Worker(nil), c.rec.Workers...)
	rng.Shuffle(len(ws), func(i, j int) { ws[i], ws[j] = ws[j], ws[i] })
	var all []gs.WorkerResult
	for len(ws) > 0 {
		n := 1 + rng.IntN(len(ws))
		part := &gs.Records{Workers: ws[:n]}
		in := map[string]bool{}
		for _, w := range part.Workers {
			in[w.ID] = true
		}
		part.Events = refFilter(c.rec.Events, func(e gs.Event) bool { return in[e.WorkerID] })
		part.Logins = refFilter(c.rec.Logins, func(e gs.Login) bool { return in[e.WorkerID] })
		part.Patrols = refFilter(c.rec.Patrols, func(e gs.Patrol) bool { return in[e.WorkerID] })
		part.Leaves = refFilter(c.rec.Leaves, func(e gs.Leave) bool { return in[e.WorkerID] })
		part.Findings = refFilter(c.rec.Findings, func(e gs.Finding) bool { return in[e.WorkerID] })
		part.Quizzes = refFilter(c.rec.Quizzes, func(e gs.Quiz) bool { return in[e.WorkerID] })
		part.Ballots = refFilter(c.rec.Ballots, func(e gs.Ballot) bool { return in[e.WorkerID] })
		part.Attendance = refFilter(c.rec.Attendance, func(e gs.Attendance) bool { return in[e.WorkerID] })
		grids, listed, onGrids := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, w := range part.Workers {
			grids[w.GridCode] = true
		}
		part.Rosters = refFilter(c.rec.Rosters, func(e gs.RosterRow) bool { return grids[e.GridCode] })
		for _, r := range part.Rosters {
			listed[r.PersonID] = true
		}
		part.Register = refFilter(c.rec.Register, func(e gs.Person) bool { return grids[e.GridCode] || listed[e.PersonID] })
		for _, p := range part.Register {
			onGrids[p.PersonID] = grids[p.GridCode]
		}
		part.Visits = refFilter(c.rec.Visits, func(e gs.Visit) bool { return onGrids[e.PersonID] })
		all = append(all, eng.AssessChunk(part)...)
		ws = ws[n:]
	}
	return eng.Finish(all)
}

// refCompareResult compares one engine result with the reference's; st, when
// not nil, collects coverage.
func refCompareResult(t *testing.T, c *refCase, path string, res *gs.Result, want map[string]*refOut, st *refStats) {
	t.Helper()
	if st == nil {
		st = &refStats{rules: map[gs.RuleID]int{}, partial: map[gs.CategoryID]int{}, insideRules: map[gs.RuleID]int{}}
	}
	inside := c.asOf.Before((refQuarter(c.quarter)[2].last + 1).start())
	if inside {
		st.inside++
	}
	head := fmt.Sprintf("%s: seed %d, %s, as_of %s", path, c.seed, c.quarter, c.asOf.In(refCST).Format("2006-01-02 15:04:05"))
	// DATA.md §3: listed by town, then rank, then worker_id; reading (the
	// engine's doc): workers not assessed follow the ranked ones of their town.
	orderKey := func(w *gs.WorkerResult) string {
		rank := 1 << 20
		if w.Rank != nil {
			rank = *w.Rank
		}
		return fmt.Sprintf("%s\x00%08d\x00%s", w.Town, rank, w.WorkerID)
	}
	for i := 1; i < len(res.Workers); i++ {
		if a, b := &res.Workers[i-1], &res.Workers[i]; orderKey(a) >= orderKey(b) {
			t.Errorf("%s: workers out of order: %q before %q", head, orderKey(a), orderKey(b))
		}
	}
	got := map[string]*gs.WorkerResult{}
	for i := range res.Workers {
		w := &res.Workers[i]
		if got[w.WorkerID] != nil {
			t.Errorf("%s: worker %s listed twice", head, w.WorkerID)
		}
		got[w.WorkerID] = w
	}
	var ids []string
	for id := range want {
		ids = append(ids, id)
		if got[id] == nil {
			t.Errorf("%s: worker %s missing from the engine's result\n%s", head, id, refDumpWorker(c, id, ""))
		}
	}
	for id := range got {
		if want[id] == nil {
			t.Errorf("%s: engine lists worker %s, the reference does not\n%s", head, id, refDumpWorker(c, id, ""))
		}
	}
	sort.Strings(ids)
	ranks := map[string]int{}
	for _, id := range ids {
		w, e := want[id], got[id]
		if e == nil {
			continue
		}
		st.listed++
		var diffs []string
		var diffRules []gs.RuleID
		fail := func(what, ref, eng string) {
			diffs = append(diffs, fmt.Sprintf("%s: reference %s, engine %s", what, ref, eng))
		}
		// report prints every difference of the worker once, with the
		// worker's records and, per differing rule, the records the rule
		// rests on and the engine's own deductions.
		report := func() {
			if len(diffs) == 0 {
				return
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%s: worker %s (%s, town %s, grid %s):\n", head, id, w.Type, w.Town, e.GridCode)
			for _, d := range diffs {
				fmt.Fprintf(&b, "  ✗ %s\n", d)
			}
			b.WriteString(refDumpWorker(c, id, ""))
			for _, r := range diffRules {
				fmt.Fprintf(&b, "  -- records for %s:\n%s", r, refDumpWorker(c, id, string(r)))
				fmt.Fprintf(&b, "  -- engine deductions for %s:\n%s", r, refEngineDeductions(e, r))
			}
			t.Error(b.String())
		}
		if w.Eligible != e.Eligible {
			fail("eligible", fmt.Sprint(w.Eligible), fmt.Sprint(e.Eligible)+" ("+e.Reason+")")
			report()
			continue
		}
		if int64(e.Pay) != w.Pay {
			fail("pay_yuan", gs.Fen(w.Pay).String(), e.Pay.String())
		}
		if !w.Eligible {
			if e.Total != nil || e.Categories != nil || e.Rank != nil || len(e.Deductions) > 0 {
				fail("ineligible worker has scores", "none", fmt.Sprintf("total %v cats %v rank %v %d deductions", e.Total, e.Categories, e.Rank, len(e.Deductions)))
			}
			report()
			continue
		}
		st.eligible++
		if e.Total == nil || e.Categories == nil || e.Rank == nil {
			fail("scores", "present", "nil")
			report()
			continue
		}
		eng, engCount := map[gs.RuleID]int64{}, map[gs.RuleID]int64{}
		for _, d := range e.Deductions {
			eng[d.Rule] += int64(d.Points)
			engCount[d.Rule] += int64(d.Count)
		}
		for _, r := range gs.AllRules {
			switch {
			case w.Rules[r] != eng[r]:
				fail("rule "+string(r), refFmtPts(w.Rules[r]), refFmtPts(eng[r]))
				diffRules = append(diffRules, r)
			case w.Counts[r] != engCount[r]:
				fail("rule "+string(r)+" count", fmt.Sprint(w.Counts[r]), fmt.Sprint(engCount[r]))
				diffRules = append(diffRules, r)
			}
			if w.Rules[r] > 0 {
				st.rules[r]++
				if inside {
					st.insideRules[r]++
				}
			}
		}
		for _, cat := range gs.AllCategories {
			if v := w.Cats[cat]; v > 0 && v < int64(c.scheme.Max[cat]) {
				st.partial[cat]++
			}
			if w.Cats[cat] != int64(e.Categories.Get(cat)) {
				fail("category "+string(cat), refFmtPts(w.Cats[cat]), e.Categories.Get(cat).String())
			}
		}
		if w.Total != int64(*e.Total) {
			fail("total", refFmtPts(w.Total), e.Total.String())
		}
		if w.Rank != *e.Rank {
			var town []string
			for _, x := range res.Workers {
				if x.Town == w.Town && x.Eligible && x.Total != nil {
					town = append(town, fmt.Sprintf("%s:%s (ref %s)", x.WorkerID, x.Total, refFmtPts(want[x.WorkerID].Total)))
				}
			}
			fail("rank", fmt.Sprint(w.Rank), fmt.Sprintf("%d; town totals %v", *e.Rank, town))
		}
		if w.NoBallots != e.HasFlag(gs.FlagNoBallots) {
			fail("no_ballots", fmt.Sprint(w.NoBallots), fmt.Sprint(e.HasFlag(gs.FlagNoBallots)))
		}
		if w.Interview != e.HasFlag(gs.FlagInterviewDue) {
			fail("interview_due", fmt.Sprint(w.Interview), fmt.Sprint(e.HasFlag(gs.FlagInterviewDue)))
		}
		report()
		key := w.Town + "/" + fmt.Sprint(w.Rank)
		ranks[key]++
		if ranks[key] == 2 {
			st.ties++
		}
	}
}

func refEngineDeductions(e *gs.WorkerResult, rule gs.RuleID) string {
	var b strings.Builder
	for _, d := range e.Deductions {
		if d.Rule == rule {
			fmt.Fprintf(&b, "    %s count %d points %s: %s %v\n", d.Period, d.Count, d.Points, d.Detail, refShort(d.Evidence, 12))
		}
	}
	return b.String()
}

func refShort[T any](xs []T, n int) string {
	if len(xs) <= n {
		return fmt.Sprint(xs)
	}
	return fmt.Sprint(xs[:n]) + fmt.Sprintf("…(+%d)", len(xs)-n)
}

const refTF = "2006-01-02 15:04:05"

func refT(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(refCST).Format(refTF)
}

// refDumpWorker prints the worker and the records a rule rests on, compactly.
func refDumpWorker(c *refCase, id, rule string) string {
	var b strings.Builder
	r := c.rec
	var w *gs.Worker
	for i := range r.Workers {
		if r.Workers[i].ID == id {
			w = &r.Workers[i]
		}
	}
	if w == nil {
		return "  (no such worker)"
	}
	if rule == "" {
		fmt.Fprintf(&b, "  worker %s %s stationed=%v grid=%s hired %s left %s perf=%v sub=%v\n", w.ID, w.Type, w.Stationed, w.GridCode,
			w.HiredOn, w.LeftOn, w.MonthlyPerformanceFen, w.QuarterlySubsidyFen)
		for _, l := range r.Leaves {
			if l.WorkerID == id {
				fmt.Fprintf(&b, "  leave %s..%s\n", l.From, l.To)
			}
		}
		if len(r.Calendar) > 0 {
			fmt.Fprintf(&b, "  calendar days (town %q): %v\n", refTownOf(r, w.GridCode), r.Calendar)
		}
	}
	lines := 0
	line := func(format string, a ...any) {
		if lines < 120 {
			fmt.Fprintf(&b, "  "+format+"\n", a...)
		} else if lines == 120 {
			b.WriteString("  …\n")
		}
		lines++
	}
	switch {
	case rule == "events.quota" || rule == "events.batch":
		// Per month: events, reported ones, those of the burst window,
		// duty days and workdays.
		cal := calendar.New(r.Calendar)
		for _, mo := range refQuarter(c.quarter) {
			var total, rep, late, duty, work, dutyBefore int
			for _, e := range r.Events {
				if d := refDayOf(e.ReportedAt); e.WorkerID == id && d >= mo.first && d <= mo.last {
					total++
					if e.Flow == gs.FlowReported {
						rep++
					}
					if d > mo.last-refDay(c.scheme.BatchDays) {
						late++
					}
				}
			}
			for d := mo.first; d <= mo.last; d++ {
				if !cal.IsWorkday(refTownOf(r, w.GridCode), d.gs()) {
					continue
				}
				work++
				onLeave := false
				for _, l := range r.Leaves {
					onLeave = onLeave || l.WorkerID == id && refMustDay(l.From) <= d && d <= refMustDay(l.To)
				}
				if refInPost(w, d) && !onLeave {
					duty++
					if d <= mo.last-refDay(c.scheme.BatchDays) {
						dutyBefore++
					}
				}
			}
			line("%s: %d events, %d reported, %d in the last %d days; %d duty days (%d before the window) of %d workdays",
				mo, total, rep, late, c.scheme.BatchDays, duty, dutyBefore, work)
		}
	case strings.HasPrefix(rule, "events."):
		for _, e := range r.Events {
			show := e.WorkerID == id
			switch rule {
			case "events.yellow", "events.red":
				show = show && e.Flow != gs.FlowReported && (e.Card != "" || !e.Deadline.IsZero())
			case "events.irregular":
				show = show && e.Irregular
			case "events.serious_late":
				show = show && e.Severity == gs.SeveritySerious
			}
			if show {
				line("%s %s %s occ %s rep %s dl %s closed %s card=%q irr=%v", e.ID, e.Flow, e.Severity, refT(e.OccurredAt), refT(e.ReportedAt),
					refT(e.Deadline), refT(e.ClosedAt), e.Card, e.Irregular)
			}
		}
	case rule == "discipline.login":
		for _, l := range r.Logins {
			if l.WorkerID == id {
				line("login %s %s", l.Channel, refT(l.At))
			}
		}
	case rule == "discipline.patrol":
		for _, p := range r.Patrols {
			if p.WorkerID == id {
				line("patrol %s %s – %s", p.ID, refT(p.StartedAt), refT(p.EndedAt))
			}
		}
	case rule == "discipline.meeting":
		held := map[string]gs.Date{}
		for _, m := range r.Meetings {
			held[m.ID] = m.HeldOn
		}
		for _, a := range r.Attendance {
			if a.WorkerID == id {
				line("meeting %s on %s %s", a.MeetingID, held[a.MeetingID], a.Status)
			}
		}
	case rule == "discipline.quiz":
		for _, q := range r.Quizzes {
			if q.WorkerID == id {
				line("quiz %s %s wrong %d", q.ID, q.TakenOn, q.WrongAnswers)
			}
		}
	case strings.HasPrefix(rule, "key."):
		for _, p := range r.Register {
			if p.GridCode == w.GridCode {
				line("person %s %s entered %s left %s", p.PersonID, p.Category, refT(p.EnteredAt), refT(p.LeftAt))
				for _, v := range r.Visits {
					if v.PersonID == p.PersonID {
						line("   visit %s by %s at %s", v.ID, v.WorkerID, refT(v.VisitedAt))
					}
				}
			}
		}
		for _, ro := range r.Rosters {
			if ro.GridCode == w.GridCode {
				line("roster %s %s listed %s", ro.PersonID, ro.Category, ro.ListedOn)
			}
		}
		for _, o := range r.Workers {
			if o.GridCode == w.GridCode && o.ID != id {
				line("other worker of the grid %s hired %s left %s", o.ID, o.HiredOn, o.LeftOn)
			}
		}
	case rule == "":
		for _, x := range r.Ballots {
			if x.WorkerID == id {
				line("ballot %s %s %s", x.RaterGroup, x.Rating, refT(x.CastAt))
			}
		}
	}
	if rule != "" {
		for _, f := range r.Findings {
			if f.WorkerID == id && string(refFindingRule[f.Kind]) == rule {
				line("finding %s %s on %s ×%d", f.ID, f.Kind, f.OccurredOn, f.Count)
			}
		}
	}
	return b.String()
}
