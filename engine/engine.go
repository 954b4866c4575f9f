// Package engine is the scoring engine: a pure function from a scheme, a
// calendar, a quarter's records and the moment as_of to every worker's
// assessment, each deduction itemised with the records it rests on.
//
// It does no I/O and never reads the clock: as_of is an argument. Every
// number comes from the scheme (gridscore.Scheme); RULES.md is the contract.
package engine

import (
	"runtime"
	"sort"
	"sync"
	"time"

	gs "github.com/gridscore/gridscore"
)

// Calendar tells which dates are workdays for the workers of a town
// (RULES.md §0: the official calendar, then the district's days, then the
// town's own). The calendar package implements it; tests may pass their
// own. A worker is judged by the calendar of their grid's town.
type Calendar interface {
	IsWorkday(town string, d gs.Date) bool
}

// Input is everything one assessment depends on.
type Input struct {
	Scheme   *gs.Scheme
	Calendar Calendar
	Records  *gs.Records
	Quarter  gs.Quarter
	// AsOf is the moment of the assessment: open events are judged at it,
	// and before the quarter's end only what fell due by it (RULES.md §9).
	AsOf time.Time
}

// Assess computes the assessment of the quarter for every worker in post on
// at least one day of it (RULES.md §1–§7); as of a moment inside the
// quarter, their standing (§9). Workers are listed by town, then
// rank, then worker_id; workers who are not assessed follow the ranked ones
// of their town.
func Assess(in Input) *gs.Result {
	e := New(in)
	return e.Finish(e.AssessChunk(in.Records))
}

// Engine assesses one quarter chunk by chunk: New indexes what every
// worker's assessment may look at (every worker, grid and meeting, and the
// calendar of each town, as its workers are first assessed), AssessChunk assesses the workers it is given with their own
// records and those of their grids, and Finish ranks all the results. A
// town or a province is thus assessed without holding its records in memory
// at once. An Engine is safe for concurrent AssessChunk calls.
type Engine struct {
	ix *index
	in Input
}

// New indexes the workers, grids and meetings of in.Records for the
// quarter; its other kinds are not used (they come with each chunk).
func New(in Input) *Engine {
	return &Engine{ix: newIndex(in), in: in}
}

// AssessChunk assesses every listed worker (in post on a day of the quarter)
// who has any event, login or patrol in chunk, or whose id is in
// chunk.Workers. chunk must hold all of those workers' events, logins,
// patrols, leaves, findings, quizzes, ballots and attendance of the
// quarter, the register and rosters of their grids, the register entries
// of the persons on those rosters, and the visits of the persons on those
// grids' register; more does no harm.
func (e *Engine) AssessChunk(chunk *gs.Records) []gs.WorkerResult {
	ch := newChunk(chunk, e.ix)
	ids := map[string]bool{}
	for i := range chunk.Workers {
		ids[chunk.Workers[i].ID] = true
	}
	var todo []*gs.Worker
	for _, w := range e.ix.workerList {
		if !ids[w.ID] && ch.events[w.ID] == nil && ch.loginDays[w.ID] == nil && ch.patrols[w.ID] == nil {
			continue
		}
		if e.ix.listed(w) {
			todo = append(todo, w)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	// Workers are independent of each other: assess contiguous parts of the
	// list on every core, each into its own place, so the result is the same
	// as one after another.
	out := make([]gs.WorkerResult, len(todo))
	parts := min(runtime.GOMAXPROCS(0), (len(todo)+minParallelWorkers-1)/minParallelWorkers)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(todo)/parts, (p+1)*len(todo)/parts
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				out[i] = e.ix.assessWorker(todo[i], ch)
			}
		})
	}
	wg.Wait()
	return out
}

// minParallelWorkers is the fewest workers a goroutine of AssessChunk is
// given: below it, starting goroutines costs more than it saves.
const minParallelWorkers = 64

// Finish ranks the results of all chunks and returns the quarter's result,
// listed by town, rank and worker id.
func (e *Engine) Finish(workers []gs.WorkerResult) *gs.Result {
	res := &gs.Result{
		Quarter:    e.in.Quarter.String(),
		AsOf:       e.in.AsOf.In(gs.CST).Truncate(time.Second),
		Scheme:     e.in.Scheme.ID,
		SchemeName: e.in.Scheme.Name,
		Workers:    workers,
		// Past the quarter's last day only open events are judged at as_of
		// (their cards and the sentence 截至…仍未办结); every other rule
		// looks at the quarter's days, all of which have elapsed.
		Settled: e.ix.today > e.ix.last && !e.ix.judgedOpen.Load(),
	}
	if res.Settled {
		// As of any moment after the quarter's last day only the events
		// open at it are judged at it (cardOf): from the latest closing of
		// an event judged closed, nothing changes.
		res.SettledFrom = e.ix.last.End()
		if c := time.Unix(e.ix.closedBy.Load(), 0); c.After(res.SettledFrom) {
			res.SettledFrom = c
		}
		res.SettledFrom = res.SettledFrom.In(gs.CST)
	}
	if res.Workers == nil {
		res.Workers = []gs.WorkerResult{}
	}
	rank(res.Workers)
	return res
}

// assessWorker computes one listed worker's result.
func (ix *index) assessWorker(w *gs.Worker, ch *chunk) gs.WorkerResult {
	r := gs.WorkerResult{
		WorkerID:   w.ID,
		Name:       w.Name,
		Type:       w.Type,
		Town:       ix.grids[w.GridCode].Town,
		GridCode:   w.GridCode,
		Deductions: []gs.Deduction{},
		Flags:      []string{},
	}
	if ok, reason := ix.eligible(w); !ok {
		r.Reason = reason
		r.Pay = ix.pay(w, nil)
		return r
	}
	r.Eligible = true
	wc := ix.newWorkerContext(w, ch)
	var ds []gs.Deduction
	ds = append(ds, ix.findingDeductions(wc)...)
	ds = append(ds, ix.quota(wc)...)
	ds = append(ds, ix.batch(wc)...)
	ds = append(ds, ix.cards(wc)...)
	ds = append(ds, ix.irregular(wc)...)
	ds = append(ds, ix.seriousLate(wc)...)
	ds = append(ds, ix.missingEntry(wc)...)
	ds = append(ds, ix.visits(wc)...)
	ds = append(ds, ix.logins(wc)...)
	ds = append(ds, ix.patrols(wc)...)
	ds = append(ds, ix.meetings(wc)...)
	ds = append(ds, ix.quiz(wc)...)
	sortDeductions(ds)
	if ds != nil {
		r.Deductions = ds
	}

	sat, noBallots := ix.satisfaction(wc)
	cats := categoryScores(ix.scheme, ds, sat)
	total := cats.Info + cats.Events + cats.KeyWork + cats.Discipline + cats.Satisfaction
	r.Categories = &cats
	r.Total = &total
	if noBallots {
		r.Flags = append(r.Flags, gs.FlagNoBallots)
	}
	for _, d := range ds {
		if d.Rule == gs.RuleDisciplineDisobey {
			r.Flags = append(r.Flags, gs.FlagInterviewDue)
			break
		}
	}
	r.Pay = ix.pay(w, &total)
	r.Warnings = ix.warnings(wc)
	return r
}

// categoryScores sums the deductions per category and floors each category
// at 0 (扣完为止) under scheme s.
func categoryScores(s *gs.Scheme, ds []gs.Deduction, satisfaction gs.Points) gs.CategoryScores {
	sum := map[gs.CategoryID]gs.Points{}
	for _, d := range ds {
		sum[gs.CategoryOf(d.Rule)] += d.Points
	}
	score := func(c gs.CategoryID) gs.Points {
		return max(0, s.Max[c]-sum[c])
	}
	return gs.CategoryScores{
		Info:         score(gs.CatInfo),
		Events:       score(gs.CatEvents),
		KeyWork:      score(gs.CatKeyWork),
		Discipline:   score(gs.CatDiscipline),
		Satisfaction: satisfaction,
	}
}

// ruleOrder orders rules as RULES.md lists them.
var ruleOrder = func() map[gs.RuleID]int {
	m := map[gs.RuleID]int{}
	for i, r := range gs.AllRules {
		m[r] = i
	}
	return m
}()

// sortDeductions orders deductions by rule (as RULES.md lists them), then
// period, then first evidence id.
func sortDeductions(ds []gs.Deduction) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Rule != b.Rule {
			return ruleOrder[a.Rule] < ruleOrder[b.Rule]
		}
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		return firstOf(a.Evidence) < firstOf(b.Evidence)
	})
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// rank gives eligible workers of the same town competition ranks by total
// (1, 2, 2, 4) and orders the list by town, rank, worker_id.
func rank(ws []gs.WorkerResult) {
	byTown := map[string][]int{}
	for i := range ws {
		if ws[i].Eligible {
			byTown[ws[i].Town] = append(byTown[ws[i].Town], i)
		}
	}
	for _, idx := range byTown {
		sort.Slice(idx, func(a, b int) bool { return *ws[idx[a]].Total > *ws[idx[b]].Total })
		for pos, i := range idx {
			rk := pos + 1
			if pos > 0 && *ws[idx[pos-1]].Total == *ws[i].Total {
				rk = *ws[idx[pos-1]].Rank
			}
			ws[i].Rank = &rk
		}
	}
	gs.SortWorkerResults(ws)
}
