package calendar_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
)

// date is a short way to write a date in a table row.
func date(y int, m time.Month, d int) gridscore.Date { return gridscore.NewDate(y, m, d) }

func TestIsWorkdayOfficial(t *testing.T) {
	t.Parallel()
	c := calendar.New(nil)
	tests := []struct {
		name string
		date gridscore.Date
		want bool
	}{
		{"2023 Mid-Autumn: Friday 2023-09-29 is off", date(2023, 9, 29), false},
		{"2023 National Day: Sunday 2023-10-01 is off", date(2023, 10, 1), false},
		{"2023 National Day: Monday 2023-10-02 is off", date(2023, 10, 2), false},
		{"2023 National Day: Tuesday 2023-10-03 is off", date(2023, 10, 3), false},
		{"2023 National Day: Wednesday 2023-10-04 is off", date(2023, 10, 4), false},
		{"2023 National Day: Thursday 2023-10-05 is off", date(2023, 10, 5), false},
		{"2023 National Day: Friday 2023-10-06 is off", date(2023, 10, 6), false},
		{"2023 National Day swap: Saturday 2023-10-07 is a workday", date(2023, 10, 7), true},
		{"2023 National Day swap: Sunday 2023-10-08 is a workday", date(2023, 10, 8), true},
		{"ordinary Monday 2023-10-09 is a workday", date(2023, 10, 9), true},
		{"2024 Spring Festival swap: Sunday 2024-02-04 is a workday", date(2024, 2, 4), true},
		{"2024 Spring Festival: Saturday 2024-02-10 is off", date(2024, 2, 10), false},
		{"2024 Spring Festival: Monday 2024-02-12 is off", date(2024, 2, 12), false},
		{"2024 Spring Festival: Friday 2024-02-16 is off", date(2024, 2, 16), false},
		{"2024 Spring Festival: Saturday 2024-02-17 is off", date(2024, 2, 17), false},
		{"2024 Spring Festival swap: Sunday 2024-02-18 is a workday", date(2024, 2, 18), true},
		{"ordinary Saturday 2023-07-15 is off", date(2023, 7, 15), false},
		{"ordinary Sunday 2023-07-16 is off", date(2023, 7, 16), false},
		{"ordinary Wednesday 2023-07-12 is a workday", date(2023, 7, 12), true},
		{"New Year 2024 observed on Saturday 2023-12-30 (from the 2024 notice) is off", date(2023, 12, 30), false},
		{"2026 Spring Festival: Monday 2026-02-16 is off", date(2026, 2, 16), false},
		{"2026 Spring Festival swap: Saturday 2026-02-28 is a workday", date(2026, 2, 28), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.IsWorkday("", tt.date); got != tt.want {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	c := calendar.New([]gridscore.CalendarDay{
		{Date: date(2023, 7, 11), Kind: gridscore.DayHoliday, Name: "镇防汛停工"},
		{Date: date(2023, 7, 15), Kind: gridscore.DayWorkday, Name: "集中整治"},
		{Date: date(2023, 10, 3), Kind: gridscore.DayWorkday},
		{Date: date(2023, 10, 8), Kind: gridscore.DayHoliday, Name: "补休"},
	})
	tests := []struct {
		name    string
		date    gridscore.Date
		workday bool
		holiday string
	}{
		{"override makes Tuesday 2023-07-11 a holiday", date(2023, 7, 11), false, "镇防汛停工"},
		{"override makes Saturday 2023-07-15 a workday", date(2023, 7, 15), true, "集中整治"},
		{"override turns official holiday 2023-10-03 into a workday, keeping the official name", date(2023, 10, 3), true, "国庆节"},
		{"override turns official swap workday 2023-10-08 into a holiday", date(2023, 10, 8), false, "补休"},
		{"a day without override keeps the official answer", date(2023, 10, 4), false, "国庆节"},
		{"an ordinary day has no name", date(2023, 7, 12), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.IsWorkday("", tt.date); got != tt.workday {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.workday)
			}
			if got := c.HolidayName("", tt.date); got != tt.holiday {
				t.Errorf("HolidayName(%s) = %q, want %q", tt.date, got, tt.holiday)
			}
		})
	}

	// Overrides belong to the calendar they were given to, not to others.
	if plain := calendar.New(nil); !plain.IsWorkday("", date(2023, 7, 11)) {
		t.Error("an override leaked into a calendar built without it")
	}
}

// TestTownsAndDistrict: the district's days hold for every town, a town's
// own day of the same date beats the district's, and a town's days hold
// for that town alone (RULES.md §0).
func TestTownsAndDistrict(t *testing.T) {
	t.Parallel()
	c := calendar.New([]gridscore.CalendarDay{
		{Date: date(2023, 8, 12), Kind: gridscore.DayWorkday, Name: "全区防汛值班"},
		{Date: date(2023, 8, 12), Kind: gridscore.DayHoliday, Name: "本镇补休", Town: "青山镇"},
		{Date: date(2023, 9, 28), Kind: gridscore.DayHoliday, Name: "白石镇停电", Town: "白石镇"},
		{Date: date(2023, 9, 29), Kind: gridscore.DayWorkday, Town: "白石镇"},
	})
	tests := []struct {
		name    string
		town    string
		date    gridscore.Date
		workday bool
		holiday string
	}{
		{"the district's Saturday holds for the district", "", date(2023, 8, 12), true, "全区防汛值班"},
		{"the district's Saturday holds for a town without a day of its own", "白石镇", date(2023, 8, 12), true, "全区防汛值班"},
		{"a town's own day beats the district's", "青山镇", date(2023, 8, 12), false, "本镇补休"},
		{"a town's day off holds for that town", "白石镇", date(2023, 9, 28), false, "白石镇停电"},
		{"a town's day off does not hold for another town", "青山镇", date(2023, 9, 28), true, ""},
		{"a town's day off does not hold for the district", "", date(2023, 9, 28), true, ""},
		{"a town's workday beats the official holiday for that town, keeping its name", "白石镇", date(2023, 9, 29), true, "中秋节"},
		{"the official holiday holds for the other towns", "青山镇", date(2023, 9, 29), false, "中秋节"},
		{"a town the calendar knows nothing of has the district's days", "黄土镇", date(2023, 8, 12), true, "全区防汛值班"},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(tt.town, tt.date); got != tt.workday {
			t.Errorf("%s: IsWorkday(%q, %s) = %v, want %v", tt.name, tt.town, tt.date, got, tt.workday)
		}
		if got := c.HolidayName(tt.town, tt.date); got != tt.holiday {
			t.Errorf("%s: HolidayName(%q, %s) = %q, want %q", tt.name, tt.town, tt.date, got, tt.holiday)
		}
	}
	// August 2023 has 23 weekdays: the district's Saturday adds one to
	// every town but 青山镇, whose own day keeps it off.
	for town, want := range map[string]int{"": 24, "白石镇": 24, "青山镇": 23} {
		if got := c.Workdays(town, date(2023, 8, 1), date(2023, 8, 31)); got != want {
			t.Errorf("Workdays(%q, 2023-08) = %d, want %d", town, got, want)
		}
	}
}

func TestHasOfficial(t *testing.T) {
	t.Parallel()
	c := calendar.New(nil)
	tests := []struct {
		year int
		want bool
	}{
		{2001, false}, // lunar-go only knows 2001-12-29/30, swap days of New Year 2002
		{2002, true},
		{2022, true},
		{2023, true},
		{2024, true},
		{2025, true},
		{2026, true},
		{2027, true},
		{2028, false},
		{2035, false},
	}
	for _, tt := range tests {
		if got := c.HasOfficial(tt.year); got != tt.want {
			t.Errorf("HasOfficial(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestFallbackWithoutOfficialData(t *testing.T) {
	t.Parallel()
	c := calendar.New([]gridscore.CalendarDay{
		{Date: date(2035, 10, 2), Kind: gridscore.DayHoliday, Name: "国庆节"},
	})
	tests := []struct {
		name string
		date gridscore.Date
		want bool
	}{
		{"2035 has no data: New Year's Day, a Monday, falls back to a workday", date(2035, 1, 1), true},
		{"2035 has no data: National Day, a Monday, falls back to a workday", date(2035, 10, 1), true},
		{"2035 has no data: an override still applies", date(2035, 10, 2), false},
		{"2035 has no data: Saturday is off", date(2035, 10, 6), false},
		{"2035 has no data: Sunday is off", date(2035, 10, 7), false},
	}
	for _, tt := range tests {
		if got := c.IsWorkday("", tt.date); got != tt.want {
			t.Errorf("%s: IsWorkday(%s) = %v, want %v", tt.name, tt.date, got, tt.want)
		}
	}
	if c.HolidayName("", date(2035, 10, 1)) != "" {
		t.Error("a fallback year should have no holiday names")
	}
	// October 2035: 23 weekdays, one of them made a holiday by the override.
	if got := c.Workdays("", date(2035, 10, 1), date(2035, 10, 31)); got != 22 {
		t.Errorf("Workdays(2035-10) = %d, want 22", got)
	}
}

func TestWorkdays(t *testing.T) {
	t.Parallel()
	c := calendar.New(nil)
	tests := []struct {
		name     string
		from, to gridscore.Date
		want     int
	}{
		{"July 2023 has no holidays: 21 weekdays", date(2023, 7, 1), date(2023, 7, 31), 21},
		{"August 2023: 23 weekdays", date(2023, 8, 1), date(2023, 8, 31), 23},
		{"September 2023: 21 weekdays less Mid-Autumn on Friday 29th", date(2023, 9, 1), date(2023, 9, 30), 20},
		{"October 2023: 22 weekdays less 2–6 off plus Saturday 7th and Sunday 8th", date(2023, 10, 1), date(2023, 10, 31), 19},
		{"February 2024: 21 weekdays less 12–16 off plus Sundays 4th and 18th", date(2024, 2, 1), date(2024, 2, 29), 18},
		{"one workday", date(2023, 7, 12), date(2023, 7, 12), 1},
		{"one day off", date(2023, 7, 15), date(2023, 7, 15), 0},
		{"an empty range", date(2023, 7, 31), date(2023, 7, 1), 0},
	}
	for _, tt := range tests {
		if got := c.Workdays("", tt.from, tt.to); got != tt.want {
			t.Errorf("%s: Workdays(%s, %s) = %d, want %d", tt.name, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestHolidayName(t *testing.T) {
	t.Parallel()
	c := calendar.New(nil)
	tests := []struct {
		date gridscore.Date
		want string
	}{
		{date(2023, 10, 1), "国庆节"},
		{date(2023, 9, 29), "中秋节"},
		{date(2024, 2, 12), "春节"},
		{date(2024, 2, 4), "春节"}, // the swap workday belongs to the Spring Festival
		{date(2023, 7, 12), ""},
	}
	for _, tt := range tests {
		if got := c.HolidayName("", tt.date); got != tt.want {
			t.Errorf("HolidayName(%s) = %q, want %q", tt.date, got, tt.want)
		}
	}
}

// TestConcurrentReads checks that one calendar answers many goroutines at
// once; run with -race to make it meaningful.
func TestConcurrentReads(t *testing.T) {
	t.Parallel()
	c := calendar.New([]gridscore.CalendarDay{{Date: date(2023, 7, 11), Kind: gridscore.DayHoliday}})
	var wg sync.WaitGroup
	counts := make([]int, 8)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i] = c.Workdays("", date(2023, 7, 1), date(2023, 9, 30))
		}()
	}
	wg.Wait()
	for i, n := range counts {
		if n != 21-1+23+20 {
			t.Errorf("goroutine %d counted %d workdays in 2023Q3, want 63", i, n)
		}
	}
}

func BenchmarkIsWorkday(b *testing.B) {
	c := calendar.New(nil)
	from := date(2023, 7, 1)
	for i := 0; b.Loop(); i++ {
		c.IsWorkday("", from+gridscore.Date(i%92))
	}
}
