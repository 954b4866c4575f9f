package engine_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// The tests of the early warnings of RULES.md §9, rule by rule, on W1 of
// the perfect town (helpers_test.go): 56 August events entered on 8-10 from
// 09:00, an app login at 08:01 and patrols 08:00–11:30 and 14:00–17:30 on
// every workday.

// warnCase is one row: the records changed from the perfect town's, the
// moment, the scheme's change if any, and W1's warnings of rule (all rules
// when rule is empty), each "period points due [evidence] | detail" with due
// as "01-02 15:04", more than three ids as "[n ids]", and the detail only
// where the row gives one.
type warnCase struct {
	name   string
	asOf   string
	change func(r *gs.Records)
	scheme func(s *gs.Scheme)
	rule   gs.RuleID
	want   []string
}

func runWarnCases(t *testing.T, cases []warnCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := perfectTown("2023Q3")
			if c.change != nil {
				c.change(r)
			}
			s := defaultScheme()
			if c.scheme != nil {
				c.scheme(&s)
			}
			w := worker(t, assessWith(t, &s, r, "2023Q3", c.asOf), "W1")
			if w.Warnings == nil {
				t.Fatalf("as of %s inside the quarter: no warnings list", c.asOf)
			}
			var got []string
			for _, x := range *w.Warnings {
				if c.rule != "" && x.Rule != c.rule {
					continue
				}
				ev := fmt.Sprint(x.Evidence)
				if len(x.Evidence) > 3 {
					ev = fmt.Sprintf("[%d ids]", len(x.Evidence))
				}
				line := fmt.Sprintf("%s %s %s %s", x.Period, x.Points, x.Due.In(gs.CST).Format("01-02 15:04"), ev)
				if c.rule == "" {
					line = string(x.Rule) + " " + line
				}
				// The detail is compared where the row gives one.
				if i := len(got); i < len(c.want) && strings.Contains(c.want[i], " | ") {
					line += " | " + x.Detail
				}
				got = append(got, line)
			}
			want := c.want
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("warnings of %s as of %s:\n%s\nwant:\n%s", c.rule, c.asOf, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// warnOpenEvent adds W1's self-handled event id, entered at reported with the
// deadline given and no card, still open.
func warnEvent(id, reported, deadline string) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Events = append(r.Events, gs.Event{ID: id, WorkerID: "W1", Flow: gs.FlowSelfHandled, Severity: gs.SeverityGeneral,
			OccurredAt: ts(reported), ReportedAt: ts(reported), Deadline: ts(deadline)})
	}
}

// warnEditEvent changes W1's event id.
func warnEdit(id string, f func(e *gs.Event)) func(r *gs.Records) {
	return func(r *gs.Records) {
		for i := range r.Events {
			if r.Events[i].ID == id {
				f(&r.Events[i])
			}
		}
	}
}

func TestWarnQuota(t *testing.T) {
	runWarnCases(t, []warnCase{
		{name: "as of 8-15 with August's 56 events (8 reported) entered → no quota warning",
			asOf: "2023-08-15 09:00", rule: "events.quota"},
		{name: "as of 8-15 09:00 with 50 events of which 6 reported → 6 events to go (2 reported), 6 points due 9-01 00:00, 13 workdays left",
			asOf: "2023-08-15 09:00", rule: "events.quota", change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 50, 6) },
			want: []string{"2023-08 6 09-01 00:00 [50 ids] | 本月还需办理事件 6 条，其中上报 2 件，剩余 13 个工作日"}},
		{name: "as of 8-10 09:30 only the 31 events entered by then count (8 reported) → 25 points",
			asOf: "2023-08-10 09:30", rule: "events.quota",
			want: []string{"2023-08 25 09-01 00:00 [31 ids] | 本月还需办理事件 25 条，剩余 16 个工作日"}},
		{name: "as of 8-03 in a month whose events come on the 10th → the whole quota of 56 is at risk",
			asOf: "2023-08-03 10:00", rule: "events.quota",
			want: []string{"2023-08 56 09-01 00:00 [] | 本月还需办理事件 56 条，其中上报 8 件，剩余 21 个工作日"}},
		{name: "as of 8-16, on leave 8-01..8-15 (12 of 23 workdays on duty): quota ⌈56×12/23⌉ = 30 with ⌈8×12/23⌉ = 5 reported; 20 entered, 2 reported → 10",
			asOf: "2023-08-16 10:00", rule: "events.quota",
			change: all(func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 20, 2) }, warnLeave("2023-08-01", "2023-08-15")),
			want:   []string{"2023-08 10 09-01 00:00 [20 ids]"}},
		{name: "as of 8-16, on leave all August → no duty day in the month, no quota warning",
			asOf: "2023-08-16 10:00", rule: "events.quota",
			change: all(func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 0, 0) }, warnLeave("2023-08-01", "2023-08-31"))},
		{name: "as of 8-31 23:59 with 55 events → 1 point due 9-01 00:00, no workday left",
			asOf: "2023-08-31 23:59", rule: "events.quota", change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 55, 8) },
			want: []string{"2023-08 1 09-01 00:00 [55 ids] | 本月还需办理事件 1 条，剩余 1 个工作日"}},
		{name: "as of 9-01 00:00 the month is September's: its events come on 9-10 → 56",
			asOf: "2023-09-01 00:00", rule: "events.quota", change: func(r *gs.Records) { setMonthEvents(r, "W1", "2023-08", 55, 8) },
			want: []string{"2023-09 56 10-01 00:00 []"}},
	})
}

// warnLeave adds W1's approved leave from..to.
func warnLeave(from, to string) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Leaves = append(r.Leaves, gs.Leave{WorkerID: "W1", From: day(from), To: day(to)})
	}
}

func TestWarnCards(t *testing.T) {
	// E1: entered 8-01 09:00, deadline 8-03 17:00: a time limit of 56 h, 70 %
	// of it is 39 h 12 min (8-03 00:12); red after 8-06 01:00.
	e1 := warnEvent("E1", "2023-08-01 09:00", "2023-08-03 17:00")
	runWarnCases(t, []warnCase{
		{name: "as of 8-03 10:00, an event of 8-01 09:00 due 8-03 17:00 and no card: 88 % of its limit → yellow warning, 5 points, due 8-03 17:00",
			asOf: "2023-08-03 10:00", rule: "events.yellow", change: e1,
			want: []string{"2023-08-03 5 08-03 17:00 [E1] | 事件 E1 将于 8月3日 17:00 超时（黄牌）"}},
		{name: "as of 8-03 00:11, 69.97 % of its limit → no warning yet",
			asOf: "2023-08-03 00:11", rule: "events.yellow", change: e1},
		{name: "as of 8-03 00:12, exactly 70 % → yellow warning",
			asOf: "2023-08-03 00:12", rule: "events.yellow", change: e1,
			want: []string{"2023-08-03 5 08-03 17:00 [E1]"}},
		{name: "with warn_share 0.5, as of 8-02 13:00 (50 %) → yellow warning",
			asOf: "2023-08-02 13:00", rule: "events.yellow", change: e1, scheme: func(s *gs.Scheme) { s.WarnShare = 50 },
			want: []string{"2023-08-03 5 08-03 17:00 [E1]"}},
		{name: "as of the deadline itself → still a yellow warning",
			asOf: "2023-08-03 17:00", rule: "events.yellow", change: e1,
			want: []string{"2023-08-03 5 08-03 17:00 [E1]"}},
		{name: "closed 8-03 09:00, before as_of → no warning",
			asOf: "2023-08-03 10:00", rule: "events.yellow",
			change: all(e1, warnEdit("E1", func(e *gs.Event) { e.ClosedAt = ts("2023-08-03 09:00") }))},
		{name: "closed 8-03 12:00, after as_of → still open as of 10:00, warned",
			asOf: "2023-08-03 10:00", rule: "events.yellow",
			change: all(e1, warnEdit("E1", func(e *gs.Event) { e.ClosedAt = ts("2023-08-03 12:00") })),
			want:   []string{"2023-08-03 5 08-03 17:00 [E1]"}},
		{name: "a card given by the platform → no warning",
			asOf: "2023-08-03 10:00", rule: "events.yellow",
			change: all(e1, warnEdit("E1", func(e *gs.Event) { e.Card = gs.CardYellow }))},
		{name: "a reported event carries no card → no warning",
			asOf: "2023-08-03 10:00", rule: "events.yellow",
			change: all(e1, warnEdit("E1", func(e *gs.Event) { e.Flow = gs.FlowReported }))},
		{name: "an assigned event → warned",
			asOf: "2023-08-03 10:00", rule: "events.yellow",
			change: all(e1, warnEdit("E1", func(e *gs.Event) { e.Flow = gs.FlowAssigned })),
			want:   []string{"2023-08-03 5 08-03 17:00 [E1]"}},
		{name: "an event entered after as_of → no warning",
			asOf: "2023-08-01 08:59", rule: "events.yellow",
			change: warnEvent("E1", "2023-08-01 09:00", "2023-08-01 09:30")},
		{name: "a deadline in the next quarter → no warning",
			asOf: "2023-09-30 20:00", rule: "events.yellow",
			change: warnEvent("E1", "2023-09-28 09:00", "2023-10-01 09:00")},
		{name: "as of 8-03 17:01, overdue → red warning, 5 more points (10 − 5), due 8-06 01:00, after today's patrol",
			asOf: "2023-08-03 17:01", rule: "", change: e1,
			want: []string{
				"discipline.patrol 2023-08-03 3 08-04 00:00 [W1-P2023-08-03-am]",
				"events.red 2023-08-03 5 08-06 01:00 [E1] | 事件 E1 已超时（黄牌），8月6日 01:00 前仍未办结将升级为红牌",
				"events.quota 2023-08 55 09-01 00:00 [E1]",
			}},
		{name: "as of 8-06 01:00, overdue exactly its limit: not red yet → red warning",
			asOf: "2023-08-06 01:00", rule: "events.red", change: e1,
			want: []string{"2023-08-03 5 08-06 01:00 [E1]"}},
		{name: "as of 8-06 01:01 the card is red → nothing left to warn",
			asOf: "2023-08-06 01:01", rule: "events.red", change: e1},
		{name: "with red_factor 3, red after twice the limit over → due 8-08 09:00",
			asOf: "2023-08-04 10:00", rule: "events.red", change: e1, scheme: func(s *gs.Scheme) { s.RedFactor = 300 },
			want: []string{"2023-08-03 5 08-08 09:00 [E1]"}},
	})
}

// warnPerson adds to the register a person of grid G1 entered at entered.
func warnPerson(id, name, entered string) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Register = append(r.Register, gs.Person{PersonID: id, Name: name, Category: gs.CategoryDrug, GridCode: "G1", EnteredAt: ts(entered)})
	}
}

// warnVisit adds a visit to person id at at, by W1.
func warnVisit(id, at string) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Visits = append(r.Visits, gs.Visit{ID: "V-" + id + "-" + at, PersonID: id, WorkerID: "W1", VisitedAt: ts(at)})
	}
}

func TestWarnVisits(t *testing.T) {
	p1 := warnPerson("P1", "王五", "2023-07-01 00:00")
	runWarnCases(t, []warnCase{
		{name: "as of 8-15, a person on the register since July not yet visited in August → 5 points due 8-29 00:00, named masked",
			asOf: "2023-08-15 09:00", rule: "key.visits", change: p1,
			want: []string{"2023-08 5 08-29 00:00 [P1] | 8月28日前还需走访：王*（P1）"}},
		{name: "visited 8-10 → no warning",
			asOf: "2023-08-15 09:00", rule: "key.visits", change: all(p1, warnVisit("P1", "2023-08-10 10:00"))},
		{name: "visited 7-31 23:59, in July → still needs August's visit",
			asOf: "2023-08-15 09:00", rule: "key.visits", change: all(p1, warnVisit("P1", "2023-07-31 23:59")),
			want: []string{"2023-08 5 08-29 00:00 [P1]"}},
		{name: "a visit planned 8-20, after as_of, does not count yet",
			asOf: "2023-08-15 09:00", rule: "key.visits", change: all(p1, warnVisit("P1", "2023-08-20 10:00")),
			want: []string{"2023-08 5 08-29 00:00 [P1]"}},
		{name: "two persons lacking → one warning of 5 naming both; a person without a name by id",
			asOf: "2023-08-15 09:00", rule: "key.visits", change: all(p1, warnPerson("P0", "", "2023-06-01 10:00")),
			want: []string{"2023-08 5 08-29 00:00 [P0 P1] | 8月28日前还需走访：P0、王*（P1）"}},
		{name: "as of 8-28 23:59 the 28th is not over → warned",
			asOf: "2023-08-28 23:59", rule: "key.visits", change: p1,
			want: []string{"2023-08 5 08-29 00:00 [P1]"}},
		{name: "as of 8-29 00:00 the 28th is over → no warning (September's come later)",
			asOf: "2023-08-29 00:00", rule: "key.visits", change: p1},
		{name: "as of 9-01 00:00 → September's visit is at risk, due 9-29",
			asOf: "2023-09-01 00:00", rule: "key.visits", change: p1,
			want: []string{"2023-09 5 09-29 00:00 [P1]"}},
		{name: "entered 8-01 00:00, not before the 1st → needs no visit in August",
			asOf: "2023-08-15 09:00", rule: "key.visits", change: warnPerson("P1", "王五", "2023-08-01 00:00")},
		{name: "left the register 8-20, before the 28th → needs no visit",
			asOf: "2023-08-15 09:00", rule: "key.visits",
			change: all(p1, func(r *gs.Records) { r.Register[0].LeftAt = ts("2023-08-20 10:00") })},
		{name: "left the register on the 28th → still needs the visit",
			asOf: "2023-08-15 09:00", rule: "key.visits",
			change: all(p1, func(r *gs.Records) { r.Register[0].LeftAt = ts("2023-08-28 10:00") }),
			want:   []string{"2023-08 5 08-29 00:00 [P1]"}},
		{name: "on leave from the 1st to the 28th → no duty day, no warning",
			asOf: "2023-08-15 09:00", rule: "key.visits", change: all(p1, warnLeave("2023-08-01", "2023-08-28"))},
		{name: "a person of another grid → not W1's",
			asOf: "2023-08-15 09:00", rule: "key.visits",
			change: all(p1, func(r *gs.Records) { r.Register[0].GridCode = "G2" })},
		{name: "W1 left the post 8-14: not responsible for the grid on 8-15 → no warning",
			asOf: "2023-08-15 09:00", rule: "key.visits",
			change: all(p1, func(r *gs.Records) { r.Workers[0].LeftOn = day("2023-08-14") })},
	})
}

// warnRoster adds a roster row of grid G1 for person id listed on listed.
func warnRoster(id, listed string) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Rosters = append(r.Rosters, gs.RosterRow{PersonID: id, Category: gs.CategoryCorrection, GridCode: "G1", ListedOn: day(listed), Department: "司法所"})
	}
}

func TestWarnMissingEntry(t *testing.T) {
	r9 := warnRoster("P9", "2023-08-10")
	runWarnCases(t, []warnCase{
		{name: "as of 8-15, listed 8-10 (due 8-17) and not on the register → 3 points due 8-18 00:00",
			asOf: "2023-08-15 09:00", rule: "key.missing_entry", change: r9,
			want: []string{"2023-08-17 3 08-18 00:00 [P9] | 8月17日前须将司法所名单人员 P9（社区矫正人员）录入特殊人群登记"}},
		{name: "entered 8-14 → no warning",
			asOf: "2023-08-15 09:00", rule: "key.missing_entry", change: all(r9, warnPerson("P9", "赵六", "2023-08-14 10:00"))},
		{name: "entered 8-16, after as_of → still warned",
			asOf: "2023-08-15 09:00", rule: "key.missing_entry", change: all(r9, warnPerson("P9", "赵六", "2023-08-16 10:00")),
			want: []string{"2023-08-17 3 08-18 00:00 [P9]"}},
		{name: "listed 8-16, after date(as_of) → not known yet, no warning",
			asOf: "2023-08-15 09:00", rule: "key.missing_entry", change: warnRoster("P9", "2023-08-16")},
		{name: "listed on date(as_of) → warned",
			asOf: "2023-08-15 09:00", rule: "key.missing_entry", change: warnRoster("P9", "2023-08-15"),
			want: []string{"2023-08-22 3 08-23 00:00 [P9]"}},
		{name: "as of 8-17 23:59, the due date is not over → warned",
			asOf: "2023-08-17 23:59", rule: "key.missing_entry", change: r9,
			want: []string{"2023-08-17 3 08-18 00:00 [P9]"}},
		{name: "as of 8-18 00:00 the due date is over → no warning",
			asOf: "2023-08-18 00:00", rule: "key.missing_entry", change: r9},
		{name: "listed 9-28, due 10-05 outside the quarter → no warning",
			asOf: "2023-09-29 09:00", rule: "key.missing_entry", change: warnRoster("P9", "2023-09-28")},
		{name: "two rows → one warning each",
			asOf: "2023-08-15 09:00", rule: "key.missing_entry", change: all(r9, warnRoster("P8", "2023-08-09")),
			want: []string{"2023-08-16 3 08-17 00:00 [P8]", "2023-08-17 3 08-18 00:00 [P9]"}},
	})
}

func TestWarnLoginAndPatrol(t *testing.T) {
	runWarnCases(t, []warnCase{
		{name: "as of 8-15 08:00 before the day's login → login warning 3, due 8-16 00:00",
			asOf: "2023-08-15 08:00", rule: "discipline.login",
			want: []string{"2023-08-15 3 08-16 00:00 [] | 今天还需登录网格E通"}},
		{name: "as of 8-15 08:01, logged in at 08:01 → none",
			asOf: "2023-08-15 08:01", rule: "discipline.login"},
		{name: "a stationed full-time worker without a pc login → 3 for pc",
			asOf: "2023-08-15 09:00", rule: "discipline.login", change: func(r *gs.Records) { r.Workers[0].Stationed = true },
			want: []string{"2023-08-15 3 08-16 00:00 [] | 今天还需登录PC端"}},
		{name: "as of 00:00, stationed: both channels → 6",
			asOf: "2023-08-15 00:00", rule: "discipline.login", change: func(r *gs.Records) { r.Workers[0].Stationed = true },
			want: []string{"2023-08-15 6 08-16 00:00 [] | 今天还需登录网格E通和PC端"}},
		{name: "a Saturday is no duty day → none",
			asOf: "2023-08-19 09:00", rule: "discipline.login", change: dropLogin("2023-08-19", gs.ChannelApp)},
		{name: "on leave today → none",
			asOf: "2023-08-15 07:00", rule: "discipline.login", change: warnLeave("2023-08-15", "2023-08-15")},
		{name: "as of 8-15 09:00, no patrol ended yet → 2 missing, 6 points due 8-16 00:00",
			asOf: "2023-08-15 09:00", rule: "discipline.patrol",
			want: []string{"2023-08-15 6 08-16 00:00 [] | 今天还需巡查 2 次（每次不少于3小时）"}},
		{name: "as of 11:30 the morning patrol (3 h 30) has ended → 1 missing, 3 points",
			asOf: "2023-08-15 11:30", rule: "discipline.patrol",
			want: []string{"2023-08-15 3 08-16 00:00 [W1-P2023-08-15-am] | 今天还需巡查 1 次（已巡查 3小时30分）"}},
		{name: "as of 17:30 both patrols ended → none",
			asOf: "2023-08-15 17:30", rule: "discipline.patrol"},
		{name: "two touching patrols 08:00–09:30 and 09:30–11:00 merge into one of 3 h → 1 missing",
			asOf: "2023-08-15 12:00", rule: "discipline.patrol",
			change: setPatrols("2023-08-15", [2]string{"08:00", "2023-08-15 09:30"}, [2]string{"09:30", "2023-08-15 11:00"}),
			want:   []string{"2023-08-15 3 08-16 00:00 [2023-08-15-xa 2023-08-15-xb]"}},
		{name: "a patrol of 2 h 59 does not count → 2 missing (already 2 h 59)",
			asOf: "2023-08-15 12:00", rule: "discipline.patrol",
			change: setPatrols("2023-08-15", [2]string{"08:00", "2023-08-15 10:59"}),
			want:   []string{"2023-08-15 6 08-16 00:00 [2023-08-15-xa] | 今天还需巡查 2 次（已巡查 2小时59分）"}},
		{name: "a patrol with no end is ignored",
			asOf: "2023-08-15 12:00", rule: "discipline.patrol",
			change: setPatrols("2023-08-15", [2]string{"08:00", ""}),
			want:   []string{"2023-08-15 6 08-16 00:00 []"}},
		{name: "a part-time worker under a scheme where only full-time workers patrol → none",
			asOf: "2023-08-15 09:00", rule: "discipline.patrol", change: func(r *gs.Records) { r.Workers[0].Type = gs.PartTime },
			scheme: func(s *gs.Scheme) { s.PatrolAppliesTo = []gs.WorkerType{gs.FullTime} }},
	})
}

func TestWarningsOrderAndPresence(t *testing.T) {
	runWarnCases(t, []warnCase{
		{name: "ordered by due: the event's yellow card, login and patrol today, the roster row, the visit, the month's quota (55: E1 is August's)",
			asOf: "2023-08-03 00:30",
			change: all(warnEvent("E1", "2023-08-01 09:00", "2023-08-03 17:00"), warnPerson("P1", "王五", "2023-07-01 00:00"),
				warnRoster("P9", "2023-08-02")),
			want: []string{
				"events.yellow 2023-08-03 5 08-03 17:00 [E1]",
				"discipline.login 2023-08-03 3 08-04 00:00 []",
				"discipline.patrol 2023-08-03 6 08-04 00:00 []",
				"key.missing_entry 2023-08-09 3 08-10 00:00 [P9]",
				"key.visits 2023-08 5 08-29 00:00 [P1]",
				"events.quota 2023-08 55 09-01 00:00 [E1]",
			}},
		{name: "as of 9-30 23:59 (a holiday, 28th over, quota met) → an empty list",
			asOf: "2023-09-30 23:59"},
		{name: "with events.yellow worth 0 points, nothing is at risk → not listed",
			asOf: "2023-08-03 10:00", rule: "events.yellow", change: warnEvent("E1", "2023-08-01 09:00", "2023-08-03 17:00"),
			scheme: func(s *gs.Scheme) { s.Points[gs.RuleEventsYellow] = 0 }},
	})
}

func TestWarningsOnlyInsideTheQuarter(t *testing.T) {
	r := perfectTown("2023Q3")
	r.Workers = append(r.Workers, gs.Worker{ID: "W2", Name: "李四", Type: gs.FullTime, GridCode: "G2", HiredOn: day("2023-08-01")})
	for _, c := range []struct {
		asOf     string
		warnings bool
	}{
		{"2023-07-01 00:00", true},
		{"2023-08-15 09:00", true},
		{"2023-09-30 23:59", true},
		{"2023-10-01 00:00", false},
		{"2023-10-08 09:00", false},
	} {
		res := assess(t, r, "2023Q3", c.asOf)
		if w := worker(t, res, "W1"); (w.Warnings != nil) != c.warnings {
			t.Errorf("as of %s: W1 has warnings %v, want %v", c.asOf, w.Warnings != nil, c.warnings)
		}
		if w := worker(t, res, "W2"); w.Eligible || w.Warnings != nil {
			t.Errorf("as of %s: W2, hired 8-01 and not assessed, has warnings", c.asOf)
		}
		var b bytes.Buffer
		if err := json.NewEncoder(&b).Encode(res); err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(b.String(), `"warnings":`); got != map[bool]int{true: 1, false: 0}[c.warnings] {
			t.Errorf("as of %s: %d \"warnings\" keys in the JSON, want one for W1 only (or none after the quarter)", c.asOf, got)
		}
	}
}
