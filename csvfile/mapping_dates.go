package csvfile

import (
	"fmt"
	"time"

	"github.com/gridscore/gridscore"
)

// The forms in which other systems write dates, for the columns of a
// mapped file (see mapping.go). A mapping names one per date or timestamp
// column; a value in it becomes the date (or date and time) DATA.md
// writes, which the column's reader then reads as any DATA.md cell. Each
// form may be followed by a time of day (09:15 or 09:15:00 after a space
// or a T; 0915 or 091500 for the compact form as well).

// DateFormat is a form of dates a mapped column may be written in.
type DateFormat struct {
	// ID names it in a mapping ("" for the forms of DATA.md).
	ID string
	// Title says it in Chinese (年.月.日) and Example shows a date in it
	// (2023.07.03).
	Title, Example string
}

// dateFormats are the forms a mapping may name, DATA.md's first. The
// order is also the order of preference when several fit every value of
// a column.
var dateFormats = []DateFormat{
	{ID: "", Title: "标准写法（年-月-日）", Example: "2023-07-03、2023/7/3、2023年7月3日"},
	{ID: "y.m.d", Title: "年.月.日", Example: "2023.07.03"},
	{ID: "ymd", Title: "年月日连写", Example: "20230703"},
	{ID: "m/d/y", Title: "月/日/年", Example: "07/03/2023"},
	{ID: "d/m/y", Title: "日/月/年", Example: "03/07/2023"},
}

// DateFormats lists the forms of dates a mapping may name.
func DateFormats() []DateFormat { return dateFormats }

// dateFormatOf returns the form named id, or nil.
func dateFormatOf(id string) *DateFormat {
	for i := range dateFormats {
		if dateFormats[i].ID == id {
			return &dateFormats[i]
		}
	}
	return nil
}

// label names the form for a message: 月/日/年（如 07/03/2023）.
func (f *DateFormat) label() string { return f.Title + "（如 " + f.Example + "）" }

// read reads s in the form f into a stamp. It returns msgBadStamp for a
// value not in the form, or the message of parseStamp for a day or time
// that does not exist. A workbook's date cell (excel: its serial number,
// 45110.385…) is its date whatever the form: a form tells how a date is
// written as text, and a date cell is no text; no text of a form is such
// a number (20230703 is beyond the serials of 2099).
func (f *DateFormat) read(s string, excel, date1904 bool) (stamp, string) {
	if excel {
		if st, ok := excelSerial(s, date1904); ok {
			return st, ""
		}
	}
	if f.ID == "" {
		return parseStamp(s)
	}
	var st stamp
	p := scanner{s: s}
	var ok bool
	switch f.ID {
	case "y.m.d":
		ok = p.number(&st.year, 4, 4) && p.lit(".") && p.number(&st.month, 1, 2) && p.lit(".") && p.number(&st.day, 1, 2)
	case "ymd":
		ok = p.number(&st.year, 4, 4) && p.number(&st.month, 2, 2) && p.number(&st.day, 2, 2)
	case "m/d/y", "d/m/y":
		first, second := &st.month, &st.day
		if f.ID == "d/m/y" {
			first, second = second, first
		}
		ok = p.number(first, 1, 2) && p.dateSep() && p.number(second, 1, 2) && p.dateSep() && p.number(&st.year, 4, 4)
	}
	if !ok {
		return st, msgBadStamp
	}
	if msg := st.checkDay(); msg != "" {
		return st, msg
	}
	if p.done() {
		return st, ""
	}
	if f.ID == "ymd" && p.compactClock(&st) {
		return st, ""
	}
	if !p.lit("T") && !p.spaces() {
		return st, msgBadStamp
	}
	if f.ID == "ymd" && p.compactClock(&st) {
		return st, ""
	}
	if msg := p.clock(&st); msg != "" {
		return st, msg
	}
	p.spaces()
	if !p.done() {
		return st, msgBadStamp
	}
	return st, ""
}

// number reads between min and max digits into v.
func (p *scanner) number(v *int, min, max int) bool {
	n, ok := p.digits(min, max)
	*v = n
	return ok
}

// dateSep consumes a separator of the day, month and year: / - or .
func (p *scanner) dateSep() bool { return p.lit("/") || p.lit("-") || p.lit(".") }

// compactClock reads the rest of the text as a time of day written
// without separators (0915, 091500), if it is one.
func (p *scanner) compactClock(st *stamp) bool {
	rest := p.s[p.i:]
	if len(rest) != 4 && len(rest) != 6 {
		return false
	}
	q := scanner{s: rest}
	var h, m, sec int
	if !q.number(&h, 2, 2) || !q.number(&m, 2, 2) || (len(rest) == 6 && !q.number(&sec, 2, 2)) || !q.done() {
		return false
	}
	if h > 23 || m > 59 || sec > 59 {
		return false
	}
	st.hasTime, st.hour, st.min, st.sec = true, h, m, sec
	p.i = len(p.s)
	return true
}

// checkDay says what is wrong with the stamp's day: a year out of range,
// a day that does not exist; "" when it is a day.
func (st *stamp) checkDay() string {
	if st.year < minYear || st.year > maxYear {
		return "年份超出合理范围"
	}
	if st.month < 1 || st.month > 12 || st.day < 1 || st.day > gridscore.DaysIn(st.year, time.Month(st.month)) {
		return "日期不存在"
	}
	return ""
}

// text writes the stamp as DATA.md writes it: the date, then the time of
// day when it has one (or when the column is a timestamp, at 00:00), then
// its zone when it has one.
func (st *stamp) text(timestamp bool) string {
	s := fmt.Sprintf("%04d-%02d-%02d", st.year, st.month, st.day)
	if !st.hasTime && !timestamp {
		return s
	}
	s += fmt.Sprintf(" %02d:%02d:%02d", st.hour, st.min, st.sec)
	if st.ns > 0 {
		s += fmt.Sprintf(".%09d", st.ns)
	}
	if st.hasZone {
		s += fmt.Sprintf("%+03d:%02d", st.offset/3600, abs(st.offset%3600)/60)
	}
	return s
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// dateFit counts, for a column's values, how many each form reads.
type dateFit struct {
	values int               // non-empty values looked at
	cells  int               // of them, a workbook's date cells, which every form reads
	reads  map[string]int    // by form id
	first  map[string]string // by form id: the first value it does not read
}

// maxDateValues is the most values of a column the forms are tried on: a
// column of dates shows its form in its first rows.
const maxDateValues = 5000

// add tries every form on the non-empty value s.
func (d *dateFit) add(s string, excel, date1904 bool) {
	if d.values >= maxDateValues {
		return
	}
	if d.reads == nil {
		d.reads, d.first = map[string]int{}, map[string]string{}
	}
	d.values++
	if excel {
		if _, ok := excelSerial(s, date1904); ok {
			d.cells++
		}
	}
	for i := range dateFormats {
		f := &dateFormats[i]
		if _, msg := f.read(s, excel, date1904); msg == "" {
			d.reads[f.ID]++
		} else if _, ok := d.first[f.ID]; !ok {
			d.first[f.ID] = s
		}
	}
}

// best returns the form that reads the most values, preferring the
// earlier of dateFormats on a tie, and whether another reads as many
// (the values do not tell which: 03/07/2023 is in both m/d/y and d/m/y).
// Date cells, which every form reads, tell nothing: a column of them
// alone is not ambiguous.
func (d *dateFit) best() (id string, ambiguous bool) {
	most := -1
	for _, f := range dateFormats {
		n := d.reads[f.ID]
		switch {
		case n > most:
			id, most, ambiguous = f.ID, n, false
		case n == most && n > d.cells:
			ambiguous = true
		}
	}
	return id, ambiguous
}
