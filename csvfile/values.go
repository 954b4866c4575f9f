package csvfile

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// enum is a closed set of values a column accepts. Each value has the code the
// domain uses (the English key of DATA.md), the Chinese label written on
// export, and any further spellings accepted on import. Lookups are
// case-insensitive, so "APP", "App" and "app" are one spelling.
type enum struct {
	values []enumValue
	lookup map[string]string // lower-case spelling → code
	labels map[string]string // code → Chinese label
}

type enumValue struct {
	code    string
	zh      string
	aliases []string
}

func newEnum(values ...enumValue) *enum {
	e := &enum{values: values, lookup: map[string]string{}, labels: map[string]string{}}
	for _, v := range values {
		e.labels[v.code] = v.zh
		for _, s := range append([]string{v.code, v.zh}, v.aliases...) {
			e.lookup[strings.ToLower(s)] = v.code
		}
	}
	return e
}

// parse returns the code for the spelling s (already trimmed).
func (e *enum) parse(s string) (string, bool) {
	code, ok := e.lookup[s]
	if !ok {
		code, ok = e.lookup[strings.ToLower(s)]
	}
	return code, ok
}

// label returns the Chinese label of a code, or the code itself if unknown.
func (e *enum) label(code string) string {
	if zh, ok := e.labels[code]; ok {
		return zh
	}
	return code
}

// hint lists the accepted values for an error message.
func (e *enum) hint() string {
	var zh, en []string
	for _, v := range e.values {
		zh = append(zh, v.zh)
		en = append(en, v.code)
	}
	return gridscore.ValueHint(zh, en)
}

// enumOf is the value set of a domain type: its codes in order, their
// Chinese names from the domain's table, and the further spellings the
// files may use (by code).
func enumOf[T ~string](codes []T, names map[T]string, aliases map[T][]string) *enum {
	values := make([]enumValue, len(codes))
	for i, c := range codes {
		values[i] = enumValue{code: string(c), zh: names[c], aliases: aliases[c]}
	}
	return newEnum(values...)
}

// The value sets of DATA.md §1, named as the domain names them; "APP" for
// the app channel and 1/0 for yes and no are spellings of the files alone.
var (
	workerTypes  = enumOf(gridscore.WorkerTypes, gridscore.WorkerTypeName, nil)
	flows        = enumOf(gridscore.Flows, gridscore.FlowName, nil)
	severities   = enumOf(gridscore.Severities, gridscore.SeverityName, nil)
	cards        = enumOf(gridscore.Cards, gridscore.CardName, nil)
	channels     = enumOf(gridscore.Channels, gridscore.ChannelName, map[gridscore.Channel][]string{gridscore.ChannelApp: {"APP"}})
	categories   = enumOf(gridscore.Categories, gridscore.PopulationName, nil)
	statuses     = enumOf(gridscore.AttendanceStatuses, gridscore.AttendanceStatusName, nil)
	findingKinds = enumOf(gridscore.FindingKinds, gridscore.FindingKindName, nil)
	raterGroups  = enumOf(gridscore.RaterGroups, gridscore.RaterGroupName, nil)
	ratings      = enumOf(gridscore.Ratings, gridscore.RatingName, nil)
	dayKinds     = enumOf(gridscore.DayKinds, gridscore.DayKindName, nil)
	booleans     = newEnum(
		enumValue{code: "true", zh: "是", aliases: []string{"1"}},
		enumValue{code: "false", zh: "否", aliases: []string{"0"}})
)

// stamp is a date with an optional time of day and zone, as read from text.
type stamp struct {
	year, month, day   int
	hasTime            bool
	hour, min, sec, ns int
	hasZone            bool
	offset             int  // seconds east of UTC, when hasZone
	serial             bool // read from a workbook's serial number
}

// display shows the value for a message: as typed, or for a workbook's
// serial number as the date and time it stands for.
func (s *stamp) display(typed string) string {
	if !s.serial {
		return strconv.Quote(typed)
	}
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", s.year, s.month, s.day, s.hour, s.min, s.sec)
}

// midnight reports whether the stamp has no time or a zoneless 00:00:00.
func (s *stamp) midnight() bool {
	return !s.hasTime || (!s.hasZone && s.hour == 0 && s.min == 0 && s.sec == 0 && s.ns == 0)
}

func (s *stamp) date() gridscore.Date {
	return gridscore.NewDate(s.year, time.Month(s.month), s.day)
}

// time returns the instant in CST; a stamp without a zone is read as CST.
func (s *stamp) time() time.Time {
	loc := gridscore.CST
	if s.hasZone && s.offset != 8*3600 {
		loc = time.FixedZone("", s.offset)
	}
	return time.Date(s.year, time.Month(s.month), s.day, s.hour, s.min, s.sec, s.ns, loc).In(gridscore.CST)
}

// parseStamp reads the date and timestamp forms of DATA.md §1 by hand (no
// regular expressions: it runs once per cell on files of millions of rows):
//
//	2023-07-03  2023/7/3  2023年7月3日
//
// each optionally followed by a time (space or T, then H:MM or H:MM:SS with an
// optional fraction) and a zone (Z, +08:00, +0800). It returns a short
// Chinese message when s is not such a value (msgBadStamp) or names a day or
// time that does not exist.
func parseStamp(s string) (stamp, string) {
	var st stamp
	p := scanner{s: s}
	if msg := p.date(&st); msg != "" || p.done() {
		return st, msg
	}
	if !p.lit("T") && !p.spaces() {
		return st, msgBadStamp
	}
	if msg := p.clock(&st); msg != "" || p.done() {
		return st, msg
	}
	p.spaces()
	if !p.zone(&st) || !p.done() {
		return st, msgBadStamp
	}
	return st, ""
}

// msgBadStamp is what parseStamp says of a value in no form it knows.
const msgBadStamp = "格式无法识别"

// Years outside this range are taken for typing errors.
const minYear, maxYear = 1900, 2100

// date reads the date part of a stamp: 2023-07-03, 2023/7/3 or 2023年7月3日
// (the 日 may be left out), a day that exists in a plausible year.
func (p *scanner) date(st *stamp) string {
	var ok bool
	if st.year, ok = p.digits(4, 4); !ok {
		return msgBadStamp
	}
	var sep2, end string
	switch {
	case p.lit("-"):
		sep2 = "-"
	case p.lit("/"):
		sep2 = "/"
	case p.lit("年"):
		sep2, end = "月", "日"
	default:
		return msgBadStamp
	}
	if st.month, ok = p.digits(1, 2); !ok || !p.lit(sep2) {
		return msgBadStamp
	}
	if st.day, ok = p.digits(1, 2); !ok {
		return msgBadStamp
	}
	if end != "" {
		p.lit(end)
	}
	if st.year < minYear || st.year > maxYear {
		return "年份超出合理范围"
	}
	if st.month < 1 || st.month > 12 || st.day < 1 || st.day > gridscore.DaysIn(st.year, time.Month(st.month)) {
		return "日期不存在"
	}
	return ""
}

// clock reads the time of day of a stamp: H:MM or H:MM:SS with an optional
// fraction of up to nine digits, a time that exists.
func (p *scanner) clock(st *stamp) string {
	st.hasTime = true
	var ok bool
	if st.hour, ok = p.digits(1, 2); !ok || !p.lit(":") {
		return msgBadStamp
	}
	if st.min, ok = p.digits(2, 2); !ok {
		return msgBadStamp
	}
	if p.lit(":") {
		if st.sec, ok = p.digits(2, 2); !ok {
			return msgBadStamp
		}
		if p.lit(".") {
			if st.ns, ok = p.fraction(); !ok {
				return msgBadStamp
			}
		}
	}
	if st.hour > 23 || st.min > 59 || st.sec > 59 {
		return "时间不存在"
	}
	return ""
}

// fraction reads one to nine digits of a fraction of a second as
// nanoseconds.
func (p *scanner) fraction() (int, bool) {
	start := p.i
	frac, ok := p.digits(1, 9)
	for n := p.i - start; n < 9; n++ {
		frac *= 10
	}
	return frac, ok
}

// zone reads the zone of a stamp: Z, or a sign and hours with optional
// minutes (+08, +08:00, +0800), at most 14 hours.
func (p *scanner) zone(st *stamp) bool {
	st.hasZone = true
	if p.lit("Z") || p.lit("z") {
		return true
	}
	if !p.peek('+') && !p.peek('-') {
		return false
	}
	sign := 1
	if p.s[p.i] == '-' {
		sign = -1
	}
	p.i++
	h, ok := p.digits(2, 2)
	if !ok {
		return false
	}
	m := 0
	if p.lit(":") || !p.done() {
		if m, ok = p.digits(2, 2); !ok {
			return false
		}
	}
	if h > 14 || m > 59 {
		return false
	}
	st.offset = sign * (h*3600 + m*60)
	return true
}

// scanner walks a string byte by byte for parseStamp.
type scanner struct {
	s string
	i int
}

func (p *scanner) done() bool { return p.i == len(p.s) }

func (p *scanner) peek(b byte) bool { return p.i < len(p.s) && p.s[p.i] == b }

// lit consumes the literal l if it comes next.
func (p *scanner) lit(l string) bool {
	if strings.HasPrefix(p.s[p.i:], l) {
		p.i += len(l)
		return true
	}
	return false
}

// spaces consumes one or more spaces.
func (p *scanner) spaces() bool {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	return p.i > start
}

// digits consumes between min and max ASCII digits and returns their value.
func (p *scanner) digits(min, max int) (int, bool) {
	v, n := 0, 0
	for p.i < len(p.s) && n < max && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		v = v*10 + int(p.s[p.i]-'0')
		p.i++
		n++
	}
	return v, n >= min
}

// parseInt reads a plain decimal integer (an optional sign, then digits).
func parseInt(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// The formats the writer uses; the reader accepts both.
const (
	dateLayout  = "2006-01-02"
	stampLayout = "2006-01-02 15:04:05.999999999"
)

// formatTime prints t in CST to the second (with a fraction only when t has
// one, so that write then read gives the same instant), or "" for zero.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(gridscore.CST).Format(stampLayout)
}

// formatBool prints 是 or 否.
func formatBool(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// formatFen prints an optional amount in yuan with two decimals.
func formatFen(f *gridscore.Fen) string {
	if f == nil {
		return ""
	}
	return f.String()
}

// ParseTimestamp reads one timestamp in any form DATA.md §1 accepts
// (2023-10-08 09:00:00, 2023/10/8 9:00, RFC 3339, …; a date alone is its
// 00:00), as the command line's --as-of does. A value without a zone is CST.
func ParseTimestamp(s string) (time.Time, error) {
	st, msg := parseStamp(strings.TrimSpace(s))
	if msg != "" {
		return time.Time{}, gridscore.Errorf(gridscore.EINVALID, "时间 %q %s", s, msg)
	}
	return st.time(), nil
}
