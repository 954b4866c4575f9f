package gen

import gs "github.com/gridscore/gridscore"

// poorShare is the per cent of workers who are poor performers: two to four
// faults each, drawn from faultWeights.
const poorShare = 11

// slipShare is the per cent of the other workers who slip once in the
// quarter.
const slipShare = 20

// fault is one kind of thing a poor performer does wrong.
type fault int

const (
	faultShortMonth   fault = iota // a month short of the event quota
	faultBurst                     // a month's events entered in a burst at month end
	faultCards                     // events closed late: yellow or red cards
	faultIrregular                 // events entered irregularly
	faultSeriousLate               // a serious event reported hours late
	faultLogins                    // duty days without a login
	faultPatrols                   // patrols missing, short or never ended
	faultMeeting                   // absent from a meeting
	faultQuiz                      // several wrong answers in the spot check
	faultFindings                  // findings of the center's checks
	faultBallots                   // many unsatisfied ballots
	faultLateVisit                 // a special-population visit after the 28th
	faultMissingEntry              // a roster person not entered on the register
	nFaults
)

// faultWeights are how common each fault is among poor performers.
var faultWeights = [nFaults]int{
	faultShortMonth: 14, faultBurst: 5, faultCards: 9, faultIrregular: 6, faultSeriousLate: 3,
	faultLogins: 10, faultPatrols: 10, faultMeeting: 5, faultQuiz: 6, faultFindings: 16,
	faultBallots: 8, faultLateVisit: 5, faultMissingEntry: 3,
}

// faults is what a worker does wrong in the quarter; the zero month fields
// are -1 for "none".
type faults struct {
	shortMonth    int8 // month index (0..2) short of the quota
	short         int8 // events short of the total quota
	shortReported bool // short of reported events instead of the total
	burstMonth    int8
	yellow, red   int8
	irregular     int8
	seriousLate   bool
	gaps          [6]gap
	nGaps         int8
	absent        int8 // index of a meeting (0..3) the worker misses
	quizWrong     int8 // wrong answers when checked; 0 = as luck has it
	findings      int8
	unsatisfied   int8 // per cent of the worker's ballots unsatisfied
	lateVisit     int8 // month of a late visit
	missingEntry  bool
}

// gap is a duty day on which something is missing.
type gap struct {
	day  int16
	what gapKind
}

// gapKind is what a gap misses.
type gapKind uint8

const (
	gapApp            gapKind = iota + 1 // no login on the grid app
	gapPC                                // no login on the PC (stationed workers)
	gapMorningMiss                       // the morning patrol is missing
	gapMorningShort                      // the morning patrol is under three hours
	gapAfternoonMiss                     // the afternoon patrol is missing
	gapAfternoonNoEnd                    // the afternoon patrol was never ended
)

// has reports whether the worker has a gap of kind k on day i.
func (f *faults) has(i int, k gapKind) bool {
	for _, g := range f.gaps[:f.nGaps] {
		if int(g.day) == i && g.what == k {
			return true
		}
	}
	return false
}

// addGap adds a gap on a random day of duty, if there is room.
func (f *faults) addGap(duty []int16, pick func(int) int, k gapKind) {
	if int(f.nGaps) < len(f.gaps) && len(duty) > 0 {
		f.gaps[f.nGaps] = gap{day: duty[pick(len(duty))], what: k}
		f.nGaps++
	}
}

// planProfile decides whether the worker is a poor performer and what they
// do wrong.
func (t *town) planProfile(w *workerPlan) {
	r := t.r
	w.f = faults{shortMonth: -1, burstMonth: -1, lateVisit: -1, absent: -1, unsatisfied: int8(1 + r.IntN(5))}
	w.poor = r.IntN(100) < poorShare
	if !w.poor {
		// A good worker slips now and then: a day without a login, a
		// short patrol, an event entered carelessly.
		if r.IntN(100) < slipShare {
			duty := w.duty.list(0, t.g.days.n, t.dayBuf[:0])
			t.dayBuf = duty
			switch r.IntN(3) {
			case 0:
				w.f.addGap(duty, r.IntN, gapApp)
			case 1:
				w.f.addGap(duty, r.IntN, gapMorningShort)
			default:
				w.f.irregular = 1
			}
		}
		return
	}
	total := 0
	for _, wt := range faultWeights {
		total += wt
	}
	var chosen [nFaults]bool
	for n := 2 + r.IntN(3); n > 0; {
		x := r.IntN(total)
		k := fault(0)
		for x >= faultWeights[k] {
			x -= faultWeights[k]
			k++
		}
		if !chosen[k] {
			chosen[k] = true
			n--
		}
	}
	duty := w.duty.list(0, t.g.days.n, t.dayBuf[:0])
	t.dayBuf = duty
	f := &w.f
	for k, on := range chosen {
		if !on {
			continue
		}
		switch fault(k) {
		case faultShortMonth:
			f.shortMonth = int8(r.IntN(3))
			f.short = int8(2 + r.IntN(12))
			f.shortReported = r.IntN(10) < 3
		case faultBurst:
			f.burstMonth = int8(r.IntN(3))
		case faultCards:
			if r.IntN(10) < 7 {
				f.yellow = int8(1 + r.IntN(2))
			} else {
				f.red = 1
			}
		case faultIrregular:
			f.irregular = int8(1 + r.IntN(4))
		case faultSeriousLate:
			f.seriousLate = true
		case faultLogins:
			for range 1 + r.IntN(3) {
				f.addGap(duty, r.IntN, gapApp)
			}
			if w.stationed && w.typ == gs.FullTime {
				f.addGap(duty, r.IntN, gapPC)
			}
		case faultPatrols:
			for range 1 + r.IntN(4) {
				k := [...]gapKind{gapMorningMiss, gapAfternoonMiss, gapMorningShort, gapAfternoonNoEnd}[r.IntN(4)]
				f.addGap(duty, r.IntN, k)
			}
		case faultMeeting:
			f.absent = int8(r.IntN(4))
		case faultQuiz:
			f.quizWrong = int8(2 + r.IntN(4))
		case faultFindings:
			f.findings = int8(1 + r.IntN(2))
		case faultBallots:
			f.unsatisfied = int8(10 + r.IntN(21))
		case faultLateVisit:
			f.lateVisit = int8(r.IntN(3))
		case faultMissingEntry:
			f.missingEntry = true
		}
	}
}
