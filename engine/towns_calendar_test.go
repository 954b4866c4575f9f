package engine_test

import (
	"testing"

	gs "github.com/gridscore/gridscore"
)

// TestTownCalendars: each worker is judged by the calendar of their grid's
// town (RULES.md §0): the district's days hold for every town, a town's own
// day for its workers alone, and it beats the district's day of the same
// date. Two perfect workers, W1 of XX镇 and W2 of YY镇, log in and patrol
// on the official workdays only: a Saturday made a workday costs the
// workers it holds for their login and patrols of that day.
func TestTownCalendars(t *testing.T) {
	t.Parallel()
	saturday := day("2023-08-12")
	district := gs.CalendarDay{Date: saturday, Kind: gs.DayWorkday, Name: "全区防汛值班"}
	tests := []struct {
		name   string
		days   []gs.CalendarDay
		w1, w2 string // totals ("" = below 100)
		// lose1, lose2: the Saturday is a duty day the worker missed.
		lose1, lose2 bool
	}{
		{"no days of the centers: both perfect", nil, "100", "100", false, false},
		{"XX镇's own Saturday holds for XX镇's worker alone",
			[]gs.CalendarDay{{Date: saturday, Kind: gs.DayWorkday, Town: "XX镇"}}, "", "100", true, false},
		{"the district's Saturday holds for every town", []gs.CalendarDay{district}, "", "", true, true},
		{"XX镇's own holiday beats the district's Saturday for XX镇 alone",
			[]gs.CalendarDay{district, {Date: saturday, Kind: gs.DayHoliday, Name: "本镇不值班", Town: "XX镇"}}, "100", "", false, true},
		{"a day of a town without workers changes nobody's",
			[]gs.CalendarDay{{Date: saturday, Kind: gs.DayWorkday, Town: "ZZ镇"}}, "100", "100", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &gs.Records{
				Grids: []gs.Grid{{Code: "G1", Name: "一网格", Town: "XX镇"}, {Code: "G2", Name: "二网格", Town: "YY镇"}},
				Workers: []gs.Worker{
					{ID: "W1", Name: "张三", Type: gs.FullTime, GridCode: "G1", HiredOn: day("2020-01-01")},
					{ID: "W2", Name: "李四", Type: gs.FullTime, GridCode: "G2", HiredOn: day("2020-01-01")},
				},
				Calendar: tt.days,
			}
			addPerfectWork(r, "W1", "2023Q3", nil)
			addPerfectWork(r, "W2", "2023Q3", nil)
			res := assess(t, r, "2023Q3", "2023-10-08 09:00")
			for _, c := range []struct {
				id, total string
				lose      bool
			}{{"W1", tt.w1, tt.lose1}, {"W2", tt.w2, tt.lose2}} {
				w := worker(t, res, c.id)
				d := deducted(w)
				switch {
				case w.Total == nil:
					t.Fatalf("%s: not assessed", c.id)
				case c.total == "" && *w.Total >= pts("100"):
					t.Errorf("%s: total %s, want less than 100", c.id, w.Total)
				case c.total != "" && *w.Total != pts(c.total):
					t.Errorf("%s: total %s, want %s (deductions %v)", c.id, w.Total, c.total, d)
				}
				lost := d[gs.RuleDisciplineLogin] > 0 && d[gs.RuleDisciplinePatrol] > 0
				if lost != c.lose {
					t.Errorf("%s: login %s and patrol %s deducted; want deductions for %s: %v", c.id,
						d[gs.RuleDisciplineLogin], d[gs.RuleDisciplinePatrol], saturday, c.lose)
				}
			}
		})
	}
}
