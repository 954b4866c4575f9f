package engine_test

import (
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// The tests of the standing of RULES.md §9: as of a moment inside the
// quarter, only what fell due by then is judged. A day is over when it is
// before date(as_of); a month when its last day is over.

// mid is the moment of most rows: Tuesday 2023-08-15 09:00.
const mid = "2023-08-15 09:00"

// recordsUntil keeps only what had happened by the moment at: events
// entered, logins made, patrols started (a patrol not ended by at has no
// end yet) and ballots cast, as a live database holds them then.
func recordsUntil(at string) func(r *gs.Records) {
	t := ts(at)
	return func(r *gs.Records) {
		keep := func(x time.Time) bool { return !x.After(t) }
		r.Events = refFilter(r.Events, func(e gs.Event) bool { return keep(e.ReportedAt) })
		r.Logins = refFilter(r.Logins, func(l gs.Login) bool { return keep(l.At) })
		r.Patrols = refFilter(r.Patrols, func(p gs.Patrol) bool { return keep(p.StartedAt) })
		for i := range r.Patrols {
			if !keep(r.Patrols[i].EndedAt) {
				r.Patrols[i].EndedAt = time.Time{}
			}
		}
		r.Ballots = refFilter(r.Ballots, func(b gs.Ballot) bool { return keep(b.CastAt) })
	}
}

// noRecords removes every event, login, patrol and ballot of the town.
func noRecords(r *gs.Records) { r.Events, r.Logins, r.Patrols, r.Ballots = nil, nil, nil, nil }

// absentFrom adds a meeting id held on date on, with W1 absent.
func absentFrom(id, on string) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Meetings = append(r.Meetings, gs.Meeting{ID: id, HeldOn: day(on), Title: "例会"})
		r.Attendance = append(r.Attendance, gs.Attendance{MeetingID: id, WorkerID: "W1", Status: gs.StatusAbsent})
	}
}

// quizOn adds a spot check of W1 on date on with wrong answers.
func quizOn(id, on string, wrong int) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Quizzes = append(r.Quizzes, gs.Quiz{ID: id, WorkerID: "W1", TakenOn: day(on), WrongAnswers: wrong})
	}
}

func TestStandingDailyRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "as of 8-15 09:00, records so far only: a worker who did all that was due loses nothing",
			asOf: mid, change: recordsUntil(mid)},
		{name: "as of 8-15 09:00: no login yet on 8-15 → nothing lost yet",
			asOf: mid, change: all(recordsUntil(mid), dropLogin("2023-08-15", gs.ChannelApp))},
		{name: "as of 8-15 09:00: no login on 8-14 (a Monday, a duty day) → −3",
			asOf: mid, change: all(recordsUntil(mid), dropLogin("2023-08-14", gs.ChannelApp)),
			want: map[gs.RuleID]string{"discipline.login": "3"}},
		{name: "as of 8-15 09:00, stationed with no pc login: −3 per channel on each of the 31 elapsed duty days (21 in July, 10 in August)",
			asOf: mid, change: all(recordsUntil(mid), func(r *gs.Records) { r.Workers[0].Stationed = true }),
			want: map[gs.RuleID]string{"discipline.login": "93"}},
		{name: "as of 8-15 09:00: no patrol yet on 8-15 → nothing lost yet",
			asOf: mid, change: all(recordsUntil(mid), setPatrols("2023-08-15"))},
		{name: "as of 8-15 09:00: one patrol on 8-14 → −3",
			asOf: mid, change: all(recordsUntil(mid), setPatrols("2023-08-14", [2]string{"08:00", "2023-08-14 11:30"})),
			want: map[gs.RuleID]string{"discipline.patrol": "3"}},
		{name: "as of 8-14 23:59 the 14th is not over: no login and no patrol on 8-14 → nothing yet",
			asOf: "2023-08-14 23:59", change: all(recordsUntil("2023-08-14 23:59"), dropLogin("2023-08-14", gs.ChannelApp), setPatrols("2023-08-14"))},
		{name: "as of 8-15 00:00 the 14th is over: no login and no patrol on 8-14 → −3 and −6",
			asOf: "2023-08-15 00:00", change: all(recordsUntil("2023-08-15 00:00"), dropLogin("2023-08-14", gs.ChannelApp), setPatrols("2023-08-14")),
			want: map[gs.RuleID]string{"discipline.login": "3", "discipline.patrol": "6"}},
		{name: "as of the quarter's first day, 7-1 09:00, a worker with no records at all loses nothing",
			asOf: "2023-07-01 09:00", change: noRecords},
		{name: "as of Monday 7-3 23:59, no records at all: the weekend needs nothing, Monday is not over → nothing",
			asOf: "2023-07-03 23:59", change: noRecords},
		{name: "as of 7-4 00:00, no records at all: Monday 7-3 is over → −3 login, −6 patrol, no quota yet",
			asOf: "2023-07-04 00:00", change: noRecords,
			want: map[gs.RuleID]string{"discipline.login": "3", "discipline.patrol": "6"}},
	})
}

func TestStandingMonthlyRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "as of 8-15 09:00: August's events so far (56 entered on the 10th) and none to come cost nothing yet; July short by 10 → −10",
			asOf: mid, change: all(recordsUntil(mid), func(r *gs.Records) { setMonthEvents(r, "W1", "2023-07", 46, 8) }),
			want: map[gs.RuleID]string{"events.quota": "10"}},
		{name: "as of 8-15 09:00: no August events yet → nothing lost yet",
			asOf: mid, change: all(recordsUntil(mid), func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 0, 0) })},
		{name: "as of 7-31 23:59 July is not over: no July events → nothing yet",
			asOf: "2023-07-31 23:59", change: all(recordsUntil("2023-07-31 23:59"), func(r *gs.Records) { setMonthEvents(r, "W1", "2023-07", 0, 0) })},
		{name: "as of 8-1 00:00 July is over: no July events → the whole quota, 56",
			asOf: "2023-08-01 00:00", change: all(recordsUntil("2023-08-01 00:00"), func(r *gs.Records) { setMonthEvents(r, "W1", "2023-07", 0, 0) }),
			want: map[gs.RuleID]string{"events.quota": "56"}},
		{name: "as of 9-30 23:59 September is not over: no September events → nothing yet",
			asOf: "2023-09-30 23:59", change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-09", 0, 0) }},
		{name: "as of 10-1 00:00 the quarter is over: no September events → 56, as in the final result",
			asOf: "2023-10-01 00:00", change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-09", 0, 0) },
			want: map[gs.RuleID]string{"events.quota": "56"}},
		{name: "as of 7-31 23:59, 28 of July's 56 events entered on 7-27 → the burst is not judged yet",
			asOf: "2023-07-31 23:59", change: all(lateEvents(28, "2023-07-27"), recordsUntil("2023-07-31 23:59"))},
		{name: "as of 8-1 00:00, 28 of July's 56 events entered on 7-27 → −10",
			asOf: "2023-08-01 00:00", change: all(lateEvents(28, "2023-07-27"), recordsUntil("2023-08-01 00:00")),
			want: map[gs.RuleID]string{"events.batch": "10"}},
	})
}

func TestStandingKeyWork(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "as of 7-28 23:59 the 28th is not over: a person not visited in July costs nothing yet",
			asOf: "2023-07-28 23:59", change: all(recordsUntil("2023-07-28 23:59"), person("P1", "G1", "2023-06-15 10:00", ""))},
		{name: "as of 7-29 00:00 the 28th is over: a person never visited → −5 for July; August and September are not judged",
			asOf: "2023-07-29 00:00", change: all(recordsUntil("2023-07-29 00:00"), person("P1", "G1", "2023-06-15 10:00", "")),
			want: map[gs.RuleID]string{"key.visits": "5"}},
		{name: "as of 8-15 09:00: visited in July, not yet in August → nothing lost",
			asOf: mid, change: all(recordsUntil(mid), person("P1", "G1", "2023-06-15 10:00", ""), visit("a", "P1", "2023-07-10 10:00"))},
		{name: "roster row listed 8-1, due 8-8, not entered: as of 8-8 23:59 → nothing yet",
			asOf: "2023-08-08 23:59", change: all(recordsUntil("2023-08-08 23:59"), roster("P1", "G1", "2023-08-01"))},
		{name: "roster row listed 8-1, due 8-8, not entered: as of 8-9 00:00 → −3",
			asOf: "2023-08-09 00:00", change: all(recordsUntil("2023-08-09 00:00"), roster("P1", "G1", "2023-08-01")),
			want: map[gs.RuleID]string{"key.missing_entry": "3"}},
	})
}

func TestStandingDatedRecords(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "as of 8-15 09:00 a finding dated 8-15 counts (−2); one dated 8-16 not yet",
			asOf: mid, change: all(recordsUntil(mid), finding(gs.FindingInfoStale, "2023-08-15", 1), finding(gs.FindingInfoStale, "2023-08-16", 1)),
			want: map[gs.RuleID]string{"info.stale": "2"}},
		{name: "as of 8-15 09:00 absent from a meeting on 8-15 → −3; from one on 8-16 → not yet",
			asOf: mid, change: all(recordsUntil(mid), absentFrom("M1", "2023-08-15"), absentFrom("M2", "2023-08-16")),
			want: map[gs.RuleID]string{"discipline.meeting": "3"}},
		{name: "as of 8-15 09:00 a spot check on 8-15 with 2 wrong answers → −1; one on 8-16 → not yet",
			asOf: mid, change: all(recordsUntil(mid), quizOn("Q1", "2023-08-15", 2), quizOn("Q2", "2023-08-16", 3)),
			want: map[gs.RuleID]string{"discipline.quiz": "1"}},
		{name: "cards as §3: an open event 3 hours past its one-day deadline at 8-15 09:00 → yellow already",
			asOf: mid, change: all(recordsUntil(mid), event(gs.Event{ID: "X", ReportedAt: ts("2023-08-14 06:00"), Deadline: ts("2023-08-15 06:00")})),
			want: map[gs.RuleID]string{"events.yellow": "5"}},
	})
}

// TestStandingTotal checks the sentence of §9 a worker reads: having done
// everything due so far, they stand at 100 on any day of the quarter (full
// satisfaction here, as no survey has been run yet), and the final result
// of the same records is the usual one.
func TestStandingTotal(t *testing.T) {
	t.Parallel()
	for _, at := range []string{"2023-07-01 00:00", "2023-07-03 08:00", "2023-07-28 23:59", "2023-07-29 00:00", "2023-07-31 23:59",
		"2023-08-01 00:00", mid, "2023-09-30 23:59"} {
		r := perfectTown("2023Q3")
		recordsUntil(at)(r)
		w := worker(t, assess(t, r, "2023Q3", at), "W1")
		if w.Total == nil || *w.Total != pts("100") || len(w.Deductions) != 0 || *w.Rank != 1 || w.Pay != 60000 {
			t.Errorf("as of %s: total %v rank %v pay %s deductions %+v, want 100, 1, 600.00, none", at, w.Total, w.Rank, w.Pay, w.Deductions)
		}
	}
	r := perfectTown("2023Q3")
	w := worker(t, assess(t, r, "2023Q3", "2023-10-01 00:00"), "W1")
	if *w.Total != pts("100") {
		t.Errorf("as of the quarter's end: total %s, want 100", w.Total)
	}
	recordsUntil(mid)(r)
	if w := worker(t, assess(t, r, "2023Q3", "2023-10-01 00:00"), "W1"); *w.Total >= pts("60") {
		t.Errorf("the records of mid-August alone, as of the quarter's end: total %s, want the usual loss (under 60)", w.Total)
	}
}
