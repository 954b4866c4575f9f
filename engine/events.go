package engine

import (
	"fmt"
	"time"

	gs "github.com/gridscore/gridscore"
)

// ceilDiv returns ⌈a/b⌉ for a ≥ 0, b > 0.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// monthEvents returns the worker's events entered (by reported_at) in month i
// of the quarter.
func (ix *index) monthEvents(wc *workerContext, i int) []*gs.Event {
	return wc.monthEvents[i]
}

// quota applies events.quota: for each elapsed month with a duty day, the quota
// (prorated by duty days when the worker had fewer duty days than the month
// has workdays) against the events entered; missing = the larger of the two
// shortfalls.
func (ix *index) quota(wc *workerContext) []gs.Deduction {
	q, ok := ix.scheme.Quotas[wc.w.Type]
	if !ok {
		return nil
	}
	var ds []gs.Deduction
	for i, m := range ix.months {
		duty, wd := wc.monthDuty[i], wc.workdays.month[i]
		if duty == 0 || !ix.elapsed(ix.monthLast[i]) {
			continue
		}
		needTotal, needReported := q.Total, q.Reported
		prorated := duty < wd
		if prorated {
			needTotal = ceilDiv(q.Total*duty, wd)
			needReported = ceilDiv(q.Reported*duty, wd)
		}
		es := ix.monthEvents(wc, i)
		reported := 0
		ids := make([]string, 0, len(es))
		for _, e := range es {
			if e.Flow == gs.FlowReported {
				reported++
			}
			ids = append(ids, e.ID)
		}
		missing := max(0, needTotal-len(es), needReported-reported)
		if missing == 0 {
			continue
		}
		detail := fmt.Sprintf("%s事件%d条（上报%d件），应不少于%d条（含上报%d件）", monthLabel(m), len(es), reported, needTotal, needReported)
		if prorated {
			detail += fmt.Sprintf("（按在岗工作日%d/%d折算）", duty, wd)
		}
		detail += fmt.Sprintf("，差%d条", missing)
		ds = append(ds, gs.Deduction{
			Rule: gs.RuleEventsQuota, Period: m.String(), Count: missing,
			Points:   ix.scheme.Points[gs.RuleEventsQuota] * gs.Points(missing),
			Detail:   detail,
			Evidence: sortedIDs(ids),
		})
	}
	return ds
}

// batch applies events.batch: in an elapsed month where the worker had a duty day
// before the last BatchDays calendar days and entered any event, entering at
// least BatchShare of the month's events in those last days costs once.
func (ix *index) batch(wc *workerContext) []gs.Deduction {
	var ds []gs.Deduction
	for i, m := range ix.months {
		if !ix.elapsed(ix.monthLast[i]) {
			continue
		}
		windowStart := m.Last().AddDays(1 - ix.scheme.BatchDays)
		if !wc.hasDutyDay(m.First(), windowStart-1) {
			continue
		}
		es := ix.monthEvents(wc, i)
		if len(es) == 0 {
			continue
		}
		var late []string
		for _, e := range es {
			if gs.DateOf(e.ReportedAt) >= windowStart {
				late = append(late, e.ID)
			}
		}
		if int64(len(late))*100 < ix.scheme.BatchShare*int64(len(es)) {
			continue
		}
		ds = append(ds, gs.Deduction{
			Rule: gs.RuleEventsBatch, Period: m.String(), Count: 1,
			Points: ix.scheme.Points[gs.RuleEventsBatch],
			Detail: fmt.Sprintf("%s共录入事件%d条，其中%d条集中在月底最后%d天（%s至%s）录入",
				monthLabel(m), len(es), len(late), ix.scheme.BatchDays, dateLabel(windowStart), dateLabel(m.Last())),
			Evidence: sortedIDs(late),
		})
	}
	return ds
}

// cardOf returns the card an event carries (RULES.md §3 cards): the given
// card, or one derived from its deadline and the time it was closed (or
// as_of, if still open at as_of: not closed, or closed only after as_of,
// as §9's warnings count it open too). Reported events carry none.
func (ix *index) cardOf(e *gs.Event) gs.Card {
	if e.Flow != gs.FlowSelfHandled && e.Flow != gs.FlowAssigned {
		return gs.CardNone
	}
	if e.Card != gs.CardNone {
		return e.Card
	}
	if e.Deadline.IsZero() {
		return gs.CardNone
	}
	end := e.ClosedAt
	if openAt(e, ix.asOf) {
		end = ix.asOf
		ix.judgedOpen.Store(true)
	} else {
		ix.noteClosed(e.ClosedAt)
	}
	overdue := end.Sub(e.Deadline)
	if overdue <= 0 {
		return gs.CardNone
	}
	limit := e.Deadline.Sub(e.ReportedAt)
	// red when end − reported_at > red_factor × limit, i.e. overdue > (red_factor − 1) × limit.
	if int64(overdue)*100 > (ix.scheme.RedFactor-100)*int64(limit) {
		return gs.CardRed
	}
	return gs.CardYellow
}

// cards applies events.yellow and events.red; a card belongs to the quarter
// by the event's deadline, or by reported_at where it has none.
func (ix *index) cards(wc *workerContext) []gs.Deduction {
	var ds []gs.Deduction
	for _, e := range wc.ch.events[wc.w.ID] {
		when := e.Deadline
		if when.IsZero() {
			when = e.ReportedAt
		}
		if !ix.q.Contains(when) {
			continue
		}
		card := ix.cardOf(e)
		if card == gs.CardNone {
			continue
		}
		rule, name := gs.RuleEventsYellow, gs.CardName[gs.CardYellow]
		if card == gs.CardRed {
			rule, name = gs.RuleEventsRed, gs.CardName[gs.CardRed]
		}
		detail := fmt.Sprintf("事件%s未按时办结，被%s警告", e.ID, name)
		if e.Card == gs.CardNone {
			detail += fmt.Sprintf("（办结时限%s，%s）", fmtTime(e.Deadline), closedText(e, ix.asOf))
		}
		ds = append(ds, gs.Deduction{
			Rule: rule, Period: gs.DateOf(when).String(), Count: 1,
			Points: ix.scheme.Points[rule], Detail: detail, Evidence: []string{e.ID},
		})
	}
	return ds
}

// openAt reports whether event e was still open at asOf: it has no
// closed_at, or one after asOf (a result as of a moment judges what was
// known at that moment: RULES.md §9).
func openAt(e *gs.Event, asOf time.Time) bool {
	return e.ClosedAt.IsZero() || e.ClosedAt.After(asOf)
}

func closedText(e *gs.Event, asOf time.Time) string {
	if openAt(e, asOf) {
		return "截至" + fmtTime(asOf) + "仍未办结"
	}
	return "实际办结" + fmtTime(e.ClosedAt)
}

// fmtTime formats an instant in CST for a sentence ("2023-07-03 09:15").
func fmtTime(t time.Time) string { return t.In(gs.CST).Format("2006-01-02 15:04") }

// irregular applies events.irregular: each event marked irregular, by
// reported_at in the quarter.
func (ix *index) irregular(wc *workerContext) []gs.Deduction {
	var ds []gs.Deduction
	for _, e := range wc.ch.events[wc.w.ID] {
		if !e.Irregular || !ix.q.Contains(e.ReportedAt) {
			continue
		}
		ds = append(ds, gs.Deduction{
			Rule: gs.RuleEventsIrregular, Period: gs.DateOf(e.ReportedAt).String(), Count: 1,
			Points:   ix.scheme.Points[gs.RuleEventsIrregular],
			Detail:   fmt.Sprintf("事件%s录入不规范或描述不清", e.ID),
			Evidence: []string{e.ID},
		})
	}
	return ds
}

// seriousLate applies events.serious_late for serious events reported more
// than serious_report_hours after they occurred, by reported_at in the
// quarter (unreported serious events come as findings).
func (ix *index) seriousLate(wc *workerContext) []gs.Deduction {
	limit := time.Duration(ix.scheme.SeriousReportMinutes) * time.Minute
	var ds []gs.Deduction
	for _, e := range wc.ch.events[wc.w.ID] {
		if e.Severity != gs.SeveritySerious || !ix.q.Contains(e.ReportedAt) {
			continue
		}
		occurred := e.OccurredAt
		if occurred.IsZero() {
			occurred = e.ReportedAt // DATA.md: occurred_at defaults to reported_at
		}
		if delay := e.ReportedAt.Sub(occurred); delay > limit {
			ds = append(ds, gs.Deduction{
				Rule: gs.RuleEventsSeriousLate, Period: gs.DateOf(e.ReportedAt).String(), Count: 1,
				Points: ix.scheme.Points[gs.RuleEventsSeriousLate],
				Detail: fmt.Sprintf("重大事件%s发生于%s，%s才上报，超过%s", e.ID,
					fmtTime(e.OccurredAt), fmtTime(e.ReportedAt), hoursText(ix.scheme.SeriousReportMinutes)),
				Evidence: []string{e.ID},
			})
		}
	}
	return ds
}

// hoursText says a number of minutes in hours ("2小时", "1小时30分钟").
func hoursText(min int64) string {
	if min%60 == 0 {
		return fmt.Sprintf("%d小时", min/60)
	}
	return fmt.Sprintf("%d小时%d分钟", min/60, min%60)
}
