package engine

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	gs "github.com/gridscore/gridscore"
)

// index holds the records grouped the way the rules look them up, built once
// per assessment so that each worker costs only their own records.
type index struct {
	scheme *gs.Scheme
	cal    Calendar
	q      gs.Quarter
	first  gs.Date // first day of the quarter
	last   gs.Date // last day of the quarter
	asOf   time.Time
	// today is date(as_of): the days before it have elapsed, and only what
	// fell due on them is judged (RULES.md §9). At or after the end of the
	// quarter every day of it has elapsed.
	today  gs.Date
	months [3]gs.Month
	// monthLast is the last day of each month of the quarter.
	monthLast [3]gs.Date
	// towns holds the workdays of each town whose workers were assessed,
	// made on first use (townDays).
	townsMu sync.Mutex
	towns   map[string]*workdays

	grids       map[string]gs.Grid
	byGrid      map[string][]*gs.Worker // workers by grid code
	workerList  []*gs.Worker            // every worker, in the order given
	meetingByID map[string]*gs.Meeting  // by meeting id

	// judgedOpen is set once an event still open at as_of is judged at
	// as_of (cardOf): the result may change as time passes (see Settled).
	judgedOpen atomic.Bool
	// closedBy is the latest closed_at (Unix seconds, rounded up) of an
	// event judged closed at as_of (cardOf): from that moment on, with no
	// event judged open, the result no longer changes (see SettledFrom).
	closedBy atomic.Int64
}

// noteClosed notes that an event closed at t was judged closed at as_of.
func (ix *index) noteClosed(t time.Time) {
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	for {
		old := ix.closedBy.Load()
		if sec <= old || ix.closedBy.CompareAndSwap(old, sec) {
			return
		}
	}
}

// workdays are the workdays of the quarter for the workers of one town.
type workdays struct {
	days daySet
	// month is the number of workdays of each month of the quarter.
	month [3]int
}

// townDays returns the workdays of the quarter for the workers of town,
// asking the calendar once per town and day. Safe for concurrent use.
func (ix *index) townDays(town string) *workdays {
	ix.townsMu.Lock()
	defer ix.townsMu.Unlock()
	if wd := ix.towns[town]; wd != nil {
		return wd
	}
	wd := &workdays{days: daySet{first: ix.first}}
	for d := ix.first; d <= ix.last; d++ {
		if ix.cal.IsWorkday(town, d) {
			wd.days.set(d)
			wd.month[ix.monthIndex(d)]++
		}
	}
	ix.towns[town] = wd
	return wd
}

// chunk holds the records of some workers grouped the way the rules look
// them up: their events, logins, patrols, leaves, findings, quizzes,
// ballots and absences by worker, and the register, rosters and visits of
// their grids. A large town or province is assessed chunk by chunk so that
// these never have to be in memory all at once.
type chunk struct {
	events       map[string][]*gs.Event
	loginDays    map[string]*logins
	patrols      map[string][]*gs.Patrol
	leaves       map[string][]*gs.Leave
	findings     map[string][]*gs.Finding
	quizzes      map[string][]*gs.Quiz
	ballots      map[string][]*gs.Ballot
	absences     map[string][]absence
	persons      map[string][]*gs.Person    // by grid code
	registered   map[string]*gs.Person      // by person id
	personVisits map[string][]*gs.Visit     // by person id
	rosters      map[string][]*gs.RosterRow // by grid code
	// asOfLogins are the logins of date(as_of) made by as_of, for the
	// warnings (warnings.go); nil when the result has none.
	asOfLogins dayLogins
}

// newChunk groups the records of rs by worker, grid or person; absences
// are joined with ix's meetings. The three large kinds (events, logins,
// patrols: nine rows in ten) are grouped side by side when a chunk is
// large: at 5,000 workers grouping them one after another took 130–280 ms
// after the last row was read, all of it on one core.
func newChunk(rs *gs.Records, ix *index) *chunk {
	ch := &chunk{
		leaves:       groupBy(rs.Leaves, func(l *gs.Leave) string { return l.WorkerID }),
		findings:     groupBy(rs.Findings, func(f *gs.Finding) string { return f.WorkerID }),
		quizzes:      groupBy(rs.Quizzes, func(z *gs.Quiz) string { return z.WorkerID }),
		ballots:      groupBy(rs.Ballots, func(b *gs.Ballot) string { return b.WorkerID }),
		absences:     map[string][]absence{},
		persons:      groupBy(rs.Register, func(p *gs.Person) string { return p.GridCode }),
		registered:   make(map[string]*gs.Person, len(rs.Register)),
		personVisits: groupBy(rs.Visits, func(v *gs.Visit) string { return v.PersonID }),
		rosters:      groupBy(rs.Rosters, func(r *gs.RosterRow) string { return r.GridCode }),
	}
	large := []func(){
		func() { ch.events = groupBy(rs.Events, func(e *gs.Event) string { return e.WorkerID }) },
		func() { ch.loginDays, ch.asOfLogins = loginDaysOf(rs.Logins, ix.first), ix.asOfLogins(rs) },
		func() { ch.patrols = groupBy(rs.Patrols, func(p *gs.Patrol) string { return p.WorkerID }) },
	}
	if len(rs.Events)+len(rs.Logins)+len(rs.Patrols) < parallelGroupRows {
		for _, f := range large {
			f()
		}
	} else {
		var wg sync.WaitGroup
		for _, f := range large {
			wg.Go(f)
		}
		defer wg.Wait()
	}
	for _, a := range rs.Attendance {
		if m := ix.meetingByID[a.MeetingID]; m != nil && a.Status == gs.StatusAbsent {
			ch.absences[a.WorkerID] = append(ch.absences[a.WorkerID], absence{meeting: m})
		}
	}
	for i := range rs.Register {
		p := &rs.Register[i]
		ch.registered[p.PersonID] = p
	}
	return ch
}

// parallelGroupRows is the fewest rows of the large kinds for which
// newChunk groups them on separate goroutines.
const parallelGroupRows = 20000

// loginDaysOf returns, for each worker, the days of the quarter beginning
// on first with a login of each channel.
func loginDaysOf(ls []gs.Login, first gs.Date) map[string]*logins {
	out := map[string]*logins{}
	for _, l := range ls {
		m := out[l.WorkerID]
		if m == nil {
			m = &logins{app: daySet{first: first}, pc: daySet{first: first}}
			out[l.WorkerID] = m
		}
		m.of(l.Channel).set(gs.DateOf(l.At))
	}
	return out
}

// groupBy returns pointers to the records of rs grouped by key, each
// group in the order of rs. The groups share one array, each slice capped
// at its own length (an append copies it rather than write over the next
// group); the map is looked up once a record, with no slice growing.
func groupBy[T any](rs []T, key func(*T) string) map[string][]*T {
	slot := map[string]int32{}
	which := make([]int32, len(rs)) // the group of each record
	var counts []int32
	for i := range rs {
		k := key(&rs[i])
		g, ok := slot[k]
		if !ok {
			g = int32(len(counts))
			slot[k] = g
			counts = append(counts, 0)
		}
		which[i] = g
		counts[g]++
	}
	next := make([]int32, len(counts)) // where each group's next record goes
	for g, at := 1, int32(0); g < len(counts); g++ {
		at += counts[g-1]
		next[g] = at
	}
	flat := make([]*T, len(rs))
	for i, g := range which {
		flat[next[g]] = &rs[i]
		next[g]++
	}
	out := make(map[string][]*T, len(slot))
	for k, g := range slot {
		end := next[g] // past the group's last record once filled
		out[k] = flat[end-counts[g] : end : end]
	}
	return out
}

// quarterDays bounds the days of a quarter (at most 92).
const quarterDays = 128

// daySet is a set of days of one quarter, a bit a day. Days outside the
// quarter are never in it.
type daySet struct {
	first gs.Date
	bits  [quarterDays / 64]uint64
}

// has reports whether d is in the set.
func (s *daySet) has(d gs.Date) bool {
	i := int(d - s.first)
	return i >= 0 && i < quarterDays && s.bits[i>>6]&(1<<(i&63)) != 0
}

// set adds d to the set; a day outside the quarter is ignored.
func (s *daySet) set(d gs.Date) {
	if i := int(d - s.first); i >= 0 && i < quarterDays {
		s.bits[i>>6] |= 1 << (i & 63)
	}
}

// logins are the days of the quarter on which a worker logged in, by channel.
type logins struct{ app, pc daySet }

// of returns the days of channel c (a channel other than pc counts as app,
// the only other channel the import accepts).
func (l *logins) of(c gs.Channel) *daySet {
	if c == gs.ChannelPC {
		return &l.pc
	}
	return &l.app
}

// absence is an attendance row with status absent, joined with its meeting.
type absence struct {
	meeting *gs.Meeting
}

func newIndex(in Input) *index {
	rs := in.Records
	ix := &index{
		scheme:      in.Scheme,
		cal:         in.Calendar,
		q:           in.Quarter,
		first:       in.Quarter.First(),
		last:        in.Quarter.Last(),
		asOf:        in.AsOf,
		today:       gs.DateOf(in.AsOf),
		months:      in.Quarter.Months(),
		towns:       map[string]*workdays{},
		grids:       map[string]gs.Grid{},
		byGrid:      map[string][]*gs.Worker{},
		meetingByID: map[string]*gs.Meeting{},
	}
	for i, m := range ix.months {
		ix.monthLast[i] = m.Last()
	}
	for _, g := range rs.Grids {
		ix.grids[g.Code] = g
	}
	for i := range rs.Meetings {
		ix.meetingByID[rs.Meetings[i].ID] = &rs.Meetings[i]
	}
	for i := range rs.Workers {
		w := &rs.Workers[i]
		ix.byGrid[w.GridCode] = append(ix.byGrid[w.GridCode], w)
		ix.workerList = append(ix.workerList, w)
	}
	return ix
}

// monthIndex returns 0, 1 or 2: which month of the quarter d falls in.
func (ix *index) monthIndex(d gs.Date) int {
	for i := range ix.monthLast {
		if d <= ix.monthLast[i] {
			return i
		}
	}
	return 2
}

// elapsed reports whether day d is over at as_of (RULES.md §9: d <
// date(as_of)), so that what fell due on it is judged.
func (ix *index) elapsed(d gs.Date) bool { return d < ix.today }

// judgedUntil is the last day of the quarter whose duties are judged: the
// last elapsed day, or the quarter's last day once the quarter is over.
func (ix *index) judgedUntil() gs.Date { return min(ix.last, ix.today-1) }

// dated reports whether a finding, attendance or spot check dated d is
// counted at as_of (RULES.md §9: dated on or before date(as_of)) and falls
// in the quarter.
func (ix *index) dated(d gs.Date) bool { return d <= ix.today && ix.q.ContainsDate(d) }

// listed reports whether the worker was in post on at least one day of the
// quarter, and so appears in its result.
func (ix *index) listed(w *gs.Worker) bool {
	return w.HiredOn <= ix.last && (w.LeftOn.IsZero() || w.LeftOn >= ix.first)
}

// eligible applies RULES.md §1: hired_on + min tenure ≤ last day of Q, with
// month arithmetic clamped to the end of the month.
func (ix *index) eligible(w *gs.Worker) (bool, string) {
	n := ix.scheme.MinTenureMonths
	due := w.HiredOn.AddMonths(n)
	if due <= ix.last {
		return true, ""
	}
	return false, fmt.Sprintf("在岗未满%d个月（%s入职，%s满%d个月，本季度末为%s），不参加本季度考核",
		n, w.HiredOn, due, n, ix.last)
}

// workerContext holds what the rules need about one eligible worker: their
// duty days and the months in which they had any.
type workerContext struct {
	w  *gs.Worker
	ch *chunk // the worker's events, logins and patrols
	// workdays are those of the worker's town (of their grid).
	workdays *workdays
	duty     daySet // duty days of the quarter
	// monthDuty counts the duty days of each month of the quarter.
	monthDuty [3]int
	onLeave   daySet
	// monthEvents holds the worker's events by the month of the quarter in
	// which they were entered (reported_at).
	monthEvents [3][]*gs.Event
}

func (ix *index) newWorkerContext(w *gs.Worker, ch *chunk) *workerContext {
	wc := &workerContext{w: w, ch: ch, workdays: ix.townDays(ix.grids[w.GridCode].Town),
		duty: daySet{first: ix.first}, onLeave: daySet{first: ix.first}}
	for _, l := range ch.leaves[w.ID] {
		for d := max(l.From, ix.first); d <= min(l.To, ix.last); d++ {
			wc.onLeave.set(d)
		}
	}
	for d := ix.first; d <= ix.last; d++ {
		if wc.workdays.days.has(d) && w.InPost(d) && !wc.onLeave.has(d) {
			wc.duty.set(d)
			wc.monthDuty[ix.monthIndex(d)]++
		}
	}
	for _, e := range ch.events[w.ID] {
		if d := gs.DateOf(e.ReportedAt); d >= ix.first && d <= ix.last {
			i := ix.monthIndex(d)
			wc.monthEvents[i] = append(wc.monthEvents[i], e)
		}
	}
	return wc
}

// dutyDays returns the worker's duty days in [from, to], in order.
func (wc *workerContext) dutyDays(from, to gs.Date) []gs.Date {
	var ds []gs.Date
	for d := from; d <= to; d++ {
		if wc.duty.has(d) {
			ds = append(ds, d)
		}
	}
	return ds
}

// hasDutyDay reports whether the worker has a duty day in [from, to].
func (wc *workerContext) hasDutyDay(from, to gs.Date) bool {
	for d := from; d <= to; d++ {
		if wc.duty.has(d) {
			return true
		}
	}
	return false
}

// pay computes the performance pay of RULES.md §7, exact to the fen and
// rounded half-up. total is nil for a worker who is not assessed.
func (ix *index) pay(w *gs.Worker, total *gs.Points) gs.Fen {
	return PayOf(ix.scheme, BasePay(ix.scheme, ix.q, w), total)
}

// divRoundHalfUp returns n/d rounded half-up, for n ≥ 0 and d > 0.
func divRoundHalfUp(n, d int64) int64 {
	return (2*n + d) / (2 * d)
}

// sortedIDs returns the ids sorted, for stable evidence lists.
func sortedIDs(ids []string) []string {
	sort.Strings(ids)
	return ids
}

// monthLabel is the Chinese name of a month ("7月").
func monthLabel(m gs.Month) string { return fmt.Sprintf("%d月", int(m.Month)) }

// dateLabel is a Chinese date ("7月3日").
func dateLabel(d gs.Date) string { return fmt.Sprintf("%d月%d日", int(d.Month()), d.Day()) }
