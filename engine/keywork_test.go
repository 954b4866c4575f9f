package engine_test

import (
	"testing"

	gs "github.com/gridscore/gridscore"
)

// The tests of the key-work rules key.missing_entry (a person of a
// department's roster not entered on the register in time) and key.visits
// (monthly visits), with the changes they make to a perfect quarter.

// roster lists person on a department's roster for grid on date listed.
func roster(person, grid, listed string) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Rosters = append(r.Rosters, gs.RosterRow{PersonID: person, Category: gs.CategoryDrug, GridCode: grid, ListedOn: day(listed), Department: "派出所"})
	}
}

// person enters a person of the register in grid, left again when left
// is not empty.
func person(id, grid, entered string, left string) func(r *gs.Records) {
	return func(r *gs.Records) {
		p := gs.Person{PersonID: id, Category: gs.CategoryMental, GridCode: grid, EnteredAt: ts(entered)}
		if left != "" {
			p.LeftAt = ts(left)
		}
		r.Register = append(r.Register, p)
	}
}

// visit records W1's visit id to personID at the given time.
func visit(id, personID, at string) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Visits = append(r.Visits, gs.Visit{ID: id, PersonID: personID, WorkerID: "W1", VisitedAt: ts(at)})
	}
}

// visitedEveryMonth visits person p on the 10th of each month of 2023Q3.
func visitedEveryMonth(p string) func(r *gs.Records) {
	return all(visit(p+"-7", p, "2023-07-10 10:00"), visit(p+"-8", p, "2023-08-10 10:00"), visit(p+"-9", p, "2023-09-10 10:00"))
}

func TestKeyWorkRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "roster row listed July 1, due July 8, entered 23:59 on July 8 → in time",
			change: all(roster("P1", "G1", "2023-07-01"), person("P1", "G1", "2023-07-08 23:59", ""), visit("V8", "P1", "2023-08-10 10:00"), visit("V9", "P1", "2023-09-10 10:00"))},
		{name: "entered at 00:00 on July 9 → −3",
			change: all(roster("P1", "G1", "2023-07-01"), person("P1", "G1", "2023-07-09 00:00", ""), visit("V8", "P1", "2023-08-10 10:00"), visit("V9", "P1", "2023-09-10 10:00")),
			want:   map[gs.RuleID]string{"key.missing_entry": "3"}},
		{name: "never entered → −3", change: roster("P1", "G1", "2023-07-01"),
			want: map[gs.RuleID]string{"key.missing_entry": "3"}},
		{name: "roster row due on the last day of the quarter (listed Sep 23) → −3", change: roster("P1", "G1", "2023-09-23"),
			want: map[gs.RuleID]string{"key.missing_entry": "3"}},
		{name: "roster row due Oct 1 (listed Sep 24) → next quarter's", change: roster("P1", "G1", "2023-09-24")},
		{name: "roster row due in the quarter but listed in June (June 25 → July 2) → −3", change: roster("P1", "G1", "2023-06-25"),
			want: map[gs.RuleID]string{"key.missing_entry": "3"}},
		{name: "another grid's roster row costs W1 nothing", change: roster("P1", "G2", "2023-07-01")},
		{name: "visited on the 10th of every month → 0", change: all(person("P1", "G1", "2023-06-15 10:00", ""), visitedEveryMonth("P1"))},
		{name: "no visits at all → −5 for each month", change: person("P1", "G1", "2023-06-15 10:00", ""),
			want: map[gs.RuleID]string{"key.visits": "15"}},
		{name: "a visit at 23:59 on July 28 counts",
			change: all(person("P1", "G1", "2023-06-15 10:00", ""), visit("a", "P1", "2023-07-28 23:59"), visit("b", "P1", "2023-08-10 10:00"), visit("c", "P1", "2023-09-10 10:00"))},
		{name: "a visit at 00:00 on July 29 is too late → −5",
			change: all(person("P1", "G1", "2023-06-15 10:00", ""), visit("a", "P1", "2023-07-29 00:00"), visit("b", "P1", "2023-08-10 10:00"), visit("c", "P1", "2023-09-10 10:00")),
			want:   map[gs.RuleID]string{"key.visits": "5"}},
		{name: "a visit in June does not count for July",
			change: all(person("P1", "G1", "2023-06-15 10:00", ""), visit("a", "P1", "2023-06-30 10:00"), visit("b", "P1", "2023-08-10 10:00"), visit("c", "P1", "2023-09-10 10:00")),
			want:   map[gs.RuleID]string{"key.visits": "5"}},
		{name: "entered at 00:00 on July 1 is not before July → first due in August",
			change: all(person("P1", "G1", "2023-07-01 00:00", ""), visit("b", "P1", "2023-08-10 10:00"), visit("c", "P1", "2023-09-10 10:00"))},
		{name: "left July 27 → no July visit needed, none after",
			change: person("P1", "G1", "2023-06-15 10:00", "2023-07-27 10:00")},
		{name: "left July 28 → July visit still needed → −5",
			change: person("P1", "G1", "2023-06-15 10:00", "2023-07-28 10:00"),
			want:   map[gs.RuleID]string{"key.visits": "5"}},
		{name: "two persons unvisited in one month cost once",
			change: all(person("P1", "G1", "2023-06-15 10:00", ""), person("P2", "G1", "2023-06-15 10:00", ""), visitedEveryMonth("P1"),
				visit("b", "P2", "2023-08-10 10:00"), visit("c", "P2", "2023-09-10 10:00")),
			want: map[gs.RuleID]string{"key.visits": "5"}},
		{name: "a visit by another worker counts",
			change: all(person("P1", "G1", "2023-06-15 10:00", ""), visitedEveryMonth("P1"), func(r *gs.Records) {
				for i := range r.Visits {
					r.Visits[i].WorkerID = "W9"
				}
			})},
		{name: "on leave July 1–28: no duty day by the 28th → no July deduction",
			change: all(person("P1", "G1", "2023-06-15 10:00", ""), visit("b", "P1", "2023-08-10 10:00"), visit("c", "P1", "2023-09-10 10:00"),
				func(r *gs.Records) {
					r.Leaves = append(r.Leaves, gs.Leave{WorkerID: "W1", From: day("2023-07-01"), To: day("2023-07-28")})
					setMonthEvents(r, "W1", "2023-07", 6, 1) // quota ⌈56×1/21⌉=3, ⌈8×1/21⌉=1 on July 31
				})},
		{name: "a person of another grid costs W1 nothing", change: person("P1", "G2", "2023-06-15 10:00", "")},
	})
}
