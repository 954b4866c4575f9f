// Package gen generates realistic records of grid workers at any size: one
// town of a few hundred workers, a district of twenty towns, a province of
// several hundred, for `gridscore demo --workers N` and for benchmarks.
//
// Where package demo is one hand-made town whose every deduction is planned,
// gen draws a town from proportions seen in practice: about 85 % full-time
// workers (some stationed at a residents' committee), the rest part-time;
// event quotas mostly met; two patrols and a login on every duty day; about
// 1 % of residents on the special-population register, visited every month
// before the 28th; ballots mostly satisfied; a few leaves, a few recent hires
// (not yet eligible) and a few workers who leave mid-quarter and are
// replaced. About one worker in ten is a poor performer with two to four
// faults (a short month, a month-end burst, late cards, missing patrols or
// logins, findings, an absence, quiz errors, a late visit, a missed roster
// entry…). Holidays and adjusted workdays come from package calendar.
//
// Generation is deterministic for (Workers, Quarter, Seed); each town draws
// from its own PCG stream seeded by the seed and the town's index, so towns
// are independent of one another. It is fast (several million rows a second
// on one core) and holds one town in memory at a time.
package gen

import (
	"math/rand/v2"
	"strconv"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
)

// Options says what to generate.
type Options struct {
	// Workers is the number of worker records, at least 1. It counts every
	// worker listed in the quarter: those who leave mid-quarter and those
	// who replace them too.
	Workers int
	// Quarter is the quarter the records cover.
	Quarter gs.Quarter
	// Seed chooses one of the possible provinces; the same options always
	// give the same records.
	Seed int64
}

// Town sizes: a request up to maxTown workers is one town; a larger one is
// split into towns of about avgTown workers, each between minTown and
// maxTown.
const (
	minTown = 150
	avgTown = 250
	maxTown = 400
)

// Generate calls emit once per town, in order, with that town's complete
// records for the quarter: grids, workers, events, logins, patrols, leaves,
// register, rosters, visits, meetings, attendance, findings, quiz and
// ballots; the center's calendar overrides only in the first call. Worker ids
// (T0001-W0001), grid codes (T0001-G001) and every other id start with the
// town, so a town's workers are one contiguous range of ids.
//
// Memory is bounded by one town: the records passed to emit, and the slices
// that hold them, are valid only during the call and are reused for the next
// town. A caller that keeps records must copy them (the strings in them are
// immutable and may be kept). Generate stops at the first error emit returns
// and returns it.
func Generate(opts Options, emit func(town *gs.Records) error) error {
	if opts.Workers < 1 {
		return gs.Errorf(gs.EINVALID, "网格员人数应至少为 1：%d", opts.Workers)
	}
	if opts.Quarter.Q < 1 || opts.Quarter.Q > 4 || opts.Quarter.Year < 2000 || opts.Quarter.Year > 2100 {
		return gs.Errorf(gs.EINVALID, "季度有误：%s", opts.Quarter)
	}
	g := newGenerator(opts)
	t := newTown(g)
	for i, size := range g.sizes {
		t.reset(i, size)
		t.build()
		if i == 0 {
			t.recs.Calendar = append(t.recs.Calendar, g.overrides...)
		}
		if err := emit(&t.recs); err != nil {
			return err
		}
	}
	return nil
}

// Towns returns how many towns Generate makes for opts (one call of emit
// each), for progress reports.
func Towns(opts Options) int { return len(townSizes(opts.Workers, opts.Seed)) }

// Rows returns the number of records of every kind in recs.
func Rows(recs *gs.Records) int {
	return len(recs.Grids) + len(recs.Workers) + len(recs.Events) + len(recs.Logins) +
		len(recs.Patrols) + len(recs.Leaves) + len(recs.Register) + len(recs.Rosters) +
		len(recs.Visits) + len(recs.Meetings) + len(recs.Attendance) + len(recs.Findings) +
		len(recs.Quizzes) + len(recs.Ballots) + len(recs.Calendar)
}

// generator is what every town shares: the options, the quarter's days and
// the town sizes. It is read-only once built.
type generator struct {
	opts      Options
	q         gs.Quarter
	days      *days
	cal       *calendar.Calendar
	overrides []gs.CalendarDay
	sizes     []int
	idWidth   int // digits of the town number in ids
	names     townNamer
}

func newGenerator(opts Options) *generator {
	g := &generator{opts: opts, q: opts.Quarter, sizes: townSizes(opts.Workers, opts.Seed)}
	g.overrides = overridesFor(opts.Quarter)
	g.cal = calendar.New(g.overrides)
	g.days = newDays(g.q, g.cal)
	g.idWidth = max(4, len(strconv.Itoa(len(g.sizes))))
	g.names = newTownNamer(opts.Seed)
	return g
}

// townSizes splits n workers into towns: one town up to maxTown, else about
// avgTown each, jittered in pairs so that the sizes vary and still add up.
func townSizes(n int, seed int64) []int {
	if n <= maxTown {
		return []int{max(n, 0)}
	}
	k := max(2, (n+avgTown/2)/avgTown)
	sizes := make([]int, k)
	for i := range sizes {
		sizes[i] = n / k
		if i < n%k {
			sizes[i]++
		}
	}
	base := n / k
	j := min(base-minTown, maxTown-1-base, 100)
	if j > 0 {
		r := rand.New(rand.NewPCG(uint64(seed), 0x746f776e73)) // "towns"
		for i := 0; i+1 < k; i += 2 {
			d := r.IntN(2*j+1) - j
			sizes[i] += d
			sizes[i+1] -= d
		}
	}
	return sizes
}

// overridesFor returns the district's calendar days for q (for all its
// towns): one Saturday of the quarter's second month made a workday for a
// duty of the season.
func overridesFor(q gs.Quarter) []gs.CalendarDay {
	duty := [4]string{"森林防火集中巡查", "安全生产大检查", "防汛应急值班", "冬季消防安全检查"}[q.Q-1]
	cal := calendar.New(nil)
	m := q.Months()[1]
	for d := m.Day(8); d <= m.Last(); d++ {
		if d.Weekday() == time.Saturday && !cal.IsWorkday("", d) && cal.HolidayName("", d) == "" {
			return []gs.CalendarDay{{Date: d, Kind: gs.DayWorkday, Name: duty}}
		}
	}
	return nil
}

// days describes the days of the quarter, and a few after it (for events
// closed after the quarter), by index from the quarter's first day.
type days struct {
	first      gs.Date
	n          int       // days of the quarter
	mid        []int64   // unix seconds of each day's 00:00 CST
	work       []bool    // workday
	month      []int8    // 0..2 within the quarter, 3 after it
	yymm       [][4]byte // year and month of each day, as ids show them (2307)
	monthStart [4]int    // index of each month's first day; [3] = n
	workdays   [3]int    // workdays of each month
	workMask   mask
}

// tail is how many days after the quarter the table covers: events are
// closed at most a week after they are reported.
const tail = 16

func newDays(q gs.Quarter, cal *calendar.Calendar) *days {
	first, last := q.First(), q.Last()
	n := int(last-first) + 1
	t := &days{first: first, n: n}
	t.mid = make([]int64, n+tail)
	t.work = make([]bool, n+tail)
	t.month = make([]int8, n+tail)
	t.yymm = make([][4]byte, n+tail)
	base := first.Start().Unix()
	months := q.Months()
	for i := range n + tail {
		d := first.AddDays(i)
		t.mid[i] = base + int64(i)*86400
		t.work[i] = cal.IsWorkday("", d)
		putDigits(t.yymm[i][0:2], d.Year()%100)
		putDigits(t.yymm[i][2:4], int(d.Month()))
		t.month[i] = 3
		for mi, m := range months {
			if gs.MonthOf(d) == m {
				t.month[i] = int8(mi)
				if i < n && t.work[i] {
					t.workdays[mi]++
					t.workMask.set(i)
				}
			}
		}
	}
	for mi, m := range months {
		t.monthStart[mi] = int(m.First() - first)
	}
	t.monthStart[3] = n
	return t
}

// at returns the instant sec seconds after the start of day i, in CST.
func (t *days) at(i, sec int) time.Time {
	return time.Unix(t.mid[i]+int64(sec), 0).In(gs.CST)
}

// index returns the day index of the instant u (unix seconds), negative
// before the quarter.
func (t *days) index(u int64) int {
	x := u - t.mid[0]
	i := x / 86400
	if x < 0 && x%86400 != 0 {
		i--
	}
	return int(i)
}

// mask is a set of day indices of the quarter (at most 92 days).
type mask [2]uint64

func (m *mask) set(i int)      { m[i>>6] |= 1 << (i & 63) }
func (m mask) has(i int) bool  { return m[i>>6]&(1<<(i&63)) != 0 }
func (m mask) and(o mask) mask { return mask{m[0] & o[0], m[1] & o[1]} }
func (m *mask) setRange(from, to int) {
	for i := from; i <= to; i++ {
		m.set(i)
	}
}

// list appends the days of m in [from, to) to out.
func (m mask) list(from, to int, out []int16) []int16 {
	for i := from; i < to; i++ {
		if m.has(i) {
			out = append(out, int16(i))
		}
	}
	return out
}
