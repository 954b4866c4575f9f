package gridscore

import (
	"fmt"
	"time"
)

// CST is China Standard Time (UTC+8, no daylight saving). Every timestamp the
// product reads or prints is in this zone; a timestamp without a zone is CST.
var CST = time.FixedZone("CST", 8*3600)

// Date is a calendar date (in CST) counted in days, so that dates compare with
// < and <= and serve as map keys. The zero Date means "no date" (an empty
// left_on, say); valid dates are never zero.
type Date int32

// epochOffset is the number of days from 0001-01-01 to 1970-01-01, plus one so
// that 0001-01-01 is Date(1) and the zero value stays free for "no date".
const epochOffset = 719162 + 1

// NewDate returns the Date for year y, month m, day d. Out-of-range days
// normalise as time.Date does (2023-02-30 is 2023-03-02).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(t.Unix()/86400 + epochOffset)
}

// DateOf returns the CST date of the instant t.
func DateOf(t time.Time) Date {
	// CST has a fixed offset and no leap seconds in Unix time, so the date is
	// plain integer arithmetic on the seconds.
	s := t.Unix() + 8*3600
	days := s / 86400
	if s%86400 < 0 {
		days--
	}
	return Date(days + epochOffset)
}

// IsZero reports whether d is the "no date" value.
func (d Date) IsZero() bool { return d == 0 }

// utc returns midnight of d as a UTC time, for calendar arithmetic only.
func (d Date) utc() time.Time { return time.Unix(int64(d-epochOffset)*86400, 0).UTC() }

// Start returns the instant at which d begins in CST (00:00:00).
func (d Date) Start() time.Time {
	y, m, dd := d.utc().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, CST)
}

// End returns the first instant after d (the next day's 00:00 CST); an instant
// t is "on or before the end of d" when t.Before(d.End()).
func (d Date) End() time.Time { return (d + 1).Start() }

// Year, Month and Day return the parts of d.
func (d Date) Year() int         { return d.utc().Year() }
func (d Date) Month() time.Month { return d.utc().Month() }
func (d Date) Day() int          { return d.utc().Day() }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths returns d moved by n calendar months, clamped to the end of the
// target month: 2023-08-31 + 6 months = 2024-02-29 (RULES.md §1).
func (d Date) AddMonths(n int) Date {
	y, m, day := d.utc().Date()
	total := int(m) - 1 + n
	ty := y + floorDiv(total, 12)
	tm := time.Month(total - floorDiv(total, 12)*12 + 1)
	if last := DaysIn(ty, tm); day > last {
		day = last
	}
	return NewDate(ty, tm, day)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// DaysIn returns the number of days of month m of year y.
func DaysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String formats d as 2006-01-02, or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return d.utc().Format("2006-01-02")
}

// Month is a calendar month, the period of most monthly rules.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month that contains d.
func MonthOf(d Date) Month { return Month{d.Year(), d.Month()} }

// First returns the first day of the month.
func (m Month) First() Date { return NewDate(m.Year, m.Month, 1) }

// Last returns the last day of the month.
func (m Month) Last() Date { return NewDate(m.Year, m.Month, DaysIn(m.Year, m.Month)) }

// Day returns day n of the month (clamped to the month's last day).
func (m Month) Day(n int) Date {
	if last := DaysIn(m.Year, m.Month); n > last {
		n = last
	}
	return NewDate(m.Year, m.Month, n)
}

// String formats the month as 2023-07.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Quarter is an assessment quarter, such as 2023Q3.
type Quarter struct {
	Year int
	Q    int // 1..4
}

// ParseQuarter reads "2023Q3" (also lower-case q).
func ParseQuarter(s string) (Quarter, error) {
	var q Quarter
	var sep rune
	if n, err := fmt.Sscanf(s, "%4d%c%1d", &q.Year, &sep, &q.Q); err != nil || n != 3 || (sep != 'Q' && sep != 'q') || q.Q < 1 || q.Q > 4 || len(s) != 6 {
		return Quarter{}, Errorf(EINVALID, "季度格式应为 2023Q3：%q", s)
	}
	return q, nil
}

// String formats the quarter as 2023Q3.
func (q Quarter) String() string { return fmt.Sprintf("%04dQ%d", q.Year, q.Q) }

// Months returns the three months of the quarter in order.
func (q Quarter) Months() [3]Month {
	m0 := time.Month(3*(q.Q-1) + 1)
	return [3]Month{{q.Year, m0}, {q.Year, m0 + 1}, {q.Year, m0 + 2}}
}

// First returns the first day of the quarter.
func (q Quarter) First() Date { return q.Months()[0].First() }

// Last returns the last day of the quarter.
func (q Quarter) Last() Date { return q.Months()[2].Last() }

// QuarterOf returns the quarter that day d falls in.
func QuarterOf(d Date) Quarter { return Quarter{Year: d.Year(), Q: (int(d.Month())-1)/3 + 1} }

// ContainsDate reports whether d falls in the quarter.
func (q Quarter) ContainsDate(d Date) bool { return d >= q.First() && d <= q.Last() }

// Contains reports whether the instant t falls in the quarter (by its CST date).
func (q Quarter) Contains(t time.Time) bool { return q.ContainsDate(DateOf(t)) }
