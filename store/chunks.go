package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
// note). Where the store allows it (readSnapshot), two connections read in
// the same snapshot: each chunk's kinds are tasks that either connection
// takes when it is free (chunkRead), ahead of the chunk being handed over.
func (db *DB) LoadChunked(ctx context.Context, from, to time.Time, whole, size int,
	shared func(*gridscore.Records) error, each func(*gridscore.Records) error) error {
	expect := db.takeSizes(ctx)
	readers := 2
	if db.dialect == postgresDialect && (total(expect) < parallelReadRows || db.warmReads.Load() && total(expect) < warmReadRows) {
		readers = 1 // a town: sharing a snapshot costs more than it saves
	}
	conns, err := db.readSnapshot(ctx, readers)
	if err != nil {
		return err
	}
	defer endAll(conns)
	w := newWindow(from, to)
	sh, workers, err := readShared(ctx, conns, w)
	if err != nil {
		return db.wrap("load", err)
	}
	if len(workers) <= whole {
		size = len(workers)
	}
	plan := chunkPlan(workers, max(size, 1), expect, db.dialect == postgresDialect)

	// On the way out the readers are stopped and waited for before the
	// connections are ended.
	var readingDone sync.WaitGroup
	defer readingDone.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reads := make([]*chunkRead, len(plan))
	for i, c := range plan {
		reads[i] = newChunkRead(c, w)
	}
	// A chunk's tasks may be taken once the chunk readAhead places before
	// it has been taken over by each (which returns once the previous one
	// is assessed), so that at most readAhead+1 chunks are in memory at a
	// time: the one being assessed and those read or being read.
	for i := range min(readAhead, len(reads)) {
		close(reads[i].open)
	}
	for _, conn := range conns {
		readingDone.Go(func() { readChunks(ctx, conn, reads) })
	}
	if err := shared(sh); err != nil {
		return err
	}
	return db.handOver(ctx, reads, each)
}

// readShared reads the kinds every chunk shares: the workers (sorted by
// id, also returned on their own) on the first connection while the second,
// if any, reads the others (kindRead.chunk).
func readShared(ctx context.Context, conns []readConn, w window) (*gridscore.Records, []gridscore.Worker, error) {
	sh := &gridscore.Records{}
	readOthers := func(c readConn) error {
		return loadKinds(ctx, c, w, scope{}, sh, func(kind string) bool {
			return kind != "workers" && kindNamed(kind).chunk == readOnce
		})
	}
	var workers []gridscore.Worker
	var err error
	if len(conns) == 1 {
		if err = readOthers(conns[0]); err == nil {
			workers, err = loadWorkers(ctx, conns[0])
		}
	} else {
		othersErr := make(chan error, 1)
		go func() { othersErr <- readOthers(conns[1]) }()
		workers, err = loadWorkers(ctx, conns[0])
		if oerr := <-othersErr; err == nil {
			err = oerr
		}
	}
	sh.Workers = slices.Clone(workers)
	return sh, workers, err
}

// handOver passes each chunk of reads to each once it is read, in order,
// and lets the readers take the chunk readAhead places further.
func (db *DB) handOver(ctx context.Context, reads []*chunkRead, each func(*gridscore.Records) error) error {
	for i, cr := range reads {
		select {
		case <-cr.done:
		case <-ctx.Done():
		}
		if err := ctx.Err(); err != nil { // the caller's, whatever the readers saw
			return err
		}
		if cr.err != nil {
			return db.wrap("load", cr.err)
		}
		r := cr.recs
		cr.recs = nil
		if err := each(r); err != nil {
			return err
		}
		if next := i + readAhead; next < len(reads) {
			close(reads[next].open)
		}
	}
	return nil
}

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

// warmReadRows is the fewest rows of a store (its sized kinds, all quarters)
// for which LoadChunked takes a second connection even when the process
// prefers its warm one (PreferWarmReads): the new backend's start is then
// small beside the reading it takes over. Measured at 5,000 workers (2.2
// million rows) only: the import's computation took a median 2.11 s
// against 2.28 s on one connection.
const warmReadRows = 500_000

// readAhead is how many chunks LoadChunked's readers may read beyond the
// one being assessed. Two were no faster than one at 100,000 workers on
// two cores (where reading and assessing already share both).
const readAhead = 1

// chunkRead is the reading of one chunk: its kinds are read as separate
// tasks, largest first, each by whichever connection is free, so that
// while one connection reads the chunk's events the others read its
// patrols, logins and the rest, and the first to finish takes the next
// task of the chunk, or of the next chunk once that may be read.
type chunkRead struct {
	tasks []chunkTask
	recs  *gridscore.Records
	open  chan struct{} // closed once the chunk may be read
	next  atomic.Int32  // the next task to take
	left  atomic.Int32  // the tasks not yet done
	done  chan struct{} // closed once every task is done or one failed
	once  sync.Once
	err   error // the first task's error, set before done is closed
}

// chunkTask reads one or a few kinds of a chunk into r.
type chunkTask func(ctx context.Context, conn readConn, r *gridscore.Records) error

// newChunkRead returns the reading of chunk c in window w: its workers
// are set, the other kinds are left to the tasks, one per kind of kinds (or
// per kinds read together, withPrevious) not readOnce, in the order
// of kinds. A kind with a fast read is read that way.
func newChunkRead(c chunk, w window) *chunkRead {
	var groups [][]*kindRead
	for i := range kinds {
		switch k := &kinds[i]; k.chunk {
		case ownTask:
			groups = append(groups, []*kindRead{k})
		case withPrevious:
			groups[len(groups)-1] = append(groups[len(groups)-1], k)
		}
	}
	tasks := make([]chunkTask, len(groups))
	for i, g := range groups {
		tasks[i] = c.task(w, g)
	}
	cr := &chunkRead{tasks: tasks, recs: &gridscore.Records{Workers: c.workers},
		open: make(chan struct{}), done: make(chan struct{})}
	cr.left.Store(int32(len(tasks)))
	return cr
}

// task returns the task reading the kinds of g in chunk c: one kind's fast
// read, or their rows through loadKinds.
func (c chunk) task(w window, g []*kindRead) chunkTask {
	if k := g[0]; len(g) == 1 && k.fast != nil {
		return func(ctx context.Context, conn readConn, r *gridscore.Records) error {
			names := newInterner(c.ids)
			if k.byPerson {
				names = newInterner()
			}
			return k.fast(ctx, conn, c.read(w, k, names), r)
		}
	}
	want := make(map[string]bool, len(g))
	for _, k := range g {
		want[k.name] = true
	}
	return func(ctx context.Context, conn readConn, r *gridscore.Records) error {
		return loadKinds(ctx, conn, w, c.scope, r, func(kind string) bool { return want[kind] })
	}
}

// finish records err (the first one) or one more task done, and closes
// done when the chunk is read or has failed.
func (cr *chunkRead) finish(err error) {
	if err != nil {
		cr.once.Do(func() {
			cr.err = err
			close(cr.done)
		})
		return
	}
	if cr.left.Add(-1) == 0 {
		cr.once.Do(func() { close(cr.done) })
	}
}

// readChunks takes the tasks of reads, in order, on conn, until every one
// is taken, a task fails (the chunk's reader is told through finish) or ctx
// is done.
func readChunks(ctx context.Context, conn readConn, reads []*chunkRead) {
	for _, cr := range reads {
		select {
		case <-cr.open:
		case <-ctx.Done():
			return
		}
		for {
			i := int(cr.next.Add(1)) - 1
			if i >= len(cr.tasks) {
				break
			}
			// Each task fills its own fields of recs.
			err := cr.tasks[i](ctx, conn, cr.recs)
			if err == nil && ctx.Err() != nil {
				err = ctx.Err()
			}
			cr.finish(err)
			if err != nil {
				return
			}
		}
	}
}

// total returns the sum of sizes.
func total(sizes map[string]int64) int64 {
	var n int64
	for _, v := range sizes {
		n += v
	}
	return n
}

// chunk is one range of workers, read together.
type chunk struct {
	workers []gridscore.Worker
	ids     []string
	scope   scope          // every row when the chunk holds every worker
	expect  map[string]int // rows expected per sized kind
}

// read returns the fast read of kind k for the chunk.
func (c chunk) read(w window, k *kindRead, names *interner) heavyRead {
	return heavyRead{w: w, sc: c.scope, expect: c.expect[k.name], names: names}.of(k)
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

// sizedKinds are the kinds read into slices sized from the table's size:
// those with a fast read.
var sizedKinds = slices.Sorted(maps.Keys(kindSet(func(k *kindRead) bool { return k.fast != nil })))

// ExpectedRows is about how many records the store holds in all (from the
// tables' statistics on PostgreSQL, their last row ids on SQLite): what a
// command reading them all will hold in memory. It is 0 when unknown.
//
// The sizes it reads serve the next load of the store (LoadChunked) if it
// follows within a few seconds, as a command's does, instead of being asked
// for again.
func (db *DB) ExpectedRows(ctx context.Context) int64 {
	sizes := db.tableSizes(ctx)
	db.sizedMu.Lock()
	db.sized, db.sizedAt = sizes, time.Now()
	db.sizedMu.Unlock()
	return total(sizes)
}

// sizesKept is how long the table sizes ExpectedRows read serve the load
// that follows it.
const sizesKept = 5 * time.Second

// takeSizes returns the sizes ExpectedRows kept, once, if they are recent;
// else it reads them (tableSizes).
func (db *DB) takeSizes(ctx context.Context) map[string]int64 {
	db.sizedMu.Lock()
	sizes, at := db.sized, db.sizedAt
	db.sized = nil
	db.sizedMu.Unlock()
	if sizes != nil && time.Since(at) < sizesKept {
		return sizes
	}
	return db.tableSizes(ctx)
}

// tableSizes returns about how many rows each sized table holds, to size
// the slices a chunk is read into: on SQLite the largest rowid (tables are
// only appended to and upserted), on PostgreSQL the planner's estimate. A
// kind whose size is unknown is left out (its slice then grows as needed).
// One query asks for every kind.
func (db *DB) tableSizes(ctx context.Context) map[string]int64 {
	sizes := map[string]int64{}
	// The kinds are constants, not input.
	var q string
	if db.dialect == postgresDialect {
		// One look at pg_class for all of them: a new backend took 2.5 ms
		// to resolve five names one by one, 1.3 ms for this.
		q = `SELECT relname, CAST(reltuples AS BIGINT) FROM pg_class
		      WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
		        AND relkind = 'r' AND relname IN ('` + strings.Join(sizedKinds, "', '") + `')`
	} else {
		var parts []string
		for _, kind := range sizedKinds {
			parts = append(parts, "SELECT '"+kind+"', (SELECT MAX(rowid) FROM "+kind+")")
		}
		q = strings.Join(parts, " UNION ALL ")
	}
	rows, err := db.read.QueryContext(ctx, q)
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
