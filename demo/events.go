package demo

import (
	"math/rand/v2"
	"time"

	gs "github.com/gridscore/gridscore"
)

// quotas are the monthly event quotas of the town's regulation (total,
// reported). The generator aims a little above them.
var quotas = map[gs.WorkerType]gs.Quota{
	gs.FullTime: {Total: 56, Reported: 8},
	gs.PartTime: {Total: 52, Reported: 4},
}

// Event categories by how the event reached the worker, for urban
// communities and for villages.
var (
	selfCategories = [2][]string{
		{"环境卫生", "环境卫生", "矛盾纠纷", "民生服务", "民生服务", "城市管理", "安全隐患", "市容市貌", "政策咨询"},
		{"环境卫生", "人居环境整治", "矛盾纠纷", "民生服务", "民生服务", "安全隐患", "防汛防溺水", "秸秆禁烧", "政策咨询"},
	}
	reportedCategories = [2][]string{
		{"安全隐患", "治安问题", "道路交通", "矛盾纠纷", "消防安全", "城市管理", "市政设施"},
		{"安全隐患", "治安问题", "道路交通", "矛盾纠纷", "消防安全", "水利设施", "防汛防溺水"},
	}
	assignedCategories = [2][]string{
		{"民生服务", "环境卫生", "城市管理", "矛盾纠纷", "市政设施"},
		{"民生服务", "环境卫生", "人居环境整治", "矛盾纠纷", "农业农村"},
	}
)

// Time limits by flow: a grid worker closes a self-handled event within two
// days, an assigned one within five; the levels above take up to a week.
var limits = map[gs.Flow]time.Duration{
	gs.FlowSelfHandled: 48 * time.Hour,
	gs.FlowAssigned:    5 * 24 * time.Hour,
	gs.FlowReported:    7 * 24 * time.Hour,
}

// addEvents adds the worker's events of each month of the quarter and the
// extra events of the worker's profile.
func (g *gen) addEvents(w *worker) {
	r := g.rand("events/" + w.id)
	area := 0
	if gridOf(w.grid).village {
		area = 1
	}
	for _, m := range g.q.Months() {
		days := g.dutyDays(w.id, m.First(), m.Last())
		if len(days) == 0 {
			continue
		}
		plan, ok := w.p.months[m.Month]
		if !ok {
			plan = g.defaultPlan(r, w, m, len(days))
		}
		first := len(g.recs.Events)
		g.monthEvents(r, w, area, m, days, plan)
		if m.Month == time.July && w.p.irregular > 0 {
			month := g.recs.Events[first:]
			for _, i := range r.Perm(len(month))[:w.p.irregular] {
				month[i].Irregular = true
			}
		}
	}
	for _, e := range w.p.extraEvents {
		ev := gs.Event{
			WorkerID:   w.id,
			Flow:       e.flow,
			Severity:   e.severity,
			Category:   e.category,
			OccurredAt: ts(e.occurred),
			ReportedAt: ts(e.reported),
			Card:       e.card,
		}
		if ev.Severity == "" {
			ev.Severity = gs.SeverityGeneral
		}
		if e.deadline != "" {
			ev.Deadline = ts(e.deadline)
		}
		if e.closed != "" {
			ev.ClosedAt = ts(e.closed)
		}
		g.recs.Events = append(g.recs.Events, ev)
	}
}

// defaultPlan is a diligent worker's month: a few events above the quota,
// scaled as RULES.md §3 scales it when the worker has fewer duty days than
// the month has workdays.
func (g *gen) defaultPlan(r *rand.Rand, w *worker, m gs.Month, duty int) monthPlan {
	q := quotas[w.typ]
	wd := g.workdays(m.First(), m.Last())
	total := ceilDiv(q.Total*duty, wd) + 2 + r.IntN(7)
	reported := ceilDiv(q.Reported*duty, wd) + 1 + r.IntN(4)
	return monthPlan{total: total, reported: reported}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// monthEvents adds plan.total events of worker w spread over the duty days of
// month m: evenly, or, for a burst, more than half of them in the month's
// last five days.
func (g *gen) monthEvents(r *rand.Rand, w *worker, area int, m gs.Month, days []gs.Date, plan monthPlan) {
	var when []gs.Date
	if plan.burst {
		var early, late []gs.Date
		for _, d := range days {
			if d > m.Last().AddDays(-5) {
				late = append(late, d)
			} else {
				early = append(early, d)
			}
		}
		nLate := plan.total*55/100 + r.IntN(3)
		when = append(spread(early, plan.total-nLate), spread(late, nLate)...)
	} else {
		when = spread(days, plan.total)
	}
	reported := map[int]bool{}
	for _, i := range r.Perm(plan.total)[:plan.reported] {
		reported[i] = true
	}
	for i, d := range when {
		flow := gs.FlowSelfHandled
		switch {
		case reported[i]:
			flow = gs.FlowReported
		case r.IntN(4) == 0:
			flow = gs.FlowAssigned
		}
		g.recs.Events = append(g.recs.Events, g.event(r, w.id, area, d, flow))
	}
}

// spread returns n days taken evenly from days, in order.
func spread(days []gs.Date, n int) []gs.Date {
	out := make([]gs.Date, n)
	for i := range n {
		out[i] = days[i*len(days)/n]
	}
	return out
}

// event returns one ordinary event of day d, closed well within its limit.
func (g *gen) event(r *rand.Rand, workerID string, area int, d gs.Date, flow gs.Flow) gs.Event {
	var cats []string
	switch flow {
	case gs.FlowReported:
		cats = reportedCategories[area]
	case gs.FlowAssigned:
		cats = assignedCategories[area]
	default:
		cats = selfCategories[area]
	}
	reportedAt := randTime(r, d, 8*60+30, 17*60)
	sev := gs.SeverityGeneral
	if r.IntN(30) == 0 {
		sev = gs.SeverityMajor
	}
	limit := limits[flow]
	return gs.Event{
		WorkerID:   workerID,
		Flow:       flow,
		Severity:   sev,
		Category:   cats[r.IntN(len(cats))],
		OccurredAt: reportedAt.Add(-time.Duration(5+r.IntN(85)) * time.Minute),
		ReportedAt: reportedAt,
		Deadline:   reportedAt.Add(limit),
		ClosedAt:   g.closedAt(r, reportedAt, limit),
	}
}

// closedAt returns when an event reported at t with the time limit is
// closed: in office hours of a workday, most often the same or the next
// day, always well before the deadline.
func (g *gen) closedAt(r *rand.Rand, t time.Time, limit time.Duration) time.Time {
	lastDay := int(limit/(24*time.Hour)) - 1
	var days []gs.Date
	for k := 0; k <= lastDay; k++ {
		if d := gs.DateOf(t).AddDays(k); g.cal.IsWorkday(TownName, d) {
			days = append(days, d)
		}
	}
	if len(days) > 0 {
		// Earlier days are likelier: take the smaller of two draws.
		d := days[min(r.IntN(len(days)), r.IntN(len(days)))]
		if c := randTime(r, d, 9*60, 17*60+30); c.After(t.Add(20 * time.Minute)) {
			return c
		}
	}
	return t.Add(time.Duration(20+r.IntN(100))*time.Minute + time.Duration(r.IntN(60))*time.Second)
}

// gridOf returns the plan of the grid with the code.
func gridOf(code string) grid {
	for _, gr := range grids {
		if gr.code == code {
			return gr
		}
	}
	panic("demo: no grid " + code)
}
