package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// LoadChunked reads the records of the window [from, to) in one snapshot,
// as Load does (but in no particular order, workers aside), and hands them
// over in parts so that a province never has to be in memory at once: first
// shared, called with every worker (ordered by id), grid, meeting and
// calendar day; then each, called once for all workers when there are at
// most whole of them (the tables are then read in storage order, the
// fastest), else once per range of at most size workers (ordered by id),
// with those workers in Workers and every other kind limited to them (see
// scope.cond): their events, logins, patrols,
// leaves, findings, quizzes, ballots and attendance, the register and
// rosters of their grids, the register entries of persons on those rosters
// entered elsewhere, and the visits of the persons on those grids'
// register. A grid whose workers fall in two ranges has its register,
// rosters and visits in both. Records passed to each are the callee's to
// keep.
//
// It is the assessment's read path: records carry only what the engine
// looks at (no event category, no patrol distance, no visit's worker or
// note). Where the store allows it (readSnapshot), events are read on one
// connection while the other kinds are read on another, in the same
// snapshot, ahead of the chunk being handed over.
func (db *DB) LoadChunked(ctx context.Context, from, to time.Time, whole, size int,
	shared func(*gridscore.Records) error, each func(*gridscore.Records) error) error {
	expect := db.tableSizes(ctx)
	readers := 2
	if db.dialect == postgresDialect && total(expect) < parallelReadRows {
		readers = 1 // a town: sharing a snapshot costs more than it saves
	}
	conns, err := db.readSnapshot(ctx, readers)
	if err != nil {
		return err
	}
	defer endAll(conns)
	w := newWindow(from, to)

	workers, err := loadWorkers(ctx, conns[0]) // sorted by id
	if err != nil {
		return db.wrap("load", err)
	}
	if len(workers) <= whole {
		size = len(workers)
	}
	plan := chunkPlan(workers, max(size, 1), expect, db.dialect == postgresDialect)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	evConn, otherConn := conns[0], conns[len(conns)-1]
	parallel := len(conns) > 1

	var (
		sh     = &gridscore.Records{Workers: slices.Clone(workers)}
		events = make(chan chunkPart)
		others = make(chan chunkPart)
	)
	if err := loadKinds(ctx, otherConn, w, scope{}, sh, func(kind string) bool {
		return kind == "grids" || kind == "meetings" || kind == "calendar"
	}); err != nil {
		return db.wrap("load", err)
	}
	readEventsOf := func(c chunk) chunkPart {
		evs, err := readEvents(ctx, evConn, c.read(w, "events", newInterner(c.ids)))
		return chunkPart{recs: &gridscore.Records{Events: evs}, err: err}
	}
	readOthersOf := func(c chunk) chunkPart {
		names := newInterner(c.ids)
		r := &gridscore.Records{}
		var err error
		if r.Logins, err = readLogins(ctx, otherConn, c.read(w, "logins", names)); err != nil {
			return chunkPart{err: err}
		}
		if r.Patrols, err = readPatrols(ctx, otherConn, c.read(w, "patrols", names)); err != nil {
			return chunkPart{err: err}
		}
		if r.Ballots, err = readBallots(ctx, otherConn, c.read(w, "ballots", names)); err != nil {
			return chunkPart{err: err}
		}
		if err := loadKinds(ctx, otherConn, w, c.scope, r, func(kind string) bool {
			return !heavyKinds[kind] && !sharedKinds[kind] && kind != "visits" && kind != "ballots"
		}); err != nil {
			return chunkPart{err: err}
		}
		r.Visits, err = readVisits(ctx, otherConn, c.read(w, "visits", newInterner()))
		return chunkPart{recs: r, err: err}
	}

	// The readers read a chunk when told to: the first readAhead at once,
	// each next one once an earlier one has been taken by each, so that at
	// most readAhead+1 chunks are in memory at a time: the one being
	// assessed and those read or being read.
	evAhead, otAhead := make(chan struct{}, len(plan)+1), make(chan struct{}, len(plan)+1)
	goAhead := func() {
		evAhead <- struct{}{}
		otAhead <- struct{}{}
	}
	if parallel {
		for range readAhead {
			goAhead()
		}
		go pump(ctx, plan, events, evAhead, readEventsOf)
		go pump(ctx, plan, others, otAhead, readOthersOf)
	}
	if err := shared(sh); err != nil {
		return err
	}
	for _, c := range plan {
		var ev, ot chunkPart
		if parallel {
			var ok1, ok2 bool
			ev, ok1 = <-events
			ot, ok2 = <-others
			if !ok1 || !ok2 {
				return db.wrap("load", cmpErr(ctx.Err(), ev.err, ot.err, errIncomplete))
			}
		} else {
			ev = readEventsOf(c)
			if ev.err == nil {
				ot = readOthersOf(c)
			}
		}
		if err := cmpErr(ev.err, ot.err); err != nil {
			return db.wrap("load", err)
		}
		r := ot.recs
		r.Workers, r.Events = c.workers, ev.recs.Events
		if err := each(r); err != nil {
			return err
		}
		if parallel {
			goAhead()
		}
	}
	return nil
}

// readAhead is how many chunks LoadChunked's readers may read beyond the
// one being assessed. Two were no faster than one at 100,000 workers on
// two cores (where reading and assessing already share both).
const readAhead = 1

// parallelReadRows is the fewest rows of the sized kinds for which
// LoadChunked reads a PostgreSQL store on two connections sharing a
// snapshot: below it (a village's few dozen workers) connecting again and
// sharing the snapshot take about as long as the reading they would take
// over. For a 200-worker town (90,000 rows) two connections were faster:
// a median of 67 ms against 75 ms for the whole assessment, measured on a
// quiet machine (an earlier measurement the other way had other processes
// busy on both cores). On SQLite, where a second connection is cheap, two
// are faster at any size.
const parallelReadRows = 50_000

// total returns the sum of sizes.
func total(sizes map[string]int64) int64 {
	var n int64
	for _, v := range sizes {
		n += v
	}
	return n
}

// sharedKinds are the kinds LoadChunked hands over once for every chunk.
var sharedKinds = map[string]bool{"workers": true, "grids": true, "meetings": true, "calendar": true}

// pump reads each chunk of plan with read, once told to by ahead, and sends
// it on out, until the end, an error (sent) or ctx is done; it closes out.
func pump(ctx context.Context, plan []chunk, out chan<- chunkPart, ahead <-chan struct{}, read func(chunk) chunkPart) {
	defer close(out)
	for _, c := range plan {
		select {
		case <-ahead:
		case <-ctx.Done():
			return
		}
		p := read(c)
		select {
		case out <- p:
		case <-ctx.Done():
			return
		}
		if p.err != nil {
			return
		}
	}
}

// errIncomplete is returned when a reader stopped before its last chunk
// without an error of its own (it cannot happen but is not ignored).
var errIncomplete = sqlError("read stopped early")

// cmpErr returns the first non-nil error.
func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// chunkPart is what one reader read of a chunk.
type chunkPart struct {
	recs *gridscore.Records
	err  error
}

// chunk is one range of workers, read together.
type chunk struct {
	workers []gridscore.Worker
	ids     []string
	scope   scope          // every row when the chunk holds every worker
	expect  map[string]int // rows expected per sized kind
}

// read returns the fast read of kind for the chunk.
func (c chunk) read(w window, kind string, names *interner) heavyRead {
	return heavyRead{w: w, sc: c.scope, expect: c.expect[kind], names: names}
}

// maxExpect caps the rows expected of one kind in one chunk, so that a
// store holding many quarters does not make a chunk reserve room for all of
// them.
const maxExpect = 1 << 21

// chunkPlan splits workers (sorted by id) into ranges of at most size, each
// expecting its share of every sized table's rows.
func chunkPlan(workers []gridscore.Worker, size int, tableRows map[string]int64, byID bool) []chunk {
	var plan []chunk
	for start := 0; start < len(workers); start += size {
		part := workers[start:min(start+size, len(workers))]
		c := chunk{workers: part, ids: workerIDs(part), expect: map[string]int{}}
		if len(part) < len(workers) {
			// A range of workers is read through the worker_id index; one
			// chunk holding every worker reads the tables in storage order,
			// which is much faster.
			c.scope = scope{lo: part[0].ID, hi: part[len(part)-1].ID, byID: byID}
		}
		for kind, n := range tableRows {
			share := n * int64(len(part)) / int64(len(workers))
			c.expect[kind] = int(min(share+share/10+64, maxExpect))
		}
		plan = append(plan, c)
	}
	return plan
}

// workerIDs returns the ids of ws.
func workerIDs(ws []gridscore.Worker) []string {
	ids := make([]string, len(ws))
	for i := range ws {
		ids[i] = ws[i].ID
	}
	return ids
}

// sizedKinds are the kinds read into slices sized from the table's size.
var sizedKinds = []string{"events", "logins", "patrols", "visits", "ballots"}

// tableSizes returns about how many rows each sized table holds, to size
// the slices a chunk is read into: on SQLite the largest rowid (tables are
// only appended to and upserted), on PostgreSQL the planner's estimate. A
// kind whose size is unknown is left out (its slice then grows as needed).
// One query asks for every kind.
func (db *DB) tableSizes(ctx context.Context) map[string]int64 {
	sizes := map[string]int64{}
	var parts []string
	for _, kind := range sizedKinds {
		// The kinds are constants, not input.
		if db.dialect == postgresDialect {
			parts = append(parts, "SELECT '"+kind+"', (SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = to_regclass('"+kind+"'))")
		} else {
			parts = append(parts, "SELECT '"+kind+"', (SELECT MAX(rowid) FROM "+kind+")")
		}
	}
	rows, err := db.read.QueryContext(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return sizes
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n sql.NullInt64
		if rows.Scan(&kind, &n) == nil && n.Valid && n.Int64 > 0 {
			sizes[kind] = n.Int64
		}
	}
	return sizes
}
