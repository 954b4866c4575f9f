package app

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
)

// patrolMargin is how many days before the quarter patrols are loaded, so
// that a patrol of the last evening before the quarter that runs into its
// first day merges as RULES.md §5 says.
const patrolMargin = 7

// wholeWorkers is the most workers whose records are read and assessed at
// once, the tables read in storage order (a district's: about 400 MB at
// most in memory); a larger store is read and assessed rangeWorkers at a
// time, each range's records read through the worker indexes while the
// previous range is assessed, so that at most two ranges' records (under
// 100 MB each) are in memory whatever the store's size. Small ranges also
// keep the collector's work small (it scans what is alive); at 100,000
// workers ranges of 1,000 took 17 % less time than ranges of 2,500, and
// ranges of 500 no less.
const (
	wholeWorkers = 5000
	rangeWorkers = 1000
)

// TuneGCForBatch sets the process's garbage collector for a one-shot batch
// assessment (the command line): the records of a chunk are garbage once
// assessed, so rather than collect every time the heap doubles, collect only
// as the heap nears limit. A server, which assesses while serving pages,
// keeps the default. It returns a function restoring the settings.
func TuneGCForBatch(limit int64) (restore func()) {
	oldLimit := debug.SetMemoryLimit(limit)
	oldPercent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}

// ImportHeapLimit is the heap a command-line import collects more often
// near (TuneGCForImport).
const ImportHeapLimit = 512 << 20

// TuneGCForImport sets the process's garbage collector for a one-shot
// command-line import: near a heap of 512 MiB it collects more often than
// at every doubling (at 100,000 workers about 290 MB stay alive, and
// collecting takes about a fifth of the import's CPU). A small import
// (small) does not collect at all until that limit. It returns a function
// restoring the settings.
func TuneGCForImport(small bool) (restore func()) {
	oldLimit := debug.SetMemoryLimit(ImportHeapLimit)
	var oldPercent int
	if small {
		oldPercent = debug.SetGCPercent(-1)
	}
	return func() {
		if small {
			debug.SetGCPercent(oldPercent)
		}
		debug.SetMemoryLimit(oldLimit)
	}
}

// Assess computes the provisional result of quarter q as of asOf from the
// stored records, reading them in one snapshot, worker range by worker
// range (each range with its workers' records and their grids' register,
// rosters and visits, so that memory is bounded by a range whatever the
// store's size), while the engine assesses the previous range on another
// goroutine. It changes nothing.
func (s *Service) Assess(ctx context.Context, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	from, to := assessWindow(q)

	var (
		eng     *engine.Engine
		cal     *calendar.Calendar
		chunks  = make(chan *gs.Records)
		results = make(chan []gs.WorkerResult, 1)
	)
	go func() {
		var all []gs.WorkerResult
		for c := range chunks {
			all = append(all, eng.AssessChunk(c)...)
		}
		results <- all
	}()
	err := s.DB.LoadChunked(ctx, from, to, wholeWorkers, rangeWorkers,
		func(shared *gs.Records) error {
			cal = calendar.New(shared.Calendar)
			eng = engine.New(engine.Input{Scheme: &s.Scheme, Calendar: cal, Records: shared, Quarter: q, AsOf: asOf})
			return nil
		},
		func(part *gs.Records) error {
			select {
			case chunks <- part:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	close(chunks)
	if s.RecordsRead != nil {
		s.RecordsRead()
	}
	all := <-results
	if err != nil {
		return nil, err
	}
	if eng == nil { // nothing was loaded: cannot happen without an error
		return nil, gs.Errorf(gs.EINTERNAL, "未能读取考核数据")
	}
	res := eng.Finish(all)
	noteCalendar(res, cal, q)
	return res, nil
}

// AssessTown computes the provisional result of town's quarter q as of
// asOf from the town's stored records alone, read in one snapshot
// (store.DB.LoadTown): the town's workers, ranked within the town exactly
// as Assess ranks them. It changes nothing.
//
// A store that holds this town alone (a town center's own server) is read
// the way Assess reads a store, which is what its whole content is for:
// the town read finds its rows through the indexes a worker at a time and
// sorts them, and took 0.21 s for a 200-worker town where the whole read
// took 0.07 s (BENCHMARKS.md, "standing and warnings"; rerun with
// go test -run XXX -bench TownStanding200 ./app/).
func (s *Service) AssessTown(ctx context.Context, town string, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	towns, err := s.DB.Towns(ctx)
	if err != nil {
		return nil, err
	}
	if len(towns) == 1 && towns[0] == town {
		return s.Assess(ctx, q, asOf)
	}
	res, _, err := s.assessTown(ctx, town, q, asOf)
	return res, err
}

// assessTown is AssessTown, also returning the records it read.
func (s *Service) assessTown(ctx context.Context, town string, q gs.Quarter, asOf time.Time) (*gs.Result, *gs.Records, error) {
	from, to := assessWindow(q)
	recs, err := s.DB.LoadTown(ctx, town, from, to)
	if err != nil {
		return nil, nil, err
	}
	cal := calendar.New(recs.Calendar)
	res := engine.Assess(engine.Input{Scheme: &s.Scheme, Calendar: cal, Records: recs, Quarter: q, AsOf: asOf})
	noteCalendar(res, cal, q)
	return res, recs, nil
}

// assessWindow is the window of records assessing quarter q reads: the
// quarter, and patrolMargin days before it for patrols crossing into it.
func assessWindow(q gs.Quarter) (from, to time.Time) {
	return q.First().AddDays(-patrolMargin).Start(), q.Last().End()
}

// noteCalendar notes on res that year q.Year has no official holidays in
// cal, so that workdays were taken as Monday to Friday.
func noteCalendar(res *gs.Result, cal *calendar.Calendar, q gs.Quarter) {
	if !cal.HasOfficial(q.Year) {
		res.Notes = append(res.Notes, fmt.Sprintf("%d年没有国家法定节假日数据，工作日按周一至周五计算（本中心在工作日历中录入的调整仍然有效）。", q.Year))
	}
}
