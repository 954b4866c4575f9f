package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// Load returns, read in one snapshot, every stored grid, worker, leave,
// register entry, roster row, meeting, attendance and calendar day (the
// reference tables, which are small) and the time-series records of the
// window [from, to):
//
//   - events whose reported_at or deadline lies in the window,
//   - logins by their time, patrols by started_at, visits by visited_at and
//     ballots by cast_at,
//   - findings by occurred_on and quizzes by taken_on, a date being in the
//     window when any part of that day (in CST) is.
//
// The windows and the scanners are those of kinds (load_kinds.go). Records
// of each kind are ordered by their key, strings compared byte by byte, so
// both engines return the same order.
func (db *DB) Load(ctx context.Context, from, to time.Time) (*gridscore.Records, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	recs, err := load(ctx, tx, newWindow(from, to))
	if err != nil {
		return nil, db.wrap("load", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, db.wrap("load", err)
	}
	sortRecords(recs)
	return recs, nil
}

// window is [from, to) in the units of the columns: unix seconds for
// instants, 'YYYY-MM-DD' for dates (both bounds inclusive for dates).
type window struct {
	lo, hi         int64  // lo <= t < hi
	firstDay, last string // firstDay <= d <= last
}

// newWindow converts [from, to) to column units. Stored instants are whole
// seconds, so a bound with a fraction of a second rounds up.
func newWindow(from, to time.Time) window {
	ceil := func(t time.Time) int64 {
		s := t.Unix()
		if t.Nanosecond() > 0 {
			s++
		}
		return s
	}
	return window{
		lo:       ceil(from),
		hi:       ceil(to),
		firstDay: gridscore.DateOf(from).String(),
		last:     gridscore.DateOf(to.Add(-time.Nanosecond)).String(),
	}
}

// load reads every kind through q.
func load(ctx context.Context, q queryer, w window) (*gridscore.Records, error) {
	r := &gridscore.Records{}
	err := loadKinds(ctx, q, w, scope{}, r, func(string) bool { return true })
	return r, err
}

// loadKinds reads into r, in the order of kinds, the kinds for which want
// is true, each through its scanner, limited to its window (loadCond) and
// to the rows of sc (see scope.cond).
func loadKinds(ctx context.Context, q queryer, w window, sc scope, r *gridscore.Records, want func(kind string) bool) error {
	for i := range kinds {
		k := &kinds[i]
		if !want(k.name) {
			continue
		}
		cond, args := k.loadCond(w)
		err := queryScoped(ctx, q, k.name, k.name, cond, args, sc, func(rows *sql.Rows) error { return k.scan(rows, r) })
		if err != nil {
			return err
		}
	}
	if !sc.all() && want("register") {
		return loadRosteredElsewhere(ctx, q, sc, r, want("rosters"))
	}
	return nil
}

// queryScoped is queryTable of kind's table under cond and, as the rows of
// the pseudo-kind scoped, sc.
func queryScoped(ctx context.Context, q queryer, kind, scoped, cond string, args []any, sc scope, scan func(*sql.Rows) error) error {
	if tc, targs := sc.cond(scoped, len(args)+1); tc != "" {
		if cond != "" {
			cond = "(" + cond + ") AND "
		}
		cond += tc
		args = append(args, targs...)
	}
	return queryTable(ctx, q, kind, cond, args, scan)
}

// loadRosteredElsewhere adds to r.Register the entries of the persons on
// sc's rosters that were entered outside sc's grids: whether a listed
// person was entered is looked up on the whole register, whatever grid the
// entry names. With sc.byID and the rosters read (withRosters), those
// persons are read by id, only those not on r.Register already; else by a
// subquery on the rosters.
func loadRosteredElsewhere(ctx context.Context, q queryer, sc scope, r *gridscore.Records, withRosters bool) error {
	scan := kindNamed("register").scan
	scanRegister := func(rows *sql.Rows) error { return scan(rows, r) }
	if !sc.byID || !withRosters {
		return queryScoped(ctx, q, "register", rosteredElsewhere, "", nil, sc, scanRegister)
	}
	seen := make(map[string]bool, len(r.Register))
	for _, p := range r.Register {
		seen[p.PersonID] = true
	}
	var ids []any
	for _, x := range r.Rosters {
		if !seen[x.PersonID] {
			seen[x.PersonID] = true
			ids = append(ids, x.PersonID)
		}
	}
	for len(ids) > 0 {
		part := ids[:min(len(ids), maxListParams)]
		ids = ids[len(part):]
		if err := queryTable(ctx, q, "register", "person_id IN ("+placeholders(len(part))+")", part, scanRegister); err != nil {
			return err
		}
	}
	return nil
}

// maxListParams is the most values one IN list of a query is given.
const maxListParams = 500

// placeholders returns "$1, $2, …, $n".
func placeholders(n int) string { return placeholdersFrom(1, n) }

// placeholdersFrom returns n parameters numbered from first: "$first, …".
func placeholdersFrom(first, n int) string {
	var b strings.Builder
	for i := first; i < first+n; i++ {
		if i > first {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i))
	}
	return b.String()
}

// loadWorkers returns every stored worker, ordered by ID.
func loadWorkers(ctx context.Context, q queryer) ([]gridscore.Worker, error) {
	var ws []gridscore.Worker
	err := queryTable(ctx, q, "workers", "", nil, func(rows *sql.Rows) error {
		w, err := scanWorker(rows)
		ws = append(ws, w)
		return err
	})
	sortWorkers(ws)
	return ws, err
}

// scanWorker reads one row of workers.
func scanWorker(rows *sql.Rows) (gridscore.Worker, error) {
	var w gridscore.Worker
	err := rows.Scan(&w.ID, &w.Name, &w.Type, flagDest{&w.Stationed}, &w.GridCode,
		dateDest{&w.HiredOn}, dateDest{&w.LeftOn}, text(&w.Phone),
		fenDest{&w.MonthlyPerformanceFen}, fenDest{&w.QuarterlySubsidyFen})
	return w, err
}

// queryTable selects every column of the named table (in its order in
// tables) from the rows matching cond, or all rows when cond is empty, and
// calls scan for each row.
func queryTable(ctx context.Context, q queryer, kind, cond string, args []any, scan func(*sql.Rows) error) error {
	t := tableNamed(kind)
	query := "SELECT " + t.selectList() + " FROM " + t.name
	if cond != "" {
		query += " WHERE " + cond
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// tableNamed returns the table of a kind.
func tableNamed(kind string) *table {
	for i := range tables {
		if tables[i].name == kind {
			return &tables[i]
		}
	}
	panic("store: no table " + kind)
}

// sortRecords orders the records of each kind by key.
func sortRecords(r *gridscore.Records) {
	for i := range kinds {
		kinds[i].sort(r)
	}
}

// sortWorkers orders workers by id.
func sortWorkers(ws []gridscore.Worker) {
	slices.SortFunc(ws, func(a, b gridscore.Worker) int { return strings.Compare(a.ID, b.ID) })
}

// scanGrid reads one row of grids.
func scanGrid(rows *sql.Rows) (gridscore.Grid, error) {
	var g gridscore.Grid
	err := rows.Scan(&g.Code, &g.Name, text(&g.Community), &g.Town)
	return g, err
}

// scanPerson reads one row of register.
func scanPerson(rows *sql.Rows) (gridscore.Person, error) {
	var p gridscore.Person
	err := rows.Scan(&p.PersonID, &p.Category, &p.GridCode, timeDest{&p.EnteredAt},
		timeDest{&p.LeftAt}, text(&p.Name), text(&p.IDNumber))
	return p, err
}

// scanCalendarDay reads one row of calendar.
func scanCalendarDay(rows *sql.Rows) (gridscore.CalendarDay, error) {
	var c gridscore.CalendarDay
	err := rows.Scan(dateDest{&c.Date}, &c.Town, &c.Kind, text(&c.Name))
	return c, err
}

// Persons returns the register entries of the given person ids (unknown ids
// are left out), for a page that names a few persons: it reads those rows
// only, not the register.
func (db *DB) Persons(ctx context.Context, ids []string) ([]gridscore.Person, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var ps []gridscore.Person
	err := queryTable(ctx, db.read, "register", "person_id IN ("+placeholders(len(ids))+")", args, func(rows *sql.Rows) error {
		p, err := scanPerson(rows)
		ps = append(ps, p)
		return err
	})
	if err != nil {
		return nil, db.wrap("read persons", err)
	}
	slices.SortFunc(ps, func(a, b gridscore.Person) int { return strings.Compare(a.PersonID, b.PersonID) })
	return ps, nil
}

// CalendarDays returns the calendar days that hold for town's workers: the
// district's (no town) and the town's own; the district's alone when town
// is "".
func (db *DB) CalendarDays(ctx context.Context, town string) ([]gridscore.CalendarDay, error) {
	var cs []gridscore.CalendarDay
	err := queryTable(ctx, db.read, "calendar", "town IN ('', $1)", []any{town}, func(rows *sql.Rows) error {
		c, err := scanCalendarDay(rows)
		cs = append(cs, c)
		return err
	})
	if err != nil {
		return nil, db.wrap("read calendar", err)
	}
	return cs, nil
}
