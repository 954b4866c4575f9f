package engine_test

import (
	"maps"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// ruleCase is one row of the rule table: a change to a perfect quarter and
// the deductions it must cause, per rule (every other rule must deduct 0).
type ruleCase struct {
	name    string
	quarter string // default 2023Q3
	asOf    string // default 2023-10-08 09:00
	change  func(r *gs.Records)
	want    map[gs.RuleID]string
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			q, asOf := c.quarter, c.asOf
			if q == "" {
				q = "2023Q3"
			}
			if asOf == "" {
				asOf = "2023-10-08 09:00"
			}
			r := perfectTown(q)
			if c.change != nil {
				c.change(r)
			}
			w := worker(t, assess(t, r, q, asOf), "W1")
			if !w.Eligible {
				t.Fatalf("W1 not eligible: %s", w.Reason)
			}
			want := map[gs.RuleID]gs.Points{}
			for rule, p := range c.want {
				want[rule] = pts(p)
			}
			if got := deducted(w); !maps.Equal(got, want) {
				t.Errorf("deductions by rule = %v, want %v\n%+v", got, want, w.Deductions)
			}
		})
	}
}

func TestPerfectQuarterScoresFull(t *testing.T) {
	t.Parallel()
	for _, q := range []string{"2023Q3", "2024Q1"} {
		res := assess(t, perfectTown(q), q, "2024-10-08 09:00")
		w := worker(t, res, "W1")
		if w.Total == nil || *w.Total != pts("100") || len(w.Deductions) != 0 || len(w.Flags) != 0 {
			t.Errorf("%s: perfect worker: total %v, deductions %+v, flags %v", q, w.Total, w.Deductions, w.Flags)
		}
		if *w.Rank != 1 || w.Pay != 60000 {
			t.Errorf("%s: rank %d pay %s, want 1 and 600.00", q, *w.Rank, w.Pay)
		}
	}
}

func finding(kind gs.FindingKind, on string, count int) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Findings = append(r.Findings, gs.Finding{ID: "F-" + string(kind) + on, WorkerID: "W1", Kind: kind, OccurredOn: day(on), Count: count})
	}
}

func TestFindingRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "a stale piece of basic information → −2", change: finding(gs.FindingInfoStale, "2023-07-05", 1), want: map[gs.RuleID]string{"info.stale": "2"}},
		{name: "two stale items in one finding → −4", change: finding(gs.FindingInfoStale, "2023-07-05", 2), want: map[gs.RuleID]string{"info.stale": "4"}},
		{name: "incomplete entry → −1", change: finding(gs.FindingInfoIncomplete, "2023-09-30", 1), want: map[gs.RuleID]string{"info.incomplete": "1"}},
		{name: "finding dated in the previous quarter costs nothing", change: finding(gs.FindingInfoIncomplete, "2023-06-30", 1)},
		{name: "general information omitted → −1", change: finding(gs.FindingOmitGeneral, "2023-08-01", 1), want: map[gs.RuleID]string{"events.omit_general": "1"}},
		{name: "major information omitted → −3", change: finding(gs.FindingOmitMajor, "2023-08-01", 1), want: map[gs.RuleID]string{"events.omit_major": "3"}},
		{name: "serious event never reported → −10", change: finding(gs.FindingSeriousUnreported, "2023-08-01", 1), want: map[gs.RuleID]string{"events.serious_late": "10"}},
		{name: "person lost from control → −10", change: finding(gs.FindingLostControl, "2023-08-01", 1), want: map[gs.RuleID]string{"key.lost_control": "10"}},
		{name: "platform item unhandled → −3", change: finding(gs.FindingItemsUnhandled, "2023-08-01", 1), want: map[gs.RuleID]string{"discipline.items": "3"}},
		{name: "found by an inspection → −10", change: finding(gs.FindingInspection, "2023-08-01", 1), want: map[gs.RuleID]string{"discipline.inspection": "10"}},
		{name: "refused an assignment → −15", change: finding(gs.FindingDisobey, "2023-08-01", 1), want: map[gs.RuleID]string{"discipline.disobey": "15"}},
		{name: "grid phone not carried → −3", change: finding(gs.FindingPhone, "2023-08-01", 1), want: map[gs.RuleID]string{"discipline.phone": "3"}},
	})
}

func TestQuotaRule(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "full-time, 55 events with 8 reported in July → −1",
			change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-07", 55, 8) },
			want:   map[gs.RuleID]string{"events.quota": "1"}},
		{name: "full-time, 56 events with 6 reported → −2",
			change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-07", 56, 6) },
			want:   map[gs.RuleID]string{"events.quota": "2"}},
		{name: "shortfall is the larger of the two: 50 events with 6 reported → −6",
			change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 50, 6) },
			want:   map[gs.RuleID]string{"events.quota": "6"}},
		{name: "shortfall is the larger of the two: 55 events with 2 reported → −6",
			change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 55, 2) },
			want:   map[gs.RuleID]string{"events.quota": "6"}},
		{name: "more than the quota costs nothing",
			change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 80, 20) }},
		{name: "no events in a month → the whole quota, 56",
			change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-09", 0, 0) },
			want:   map[gs.RuleID]string{"events.quota": "56"}},
		{name: "part-time: 52 with 4 reported is enough",
			change: func(r *gs.Records) { r.Workers[0].Type = gs.PartTime; setMonthEvents(r, "W1", "2023-07", 52, 4) }},
		{name: "part-time: 51 with 3 reported → −1",
			change: func(r *gs.Records) { r.Workers[0].Type = gs.PartTime; setMonthEvents(r, "W1", "2023-07", 51, 3) },
			want:   map[gs.RuleID]string{"events.quota": "1"}},
		{name: "July (21 workdays) with 11 days of leave: quota ⌈56×10/21⌉=27, ⌈8×10/21⌉=4; 20 events with 4 reported → −7",
			change: func(r *gs.Records) {
				// 2023-07-03..17 covers 11 workdays; logins and patrols are not needed on leave days.
				r.Leaves = append(r.Leaves, gs.Leave{WorkerID: "W1", From: day("2023-07-03"), To: day("2023-07-17")})
				setMonthEvents(r, "W1", "2023-07", 20, 4)
			},
			want: map[gs.RuleID]string{"events.quota": "7"}},
		{name: "left on 2023-08-15 (11 of 23 August workdays): August quota ⌈56×11/23⌉=27, September not assessed",
			change: func(r *gs.Records) {
				r.Workers[0].LeftOn = day("2023-08-15")
				setMonthEvents(r, "W1", "2023-08", 26, 4)
				setMonthEvents(r, "W1", "2023-09", 0, 0)
			},
			want: map[gs.RuleID]string{"events.quota": "1"}},
		{name: "events belong to the month they were reported in, not when they occurred",
			change: func(r *gs.Records) {
				for i := range r.Events {
					if r.Events[i].ID == "W1-E2023-07-55" {
						r.Events[i].OccurredAt = ts("2023-06-30 10:00")
					}
				}
			}},
	})
}

// lateEvents moves n of July's events into the last days of the month.
func lateEvents(n int, on string) func(r *gs.Records) {
	return func(r *gs.Records) {
		moved := 0
		for i := range r.Events {
			if moved < n && r.Events[i].ReportedAt.Format("2006-01") == "2023-07" && r.Events[i].Flow == gs.FlowSelfHandled {
				r.Events[i].ReportedAt = ts(on + " 16:00")
				r.Events[i].OccurredAt = r.Events[i].ReportedAt
				moved++
			}
		}
	}
}

func TestBatchRule(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "28 of 56 July events entered on July 27 (last 5 days) → exactly half → −10", change: lateEvents(28, "2023-07-27"),
			want: map[gs.RuleID]string{"events.batch": "10"}},
		{name: "27 of 56 in the last 5 days → under half → 0", change: lateEvents(27, "2023-07-31")},
		{name: "28 of 56 on July 26, the day before the window → 0", change: lateEvents(28, "2023-07-26")},
		{name: "on leave until July 26: no duty day before the window → 0",
			change: func(r *gs.Records) {
				r.Leaves = append(r.Leaves, gs.Leave{WorkerID: "W1", From: day("2023-07-01"), To: day("2023-07-26")})
				setMonthEvents(r, "W1", "2023-07", 0, 0)
				lateEvents(0, "")(r)
				for i := 0; i < 5; i++ {
					r.Events = append(r.Events, gs.Event{ID: "L" + string(rune('a'+i)), WorkerID: "W1", Flow: gs.FlowReported,
						Severity: gs.SeverityGeneral, ReportedAt: ts("2023-07-28 10:00"), OccurredAt: ts("2023-07-28 10:00")})
				}
			},
			// July: 3 duty days of 21 → quota ⌈56×3/21⌉=8, ⌈8×3/21⌉=2; 5 events → −3, and no batch.
			want: map[gs.RuleID]string{"events.quota": "3"}},
	})
}

// event adds one self-handled event of W1 beside the quota.
func event(e gs.Event) func(r *gs.Records) {
	return func(r *gs.Records) {
		e.WorkerID = "W1"
		if e.Flow == "" {
			e.Flow = gs.FlowSelfHandled
		}
		if e.Severity == "" {
			e.Severity = gs.SeverityGeneral
		}
		if e.OccurredAt.IsZero() {
			e.OccurredAt = e.ReportedAt
		}
		r.Events = append(r.Events, e)
	}
}

func TestCardRules(t *testing.T) {
	rep, dl := ts("2023-07-03 09:00"), ts("2023-07-05 09:00") // a 48-hour limit
	runRuleCases(t, []ruleCase{
		{name: "yellow card given by the platform → −5", change: event(gs.Event{ID: "X", ReportedAt: rep, Card: gs.CardYellow}),
			want: map[gs.RuleID]string{"events.yellow": "5"}},
		{name: "red card given by the platform → −10 (not −15)", change: event(gs.Event{ID: "X", ReportedAt: rep, Card: gs.CardRed}),
			want: map[gs.RuleID]string{"events.red": "10"}},
		{name: "a reported event carries no card even if given", change: event(gs.Event{ID: "X", Flow: gs.FlowReported, ReportedAt: rep, Card: gs.CardRed, Deadline: dl, ClosedAt: ts("2023-07-20 09:00")})},
		{name: "assigned event closed exactly at its deadline → no card", change: event(gs.Event{ID: "X", Flow: gs.FlowAssigned, ReportedAt: rep, Deadline: dl, ClosedAt: dl})},
		{name: "closed one minute late → yellow", change: event(gs.Event{ID: "X", ReportedAt: rep, Deadline: dl, ClosedAt: ts("2023-07-05 09:01")}),
			want: map[gs.RuleID]string{"events.yellow": "5"}},
		{name: "overdue exactly its limit (twice the limit in all) → still yellow", change: event(gs.Event{ID: "X", ReportedAt: rep, Deadline: dl, ClosedAt: ts("2023-07-07 09:00")}),
			want: map[gs.RuleID]string{"events.yellow": "5"}},
		{name: "overdue a minute past its limit → red replaces yellow", change: event(gs.Event{ID: "X", ReportedAt: rep, Deadline: dl, ClosedAt: ts("2023-07-07 09:01")}),
			want: map[gs.RuleID]string{"events.red": "10"}},
		{name: "no deadline → no card", change: event(gs.Event{ID: "X", ReportedAt: rep, ClosedAt: ts("2023-09-07 09:01")})},
		{name: "open event judged at as_of: one day limit, 3 hours overdue → yellow", asOf: "2023-09-28 12:00",
			change: event(gs.Event{ID: "X", ReportedAt: ts("2023-09-27 09:00"), Deadline: ts("2023-09-28 09:00")}),
			want:   map[gs.RuleID]string{"events.yellow": "5"}},
		{name: "open event judged at as_of: 10 days overdue → red", asOf: "2023-10-08 09:00",
			change: event(gs.Event{ID: "X", ReportedAt: ts("2023-09-27 09:00"), Deadline: ts("2023-09-28 09:00")}),
			want:   map[gs.RuleID]string{"events.red": "10"}},
		{name: "open event before its deadline → no card", asOf: "2023-09-28 08:00",
			change: event(gs.Event{ID: "X", ReportedAt: ts("2023-09-27 09:00"), Deadline: ts("2023-09-28 09:00")})},
		{name: "closed late, but after as_of, which is before its deadline → no card yet", asOf: "2023-09-28 08:00",
			change: event(gs.Event{ID: "X", ReportedAt: ts("2023-09-27 09:00"), Deadline: ts("2023-09-28 09:00"), ClosedAt: ts("2023-09-28 12:00")})},
		{name: "closed after as_of: judged open at as_of, 3 hours overdue → yellow, not the red of its later close", asOf: "2023-09-28 12:00",
			change: event(gs.Event{ID: "X", ReportedAt: ts("2023-09-27 09:00"), Deadline: ts("2023-09-28 09:00"), ClosedAt: ts("2023-09-30 09:00")}),
			want:   map[gs.RuleID]string{"events.yellow": "5"}},
		{name: "card belongs to the quarter of its deadline: reported in June, due in July",
			change: event(gs.Event{ID: "X", ReportedAt: ts("2023-06-28 09:00"), Deadline: ts("2023-07-02 09:00"), ClosedAt: ts("2023-07-03 09:00")}),
			want:   map[gs.RuleID]string{"events.yellow": "5"}},
		{name: "reported in September, due in October → not this quarter's card",
			change: event(gs.Event{ID: "X", ReportedAt: ts("2023-09-28 09:00"), Deadline: ts("2023-10-02 09:00"), ClosedAt: ts("2023-10-20 09:00")})},
	})
}

func TestIrregularAndSeriousRules(t *testing.T) {
	occ := ts("2023-08-01 09:00")
	runRuleCases(t, []ruleCase{
		{name: "an irregular event → −1", change: event(gs.Event{ID: "X", ReportedAt: occ, Irregular: true}),
			want: map[gs.RuleID]string{"events.irregular": "1"}},
		{name: "serious event reported at exactly 2 h → 0", change: event(gs.Event{ID: "X", Severity: gs.SeveritySerious, OccurredAt: occ, ReportedAt: ts("2023-08-01 11:00")})},
		{name: "serious event reported at 2 h 1 min → −10", change: event(gs.Event{ID: "X", Severity: gs.SeveritySerious, OccurredAt: occ, ReportedAt: ts("2023-08-01 11:01")}),
			want: map[gs.RuleID]string{"events.serious_late": "10"}},
		{name: "a major event late is not a serious one", change: event(gs.Event{ID: "X", Severity: gs.SeverityMajor, OccurredAt: occ, ReportedAt: ts("2023-08-02 11:01")})},
		{name: "serious event occurred in June, reported late in July → counts in Q3", change: event(gs.Event{ID: "X", Severity: gs.SeveritySerious, OccurredAt: ts("2023-06-30 22:00"), ReportedAt: ts("2023-07-01 01:00")}),
			want: map[gs.RuleID]string{"events.serious_late": "10"}},
		{name: "events category floors at 0 but deductions are listed in full",
			change: func(r *gs.Records) {
				finding(gs.FindingSeriousUnreported, "2023-08-01", 4)(r)
			},
			want: map[gs.RuleID]string{"events.serious_late": "40"}},
	})
}
