package engine_test

import (
	"slices"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// The tests of the discipline rules on logins, patrols, meetings and quiz
// answers, and of the official 2024 calendar as the login rule sees it.

// dropLogin removes W1's logins of channel c on date d.
func dropLogin(d string, c gs.Channel) func(r *gs.Records) {
	return func(r *gs.Records) {
		kept := r.Logins[:0]
		for _, l := range r.Logins {
			if !(l.At.Format("2006-01-02") == d && l.Channel == c) {
				kept = append(kept, l)
			}
		}
		r.Logins = kept
	}
}

// setPatrols replaces W1's patrols on date d (by start) with the given
// intervals ("08:00-11:30"; an empty end means none; "+1" marks next day).
func setPatrols(d string, ivs ...[2]string) func(r *gs.Records) {
	return func(r *gs.Records) {
		kept := r.Patrols[:0]
		for _, p := range r.Patrols {
			if p.StartedAt.Format("2006-01-02") != d {
				kept = append(kept, p)
			}
		}
		r.Patrols = kept
		for i, iv := range ivs {
			p := gs.Patrol{ID: d + "-x" + string(rune('a'+i)), WorkerID: "W1", StartedAt: ts(d + " " + iv[0])}
			if iv[1] != "" {
				p.EndedAt = ts(iv[1])
			}
			r.Patrols = append(r.Patrols, p)
		}
	}
}

func TestDisciplineRules(t *testing.T) {
	const d = "2023-07-04"
	runRuleCases(t, []ruleCase{
		{name: "no app login on a workday → −3", change: dropLogin("2023-07-03", gs.ChannelApp),
			want: map[gs.RuleID]string{"discipline.login": "3"}},
		{name: "no login on leave days → 0",
			change: all(dropLogin("2023-07-03", gs.ChannelApp), func(r *gs.Records) {
				r.Leaves = append(r.Leaves, gs.Leave{WorkerID: "W1", From: day("2023-07-03"), To: day("2023-07-03")})
			})},
		{name: "stationed full-time worker with no pc logins → −3 a workday (64 workdays)",
			change: func(r *gs.Records) { r.Workers[0].Stationed = true },
			want:   map[gs.RuleID]string{"discipline.login": "192"}},
		{name: "stationed part-time worker needs no pc login",
			change: func(r *gs.Records) { r.Workers[0].Stationed = true; r.Workers[0].Type = gs.PartTime }},
		{name: "a login at 23:59 counts for its day, one at 00:00 the next does not",
			change: func(r *gs.Records) {
				dropLogin("2023-07-03", gs.ChannelApp)(r)
				dropLogin("2023-07-04", gs.ChannelApp)(r)
				r.Logins = append(r.Logins, gs.Login{WorkerID: "W1", Channel: gs.ChannelApp, At: ts("2023-07-03 23:59")},
					gs.Login{WorkerID: "W1", Channel: gs.ChannelApp, At: ts("2023-07-05 00:00")})
			},
			want: map[gs.RuleID]string{"discipline.login": "3"}},
		{name: "center's override: Monday July 10 a holiday → no login, patrol or quota change needed",
			change: all(dropLogin("2023-07-10", gs.ChannelApp), setPatrols("2023-07-10"), func(r *gs.Records) {
				r.Calendar = append(r.Calendar, gs.CalendarDay{Date: day("2023-07-10"), Kind: gs.DayHoliday, Name: "防汛调休"})
			})},
		{name: "center's override: Saturday July 15 a workday → login and patrols needed",
			change: func(r *gs.Records) {
				r.Calendar = append(r.Calendar, gs.CalendarDay{Date: day("2023-07-15"), Kind: gs.DayWorkday})
			},
			want: map[gs.RuleID]string{"discipline.login": "3", "discipline.patrol": "6"}},
		{name: "only one patrol → −3", change: setPatrols(d, [2]string{"08:00", d + " 11:30"}),
			want: map[gs.RuleID]string{"discipline.patrol": "3"}},
		{name: "no patrol → −6", change: setPatrols(d),
			want: map[gs.RuleID]string{"discipline.patrol": "6"}},
		{name: "exactly 3 hours counts", change: setPatrols(d, [2]string{"08:00", d + " 11:00"}, [2]string{"14:00", d + " 17:00"})},
		{name: "2 h 59 min does not count → −3", change: setPatrols(d, [2]string{"08:00", d + " 10:59"}, [2]string{"14:00", d + " 17:00"}),
			want: map[gs.RuleID]string{"discipline.patrol": "3"}},
		{name: "two touching 2-hour patrols merge into one of 4 hours",
			change: setPatrols(d, [2]string{"08:00", d + " 10:00"}, [2]string{"10:00", d + " 12:00"}, [2]string{"14:00", d + " 17:30"})},
		{name: "two overlapping patrols are one patrol → −3",
			change: setPatrols(d, [2]string{"08:00", d + " 11:30"}, [2]string{"09:00", d + " 12:30"}),
			want:   map[gs.RuleID]string{"discipline.patrol": "3"}},
		{name: "a patrol with no end is ignored → −3",
			change: setPatrols(d, [2]string{"08:00", ""}, [2]string{"14:00", d + " 17:30"}),
			want:   map[gs.RuleID]string{"discipline.patrol": "3"}},
		{name: "a night patrol crossing midnight counts for the day it started",
			change: setPatrols(d, [2]string{"08:00", d + " 11:30"}, [2]string{"22:00", "2023-07-05 01:30"})},
		{name: "an evening patrol running into the next morning's merges with it: the next day loses one",
			change: all(setPatrols(d, [2]string{"08:00", d + " 11:30"}, [2]string{"21:00", "2023-07-05 08:00"}),
				setPatrols("2023-07-05", [2]string{"08:00", "2023-07-05 11:30"}, [2]string{"14:00", "2023-07-05 17:30"})),
			want: map[gs.RuleID]string{"discipline.patrol": "3"}},
		{name: "absent from a meeting → −3; on leave or present → 0",
			change: func(r *gs.Records) {
				r.Meetings = append(r.Meetings, gs.Meeting{ID: "M1", HeldOn: day("2023-07-07"), Title: "7月例会"}, gs.Meeting{ID: "M2", HeldOn: day("2023-08-07"), Title: "8月例会"},
					gs.Meeting{ID: "M3", HeldOn: day("2023-09-07"), Title: "培训"}, gs.Meeting{ID: "M0", HeldOn: day("2023-06-07"), Title: "6月例会"})
				r.Attendance = append(r.Attendance, gs.Attendance{MeetingID: "M1", WorkerID: "W1", Status: gs.StatusAbsent},
					gs.Attendance{MeetingID: "M2", WorkerID: "W1", Status: gs.StatusLeave}, gs.Attendance{MeetingID: "M3", WorkerID: "W1", Status: gs.StatusPresent},
					gs.Attendance{MeetingID: "M0", WorkerID: "W1", Status: gs.StatusAbsent})
			},
			want: map[gs.RuleID]string{"discipline.meeting": "3"}},
		{name: "quiz: 3 wrong answers → −1.5, plus 1 in another check → −2",
			change: func(r *gs.Records) {
				r.Quizzes = append(r.Quizzes, gs.Quiz{ID: "Q1", WorkerID: "W1", TakenOn: day("2023-07-20"), WrongAnswers: 3},
					gs.Quiz{ID: "Q2", WorkerID: "W1", TakenOn: day("2023-09-20"), WrongAnswers: 1},
					gs.Quiz{ID: "Q3", WorkerID: "W1", TakenOn: day("2023-09-21"), WrongAnswers: 0})
			},
			want: map[gs.RuleID]string{"discipline.quiz": "2"}},
	})
}

func TestOfficialCalendar2024(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "Sunday 2024-02-04 is an official workday: no login → −3", quarter: "2024Q1", asOf: "2024-04-08 09:00",
			change: dropLogin("2024-02-04", gs.ChannelApp), want: map[gs.RuleID]string{"discipline.login": "3"}},
		{name: "Monday 2024-02-12 is a Spring Festival holiday: nothing needed", quarter: "2024Q1", asOf: "2024-04-08 09:00",
			change: all(dropLogin("2024-02-12", gs.ChannelApp), setPatrols("2024-02-12"))},
	})
}

// TestLoginDeductionsOfADayDiffer: a deduction is voided or appealed by its
// ref (gs.RefOf), so the two login deductions of one day, one a channel,
// must have different refs, each naming its channel.
func TestLoginDeductionsOfADayDiffer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		stationed bool
		want      []string // the items of W1's login deductions of 2023-07-03
	}{
		{name: "stationed full-time worker with no login at all → an app and a pc deduction", stationed: true, want: []string{"app", "pc"}},
		{name: "full-time worker not stationed → the app deduction only", want: []string{"app"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := perfectTown("2023Q3")
			r.Workers[0].Stationed = c.stationed
			dropLogin("2023-07-03", gs.ChannelApp)(r)
			w := worker(t, assess(t, r, "2023Q3", "2023-10-08 09:00"), "W1")
			var items []string
			refs := map[gs.DeductionRef]bool{}
			for _, d := range w.Deductions {
				if d.Rule != gs.RuleDisciplineLogin || d.Period != "2023-07-03" {
					continue
				}
				items = append(items, d.Item)
				refs[gs.RefOf("W1", d)] = true
				if want := "未登录" + gs.ChannelName[gs.Channel(d.Item)]; !strings.HasSuffix(d.Detail, want) {
					t.Errorf("item %q with detail %q, want it to end with %q", d.Item, d.Detail, want)
				}
			}
			if !slices.Equal(items, c.want) {
				t.Errorf("items of the day's login deductions = %q, want %q", items, c.want)
			}
			if len(refs) != len(items) {
				t.Errorf("%d login deductions of the day have %d different refs", len(items), len(refs))
			}
		})
	}
}
