// Package app holds the product's services: the use cases that join the
// adapters (the store, the file reader) to the domain and the pure engine.
// Each service method is one transaction of the store.
package app

import (
	"cmp"
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"sync"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// Service runs the use cases on one store with one scheme.
type Service struct {
	DB     Store
	Scheme gs.Scheme
	// Now is the clock of the quarter's life (when a quarter is published,
	// an appeal made); nil means time.Now.
	Now func() time.Time
	// ExportRows is the most rows a list's download holds (MaxExportRows
	// when 0).
	ExportRows int
	// RecordsRead, when set, is called by Assess once it has read every
	// record, before the last of them are assessed: a command timing its
	// steps sets it.
	RecordsRead func()
	// Computing, when set, is called by AssessKept when it computes the
	// quarter instead of reading kept results, before the records are
	// read: the command line reserves the memory the assessment needs.
	Computing func()
	// KeepInBackground makes LiveTown keep the live results it computes in
	// the store in the background (a server: a page does not wait for the
	// write, see keepLive); call Wait before closing the store.
	KeepInBackground bool
	// townChecked, when set, is called by PushRecords once its records
	// passed the town check, before they are written, and by CommitUpload
	// once its records passed it and were written, before the commit: a
	// test holds a push or an upload there while another of the same keys
	// runs.
	townChecked func()

	// rules identifies the scheme and the build for live results (see
	// rulesKey), worked out once.
	rulesOnce sync.Once
	rules     string
	// memo holds the live results read or computed lately, decoded, so
	// that a page showing many towns does not decode each again (live.go).
	memo liveMemo
	// saves holds the live results waiting to be kept in the store
	// (KeepInBackground).
	saves liveSaves
	// towns holds the towns' grids, workers, meetings and calendar days
	// last read to bring a live result up to date (live_update.go).
	towns townRefs
	// workers holds every worker with their town, read at one version of
	// the records (townWorkers).
	workersMu sync.Mutex
	workers   *townWorkers
}

// townWorkers is every worker with the town of their grid, as read at
// version of the records, and where each worker id is in the list.
type townWorkers struct {
	version int64
	list    []gs.TownWorker
	byID    map[string]int
}

// townWorkers returns every worker with the town of their grid, by id
// (store.DB.TownWorkers), read again only when the records changed. The
// list is shared: callers must not change it.
func (s *Service) townWorkers(ctx context.Context) ([]gs.TownWorker, error) {
	tw, err := s.workersMemo(ctx)
	if err != nil {
		return nil, err
	}
	return tw.list, nil
}

func (s *Service) workersMemo(ctx context.Context) (*townWorkers, error) {
	v, err := s.DB.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.workersMu.Lock()
	tw := s.workers
	s.workersMu.Unlock()
	if tw != nil && tw.version == v {
		return tw, nil
	}
	// The version is read before the workers: a change committed in
	// between leaves the list under the older version, read again next.
	list, err := s.DB.TownWorkers(ctx)
	if err != nil {
		return nil, err
	}
	tw = &townWorkers{version: v, list: list, byID: make(map[string]int, len(list))}
	for i, w := range list {
		tw.byID[w.ID] = i
	}
	s.workersMu.Lock()
	if s.workers == nil || s.workers.version <= v {
		s.workers = tw
	}
	s.workersMu.Unlock()
	return tw, nil
}

// Clock returns the moment it is by the service's clock (Now, or time.Now
// when Now is nil): the one clock the pages, the sessions and the quarter's
// life all read, set once by cmd.
func (s *Service) Clock() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// ImportFiles reads the DATA.md files or folders at paths and writes every
// record, all or nothing: a file that cannot be read, a bad row anywhere or
// a reference to an unknown worker, grid, meeting or person writes nothing
// and returns a *csvfile.Report naming every bad row.
//
// The files stream through in bounded memory, in one transaction of the
// store: one goroutine reads and checks them (csvfile.Scanner) and hands
// chunks of rows over a channel to this one, which writes them
// (store.ImportTx). Once a problem is found nothing more is written, the
// reading goes on to report every problem, and the transaction is rolled
// back.
//
// A file with a header and no rows imports nothing: a note says so when
// other files have rows; when no file has any, the import is refused (a
// problem of each file), so that an empty export is not taken for an
// import done.
func (s *Service) ImportFiles(ctx context.Context, paths ...string) (*ImportResult, error) {
	return s.ImportMappedFiles(ctx, nil, paths...)
}

// ImportResult is what an import of files did: per kind the records
// received, added, changed and unchanged, and remarks for the person who
// imports.
type ImportResult struct {
	Stats store.ImportStats
	Notes []string
	// Quarters are the quarters of the dates of the records read, in
	// order: those whose results the import may have changed most.
	Quarters []gs.Quarter
	// Mapped lists the files read with a mapping (ImportMappedFiles).
	Mapped []MappedFile
}

// emptyFileNotes are the remarks on the files read (sources) that had a
// header and no rows.
func emptyFileNotes(sources []csvfile.Source) []string {
	var notes []string
	for _, src := range sources {
		if src.Empty() {
			notes = append(notes, src.File+" 只有表头，没有数据行，其中没有可导入的数据。")
		}
	}
	return notes
}

// importOptions returns the options of an import of size bytes of files:
// a large one (store.LargeImport) from store.LargeImportBytes.
func importOptions(size int64) []store.ImportOption {
	if size >= store.LargeImportBytes {
		return []store.ImportOption{store.LargeImport()}
	}
	return nil
}

// filesSize returns the total size of the files at paths, folders
// included (their files, at any depth); what cannot be read counts nothing
// (the import reports it).
func filesSize(paths []string) int64 {
	var n int64
	for _, p := range paths {
		filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					n += info.Size()
				}
			}
			return nil
		})
	}
	return n
}

// scanInto reads the files at paths and writes their records into it, as
// ImportFiles describes, with check (if not nil) as the Scanner's Check,
// maxNamed as its MaxNamedRows and mappings as its Mappings; quarters, when
// not nil, gets the quarters of the records' dates (addQuarters).
// It returns the files and sheets read, and nil when every record was
// written, or the first error: a *csvfile.Report, a failure to read or to
// write. The caller commits or rolls back.
//
// check runs on the reading goroutine, the reading going on while the
// writing does. txCheck runs on the goroutine that writes, between its
// writes, so that it may ask it (an ImportTx is not safe for concurrent
// use): an upload's town check reads, and locks, inside the transaction
// the keys that it writes (townScope); the reading waits for its answer.
// A check that asks the store through its pool (the survey guard) is not
// to run there: while the writing holds the town check's locks, pushes
// waiting for them may hold the rest of the pool (a 200-worker town's
// import also took 50–80 ms longer with its check on the writing
// goroutine).
func (s *Service) scanInto(ctx context.Context, it *store.ImportTx, paths []string, check, txCheck func(string, *gs.Records, *csvfile.Origins) []csvfile.Problem, maxNamed int,
	mappings map[string]*gs.Mapping, quarters map[gs.Quarter]bool) ([]csvfile.Source, error) {
	stored, err := it.Known(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sc := &csvfile.Scanner{Known: csvfile.Known{
		GridCodes:  keys(stored.Grids),
		Workers:    stored.Workers,
		MeetingIDs: keys(stored.MeetingIDs),
		PersonIDs:  keys(stored.PersonIDs),
	}, Check: check, MaxNamedRows: maxNamed, Mappings: mappings}
	// A check asked of the reading goroutine, answered by the writing one.
	type checkCall struct {
		kind   string
		recs   *gs.Records
		orgs   *csvfile.Origins
		answer chan []csvfile.Problem
	}
	checks := make(chan checkCall)
	if txCheck != nil {
		sc.Check = func(kind string, recs *gs.Records, orgs *csvfile.Origins) []csvfile.Problem {
			var ps []csvfile.Problem
			if check != nil {
				ps = check(kind, recs, orgs)
			}
			c := checkCall{kind, recs, orgs, make(chan []csvfile.Problem, 1)}
			select {
			case checks <- c:
				return append(ps, <-c.answer...)
			case <-ctx.Done():
				return nil // the Scanner stops at the cancelled context
			}
		}
	}
	// The reading goroutine also turns each chunk into the rows of its
	// table (store.PrepareRows), so that this one only writes.
	type chunk struct {
		recs *gs.Records // noted (it.Note): what the import outdates
		rows *store.ImportRows
	}
	chunks := make(chan chunk, 4)
	scanned := make(chan error, 1)
	go func() {
		defer close(chunks)
		scanned <- sc.Scan(ctx, paths, func(recs *gs.Records) error {
			if quarters != nil {
				addQuarters(quarters, recs)
			}
			select {
			case chunks <- chunk{recs, store.PrepareRows(recs)}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var writeErr error
	for in := chunks; in != nil; {
		select {
		case c := <-checks:
			var ps []csvfile.Problem
			if writeErr == nil { // else the transaction may be aborted
				ps = txCheck(c.kind, c.recs, c.orgs)
			}
			c.answer <- ps
		case c, ok := <-in:
			switch {
			case !ok:
				in = nil // the reading is over: it asks no more checks
			case writeErr == nil:
				if writeErr = it.Note(ctx, c.recs); writeErr == nil {
					writeErr = it.WriteRows(ctx, c.rows)
				}
				if writeErr != nil {
					cancel() // stops the reading; the chunks left are drained
				}
			}
		}
	}
	if err := <-scanned; writeErr == nil && err != nil {
		writeErr = err // a *csvfile.Report, or a failure to read
	}
	return sc.Sources, writeErr
}

// addQuarters adds to set the quarters recs's dated records belong to: of
// the day an event was reported, a login, a patrol began, a leave begins, a
// visit, meeting, finding or quiz took place, or a ballot was cast. Which
// quarters an import computes ahead rests on it (KeepAssessed), not what a
// result is: every kept result names the version of the records it was
// computed from. A deadline or closing in a later quarter does not add that
// quarter: an import of one quarter's files would compute the next one too,
// with almost none of its records.
func addQuarters(set map[gs.Quarter]bool, recs *gs.Records) {
	at := func(t time.Time) {
		if !t.IsZero() {
			set[gs.QuarterOf(gs.DateOf(t))] = true
		}
	}
	on := func(d gs.Date) {
		if !d.IsZero() {
			set[gs.QuarterOf(d)] = true
		}
	}
	for i := range recs.Events {
		at(recs.Events[i].ReportedAt)
	}
	for i := range recs.Logins {
		at(recs.Logins[i].At)
	}
	for i := range recs.Patrols {
		at(recs.Patrols[i].StartedAt)
	}
	for i := range recs.Leaves {
		on(recs.Leaves[i].From)
	}
	for i := range recs.Visits {
		at(recs.Visits[i].VisitedAt)
	}
	for i := range recs.Meetings {
		on(recs.Meetings[i].HeldOn)
	}
	for i := range recs.Findings {
		on(recs.Findings[i].OccurredOn)
	}
	for i := range recs.Quizzes {
		on(recs.Quizzes[i].TakenOn)
	}
	for i := range recs.Ballots {
		at(recs.Ballots[i].CastAt)
	}
}

// sortedQuarters returns the quarters of set in order.
func sortedQuarters(set map[gs.Quarter]bool) []gs.Quarter {
	qs := make([]gs.Quarter, 0, len(set))
	for q := range set {
		qs = append(qs, q)
	}
	slices.SortFunc(qs, func(a, b gs.Quarter) int { return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Q, b.Q)) })
	return qs
}

func keys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
