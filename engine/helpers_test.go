package engine_test

import (
	"fmt"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/scheme"
)

// ts reads "2023-07-03 09:15" as CST.
func ts(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, gs.CST)
	if err != nil {
		panic(err)
	}
	return t
}

// day reads "2023-07-03".
func day(s string) gs.Date { return gs.DateOf(ts(s + " 00:00")) }

// quarterOf reads "2023Q3".
func quarterOf(s string) gs.Quarter {
	q, err := gs.ParseQuarter(s)
	if err != nil {
		panic(err)
	}
	return q
}

// perfectTown returns a town whose one worker, W1 (full-time, grid G1, hired
// long ago), does everything right in quarter q: 56 events a month of which 8
// reported, entered mid-month; an app login and two 3.5-hour patrols on every
// official workday; one satisfied ballot. Its assessment is 100.
func perfectTown(q string) *gs.Records {
	r := &gs.Records{
		Grids:   []gs.Grid{{Code: "G1", Name: "一网格", Town: "XX镇"}, {Code: "G2", Name: "二网格", Town: "XX镇"}},
		Workers: []gs.Worker{{ID: "W1", Name: "张三", Type: gs.FullTime, GridCode: "G1", HiredOn: day("2020-01-01")}},
	}
	addPerfectWork(r, "W1", q, nil)
	return r
}

// addPerfectWork gives a worker a perfect quarter: the quota of events in each
// month (on the 10th, far from month end), an app login (and a pc login when
// pc is true) and two patrols on every official workday, one satisfied ballot.
func addPerfectWork(r *gs.Records, worker, q string, extra []gs.Channel) {
	qq := quarterOf(q)
	cal := calendar.New(nil)
	quota := scheme.Default().Quotas[gs.FullTime]
	for _, m := range qq.Months() {
		setMonthEvents(r, worker, m.String(), quota.Total, quota.Reported)
	}
	for d := qq.First(); d <= qq.Last(); d++ {
		if !cal.IsWorkday("", d) {
			continue
		}
		s := d.String()
		for _, c := range append([]gs.Channel{gs.ChannelApp}, extra...) {
			r.Logins = append(r.Logins, gs.Login{WorkerID: worker, Channel: c, At: ts(s + " 08:01")})
		}
		r.Patrols = append(r.Patrols,
			gs.Patrol{ID: worker + "-P" + s + "-am", WorkerID: worker, StartedAt: ts(s + " 08:00"), EndedAt: ts(s + " 11:30")},
			gs.Patrol{ID: worker + "-P" + s + "-pm", WorkerID: worker, StartedAt: ts(s + " 14:00"), EndedAt: ts(s + " 17:30")})
	}
	r.Ballots = append(r.Ballots, gs.Ballot{ID: worker + "-B1", WorkerID: worker, RaterGroup: gs.RaterResident, Rating: gs.RatingSatisfied, CastAt: ts(qq.Last().String() + " 10:00")})
}

// setMonthEvents replaces the worker's events of month m ("2023-07") with
// total self-handled events of which `reported` are reported, all entered on
// the 10th of the month.
func setMonthEvents(r *gs.Records, worker, m string, total, reported int) {
	kept := r.Events[:0]
	for _, e := range r.Events {
		if !(e.WorkerID == worker && e.ReportedAt.Format("2006-01") == m) {
			kept = append(kept, e)
		}
	}
	r.Events = kept
	for i := 0; i < total; i++ {
		flow := gs.FlowSelfHandled
		if i < reported {
			flow = gs.FlowReported
		}
		at := ts(m + "-10 09:00").Add(time.Duration(i) * time.Minute)
		r.Events = append(r.Events, gs.Event{ID: fmt.Sprintf("%s-E%s-%02d", worker, m, i), WorkerID: worker,
			Flow: flow, Severity: gs.SeverityGeneral, OccurredAt: at, ReportedAt: at})
	}
}

// assess runs the engine with the default scheme and the official calendar
// plus the records' own calendar days.
func assess(tb testing.TB, r *gs.Records, q, asOf string) *gs.Result {
	tb.Helper()
	s := scheme.Default()
	return assessWith(tb, &s, r, q, asOf)
}

func assessWith(tb testing.TB, s *gs.Scheme, r *gs.Records, q, asOf string) *gs.Result {
	tb.Helper()
	return engine.Assess(engine.Input{
		Scheme:   s,
		Calendar: calendar.New(r.Calendar),
		Records:  r,
		Quarter:  quarterOf(q),
		AsOf:     ts(asOf),
	})
}

// worker returns the result of worker id.
func worker(tb testing.TB, res *gs.Result, id string) *gs.WorkerResult {
	tb.Helper()
	for i := range res.Workers {
		if res.Workers[i].WorkerID == id {
			return &res.Workers[i]
		}
	}
	tb.Fatalf("worker %s not in the result", id)
	return nil
}

// deducted returns, per rule, the sum of the points of the deductions.
func deducted(w *gs.WorkerResult) map[gs.RuleID]gs.Points {
	m := map[gs.RuleID]gs.Points{}
	for _, d := range w.Deductions {
		m[d.Rule] += d.Points
	}
	return m
}

// pts reads "1.5" as points.
func pts(s string) gs.Points {
	v, ok := gs.ParseHundredths(s)
	if !ok {
		panic(s)
	}
	return gs.Points(v)
}

// defaultScheme returns a fresh copy of the default scheme to modify.
func defaultScheme() gs.Scheme {
	s := scheme.Default()
	return s
}

// all applies each change in turn.
func all(fs ...func(r *gs.Records)) func(r *gs.Records) {
	return func(r *gs.Records) {
		for _, f := range fs {
			f(r)
		}
	}
}
