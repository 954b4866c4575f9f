package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gridscore/gridscore"
)

// The assessment's read path for the high-volume kinds (events, logins,
// patrols): only the columns the engine looks at, scanned through
// destinations made once per query rather than once per row, repeated
// strings (worker ids, flows, channels…) shared instead of kept once per
// row, and slices sized before they are filled.

// heavyRead describes one read of a heavy kind: a window, optionally a
// range of worker ids, and an expected number of rows.
type heavyRead struct {
	w      window
	lo, hi string // worker id range, both inclusive; "" for every worker
	expect int    // rows expected (capacity), 0 when unknown
	names  *interner
}

// where returns the condition and arguments of a time column's window
// (written +col so the planner does not read it through a time index: a
// worker range goes through the worker_id index, and every worker is read
// in storage order) and the worker range.
func (h heavyRead) where(timeCond string) (string, []any) {
	args := []any{h.w.lo, h.w.hi}
	if h.lo == "" {
		return timeCond, args
	}
	return "worker_id >= $3 AND worker_id <= $4 AND (" + timeCond + ")", append(args, h.lo, h.hi)
}

// query runs a SELECT of cols from table under cond and calls row after
// each row has been scanned into dest.
func queryInto(ctx context.Context, q queryer, table, cols, cond string, args []any, dest []any, row func()) error {
	rows, err := q.QueryContext(ctx, "SELECT "+cols+" FROM "+table+" WHERE "+cond, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		row()
	}
	return rows.Err()
}

// readEvents reads the events of h, without category (the engine does not
// look at it).
func readEvents(ctx context.Context, q queryer, h heavyRead) ([]gridscore.Event, error) {
	out := make([]gridscore.Event, 0, h.expect)
	var (
		id, worker, flow, severity, card strCol
		occurred, reported, deadline     intCol
		closed, irregular                intCol
	)
	cond, args := h.where("(+reported_at >= $1 AND +reported_at < $2) OR (+deadline >= $1 AND +deadline < $2)")
	err := queryInto(ctx, q, "events",
		"event_id, worker_id, flow, severity, occurred_at, reported_at, deadline, closed_at, card, irregular", cond, args,
		[]any{&id, &worker, &flow, &severity, &occurred, &reported, &deadline, &closed, &card, &irregular},
		func() {
			out = append(out, gridscore.Event{
				ID:         id.s,
				WorkerID:   h.names.get(worker.s),
				Flow:       gridscore.Flow(h.names.get(flow.s)),
				Severity:   gridscore.Severity(h.names.get(severity.s)),
				OccurredAt: occurred.time(),
				ReportedAt: reported.time(),
				Deadline:   deadline.time(),
				ClosedAt:   closed.time(),
				Card:       gridscore.Card(h.names.get(card.s)),
				Irregular:  irregular.valid && irregular.v != 0,
			})
		})
	return out, err
}

// readLogins reads the logins of h.
func readLogins(ctx context.Context, q queryer, h heavyRead) ([]gridscore.Login, error) {
	out := make([]gridscore.Login, 0, h.expect)
	var worker, channel strCol
	var at intCol
	cond, args := h.where("+logged_at >= $1 AND +logged_at < $2")
	err := queryInto(ctx, q, "logins", "worker_id, channel, logged_at", cond, args,
		[]any{&worker, &channel, &at},
		func() {
			out = append(out, gridscore.Login{
				WorkerID: h.names.get(worker.s),
				Channel:  gridscore.Channel(h.names.get(channel.s)),
				At:       at.time(),
			})
		})
	return out, err
}

// readPatrols reads the patrols of h, without distance (the engine does
// not look at it).
func readPatrols(ctx context.Context, q queryer, h heavyRead) ([]gridscore.Patrol, error) {
	out := make([]gridscore.Patrol, 0, h.expect)
	var id, worker strCol
	var started, ended intCol
	cond, args := h.where("+started_at >= $1 AND +started_at < $2")
	err := queryInto(ctx, q, "patrols", "patrol_id, worker_id, started_at, ended_at", cond, args,
		[]any{&id, &worker, &started, &ended},
		func() {
			out = append(out, gridscore.Patrol{
				ID:        id.s,
				WorkerID:  h.names.get(worker.s),
				StartedAt: started.time(),
				EndedAt:   ended.time(),
			})
		})
	return out, err
}

// strCol receives a text column, NULL as "".
type strCol struct{ s string }

// Scan implements sql.Scanner.
func (c *strCol) Scan(src any) error {
	switch v := src.(type) {
	case string:
		c.s = v
	case nil:
		c.s = ""
	case []byte:
		c.s = string(v)
	default:
		return fmt.Errorf("text column holds %T", src)
	}
	return nil
}

// intCol receives an integer column that may be NULL.
type intCol struct {
	v     int64
	valid bool
}

// Scan implements sql.Scanner.
func (c *intCol) Scan(src any) error {
	if v, ok := src.(int64); ok {
		c.v, c.valid = v, true
		return nil
	}
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return fmt.Errorf("integer column: %w", err)
	}
	c.v, c.valid = n.Int64, n.Valid
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
// instead of once per row. It is not safe for concurrent use.
type interner struct{ m map[string]string }

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
	if t, ok := in.m[s]; ok {
		return t
	}
	if len(in.m) < 1<<20 {
		in.m[s] = s
	}
	return s
}
