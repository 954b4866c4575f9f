package gen

import (
	"time"

	gs "github.com/gridscore/gridscore"
)

// The monthly event quotas most towns set (total, of which reported), and
// the range a diligent worker's month reaches: a few events above the
// quota.
const (
	fullQuota, fullReported, fullLow, fullSpan = 56, 8, 58, 8 // 58–65 events
	partQuota, partReported, partLow, partSpan = 52, 4, 53, 6 // 53–58 events
)

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
	seriousCategories = []string{"消防安全", "安全隐患", "自然灾害", "群体性事件"}
)

// Time limits in days by flow: a grid worker closes a self-handled event
// within two days, an assigned one within five; the levels above take up to
// a week.
const (
	selfDays     = 2
	assignedDays = 5
	reportedDays = 7
)

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// addEvents adds worker wi's events: each month a little above the quota
// (scaled to the duty days, as the rule scales it), spread over the duty
// days; then the faults of a poor performer.
func (t *town) addEvents(wi int) {
	w := &t.workers[wi]
	r, d := t.r, t.g.days
	first := len(t.recs.Events)
	quota, reported, low, span := fullQuota, fullReported, fullLow, fullSpan
	if w.typ == gs.PartTime {
		quota, reported, low, span = partQuota, partReported, partLow, partSpan
	}
	for m := range 3 {
		from, to := d.monthStart[m], d.monthStart[m+1]
		days := w.duty.list(from, to, t.dayBuf[:0])
		t.dayBuf = days
		if len(days) == 0 {
			continue
		}
		wd := d.workdays[m]
		total := ceilDiv((low+r.IntN(span))*len(days), wd)
		rep := ceilDiv(reported*len(days), wd) + r.IntN(4)
		if int(w.f.shortMonth) == m {
			if w.f.shortReported {
				rep = max(0, ceilDiv(reported*len(days), wd)-1-r.IntN(3))
			} else {
				total = max(1, ceilDiv(quota*len(days), wd)-int(w.f.short))
			}
		}
		rep = min(rep, total)

		// A burst puts most of the month's events into its last five
		// calendar days.
		var early, late []int16
		nLate := 0
		if int(w.f.burstMonth) == m {
			k := 0
			for k < len(days) && int(days[k]) < to-5 {
				k++
			}
			early, late = days[:k], days[k:]
			if len(late) == 0 {
				late = w.inPost.list(to-5, to, t.dayBuf2[:0])
				t.dayBuf2 = late
			}
			if len(early) > 0 && len(late) > 0 {
				nLate = total*(55+r.IntN(20))/100 + 1
			}
		}

		need := rep
		for e := range total {
			var day int
			switch {
			case e < nLate:
				day = int(late[r.IntN(len(late))])
			case nLate > 0:
				day = int(early[r.IntN(len(early))])
			default:
				day = int(days[r.IntN(len(days))])
				if r.IntN(50) == 0 {
					// Now and then an event on a weekend or holiday.
					if x := from + r.IntN(to-from); w.inPost.has(x) && !d.work[x] {
						day = x
					}
				}
			}
			flow := gs.FlowSelfHandled
			if need > 0 && r.IntN(total-e) < need {
				flow = gs.FlowReported
				need--
			} else if r.IntN(4) == 0 {
				flow = gs.FlowAssigned
			}
			t.event(w, day, flow)
		}
	}
	t.eventFaults(w, t.recs.Events[first:])
}

// event adds one ordinary event of worker w, reported on day, closed well
// within its limit (or, for an event reported to the levels above in the
// quarter's last days, still open).
func (t *town) event(w *workerPlan, day int, flow gs.Flow) {
	r, d := t.r, t.g.days
	area := 0
	if w.village {
		area = 1
	}
	u := r.Uint64()
	next := func(n int) int { v := int(u % uint64(n)); u /= uint64(n); return v }

	sec := 8*3600 + 30*60 + next(9*3600) // 8:30–17:30
	var cats []string
	limit := selfDays
	switch flow {
	case gs.FlowReported:
		cats, limit = reportedCategories[area], reportedDays
	case gs.FlowAssigned:
		cats, limit = assignedCategories[area], assignedDays
	default:
		cats = selfCategories[area]
	}
	ev := gs.Event{WorkerID: w.id, Flow: flow, Severity: gs.SeverityGeneral, Category: cats[next(len(cats))]}
	if next(30) == 0 {
		ev.Severity = gs.SeverityMajor
	}
	rep := d.mid[day] + int64(sec)
	occurred := rep - int64(300+next(85*60)) // found 5 to 90 minutes before
	// Closed on one of the limit's days, earlier days likelier, in office
	// hours; or within two hours when that would come before the report.
	k := min(next(limit), next(limit))
	closeSec := 9*3600 + next(8*3600+30*60)
	closed := d.mid[day+k] + int64(closeSec)
	if closed < rep+1200 {
		closed = rep + 1200 + int64(next(6000))
	}
	if r.IntN(1500) == 0 {
		// A serious matter, reported to the levels above within the hour.
		ev.Flow, ev.Severity, ev.Category = gs.FlowReported, gs.SeveritySerious, seriousCategories[r.IntN(len(seriousCategories))]
		occurred = rep - int64(600+r.IntN(3000))
	}
	ev.OccurredAt = time.Unix(occurred, 0).In(gs.CST)
	ev.ReportedAt = time.Unix(rep, 0).In(gs.CST)
	ev.Deadline = time.Unix(rep+int64(limit)*86400, 0).In(gs.CST)
	if !(ev.Flow == gs.FlowReported && day >= d.n-10 && r.IntN(4) == 0) {
		ev.ClosedAt = time.Unix(closed, 0).In(gs.CST)
	}
	t.recs.Events = append(t.recs.Events, ev)
}

// eventFaults alters a poor performer's events: late closing (yellow and
// red cards, derived or as the platform issued them), irregular entries, a
// serious event reported hours after it happened.
func (t *town) eventFaults(w *workerPlan, evs []gs.Event) {
	r := t.r
	if len(evs) == 0 {
		return
	}
	// pick returns an event the worker had to close, in the quarter's first
	// two months, so that its deadline falls in the quarter.
	pick := func() *gs.Event {
		for range 30 {
			e := &evs[r.IntN(len(evs))]
			if e.Flow != gs.FlowReported && !e.ClosedAt.IsZero() && e.ReportedAt.Unix() < t.g.days.mid[t.g.days.monthStart[2]] {
				return e
			}
		}
		return nil
	}
	late := func(e *gs.Event, minPct, spanPct int, card gs.Card) {
		limit := e.Deadline.Sub(e.ReportedAt)
		e.ClosedAt = e.Deadline.Add(limit * time.Duration(minPct+r.IntN(spanPct)) / 100).Truncate(time.Second)
		if r.IntN(2) == 0 {
			e.Card = card // issued by the platform; otherwise derived
		}
	}
	for range w.f.yellow {
		if e := pick(); e != nil {
			late(e, 10, 80, gs.CardYellow)
		}
	}
	for range w.f.red {
		if e := pick(); e != nil {
			late(e, 120, 130, gs.CardRed)
		}
	}
	for range w.f.irregular {
		evs[r.IntN(len(evs))].Irregular = true
	}
	if w.f.seriousLate {
		e := &evs[r.IntN(len(evs))]
		e.Flow, e.Severity, e.Category = gs.FlowReported, gs.SeveritySerious, seriousCategories[r.IntN(len(seriousCategories))]
		e.OccurredAt = e.ReportedAt.Add(-time.Duration(130+r.IntN(240)) * time.Minute)
		if e.ClosedAt.IsZero() {
			e.ClosedAt = e.ReportedAt.Add(26 * time.Hour)
		}
	}
}

// addLogins adds worker wi's logins: the grid app (网格E通) when each duty
// day starts, now and then again after lunch, and the PC system for a
// full-time worker stationed at a residents' committee; except on the
// profile's gaps.
func (t *town) addLogins(wi int) {
	w := &t.workers[wi]
	r, d := t.r, t.g.days
	pc := w.stationed && w.typ == gs.FullTime
	for i := range d.n {
		if !w.duty.has(i) {
			continue
		}
		if w.f.nGaps == 0 || !w.f.has(i, gapApp) {
			t.login(w.id, gs.ChannelApp, d.mid[i]+int64(7*3600+45*60+r.IntN(55*60)))
			if r.IntN(100) < 8 {
				t.login(w.id, gs.ChannelApp, d.mid[i]+int64(13*3600+40*60+r.IntN(50*60)))
			}
		}
		if pc && (w.f.nGaps == 0 || !w.f.has(i, gapPC)) {
			t.login(w.id, gs.ChannelPC, d.mid[i]+int64(8*3600+35*60+r.IntN(40*60)))
		}
	}
}

func (t *town) login(id string, ch gs.Channel, at int64) {
	t.recs.Logins = append(t.recs.Logins, gs.Login{WorkerID: id, Channel: ch, At: time.Unix(at, 0).In(gs.CST)})
}

// addPatrols adds worker wi's two patrols (一日双巡) of every duty day, each
// of about three and a half hours, except where the profile has a gap.
func (t *town) addPatrols(wi int) {
	w := &t.workers[wi]
	r, d := t.r, t.g.days
	for i := range d.n {
		if !w.duty.has(i) {
			continue
		}
		u := r.Uint64()
		next := func(n int) int { v := int(u % uint64(n)); u /= uint64(n); return v }
		amStart, amLen := 8*3600+10*60+next(50*60), 200+next(30)
		pmStart, pmLen := 14*3600+next(40*60), 190+next(30)
		speedAM, speedPM := 25+next(16), 25+next(16)
		am, pm := true, true
		end := true
		if w.f.nGaps > 0 {
			am = !w.f.has(i, gapMorningMiss)
			pm = !w.f.has(i, gapAfternoonMiss)
			if w.f.has(i, gapMorningShort) {
				amLen = 120 + next(30)
			}
			end = !w.f.has(i, gapAfternoonNoEnd)
		}
		if am {
			t.patrol(w.id, d.mid[i]+int64(amStart), amLen, next(60), speedAM, true)
		}
		if pm {
			t.patrol(w.id, d.mid[i]+int64(pmStart), pmLen, next(60), speedPM, end)
		}
	}
}

// patrol adds one patrol starting at start (unix seconds) of the given
// minutes and seconds, walked or cycled at metres a minute; without an end
// when ended is false.
func (t *town) patrol(id string, start int64, minutes, seconds, speed int, ended bool) {
	p := gs.Patrol{WorkerID: id, StartedAt: time.Unix(start, 0).In(gs.CST)}
	if ended {
		p.EndedAt = time.Unix(start+int64(minutes*60+seconds), 0).In(gs.CST)
		p.DistanceM = int64(minutes * speed)
	}
	t.recs.Patrols = append(t.recs.Patrols, p)
}
