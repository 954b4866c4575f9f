package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/gridscore/gridscore"
)

// LoadChunked reads the records of the window [from, to) in one snapshot,
// as Load does (but in no particular order, workers aside), and hands them
// over in parts so that a province never has to be in memory at once: first
// shared, called with every kind except events, logins and patrols
// (workers, grids, the register, visits, ballots…); then each, called once
// per range of at most chunkSize workers (ordered by id) with those workers
// in Workers and their events, logins and patrols in the window, in no
// particular order. Records passed to each are the callee's to keep.
//
// It is the assessment's read path: events, logins and patrols carry only
// what the engine looks at (no event category, no patrol distance). Where
// the store allows it (readSnapshot), events are read on one connection
// while the other kinds are read on another, in the same snapshot, ahead of
// the chunk being handed over.
func (db *DB) LoadChunked(ctx context.Context, from, to time.Time, chunkSize int,
	shared func(*gridscore.Records) error, each func(*gridscore.Records) error) error {
	if chunkSize < 1 {
		chunkSize = 1
	}
	expect := db.tableSizes(ctx)
	conns, err := db.readSnapshot(ctx, 2)
	if err != nil {
		return err
	}
	defer endAll(conns)
	w := newWindow(from, to)

	workers, err := loadWorkers(ctx, conns[0]) // sorted by id
	if err != nil {
		return db.wrap("load", err)
	}
	plan := chunkPlan(workers, chunkSize, expect)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	evConn, otherConn := conns[0], conns[len(conns)-1]
	parallel := len(conns) > 1

	var (
		sh     *gridscore.Records
		shErr  error
		events = make(chan chunkPart)
		others = make(chan chunkPart)
	)
	readShared := func() {
		sh = &gridscore.Records{Workers: slices.Clone(workers)}
		shErr = loadKinds(ctx, otherConn, w, "", "", "", sh, func(kind string) bool {
			return !heavyKinds[kind] && kind != "workers" && kind != "visits" && kind != "ballots"
		})
		names := newInterner(workerIDs(workers))
		if shErr == nil {
			sh.Visits, shErr = readVisits(ctx, otherConn, w, names)
		}
		if shErr == nil {
			sh.Ballots, shErr = readBallots(ctx, otherConn, w, names)
		}
	}
	readEventsOf := func(c chunk) chunkPart {
		evs, err := readEvents(ctx, evConn, c.read(w, "events", newInterner(c.ids)))
		return chunkPart{events: evs, err: err}
	}
	readOthersOf := func(c chunk) chunkPart {
		names := newInterner(c.ids)
		ls, err := readLogins(ctx, otherConn, c.read(w, "logins", names))
		if err != nil {
			return chunkPart{err: err}
		}
		ps, err := readPatrols(ctx, otherConn, c.read(w, "patrols", names))
		return chunkPart{logins: ls, patrols: ps, err: err}
	}

	// The readers read a chunk when told to: the first at once, each next
	// one once the previous has been taken by each, so that only two chunks
	// are in memory at a time, the one being assessed and the one being
	// read.
	evAhead, otAhead := make(chan struct{}, len(plan)+1), make(chan struct{}, len(plan)+1)
	goAhead := func() {
		evAhead <- struct{}{}
		otAhead <- struct{}{}
	}
	if parallel {
		goAhead()
		go pump(ctx, plan, events, evAhead, readEventsOf)
		shDone := make(chan struct{})
		go func() {
			readShared()
			close(shDone)
			if shErr != nil {
				close(others)
				return
			}
			pump(ctx, plan, others, otAhead, readOthersOf)
		}()
		<-shDone
	} else {
		readShared()
	}
	if shErr != nil {
		return db.wrap("load", shErr)
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
		r := &gridscore.Records{Workers: c.workers, Events: ev.events, Logins: ot.logins, Patrols: ot.patrols}
		if err := each(r); err != nil {
			return err
		}
		if parallel {
			goAhead()
		}
	}
	return nil
}

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
	events  []gridscore.Event
	logins  []gridscore.Login
	patrols []gridscore.Patrol
	err     error
}

// chunk is one range of workers, read together.
type chunk struct {
	workers []gridscore.Worker
	ids     []string
	lo, hi  string         // "" when the chunk holds every worker
	expect  map[string]int // rows expected per heavy kind
}

// read returns the heavy read of kind for the chunk.
func (c chunk) read(w window, kind string, names *interner) heavyRead {
	return heavyRead{w: w, lo: c.lo, hi: c.hi, expect: c.expect[kind], names: names}
}

// maxExpect caps the rows expected of one kind in one chunk, so that a
// store holding many quarters does not make a chunk reserve room for all of
// them.
const maxExpect = 1 << 21

// chunkPlan splits workers (sorted by id) into ranges of at most size, each
// expecting its share of every heavy table's rows.
func chunkPlan(workers []gridscore.Worker, size int, tableRows map[string]int64) []chunk {
	var plan []chunk
	for start := 0; start < len(workers); start += size {
		part := workers[start:min(start+size, len(workers))]
		c := chunk{workers: part, ids: workerIDs(part), expect: map[string]int{}}
		if len(part) < len(workers) {
			// A range of workers is read through the worker_id index; one
			// chunk holding every worker reads the tables in storage order,
			// which is much faster.
			c.lo, c.hi = part[0].ID, part[len(part)-1].ID
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

// tableSizes returns about how many rows each heavy table holds, to size
// the slices a chunk is read into: on SQLite the largest rowid (tables are
// only appended to and upserted), on PostgreSQL the planner's estimate. A
// kind whose size is unknown is left out (its slice then grows as needed).
func (db *DB) tableSizes(ctx context.Context) map[string]int64 {
	sizes := map[string]int64{}
	for kind := range heavyKinds {
		var n sql.NullInt64
		var err error
		if db.dialect == postgresDialect {
			err = db.read.QueryRowContext(ctx, "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = to_regclass($1)", kind).Scan(&n)
		} else {
			err = db.read.QueryRowContext(ctx, "SELECT MAX(rowid) FROM "+kind).Scan(&n)
		}
		if err == nil && n.Valid && n.Int64 > 0 {
			sizes[kind] = n.Int64
		}
	}
	return sizes
}
