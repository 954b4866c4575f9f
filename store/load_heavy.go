package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// The assessment's read path for the kinds with a fast read (kindRead.fast:
// events, patrols, logins, visits, ballots): only the columns the engine
// looks at, scanned through destinations made once per query rather than
// once per row (col, on the driver's values: rawQuery), repeated strings
// (worker ids, flows, channels…) shared instead of kept once per row
// (interner), and slices sized before they are filled (growing).
//
// Measured with `gridscore bench` (see the package doc and BENCHMARKS.md):
// reading PostgreSQL's rows through pgx's raw values with interned strings,
// instead of database/sql's driver values, made the assessment 17 % faster
// at 100,000 workers, mostly because the garbage collector has fewer
// strings to scan; LoadTown reading a town's events, logins and patrols
// this way took a town's first live view from 0.31 s to 0.21 s at 5,000
// workers. To measure again, build the old and the new binary and run
// `gridscore bench --workers 200,5000 --bulk=false` with each, back to back.

// heavyRead describes one fast read of a kind: a window, a scope, and an
// expected number of rows.
type heavyRead struct {
	w      window
	sc     scope
	expect int // rows expected (capacity), 0 when unknown
	names  *interner
	time   timeCols // the kind's (kindRead.window), set by of
}

// of returns h for a read of kind k.
func (h heavyRead) of(k *kindRead) heavyRead {
	h.time = k.window
	return h
}

// where returns the condition and arguments of the rows whose time columns
// lie in the window (written +col so that the planner does not read them
// through a time index: a scope's rows go through the worker_id or
// person_id index, and every row is read in storage order) and in the
// scope.
func (h heavyRead) where(kind string) (string, []any) {
	timeCond, args := h.time.cond(true), h.time.args(h.w)
	sc, sargs := h.sc.cond(kind, len(args)+1)
	if sc == "" {
		return timeCond, args
	}
	return sc + " AND (" + timeCond + ")", append(args, sargs...)
}

// queryInto runs a SELECT of cols from table under cond on c's driver
// connection and calls row after each row's values have been put into
// dest, one destination per column.
func queryInto(ctx context.Context, c readConn, table, cols, cond string, args []any, dest []col, row func()) error {
	err := c.rawQuery(ctx, "SELECT "+cols+" FROM "+table+" WHERE "+cond, args, dest, func() error {
		row()
		return nil
	})
	if ce, ok := err.(colError); ok {
		return fmt.Errorf("%s.%s: %w", table, strings.Split(cols, ", ")[ce.i], ce.err)
	}
	return err
}

// col receives one column's value: from database/sql's driver (set), or
// as PostgreSQL sent it (setRaw: nil for NULL, else the bytes in binary or
// text format), valid only during the call.
type col interface {
	set(v driver.Value) error
	setRaw(b []byte, binary bool) error
}

// fastEvents reads the events of h, without category (the engine does not
// look at it).
func fastEvents(ctx context.Context, c readConn, h heavyRead) ([]gridscore.Event, error) {
	out := newGrowing[gridscore.Event](h.expect)
	values := newInterner() // of flows, severities and cards
	var (
		id                           strCol
		worker                       = strCol{names: h.names}
		flow, severity, card         = strCol{names: values}, strCol{names: values}, strCol{names: values}
		occurred, reported, deadline intCol
		closed, irregular            intCol
	)
	cond, args := h.where("events")
	err := queryInto(ctx, c, "events",
		"event_id, worker_id, flow, severity, occurred_at, reported_at, deadline, closed_at, card, irregular", cond, args,
		[]col{&id, &worker, &flow, &severity, &occurred, &reported, &deadline, &closed, &card, &irregular},
		func() {
			*out.next() = gridscore.Event{
				ID:         id.s,
				WorkerID:   worker.s,
				Flow:       canon(flow.s, gridscore.FlowReported, gridscore.FlowSelfHandled, gridscore.FlowAssigned),
				Severity:   canon(severity.s, gridscore.SeverityGeneral, gridscore.SeverityMajor, gridscore.SeveritySerious),
				OccurredAt: occurred.time(),
				ReportedAt: reported.time(),
				Deadline:   deadline.time(),
				ClosedAt:   closed.time(),
				Card:       canon(card.s, gridscore.CardNone, gridscore.CardYellow, gridscore.CardRed),
				Irregular:  irregular.valid && irregular.v != 0,
			}
		})
	return out.slice(), err
}

// fastLogins reads the logins of h.
func fastLogins(ctx context.Context, c readConn, h heavyRead) ([]gridscore.Login, error) {
	out := newGrowing[gridscore.Login](h.expect)
	worker, channel := strCol{names: h.names}, strCol{names: newInterner()}
	var at intCol
	cond, args := h.where("logins")
	err := queryInto(ctx, c, "logins", "worker_id, channel, logged_at", cond, args,
		[]col{&worker, &channel, &at},
		func() {
			*out.next() = gridscore.Login{
				WorkerID: worker.s,
				Channel:  canon(channel.s, gridscore.ChannelApp, gridscore.ChannelPC),
				At:       at.time(),
			}
		})
	return out.slice(), err
}

// fastPatrols reads the patrols of h, without distance (the engine does
// not look at it).
func fastPatrols(ctx context.Context, c readConn, h heavyRead) ([]gridscore.Patrol, error) {
	out := newGrowing[gridscore.Patrol](h.expect)
	var id strCol
	worker := strCol{names: h.names}
	var started, ended intCol
	cond, args := h.where("patrols")
	err := queryInto(ctx, c, "patrols", "patrol_id, worker_id, started_at, ended_at", cond, args,
		[]col{&id, &worker, &started, &ended},
		func() {
			*out.next() = gridscore.Patrol{
				ID:        id.s,
				WorkerID:  worker.s,
				StartedAt: started.time(),
				EndedAt:   ended.time(),
			}
		})
	return out.slice(), err
}

// fastVisits reads the visits of h, without worker and note (the engine
// looks visits up by person).
func fastVisits(ctx context.Context, c readConn, h heavyRead) ([]gridscore.Visit, error) {
	out := newGrowing[gridscore.Visit](h.expect)
	var id strCol
	person := strCol{names: h.names}
	var at intCol
	cond, args := h.where("visits")
	err := queryInto(ctx, c, "visits", "visit_id, person_id, visited_at", cond, args, []col{&id, &person, &at},
		func() {
			*out.next() = gridscore.Visit{ID: id.s, PersonID: person.s, VisitedAt: at.time()}
		})
	return out.slice(), err
}

// fastBallots reads the ballots of h.
func fastBallots(ctx context.Context, c readConn, h heavyRead) ([]gridscore.Ballot, error) {
	out := newGrowing[gridscore.Ballot](h.expect)
	var id strCol
	worker, group, rating := strCol{names: h.names}, strCol{names: h.names}, strCol{names: h.names}
	var at intCol
	cond, args := h.where("ballots")
	err := queryInto(ctx, c, "ballots", "ballot_id, worker_id, rater_group, rating, cast_at", cond, args,
		[]col{&id, &worker, &group, &rating, &at},
		func() {
			*out.next() = gridscore.Ballot{ID: id.s, WorkerID: worker.s, RaterGroup: gridscore.RaterGroup(group.s),
				Rating: gridscore.Rating(rating.s), CastAt: at.time()}
		})
	return out.slice(), err
}

// growing is a slice filled one element at a time without growing it by
// copying: when the room reserved (the rows expected) runs out, it goes on
// in further blocks, joined once at the end.
type growing[T any] struct {
	full [][]T
	cur  []T
}

// growBlock is the most elements a further block holds while the blocks
// are still doubling; a block after one of growBlock or more is as large
// as the one before.
const growBlock = 1 << 14

// firstBlock is the first block when no rows are expected. A town's read
// (LoadTown) expects none, and a village's few dozen workers, or a
// worker's own records, need a few hundred rows of a kind: a first block
// of growBlock events (4 MB, cleared when made) took a fifth of the CPU of
// computing small towns again and again (the live differential test).
const firstBlock = 256

// newGrowing returns a growing slice with room for expect elements, or
// firstBlock when expect is 0 (unknown); further blocks double up to
// growBlock. A few workers' rows (LoadTownSince) expect a few hundred: a
// block of 16,384 events cleared for them took a third of the time a
// worker's records took to read.
func newGrowing[T any](expect int) *growing[T] {
	if expect <= 0 {
		expect = firstBlock
	}
	return &growing[T]{cur: make([]T, 0, expect)}
}

// next returns the next element, zero, to be filled in.
func (g *growing[T]) next() *T {
	if len(g.cur) == cap(g.cur) {
		g.full = append(g.full, g.cur)
		n := cap(g.cur)
		if n < growBlock {
			n = min(2*n, growBlock)
		}
		g.cur = make([]T, 0, n)
	}
	g.cur = g.cur[:len(g.cur)+1]
	return &g.cur[len(g.cur)-1]
}

// slice returns every element in order.
func (g *growing[T]) slice() []T {
	if len(g.full) == 0 {
		return g.cur
	}
	n := len(g.cur)
	for _, b := range g.full {
		n += len(b)
	}
	out := make([]T, 0, n)
	for _, b := range g.full {
		out = append(out, b...)
	}
	return append(out, g.cur...)
}

// strCol receives a text column, NULL as "". With names, equal values
// share one string (see interner) instead of one allocated per row.
type strCol struct {
	s     string
	names *interner
}

func (c *strCol) set(src driver.Value) error {
	switch v := src.(type) {
	case string:
		c.s = v
		if c.names != nil {
			c.s = c.names.get(v)
		}
	case nil:
		c.s = ""
	case []byte:
		return c.setRaw(v, false)
	default:
		return fmt.Errorf("text column holds %T", src)
	}
	return nil
}

func (c *strCol) setRaw(b []byte, _ bool) error {
	switch {
	case b == nil:
		c.s = ""
	case c.names != nil:
		c.s = c.names.getBytes(b)
	default:
		c.s = string(b)
	}
	return nil
}

// intCol receives an integer column that may be NULL.
type intCol struct {
	v     int64
	valid bool
}

func (c *intCol) set(src driver.Value) error {
	switch v := src.(type) {
	case int64:
		c.v, c.valid = v, true
		return nil
	case nil:
		c.v, c.valid = 0, false
		return nil
	}
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return fmt.Errorf("integer column: %w", err)
	}
	c.v, c.valid = n.Int64, n.Valid
	return nil
}

func (c *intCol) setRaw(b []byte, bin bool) error {
	if b == nil {
		c.v, c.valid = 0, false
		return nil
	}
	c.valid = true
	if !bin {
		v, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("integer column: %w", err)
		}
		c.v = v
		return nil
	}
	switch len(b) { // BIGINT, INTEGER, SMALLINT in network order
	case 8:
		c.v = int64(binary.BigEndian.Uint64(b))
	case 4:
		c.v = int64(int32(binary.BigEndian.Uint32(b)))
	case 2:
		c.v = int64(int16(binary.BigEndian.Uint16(b)))
	default:
		return fmt.Errorf("integer column of %d bytes", len(b))
	}
	return nil
}

// time returns the column as an instant in CST (unix seconds), the zero
// time for NULL, as timeDest does.
func (c *intCol) time() time.Time {
	if !c.valid {
		return time.Time{}
	}
	return time.Unix(c.v, 0).In(gridscore.CST)
}

// interner shares equal strings: the worker ids of the records of a chunk
// and the few values of flows, severities, cards and channels are kept once
// instead of once per row (a quarter's 360 rows a worker would otherwise
// hold 360 copies of the worker's id for the collector to scan; see the
// measurement at the top of this file). It is not safe for concurrent use.
type interner struct {
	m map[string]string
	// last is the string last looked up: rows come grouped by worker more
	// often than not, so most look-ups are the previous one again.
	last string
}

// newInterner returns an interner knowing the given strings.
func newInterner(known ...[]string) *interner {
	n := 0
	for _, k := range known {
		n += len(k)
	}
	in := &interner{m: make(map[string]string, n)}
	for _, k := range known {
		for _, s := range k {
			in.m[s] = s
		}
	}
	return in
}

// get returns the shared copy of s. Strings it has not seen are added
// while there are few (worker ids of rows whose worker is not stored), so
// that it cannot grow without bound.
func (in *interner) get(s string) string {
	if s == in.last {
		return in.last
	}
	t, ok := in.m[s]
	if !ok {
		t = s
		if len(in.m) < 1<<20 {
			in.m[s] = s
		}
	}
	in.last = t
	return t
}

// getBytes is get for the bytes of a string, which it copies only when it
// has not seen them.
func (in *interner) getBytes(b []byte) string {
	if string(b) == in.last {
		return in.last
	}
	if t, ok := in.m[string(b)]; ok {
		in.last = t
		return t
	}
	return in.get(string(b))
}

// canon returns the value of values equal to s (so s itself, just read,
// need not be kept), or s when none is.
func canon[T ~string](s string, values ...T) T {
	for _, v := range values {
		if string(v) == s {
			return v
		}
	}
	return T(s)
}
