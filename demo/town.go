package demo

import (
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
)

// TownName is the name of the demo town.
const TownName = "青山镇"

// Dir is the folder, under demo/, that holds the demo town's files for seed 1.
const Dir = "qingshan"

// Quarter returns the quarter the demo town's records cover, 2023Q3.
func Quarter() gs.Quarter { return gs.Quarter{Year: 2023, Q: 3} }

// AsOf returns the moment the README assesses the demo at: 2023-10-08 09:00
// CST, the first workday after the National Day holiday, when all the
// quarter's records are in and one event is still open past its deadline.
func AsOf() time.Time { return time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST) }

// WithoutLogins returns the demo town of seed 1 with no login of worker id
// on day: a stationed full-time worker (QS001) then loses a login
// deduction for each channel that day, as tests of those deductions need.
func WithoutLogins(id string, day gs.Date) *gs.Records {
	r := Town(1)
	kept := r.Logins[:0]
	for _, l := range r.Logins {
		if l.WorkerID != id || gs.DateOf(l.At) != day {
			kept = append(kept, l)
		}
	}
	r.Logins = kept
	return r
}

// grid is one grid of the town's plan.
type grid struct {
	code, name, community string
	village               bool
}

// grids lists the town's grids: three urban communities (社区) and five
// villages (村).
var grids = func() []grid {
	var out []grid
	n := 0
	add := func(community string, count int, village bool) {
		ordinals := []string{"第一", "第二", "第三", "第四"}
		for i := range count {
			n++
			out = append(out, grid{
				code:      "QS-" + twoDigits(n),
				name:      community + ordinals[i] + "网格",
				community: community,
				village:   village,
			})
		}
	}
	add("青山社区", 4, false)
	add("东风社区", 3, false)
	add("南湖社区", 3, false)
	add("河西村", 2, true)
	add("桃园村", 2, true)
	add("柳塘村", 2, true)
	add("石桥村", 2, true)
	add("白沙村", 2, true)
	return out
}()

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// worker is one grid worker of the town's plan: the record's fields and the
// profile that shapes the worker's quarter.
type worker struct {
	id, name    string
	typ         gs.WorkerType
	stationed   bool
	grid        string
	hired, left string  // dates, 2006-01-02; left empty while in post
	subsidyYuan int64   // part-time only
	p           profile // filled from profiles (poor.go) at generation
}

// workers lists the town's grid workers. Their profiles are in poor.go.
var workers = []worker{
	{id: "QS001", name: "王建华", typ: gs.FullTime, stationed: true, grid: "QS-01", hired: "2018-04-09"},
	{id: "QS002", name: "李秀英", typ: gs.FullTime, grid: "QS-02", hired: "2019-07-01"},
	{id: "QS003", name: "张志强", typ: gs.FullTime, stationed: true, grid: "QS-03", hired: "2017-10-16"},
	{id: "QS004", name: "杨婷", typ: gs.FullTime, grid: "QS-04", hired: "2021-03-01"},
	{id: "QS005", name: "吴敏", typ: gs.FullTime, stationed: true, grid: "QS-05", hired: "2020-05-11"},
	{id: "QS006", name: "陈静", typ: gs.FullTime, grid: "QS-06", hired: "2019-02-18"},
	{id: "QS007", name: "徐海涛", typ: gs.FullTime, grid: "QS-07", hired: "2022-09-05"},
	{id: "QS008", name: "周斌", typ: gs.FullTime, stationed: true, grid: "QS-08", hired: "2016-08-01"},
	{id: "QS009", name: "郭晓燕", typ: gs.FullTime, grid: "QS-09", hired: "2021-11-15"},
	{id: "QS010", name: "何俊", typ: gs.FullTime, grid: "QS-10", hired: "2023-03-31"},
	{id: "QS011", name: "刘伟", typ: gs.FullTime, grid: "QS-11", hired: "2018-06-04"},
	{id: "QS012", name: "马丽娟", typ: gs.PartTime, grid: "QS-12", hired: "2020-03-02", subsidyYuan: 1500},
	{id: "QS013", name: "赵磊", typ: gs.FullTime, grid: "QS-13", hired: "2019-09-02"},
	{id: "QS014", name: "胡玉兰", typ: gs.PartTime, grid: "QS-14", hired: "2017-05-08", subsidyYuan: 1500},
	{id: "QS015", name: "黄丽", typ: gs.PartTime, grid: "QS-15", hired: "2018-11-12", subsidyYuan: 1800},
	{id: "QS016", name: "林国庆", typ: gs.FullTime, grid: "QS-16", hired: "2015-10-08"},
	{id: "QS017", name: "孙浩", typ: gs.FullTime, grid: "QS-17", hired: "2020-08-17"},
	{id: "QS018", name: "罗春梅", typ: gs.PartTime, grid: "QS-18", hired: "2019-04-01", subsidyYuan: 1500},
	{id: "QS019", name: "高建军", typ: gs.FullTime, grid: "QS-19", hired: "2016-03-14", left: "2023-08-15"},
	{id: "QS020", name: "朱文博", typ: gs.PartTime, grid: "QS-20", hired: "2021-06-21", subsidyYuan: 1500},
	{id: "QS021", name: "谢雨欣", typ: gs.FullTime, grid: "QS-19", hired: "2023-08-16"},
}

// calendarDays are the town center's own calendar days for the quarter: a
// Saturday of flood-prevention duty made a workday, and the official
// Mid-Autumn / National Day arrangement restated so the center sees it.
var calendarDays = []gs.CalendarDay{
	{Date: date("2023-07-15"), Kind: gs.DayWorkday, Name: "防汛应急值班", Town: TownName},
	{Date: date("2023-09-29"), Kind: gs.DayHoliday, Name: "中秋节", Town: TownName},
	{Date: date("2023-10-07"), Kind: gs.DayWorkday, Name: "国庆节调休上班", Town: TownName},
	{Date: date("2023-10-08"), Kind: gs.DayWorkday, Name: "国庆节调休上班", Town: TownName},
}

// gen holds the state of one generation.
type gen struct {
	seed    int64
	cal     *calendar.Calendar
	q       gs.Quarter
	recs    *gs.Records
	workers []*worker
	byID    map[string]*gs.Worker
	leaves  map[string][]gs.Leave
}

// Town returns the records of 青山镇 for 2023Q3, generated from seed: grids,
// workers, events, logins, patrols, leaves, the special-population register,
// department rosters, visits, meetings and attendance, findings, spot
// checks, satisfaction ballots and calendar overrides. The same seed always
// gives the same records. The seed drives times, counts and the names and
// numbers of residents; the roster of workers and what each poor performer
// does wrong are fixed, so every seed triggers every rule.
func Town(seed int64) *gs.Records {
	g := &gen{
		seed:   seed,
		cal:    calendar.New(calendarDays),
		q:      Quarter(),
		recs:   &gs.Records{},
		byID:   map[string]*gs.Worker{},
		leaves: map[string][]gs.Leave{},
	}
	g.addGridsAndWorkers()
	g.recs.Calendar = append(g.recs.Calendar, calendarDays...)
	g.addLeaves()
	for _, w := range g.workers {
		g.addEvents(w)
		g.addLogins(w)
		g.addPatrols(w)
	}
	g.addRegister()
	g.addVisits()
	g.addMeetings()
	g.addQuizzes()
	g.addBallots()
	g.addFindings()
	g.assignIDs()
	return g.recs
}

// addGridsAndWorkers adds the grids and the workers with their phone numbers.
func (g *gen) addGridsAndWorkers() {
	for _, gr := range grids {
		g.recs.Grids = append(g.recs.Grids, gs.Grid{Code: gr.code, Name: gr.name, Community: gr.community, Town: TownName})
	}
	r := g.rand("phones")
	for i := range workers {
		w := workers[i] // a copy: the plan is shared by concurrent calls
		w.p = profiles[w.id]
		g.workers = append(g.workers, &w)
		rec := gs.Worker{
			ID:        w.id,
			Name:      w.name,
			Type:      w.typ,
			Stationed: w.stationed,
			GridCode:  w.grid,
			HiredOn:   date(w.hired),
			Phone:     phoneNumber(r),
		}
		if w.left != "" {
			rec.LeftOn = date(w.left)
		}
		if w.subsidyYuan > 0 {
			f := gs.Fen(w.subsidyYuan * 100)
			rec.QuarterlySubsidyFen = &f
		}
		g.recs.Workers = append(g.recs.Workers, rec)
	}
	for i := range g.recs.Workers {
		g.byID[g.recs.Workers[i].ID] = &g.recs.Workers[i]
	}
}

// addLeaves adds each worker's approved leave.
func (g *gen) addLeaves() {
	for _, w := range g.workers {
		for _, l := range w.p.leaves {
			rec := gs.Leave{WorkerID: w.id, From: date(l.from), To: date(l.to), Reason: l.reason}
			g.recs.Leaves = append(g.recs.Leaves, rec)
			g.leaves[w.id] = append(g.leaves[w.id], rec)
		}
	}
}

// rand returns a random source for one part of the generation. Each part has
// its own stream, so that changing one worker's records leaves the others'
// unchanged.
func (g *gen) rand(label string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(label))
	return rand.New(rand.NewPCG(uint64(g.seed), h.Sum64()))
}

// onLeave reports whether the worker is on approved leave on day d.
func (g *gen) onLeave(id string, d gs.Date) bool {
	for _, l := range g.leaves[id] {
		if l.From <= d && d <= l.To {
			return true
		}
	}
	return false
}

// isDuty reports whether d is a duty day of the worker (RULES.md §0).
func (g *gen) isDuty(id string, d gs.Date) bool {
	return g.cal.IsWorkday(TownName, d) && g.byID[id].InPost(d) && !g.onLeave(id, d)
}

// dutyDays returns the worker's duty days from..to inclusive.
func (g *gen) dutyDays(id string, from, to gs.Date) []gs.Date {
	var out []gs.Date
	for d := from; d <= to; d++ {
		if g.isDuty(id, d) {
			out = append(out, d)
		}
	}
	return out
}

// workdays counts the workdays from..to inclusive.
func (g *gen) workdays(from, to gs.Date) int { return g.cal.Workdays(TownName, from, to) }

// inPost returns the worker in post in the grid on day d, or nil.
func (g *gen) inPost(gridCode string, d gs.Date) *gs.Worker {
	for i := range g.recs.Workers {
		if w := &g.recs.Workers[i]; w.GridCode == gridCode && w.InPost(d) {
			return w
		}
	}
	return nil
}

// at returns the instant h:m:s on day d, CST.
func at(d gs.Date, h, m, s int) time.Time {
	return d.Start().Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
}

// randTime returns a random whole-second instant on day d between the times
// of day from and to (given as minutes after midnight).
func randTime(r *rand.Rand, d gs.Date, fromMin, toMin int) time.Time {
	return at(d, 0, fromMin+r.IntN(toMin-fromMin), r.IntN(60))
}

// date parses a 2006-01-02 date of the plan; it panics on a typo, which the
// package's tests catch.
func date(s string) gs.Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic("demo: bad date " + s)
	}
	return gs.NewDate(t.Year(), t.Month(), t.Day())
}

// ts parses a 2006-01-02 15:04 timestamp of the plan, in CST.
func ts(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, gs.CST)
	if err != nil {
		panic("demo: bad timestamp " + s)
	}
	return t
}

// sortBy sorts a slice stably by the key.
func sortBy[T any](s []T, less func(a, b *T) bool) {
	sort.SliceStable(s, func(i, j int) bool { return less(&s[i], &s[j]) })
}
