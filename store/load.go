package store

import (
	"cmp"
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
// Records of each kind are ordered by their key, strings compared byte by
// byte, so both engines return the same order.
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
	r, err := loadShared(ctx, q, w)
	if err != nil {
		return nil, err
	}
	if err := loadHeavy(ctx, q, w, r); err != nil {
		return nil, err
	}
	return r, nil
}

// heavyKinds are the high-volume kinds, read on their own connection when
// a quarter is assessed in chunks.
var heavyKinds = map[string]bool{"events": true, "logins": true, "patrols": true}

// loadHeavy reads into r the events, logins and patrols of the window.
func loadHeavy(ctx context.Context, q queryer, w window, r *gridscore.Records) error {
	return loadKinds(ctx, q, w, scope{}, r, func(kind string) bool { return heavyKinds[kind] })
}

// loadShared reads every kind but the heavy ones.
func loadShared(ctx context.Context, q queryer, w window) (*gridscore.Records, error) {
	r := &gridscore.Records{}
	err := loadKinds(ctx, q, w, scope{}, r, func(kind string) bool { return !heavyKinds[kind] })
	return r, err
}

// loadKinds reads into r the kinds for which want is true, limited to the
// rows of sc (see scope.cond).
func loadKinds(ctx context.Context, q queryer, w window, sc scope, r *gridscore.Records, want func(kind string) bool) error {
	instant := func(col string) (string, []any) {
		return col + " >= $1 AND " + col + " < $2", []any{w.lo, w.hi}
	}
	day := func(col string) (string, []any) {
		return col + " >= $1 AND " + col + " <= $2", []any{w.firstDay, w.last}
	}
	all := func() (string, []any) { return "", nil }
	// The heavy kinds are read with the fast path's window (heavyWindow).
	heavy := func(kind string) func() (string, []any) {
		return func() (string, []any) { return heavyWindow[kind], []any{w.lo, w.hi} }
	}

	var err error
	doAs := func(kind, scoped string, where func() (string, []any), scan func(*sql.Rows) error) {
		if err != nil || !want(kind) {
			return
		}
		cond, args := where()
		if tc, targs := sc.cond(scoped, len(args)+1); tc != "" {
			if cond != "" {
				cond = "(" + cond + ") AND "
			}
			cond += tc
			args = append(args, targs...)
		}
		err = queryTable(ctx, q, kind, cond, args, scan)
	}
	do := func(kind string, where func() (string, []any), scan func(*sql.Rows) error) {
		doAs(kind, kind, where, scan)
	}
	do("grids", all, func(rows *sql.Rows) error {
		g, err := scanGrid(rows)
		r.Grids = append(r.Grids, g)
		return err
	})
	do("workers", all, func(rows *sql.Rows) error {
		wk, err := scanWorker(rows)
		r.Workers = append(r.Workers, wk)
		return err
	})
	do("events", heavy("events"), func(rows *sql.Rows) error {
		var e gridscore.Event
		err := rows.Scan(&e.ID, text(&e.WorkerID), text(&e.Flow), text(&e.Severity), text(&e.Category),
			timeDest{&e.OccurredAt}, timeDest{&e.ReportedAt}, timeDest{&e.Deadline},
			timeDest{&e.ClosedAt}, text(&e.Card), flagDest{&e.Irregular})
		r.Events = append(r.Events, e)
		return err
	})
	do("logins", heavy("logins"), func(rows *sql.Rows) error {
		var l gridscore.Login
		err := rows.Scan(text(&l.WorkerID), text(&l.Channel), timeDest{&l.At})
		r.Logins = append(r.Logins, l)
		return err
	})
	do("patrols", heavy("patrols"), func(rows *sql.Rows) error {
		var p gridscore.Patrol
		err := rows.Scan(text(&p.ID), text(&p.WorkerID), timeDest{&p.StartedAt}, timeDest{&p.EndedAt}, &p.DistanceM)
		r.Patrols = append(r.Patrols, p)
		return err
	})
	do("leaves", all, func(rows *sql.Rows) error {
		var l gridscore.Leave
		err := rows.Scan(&l.WorkerID, dateDest{&l.From}, dateDest{&l.To}, text(&l.Reason))
		r.Leaves = append(r.Leaves, l)
		return err
	})
	scanRegister := func(rows *sql.Rows) error {
		p, err := scanPerson(rows)
		r.Register = append(r.Register, p)
		return err
	}
	do("register", all, scanRegister)
	do("rosters", all, func(rows *sql.Rows) error {
		var x gridscore.RosterRow
		err := rows.Scan(&x.PersonID, dateDest{&x.ListedOn}, &x.Category, &x.GridCode, text(&x.Department))
		r.Rosters = append(r.Rosters, x)
		return err
	})
	if !sc.all() && err == nil && want("register") {
		// Whether a person on the scope's rosters was entered is looked up
		// on the whole register, whatever grid the entry names.
		if sc.byID && want("rosters") {
			// The listed persons not on the scope's register, by id.
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
			for len(ids) > 0 && err == nil {
				part := ids[:min(len(ids), maxListParams)]
				ids = ids[len(part):]
				err = queryTable(ctx, q, "register", "person_id IN ("+placeholders(len(part))+")", part, scanRegister)
			}
		} else {
			doAs("register", rosteredElsewhere, all, scanRegister)
		}
	}
	do("visits", func() (string, []any) { return instant("visited_at") }, func(rows *sql.Rows) error {
		var v gridscore.Visit
		err := rows.Scan(&v.ID, &v.PersonID, &v.WorkerID, timeDest{&v.VisitedAt}, text(&v.Note))
		r.Visits = append(r.Visits, v)
		return err
	})
	do("meetings", all, func(rows *sql.Rows) error {
		var m gridscore.Meeting
		err := rows.Scan(&m.ID, dateDest{&m.HeldOn}, &m.Title, text(&m.Kind))
		r.Meetings = append(r.Meetings, m)
		return err
	})
	do("attendance", all, func(rows *sql.Rows) error {
		var a gridscore.Attendance
		err := rows.Scan(&a.MeetingID, &a.WorkerID, &a.Status)
		r.Attendance = append(r.Attendance, a)
		return err
	})
	do("findings", func() (string, []any) { return day("occurred_on") }, func(rows *sql.Rows) error {
		var f gridscore.Finding
		err := rows.Scan(&f.ID, &f.WorkerID, &f.Kind, dateDest{&f.OccurredOn}, &f.Count,
			text(&f.Note), text(&f.Evidence))
		r.Findings = append(r.Findings, f)
		return err
	})
	do("quiz", func() (string, []any) { return day("taken_on") }, func(rows *sql.Rows) error {
		var x gridscore.Quiz
		err := rows.Scan(&x.ID, &x.WorkerID, dateDest{&x.TakenOn}, &x.WrongAnswers)
		r.Quizzes = append(r.Quizzes, x)
		return err
	})
	do("ballots", func() (string, []any) { return instant("cast_at") }, func(rows *sql.Rows) error {
		var b gridscore.Ballot
		err := rows.Scan(&b.ID, &b.WorkerID, &b.RaterGroup, &b.Rating, timeDest{&b.CastAt})
		r.Ballots = append(r.Ballots, b)
		return err
	})
	do("calendar", all, func(rows *sql.Rows) error {
		c, err := scanCalendarDay(rows)
		r.Calendar = append(r.Calendar, c)
		return err
	})
	return err
}

// maxListParams is the most values one IN list of a query is given.
const maxListParams = 500

// placeholders returns "$1, $2, …, $n".
func placeholders(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
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
	slices.SortFunc(ws, func(a, b gridscore.Worker) int { return strings.Compare(a.ID, b.ID) })
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
	slices.SortFunc(r.Grids, func(a, b gridscore.Grid) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(r.Workers, func(a, b gridscore.Worker) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Events, func(a, b gridscore.Event) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Logins, func(a, b gridscore.Login) int {
		return cmp.Or(strings.Compare(a.WorkerID, b.WorkerID),
			strings.Compare(string(a.Channel), string(b.Channel)), a.At.Compare(b.At))
	})
	slices.SortFunc(r.Patrols, func(a, b gridscore.Patrol) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Leaves, func(a, b gridscore.Leave) int {
		return cmp.Or(strings.Compare(a.WorkerID, b.WorkerID), cmp.Compare(a.From, b.From))
	})
	slices.SortFunc(r.Register, func(a, b gridscore.Person) int { return strings.Compare(a.PersonID, b.PersonID) })
	slices.SortFunc(r.Rosters, func(a, b gridscore.RosterRow) int {
		return cmp.Or(strings.Compare(a.PersonID, b.PersonID), cmp.Compare(a.ListedOn, b.ListedOn))
	})
	slices.SortFunc(r.Visits, func(a, b gridscore.Visit) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Meetings, func(a, b gridscore.Meeting) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Attendance, func(a, b gridscore.Attendance) int {
		return cmp.Or(strings.Compare(a.MeetingID, b.MeetingID), strings.Compare(a.WorkerID, b.WorkerID))
	})
	slices.SortFunc(r.Findings, func(a, b gridscore.Finding) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Quizzes, func(a, b gridscore.Quiz) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Ballots, func(a, b gridscore.Ballot) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Calendar, func(a, b gridscore.CalendarDay) int { return cmp.Compare(a.Date, b.Date) })
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
	err := rows.Scan(dateDest{&c.Date}, &c.Kind, text(&c.Name))
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

// CalendarDays returns the center's calendar overrides.
func (db *DB) CalendarDays(ctx context.Context) ([]gridscore.CalendarDay, error) {
	var cs []gridscore.CalendarDay
	err := queryTable(ctx, db.read, "calendar", "", nil, func(rows *sql.Rows) error {
		c, err := scanCalendarDay(rows)
		cs = append(cs, c)
		return err
	})
	if err != nil {
		return nil, db.wrap("read calendar", err)
	}
	return cs, nil
}
