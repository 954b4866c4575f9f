package gen

import (
	"math/rand/v2"
	"strconv"
	"time"

	gs "github.com/gridscore/gridscore"
)

// town is the state of one town's generation. Its slices are reused from
// one town to the next.
type town struct {
	g    *generator
	pcg  *rand.PCG
	r    *rand.Rand
	idx  int
	size int

	prefix string // "T0001-", the start of every id of the town
	base   string // 青山
	name   string // 青山镇
	kind   townKind

	recs    gs.Records
	grids   []gridPlan
	workers []workerPlan

	dayBuf    []int16 // scratch lists of day indices
	dayBuf2   []int16
	idBuf     []byte // scratch for building ids
	perm      []int
	usedNames []bool // community names taken in the town
}

// gridPlan is one grid: its code, whether it is a village grid, and the
// workers in post in it during the quarter (at most two, one after the
// other; -1 for none).
type gridPlan struct {
	code      string
	community string
	village   bool
	holders   [2]int
}

// workerPlan is one worker with what shapes the quarter's records: the days
// in post and on duty, and the profile.
type workerPlan struct {
	id        string
	grid      int
	typ       gs.WorkerType
	stationed bool
	village   bool
	inPost    mask // days of the quarter in post
	duty      mask // duty days: workdays in post and not on leave
	onLeave   mask
	poor      bool
	f         faults
}

// newTown returns a town generator of g, ready for reset.
func newTown(g *generator) *town {
	t := &town{g: g, pcg: rand.NewPCG(0, 0)}
	t.r = rand.New(t.pcg)
	return t
}

// reset starts town i of the given size, reseeding the town's stream.
func (t *town) reset(i, size int) {
	t.idx, t.size = i, size
	t.pcg.Seed(uint64(t.g.opts.Seed)^0x5eed5eed, uint64(i))
	t.prefix = "T" + pad(i+1, t.g.idWidth) + "-"
	t.base, t.kind = t.g.names.name(i)
	t.name = t.base + t.kind.suffix
	r := &t.recs
	r.Grids, r.Workers, r.Events, r.Logins, r.Patrols = r.Grids[:0], r.Workers[:0], r.Events[:0], r.Logins[:0], r.Patrols[:0]
	r.Leaves, r.Register, r.Rosters, r.Visits, r.Meetings = r.Leaves[:0], r.Register[:0], r.Rosters[:0], r.Visits[:0], r.Meetings[:0]
	r.Attendance, r.Findings, r.Quizzes, r.Ballots, r.Calendar = r.Attendance[:0], r.Findings[:0], r.Quizzes[:0], r.Ballots[:0], r.Calendar[:0]
	t.grids, t.workers = t.grids[:0], t.workers[:0]
}

// build generates the whole town into t.recs.
func (t *town) build() {
	t.addGridsAndWorkers()
	t.addLeaves()
	for i := range t.workers {
		w := &t.workers[i]
		w.duty = t.g.days.workMask.and(w.inPost)
		w.duty[0] &^= w.onLeave[0]
		w.duty[1] &^= w.onLeave[1]
		t.planProfile(w)
	}
	for i := range t.workers {
		t.addEvents(i)
		t.addLogins(i)
		t.addPatrols(i)
	}
	t.addRegister()
	t.addVisits()
	t.addMeetings()
	t.addQuizzes()
	t.addFindings()
	t.addBallots()
	t.assignIDs()
}

// addGridsAndWorkers lays out the town: its communities and villages, a
// grid for each, a worker in post in each, a few who leave mid-quarter with
// a replacement hired after their last day, and a few recent hires.
func (t *town) addGridsAndWorkers() {
	r, d, q := t.r, t.g.days, t.g.q
	leavers := t.size * 15 / 1000
	if r.IntN(1000) < t.size*15%1000 {
		leavers++
	}
	if t.size < 20 {
		leavers = 0
	}
	nGrids := t.size - leavers
	urban := (nGrids*t.kind.urbanShare + 50) / 100
	codeWidth := max(3, len(strconv.Itoa(nGrids)))

	// Communities and villages of a few grids each, with place names no
	// two of the town share.
	nNames := len(placeFirst) * len(placeSecond)
	t.usedNames = append(t.usedNames[:0], make([]bool, nNames)...)
	community, left, village := "", 0, false
	for g := range nGrids {
		if left == 0 {
			village = g >= urban
			j := r.IntN(nNames)
			for t.usedNames[j] {
				j = (j + 1) % nNames
			}
			t.usedNames[j] = true
			community = placeFirst[j/len(placeSecond)] + placeSecond[j%len(placeSecond)]
			if village {
				community += "村"
				left = 2 + r.IntN(3)
			} else {
				community += "社区"
				left = 3 + r.IntN(5)
			}
			if !village && g+left > urban {
				left = urban - g
			}
		}
		left--
		t.grids = append(t.grids, gridPlan{code: t.prefix + "G" + pad(g+1, codeWidth), community: community, village: village, holders: [2]int{-1, -1}})
	}
	// Number each grid within its community.
	for g, n := 0, 0; g < nGrids; g++ {
		if g > 0 && t.grids[g].community != t.grids[g-1].community {
			n = 0
		}
		gr := &t.grids[g]
		name := gr.community + "第" + strconv.Itoa(n+1) + "网格"
		if n < len(ordinals) {
			name = gr.community + ordinals[n] + "网格"
		}
		n++
		t.recs.Grids = append(t.recs.Grids, gs.Grid{Code: gr.code, Name: name, Community: gr.community, Town: t.name})
	}

	// One worker per grid, then the replacements of the leavers.
	latestEligible := q.Last().AddMonths(-6)
	earliest := gs.NewDate(2012, 3, 1)
	for g := range nGrids {
		hired := earliest.AddDays(r.IntN(int(latestEligible - earliest)))
		if r.IntN(100) < 2 {
			// A recent hire, not yet eligible.
			hired = latestEligible.AddDays(1 + r.IntN(int(q.First()-latestEligible)+20))
		}
		t.addWorker(g, weekday(hired), 0)
	}
	t.perm = permInto(r, t.perm, nGrids)
	for _, g := range t.perm {
		if leavers == 0 {
			break
		}
		i := t.grids[g].holders[0]
		rec := &t.recs.Workers[i]
		if rec.HiredOn >= d.first {
			continue // a recent hire does not leave at once
		}
		leavers--
		rec.LeftOn = d.first.AddDays(15 + r.IntN(max(1, d.n-40)))
		t.workers[i].inPost = inPostMask(d, rec.HiredOn, rec.LeftOn)
		t.addWorker(g, weekday(rec.LeftOn.AddDays(1+r.IntN(10))), 1)
	}
}

// addWorker adds a worker in post in grid g from hired on, as the grid's
// holder number slot.
func (t *town) addWorker(g int, hired gs.Date, slot int) {
	r := t.r
	gr := &t.grids[g]
	i := len(t.workers)
	gr.holders[slot] = i
	w := workerPlan{grid: g, village: gr.village, typ: gs.FullTime}
	partShare, stationedShare := 8, 40
	if gr.village {
		partShare, stationedShare = 18, 10
	}
	if r.IntN(100) < partShare {
		w.typ = gs.PartTime
	} else {
		w.stationed = r.IntN(100) < stationedShare
	}
	w.id = t.prefix + "W" + pad(i+1, 4)
	w.inPost = inPostMask(t.g.days, hired, 0)
	rec := gs.Worker{
		ID:        w.id,
		Name:      personName(r, r.IntN(100) < 52),
		Type:      w.typ,
		Stationed: w.stationed,
		GridCode:  gr.code,
		HiredOn:   hired,
		Phone:     phoneNumber(r),
	}
	if w.typ == gs.PartTime {
		f := gs.Fen(150000)
		if r.IntN(10) < 3 {
			f = 180000
		}
		rec.QuarterlySubsidyFen = &f
	}
	t.workers = append(t.workers, w)
	t.recs.Workers = append(t.recs.Workers, rec)
}

// inPostMask returns the days of the quarter from hired to left (zero: no
// end).
func inPostMask(d *days, hired, left gs.Date) mask {
	from := max(0, int(hired-d.first))
	to := d.n - 1
	if !left.IsZero() {
		to = min(to, int(left-d.first))
	}
	var m mask
	m.setRange(from, to)
	return m
}

// weekday moves a weekend date to the Monday after: people start a job on a
// weekday.
func weekday(d gs.Date) gs.Date {
	switch d.Weekday() {
	case time.Saturday:
		return d + 2
	case time.Sunday:
		return d + 1
	}
	return d
}

// leaveReasons are the kinds of leave with their usual length in workdays.
var leaveReasons = []struct {
	reason   string
	min, max int
}{
	{"年休假", 3, 5}, {"年休假", 2, 5}, {"病假", 1, 3}, {"病假", 1, 2}, {"事假", 1, 2}, {"婚假", 3, 5}, {"丧假", 1, 3},
}

// addLeaves gives a few workers approved leave: a run of workdays while in
// post.
func (t *town) addLeaves() {
	r, d := t.r, t.g.days
	for i := range t.workers {
		if r.IntN(100) >= 6 {
			continue
		}
		w := &t.workers[i]
		work := d.workMask.and(w.inPost).list(0, d.n, t.dayBuf[:0])
		t.dayBuf = work
		if len(work) < 10 {
			continue
		}
		kind := leaveReasons[r.IntN(len(leaveReasons))]
		n := kind.min + r.IntN(kind.max-kind.min+1)
		start := r.IntN(len(work) - n)
		from, to := int(work[start]), int(work[start+n-1])
		w.onLeave.setRange(from, to)
		t.recs.Leaves = append(t.recs.Leaves, gs.Leave{
			WorkerID: w.id, From: d.first.AddDays(from), To: d.first.AddDays(to), Reason: kind.reason,
		})
	}
}

// permInto returns a random permutation of 0..n-1, reusing buf.
func permInto(r *rand.Rand, buf []int, n int) []int {
	buf = buf[:0]
	for i := range n {
		buf = append(buf, i)
	}
	r.Shuffle(n, func(i, j int) { buf[i], buf[j] = buf[j], buf[i] })
	return buf
}

// pad formats n zero-padded to width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
