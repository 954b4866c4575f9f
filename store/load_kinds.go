package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/gridscore/gridscore"
)

// kindRead says how the store reads one record kind: its window, how a row
// of its table becomes a record, how the assessment reads it, and how
// LoadChunked shares it out. Load, LoadTown, LoadChunked, the record pages
// (scanKind) and the benchmark floor (storebench) all read through kinds,
// so that adding a kind, or a field of a kind, is one entry here (and its
// columns in tables).
type kindRead struct {
	// name is the kind's table (see tables) and its name in DATA.md.
	name string
	// window names the time columns that put a row in a quarter's window;
	// the zero value reads every row (the reference tables, which are
	// small).
	window timeCols
	// heavy marks the high-volume kinds (events, logins, patrols): their
	// window is written so that no time index is used (timeCols.cond), and
	// LoadTown reads them the assessment's way (fast).
	heavy bool
	// scan reads one row, every column of the table in its order, and
	// appends the record to r.
	scan func(rows *sql.Rows, r *gridscore.Records) error
	// fast, when not nil, is the assessment's read of the kind in a chunk
	// (load_heavy.go): only the columns the engine looks at, straight from
	// the driver, into a slice sized from the table's size (tableSizes).
	fast func(ctx context.Context, c readConn, h heavyRead, r *gridscore.Records) error
	// byPerson marks a fast read whose rows are found by person, not by
	// worker: its interner does not start with the chunk's worker ids.
	byPerson bool
	// chunk is how LoadChunked reads the kind.
	chunk chunkRole
	// sort orders r's records of the kind by their key, strings compared
	// byte by byte, so that both engines give the same order.
	sort func(r *gridscore.Records)
}

// chunkRole is how LoadChunked reads a kind.
type chunkRole int

const (
	// ownTask: each chunk reads the kind's rows of its workers in a task
	// of its own.
	ownTask chunkRole = iota
	// withPrevious: each chunk reads the kind in one task with the kind
	// before it in kinds (the rosters with the register: a chunk's listed
	// persons entered elsewhere are looked up from both, see
	// loadRosteredElsewhere).
	withPrevious
	// readOnce: read once, before the chunks, and given to every chunk's
	// assessment (the workers, by which the chunks are cut, and the kinds
	// every town shares).
	readOnce
)

// kinds lists every record kind in the order a chunk's tasks are taken:
// largest first (a quarter's rows per worker: about 170 events, 128
// patrols, 64 logins; visits and ballots depend on the grid), so that the
// last task to finish is a short one. Load and LoadTown read in the same
// order (their records are sorted afterwards).
var kinds = []kindRead{
	{
		name: "events", window: instants("reported_at", "deadline"), heavy: true,
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var e gridscore.Event
			err := rows.Scan(&e.ID, text(&e.WorkerID), text(&e.Flow), text(&e.Severity), text(&e.Category),
				timeDest{&e.OccurredAt}, timeDest{&e.ReportedAt}, timeDest{&e.Deadline},
				timeDest{&e.ClosedAt}, text(&e.Card), flagDest{&e.Irregular})
			r.Events = append(r.Events, e)
			return err
		},
		fast: func(ctx context.Context, c readConn, h heavyRead, r *gridscore.Records) (err error) {
			r.Events, err = fastEvents(ctx, c, h)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Events, func(a, b gridscore.Event) int { return strings.Compare(a.ID, b.ID) })
		},
	},
	{
		name: "patrols", window: instants("started_at"), heavy: true,
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var p gridscore.Patrol
			err := rows.Scan(text(&p.ID), text(&p.WorkerID), timeDest{&p.StartedAt}, timeDest{&p.EndedAt}, &p.DistanceM)
			r.Patrols = append(r.Patrols, p)
			return err
		},
		fast: func(ctx context.Context, c readConn, h heavyRead, r *gridscore.Records) (err error) {
			r.Patrols, err = fastPatrols(ctx, c, h)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Patrols, func(a, b gridscore.Patrol) int { return strings.Compare(a.ID, b.ID) })
		},
	},
	{
		name: "logins", window: instants("logged_at"), heavy: true,
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var l gridscore.Login
			err := rows.Scan(text(&l.WorkerID), text(&l.Channel), timeDest{&l.At})
			r.Logins = append(r.Logins, l)
			return err
		},
		fast: func(ctx context.Context, c readConn, h heavyRead, r *gridscore.Records) (err error) {
			r.Logins, err = fastLogins(ctx, c, h)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Logins, func(a, b gridscore.Login) int {
				return cmp.Or(strings.Compare(a.WorkerID, b.WorkerID),
					strings.Compare(string(a.Channel), string(b.Channel)), a.At.Compare(b.At))
			})
		},
	},
	{
		name: "visits", window: instants("visited_at"),
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var v gridscore.Visit
			err := rows.Scan(&v.ID, &v.PersonID, &v.WorkerID, timeDest{&v.VisitedAt}, text(&v.Note))
			r.Visits = append(r.Visits, v)
			return err
		},
		fast: func(ctx context.Context, c readConn, h heavyRead, r *gridscore.Records) (err error) {
			r.Visits, err = fastVisits(ctx, c, h)
			return err
		},
		byPerson: true,
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Visits, func(a, b gridscore.Visit) int { return strings.Compare(a.ID, b.ID) })
		},
	},
	{
		name: "ballots", window: instants("cast_at"),
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var b gridscore.Ballot
			err := rows.Scan(&b.ID, &b.WorkerID, &b.RaterGroup, &b.Rating, timeDest{&b.CastAt})
			r.Ballots = append(r.Ballots, b)
			return err
		},
		fast: func(ctx context.Context, c readConn, h heavyRead, r *gridscore.Records) (err error) {
			r.Ballots, err = fastBallots(ctx, c, h)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Ballots, func(a, b gridscore.Ballot) int { return strings.Compare(a.ID, b.ID) })
		},
	},
	{
		name: "register",
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			p, err := scanPerson(rows)
			r.Register = append(r.Register, p)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Register, func(a, b gridscore.Person) int { return strings.Compare(a.PersonID, b.PersonID) })
		},
	},
	{
		name: "rosters", chunk: withPrevious,
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var x gridscore.RosterRow
			err := rows.Scan(&x.PersonID, dateDest{&x.ListedOn}, &x.Category, &x.GridCode, text(&x.Department))
			r.Rosters = append(r.Rosters, x)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Rosters, func(a, b gridscore.RosterRow) int {
				return cmp.Or(strings.Compare(a.PersonID, b.PersonID), cmp.Compare(a.ListedOn, b.ListedOn))
			})
		},
	},
	{
		name: "findings", window: days("occurred_on"),
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var f gridscore.Finding
			err := rows.Scan(&f.ID, &f.WorkerID, &f.Kind, dateDest{&f.OccurredOn}, &f.Count,
				text(&f.Note), text(&f.Evidence))
			r.Findings = append(r.Findings, f)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Findings, func(a, b gridscore.Finding) int { return strings.Compare(a.ID, b.ID) })
		},
	},
	{
		name: "leaves",
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var l gridscore.Leave
			err := rows.Scan(&l.WorkerID, dateDest{&l.From}, dateDest{&l.To}, text(&l.Reason))
			r.Leaves = append(r.Leaves, l)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Leaves, func(a, b gridscore.Leave) int {
				return cmp.Or(strings.Compare(a.WorkerID, b.WorkerID), cmp.Compare(a.From, b.From))
			})
		},
	},
	{
		name: "attendance",
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var a gridscore.Attendance
			err := rows.Scan(&a.MeetingID, &a.WorkerID, &a.Status)
			r.Attendance = append(r.Attendance, a)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Attendance, func(a, b gridscore.Attendance) int {
				return cmp.Or(strings.Compare(a.MeetingID, b.MeetingID), strings.Compare(a.WorkerID, b.WorkerID))
			})
		},
	},
	{
		name: "quiz", window: days("taken_on"),
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var x gridscore.Quiz
			err := rows.Scan(&x.ID, &x.WorkerID, dateDest{&x.TakenOn}, &x.WrongAnswers)
			r.Quizzes = append(r.Quizzes, x)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Quizzes, func(a, b gridscore.Quiz) int { return strings.Compare(a.ID, b.ID) })
		},
	},
	{
		name: "grids", chunk: readOnce,
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			g, err := scanGrid(rows)
			r.Grids = append(r.Grids, g)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Grids, func(a, b gridscore.Grid) int { return strings.Compare(a.Code, b.Code) })
		},
	},
	{
		name: "workers", chunk: readOnce, // LoadChunked reads them on their own (loadWorkers)
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			w, err := scanWorker(rows)
			r.Workers = append(r.Workers, w)
			return err
		},
		sort: func(r *gridscore.Records) { sortWorkers(r.Workers) },
	},
	{
		name: "meetings", chunk: readOnce,
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			var m gridscore.Meeting
			err := rows.Scan(&m.ID, dateDest{&m.HeldOn}, &m.Title, text(&m.Kind), &m.Town)
			r.Meetings = append(r.Meetings, m)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Meetings, func(a, b gridscore.Meeting) int { return strings.Compare(a.ID, b.ID) })
		},
	},
	{
		name: "calendar", chunk: readOnce,
		scan: func(rows *sql.Rows, r *gridscore.Records) error {
			c, err := scanCalendarDay(rows)
			r.Calendar = append(r.Calendar, c)
			return err
		},
		sort: func(r *gridscore.Records) {
			slices.SortFunc(r.Calendar, func(a, b gridscore.CalendarDay) int {
				return cmp.Or(cmp.Compare(a.Date, b.Date), strings.Compare(a.Town, b.Town))
			})
		},
	},
}

// kindNamed returns the entry of kinds named kind.
func kindNamed(kind string) *kindRead {
	for i := range kinds {
		if kinds[i].name == kind {
			return &kinds[i]
		}
	}
	panic("store: no kind " + kind)
}

// kindSet returns the names of the kinds for which is is true.
func kindSet(is func(k *kindRead) bool) map[string]bool {
	set := map[string]bool{}
	for i := range kinds {
		if is(&kinds[i]) {
			set[kinds[i].name] = true
		}
	}
	return set
}

// heavyKinds are the high-volume kinds (kindRead.heavy).
var heavyKinds = kindSet(func(k *kindRead) bool { return k.heavy })

// timeCols are the time columns of a kind's window: a row is in the window
// when any of them is.
type timeCols struct {
	cols []string
	// days: the columns hold dates ('YYYY-MM-DD'), in the window when any
	// part of that day (in CST) is; else instants (unix seconds).
	days bool
}

// instants returns the window of instant columns.
func instants(cols ...string) timeCols { return timeCols{cols: cols} }

// days returns the window of date columns.
func days(cols ...string) timeCols { return timeCols{cols: cols, days: true} }

// whole reports whether every row is read (no time columns).
func (tc timeCols) whole() bool { return len(tc.cols) == 0 }

// cond returns the condition that a row lies in the window, on parameters
// $1 and $2 (see args). With unindexed, each column is written +col: the
// planner then does not read the rows through a time index but a range of
// workers through the worker_id index and every row by a scan of the table
// in storage order, both far faster than a time index's lookup of every
// row of a quarter.
func (tc timeCols) cond(unindexed bool) string {
	hi := " < $2"
	if tc.days {
		hi = " <= $2"
	}
	parts := make([]string, len(tc.cols))
	for i, c := range tc.cols {
		if unindexed {
			c = "+" + c
		}
		parts[i] = c + " >= $1 AND " + c + hi
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ") OR (") + ")"
}

// args returns the arguments of cond for window w.
func (tc timeCols) args(w window) []any {
	if tc.days {
		return []any{w.firstDay, w.last}
	}
	return []any{w.lo, w.hi}
}

// loadCond returns the condition and arguments with which Load reads k's
// rows of window w, "" for every row.
func (k *kindRead) loadCond(w window) (string, []any) {
	if k.window.whole() {
		return "", nil
	}
	return k.window.cond(k.heavy), k.window.args(w)
}
