// Package calendar decides which dates are workdays (RULES.md §0): Monday to
// Friday, except official public holidays, plus the weekend days the State
// Council designates as working days (调休上班), with the centers' own
// days taking precedence: the district's for all its towns, and a town's
// own over the district's. The official data comes from lunar-go's
// HolidayUtil; a year it has no data for falls back to Monday to Friday.
package calendar

import (
	"container/list"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
	"github.com/gridscore/gridscore"
)

// day is what the calendar knows about one date beyond its weekday.
type day struct {
	work bool   // true: a workday; false: a day off
	name string // the holiday the date belongs to ("国庆节"), or ""
}

// officialData is lunar-go's holiday table turned into a map by date, with
// the set of years it covers. It is built once and never changed afterwards,
// so every Calendar can share it for concurrent reads.
type officialData struct {
	days  map[gridscore.Date]day
	years map[int]bool
}

// Years outside this range are never looked up in lunar-go; its data starts
// at 2001-12-29 and, in v1.4.7, ends with 2027.
const (
	firstYear = 2000
	lastYear  = 2100
)

// official loads lunar-go's table on first use. lunar-go keeps its data in
// package-level variables and searches a string on each call, so reading it
// once here is both faster and safe for concurrent use later.
var official = sync.OnceValue(func() *officialData {
	o := &officialData{days: make(map[gridscore.Date]day), years: make(map[int]bool)}
	for y := firstYear; y <= lastYear; y++ {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			addOfficial(o, e)
		}
	}
	return o
})

// addOfficial records one lunar-go holiday entry. An entry counts towards the
// year of the holiday it belongs to (its target): 2023-12-30 is a day off of
// New Year 2024, published in the 2024 notice, so it says nothing about
// whether the 2023 notice is known.
func addOfficial(o *officialData, e *list.Element) {
	h, ok := e.Value.(*HolidayUtil.Holiday)
	if !ok {
		return
	}
	d, err := parseYMD(h.GetDay())
	if err != nil {
		return
	}
	o.days[d] = day{work: h.IsWork(), name: h.GetName()}
	if t, err := parseYMD(h.GetTarget()); err == nil {
		o.years[t.Year()] = true
	}
}

// parseYMD reads a "2006-01-02" date as lunar-go formats it.
func parseYMD(s string) (gridscore.Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return gridscore.NewDate(t.Year(), t.Month(), t.Day()), nil
}

// Calendar answers whether a date is a workday for the workers of a town.
// It is immutable after New returns and safe for concurrent use.
type Calendar struct {
	official *officialData
	// district holds the days the district sets for all its towns (no
	// town); towns the days of each town, by town.
	district map[gridscore.Date]day
	towns    map[string]map[gridscore.Date]day
}

// New builds a calendar from the official data plus the centers' days: the
// district's (no town) and each town's own. For a town, a day of its own
// replaces the district's of the same date, which replaces the official
// answer (RULES.md §0); of two days of the same date and town the later
// one wins. Days of an unknown kind are ignored (the importer validates
// kinds).
func New(days []gridscore.CalendarDay) *Calendar {
	c := &Calendar{official: official(), district: map[gridscore.Date]day{}, towns: map[string]map[gridscore.Date]day{}}
	for _, o := range days {
		var v day
		switch o.Kind {
		case gridscore.DayHoliday:
			v = day{work: false, name: o.Name}
		case gridscore.DayWorkday:
			v = day{work: true, name: o.Name}
		default:
			continue
		}
		m := c.district
		if o.Town != "" {
			if m = c.towns[o.Town]; m == nil {
				m = map[gridscore.Date]day{}
				c.towns[o.Town] = m
			}
		}
		m[o.Date] = v
	}
	return c
}

// override returns the centers' day of date d for town: the town's own
// (none for town ""), else the district's.
func (c *Calendar) override(town string, d gridscore.Date) (day, bool) {
	if town != "" {
		if o, ok := c.towns[town][d]; ok {
			return o, true
		}
	}
	o, ok := c.district[d]
	return o, ok
}

// IsWorkday reports whether d is a workday for the workers of town: the
// town's own day if there is one, else the district's, else the official
// arrangement, else Monday to Friday. Town "" asks for the district's
// calendar alone (what holds for every town without days of its own).
func (c *Calendar) IsWorkday(town string, d gridscore.Date) bool {
	if o, ok := c.override(town, d); ok {
		return o.work
	}
	if o, ok := c.official.days[d]; ok {
		return o.work
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// HasOfficial reports whether lunar-go has official holiday data for the
// year. When it does not, the year's workdays are Monday to Friday plus the
// centers' days, and the CLI warns about it. A year counts as covered
// when lunar-go knows at least one holiday of that year's notice.
func (c *Calendar) HasOfficial(year int) bool { return c.official.years[year] }

// Workdays counts the workdays of town in [from, to] inclusive; 0 when to
// is before from.
func (c *Calendar) Workdays(town string, from, to gridscore.Date) int {
	n := 0
	for d := from; d <= to; d++ {
		if c.IsWorkday(town, d) {
			n++
		}
	}
	return n
}

// HolidayName returns the official or the centers' name for a date of
// town ("国庆节"), or "". The name of the centers' day that holds for the
// town, when given, replaces the official one. For an adjusted workday
// (调休上班) the name is that of the holiday the swap belongs to, so callers
// that need to tell the two apart also ask IsWorkday.
func (c *Calendar) HolidayName(town string, d gridscore.Date) string {
	if o, ok := c.override(town, d); ok && o.name != "" {
		return o.name
	}
	return c.official.days[d].name
}
