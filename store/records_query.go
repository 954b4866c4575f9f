package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/gridscore/gridscore"
)

// The records pages list one kind at a time, newest first, a page at a time:
// every filter is a condition of the query (through the worker_id and date
// indexes), never a scan of the table in Go.

// RecordFilter chooses the records of one kind that a page lists. Zero
// fields do not filter.
type RecordFilter struct {
	// Kind is a kind name of Kinds other than grids and workers.
	Kind string
	// Town keeps the records of the town's workers (or of its grids, for
	// the register and the rosters); of meetings and calendar days, the
	// town's own and the district's (those without a town).
	Town string
	// WorkerID keeps one worker's records: for the register and rosters
	// those of the worker's grid, for meetings those the worker attended.
	WorkerID string
	// GridCode keeps the records of the grid's workers (or of the grid).
	GridCode string
	// From and To bound the date of the record (its time column in CST),
	// both inclusive; a leave, and a person's stay on the register, is
	// kept when it overlaps them.
	From, To gridscore.Date
	// IDs, when given, keep only the records whose first key column (the
	// record's own id: event_id, patrol_id, person_id…) is one of them: the
	// records a deduction rests on.
	IDs []string
	// Offset and Limit choose the page (Limit 0 = no limit).
	Offset, Limit int
	// Sort, when given, orders the list by this column of the kind's file
	// (DATA.md's name, as csvfile.Columns gives it: reported_at, at,
	// count), descending when Desc, empty values last either way, then by
	// the kind's key; any other name is refused. Without it the list is
	// newest first (listing.order).
	Sort string
	Desc bool
}

// MaxIDs is how many ids a list may be asked for at once.
const MaxIDs = 200

// MaxCounted is where RecordPage's count stops: a list longer than that
// says "more than MaxCounted" rather than count a whole table.
const MaxCounted = 10000

// RecordPage is a page of records of one kind, in the order listed.
type RecordPage struct {
	Records gridscore.Records
	// Matched is the number of records the filter keeps, at most
	// MaxCounted+1 (more than MaxCounted).
	Matched int
}

// listing is how a kind is listed: what its subject is (a worker, a grid, a
// meeting's attendees and its town, a town: the district's rows and the
// town's own), its date column and the order of the list.
type listing struct {
	subject string
	dateCol string
	instant bool
	order   string
	// from is what the list selects from, when not the kind's table.
	from string
}

var listings = map[string]listing{
	"events":   {"worker", "reported_at", true, "reported_at DESC, event_id DESC", ""},
	"logins":   {"worker", "logged_at", true, "logged_at DESC, worker_id DESC, channel DESC", ""},
	"patrols":  {"worker", "started_at", true, "started_at DESC, patrol_id DESC", ""},
	"leaves":   {"worker", "from_date", false, "from_date DESC, worker_id", ""},
	"register": {"grid", "entered_at", true, "entered_at DESC, person_id DESC", ""},
	"rosters":  {"grid", "listed_on", false, "listed_on DESC, person_id DESC", ""},
	"visits":   {"worker", "visited_at", true, "visited_at DESC, visit_id DESC", ""},
	"meetings": {"meeting", "held_on", false, "held_on DESC, meeting_id", ""},
	// Attendance is dated by its meeting; the join's own meeting_id is the
	// table's (USING), and its other columns have names of their own.
	"attendance": {"worker", "held_on", false, "held_on DESC, meeting_id, worker_id", "attendance JOIN meetings USING (meeting_id)"},
	"findings":   {"worker", "occurred_on", false, "occurred_on DESC, finding_id", ""},
	"quiz":       {"worker", "taken_on", false, "taken_on DESC, quiz_id", ""},
	"ballots":    {"worker", "cast_at", true, "cast_at DESC, ballot_id DESC", ""},
	"calendar":   {"town", "day", false, "day DESC, town DESC", ""},
}

// ListedKinds returns the kinds the records pages list, in DATA.md order.
func ListedKinds() []string {
	var out []string
	for _, t := range tables {
		if _, ok := listings[t.name]; ok {
			out = append(out, t.name)
		}
	}
	return out
}

// conds builds a WHERE clause from conditions whose parameters are
// numbered as they are added.
type conds struct {
	parts []string
	args  []any
}

// add appends a condition in which "?" stands for the next parameter.
func (c *conds) add(cond string, arg any) {
	c.args = append(c.args, arg)
	c.parts = append(c.parts, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(c.args))))
}

func (c *conds) where() string {
	if len(c.parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.parts, " AND ")
}

// Subqueries naming the workers of a town, of a grid, and the grid of a
// worker.
const (
	townWorkers = "SELECT w.worker_id FROM workers w JOIN grids g ON g.grid_code = w.grid_code WHERE g.town = ?"
	gridWorkers = "SELECT worker_id FROM workers WHERE grid_code = ?"
)

// addFilter appends the conditions of f on its kind.
func (c *conds) addFilter(f RecordFilter, l listing) {
	switch l.subject {
	case "worker":
		if f.Town != "" {
			c.add("worker_id IN ("+townWorkers+")", f.Town)
		}
		if f.GridCode != "" {
			c.add("worker_id IN ("+gridWorkers+")", f.GridCode)
		}
		if f.WorkerID != "" {
			c.add("worker_id = ?", f.WorkerID)
		}
	case "grid":
		if f.Town != "" {
			c.add("grid_code IN (SELECT grid_code FROM grids WHERE town = ?)", f.Town)
		}
		if f.GridCode != "" {
			c.add("grid_code = ?", f.GridCode)
		}
		if f.WorkerID != "" {
			c.add("grid_code IN (SELECT grid_code FROM workers WHERE worker_id = ?)", f.WorkerID)
		}
	case "town":
		if f.Town != "" {
			c.add("town IN ('', ?)", f.Town)
		}
	case "meeting":
		if f.Town != "" {
			c.add("town IN ('', ?)", f.Town)
		}
		if f.GridCode != "" {
			c.add("meeting_id IN (SELECT meeting_id FROM attendance WHERE worker_id IN ("+gridWorkers+"))", f.GridCode)
		}
		if f.WorkerID != "" {
			c.add("meeting_id IN (SELECT meeting_id FROM attendance WHERE worker_id = ?)", f.WorkerID)
		}
	}
	dateCond := func(col, op string, d gridscore.Date, end bool) {
		switch {
		case l.instant && end:
			c.add(col+" "+op+" ?", d.End().Unix())
		case l.instant:
			c.add(col+" "+op+" ?", d.Start().Unix())
		default:
			c.add(col+" "+op+" ?", d.String())
		}
	}
	col := l.dateCol
	switch {
	case f.Kind == "leaves":
		if !f.From.IsZero() {
			dateCond("to_date", ">=", f.From, false)
		}
		if !f.To.IsZero() {
			dateCond("from_date", "<=", f.To, false)
		}
	case f.Kind == "register":
		// A person is on the register from entered_at until left_at: kept
		// when that stay overlaps the dates.
		if !f.From.IsZero() {
			c.add("(left_at IS NULL OR left_at >= ?)", f.From.Start().Unix())
		}
		if !f.To.IsZero() {
			dateCond(col, "<", f.To, true)
		}
	default:
		if !f.From.IsZero() {
			dateCond(col, ">=", f.From, false)
		}
		if !f.To.IsZero() {
			op := "<="
			if l.instant {
				op = "<"
			}
			dateCond(col, op, f.To, true)
		}
	}
}

// recordConds returns the conditions of f on its kind, with its ids.
func recordConds(f RecordFilter, l listing, t *table) (conds, error) {
	var c conds
	err := c.addRecord(f, l, t)
	return c, err
}

// addRecord appends the conditions of f on its kind, with its ids.
func (c *conds) addRecord(f RecordFilter, l listing, t *table) error {
	c.addFilter(f, l)
	if len(f.IDs) > 0 {
		if len(f.IDs) > MaxIDs {
			return gridscore.Errorf(gridscore.EINVALID, "一次最多查看 %d 条指定编号的记录。", MaxIDs)
		}
		marks := make([]string, len(f.IDs))
		for i, id := range f.IDs {
			c.args = append(c.args, id)
			marks[i] = "$" + strconv.Itoa(len(c.args))
		}
		col := t.cols[0]
		if l.from != "" {
			col = t.name + "." + col
		}
		c.parts = append(c.parts, col+" IN ("+strings.Join(marks, ", ")+")")
	}
	return nil
}

// Records returns a page of the records f chooses, read in one snapshot,
// with the number of records it keeps (up to MaxCounted+1).
func (db *DB) Records(ctx context.Context, f RecordFilter) (*RecordPage, error) {
	l, ok := listings[f.Kind]
	if !ok {
		return nil, gridscore.Errorf(gridscore.ENOTFOUND, "没有这种记录：%s", f.Kind)
	}
	t := tableNamed(f.Kind)
	c, err := recordConds(f, l, t)
	if err != nil {
		return nil, err
	}
	order, err := listOrder(f, l, t)
	if err != nil {
		return nil, err
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	page := &RecordPage{}
	from := l.source(t)
	count := "SELECT COUNT(*) FROM (SELECT 1 FROM " + from + c.where() + " LIMIT " + strconv.Itoa(MaxCounted+1) + ") n"
	if err := tx.QueryRowContext(ctx, count, c.args...).Scan(&page.Matched); err != nil {
		return nil, db.wrap("count "+t.name, err)
	}
	query := "SELECT " + t.selectList() + " FROM " + from + c.where() + " ORDER BY " + order
	if f.Limit > 0 {
		query += " LIMIT " + strconv.Itoa(f.Limit) + " OFFSET " + strconv.Itoa(max(f.Offset, 0))
	}
	if err := scanKind(ctx, tx, f.Kind, query, c.args, &page.Records); err != nil {
		return nil, db.wrap("list "+t.name, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, db.wrap("list "+t.name, err)
	}
	return page, nil
}

// Record returns the record of kind whose key columns hold key (in the
// order of the kind's key), or ENOTFOUND.
func (db *DB) Record(ctx context.Context, kind string, key ...string) (*gridscore.Records, error) {
	t := tableNamed(kind)
	if len(key) != t.keyLen {
		return nil, gridscore.Errorf(gridscore.ENOTFOUND, "记录不存在。")
	}
	c := keyConds(t, anys(key))
	recs := &gridscore.Records{}
	query := "SELECT " + t.selectList() + " FROM " + t.name + c.where()
	if err := scanKind(ctx, db.read, kind, query, c.args, recs); err != nil {
		return nil, db.wrap("read "+t.name, err)
	}
	if recordCount(recs) == 0 {
		return nil, gridscore.Errorf(gridscore.ENOTFOUND, "记录不存在或已被删除。")
	}
	return recs, nil
}

// recordCount is the number of records of every kind in recs.
func recordCount(r *gridscore.Records) int {
	return len(r.Grids) + len(r.Workers) + len(r.Events) + len(r.Logins) + len(r.Patrols) +
		len(r.Leaves) + len(r.Register) + len(r.Rosters) + len(r.Visits) + len(r.Meetings) +
		len(r.Attendance) + len(r.Findings) + len(r.Quizzes) + len(r.Ballots) + len(r.Calendar)
}

// scanKind runs query, which selects every column of kind's table in the
// table's order, and appends its rows to recs in the order returned. It
// reads the rows with the scanners of Load (loadKinds), by answering the
// query loadKinds makes for the kind with this one.
func scanKind(ctx context.Context, q queryer, kind, query string, args []any, recs *gridscore.Records) error {
	return loadKinds(ctx, answer{q, query, args}, window{}, scope{}, recs, func(k string) bool { return k == kind })
}

// answer is a queryer that runs its own query, whatever it is asked.
type answer struct {
	q     queryer
	query string
	args  []any
}

func (a answer) QueryContext(ctx context.Context, _ string, _ ...any) (*sql.Rows, error) {
	return a.q.QueryContext(ctx, a.query, a.args...)
}

func (a answer) QueryRowContext(ctx context.Context, _ string, _ ...any) *sql.Row {
	return a.q.QueryRowContext(ctx, a.query, a.args...)
}

// WorkersByID returns the stored workers among ids (id, name, grid) with
// their towns, ordered by id.
func (db *DB) WorkersByID(ctx context.Context, ids []string) ([]gridscore.TownWorker, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, args := inList(ids)
	return db.townWorkers(ctx, "LEFT JOIN grids g ON g.grid_code = w.grid_code WHERE w.worker_id IN ("+list+")", args...)
}

// GridWorkers returns the workers of the town's grids (id, name, grid),
// ordered by id, for the attendance form.
func (db *DB) GridWorkers(ctx context.Context, town string) ([]gridscore.TownWorker, error) {
	return db.townWorkers(ctx, "JOIN grids g ON g.grid_code = w.grid_code WHERE g.town = $1", town)
}

// townWorkers reads the id, name, grid and town of the workers w joined
// with their grids g as rest says.
func (db *DB) townWorkers(ctx context.Context, rest string, args ...any) ([]gridscore.TownWorker, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT w.worker_id, w.name, w.grid_code, COALESCE(g.town, '') FROM workers w "+rest+" ORDER BY w.worker_id", args...)
	if err != nil {
		return nil, db.wrap("read workers", err)
	}
	defer rows.Close()
	var out []gridscore.TownWorker
	for rows.Next() {
		var w gridscore.TownWorker
		if err := rows.Scan(&w.ID, &w.Name, &w.GridCode, &w.Town); err != nil {
			return nil, db.wrap("read workers", err)
		}
		out = append(out, w)
	}
	return out, db.wrap("read workers", rows.Err())
}

// TownGrids returns the grids of a town (of every town when town is ""),
// ordered by code.
func (db *DB) TownGrids(ctx context.Context, town string) ([]gridscore.Grid, error) {
	var c conds
	if town != "" {
		c.add("town = ?", town)
	}
	rows, err := db.read.QueryContext(ctx, "SELECT grid_code, grid_name, COALESCE(community, ''), town FROM grids"+c.where()+" ORDER BY grid_code", c.args...)
	if err != nil {
		return nil, db.wrap("read grids", err)
	}
	defer rows.Close()
	var out []gridscore.Grid
	for rows.Next() {
		var g gridscore.Grid
		if err := rows.Scan(&g.Code, &g.Name, &g.Community, &g.Town); err != nil {
			return nil, db.wrap("read grids", err)
		}
		out = append(out, g)
	}
	return out, db.wrap("read grids", rows.Err())
}

// Towns returns the names of the towns, sorted.
func (db *DB) Towns(ctx context.Context) ([]string, error) {
	return db.texts(ctx, townsQuery)
}

// townsQuery selects the towns of the grids, in order.
const townsQuery = "SELECT DISTINCT town FROM grids ORDER BY town"

// MeetingTowns returns the towns of the workers whose attendance at a
// meeting is recorded.
func (db *DB) MeetingTowns(ctx context.Context, meetingID string) ([]string, error) {
	return db.texts(ctx, "SELECT DISTINCT COALESCE(g.town, '') FROM attendance a JOIN workers w ON w.worker_id = a.worker_id"+
		" LEFT JOIN grids g ON g.grid_code = w.grid_code WHERE a.meeting_id = $1", meetingID)
}

// texts returns the one text column a query selects.
func (db *DB) texts(ctx context.Context, query string, args ...any) ([]string, error) {
	out, err := textsOn(ctx, db.read, query, args...)
	return out, db.wrap("read", err)
}

// textsOn returns the one text column a query selects, read through q.
func textsOn(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Attendance returns the attendance recorded for a meeting, by worker.
func (db *DB) Attendance(ctx context.Context, meetingID string) ([]gridscore.Attendance, error) {
	recs := &gridscore.Records{}
	t := tableNamed("attendance")
	err := scanKind(ctx, db.read, "attendance", "SELECT "+t.selectList()+" FROM attendance WHERE meeting_id = $1 ORDER BY worker_id", []any{meetingID}, recs)
	return recs.Attendance, db.wrap("read attendance", err)
}

// LastNumber returns the largest number n such that a record of kind is
// named prefix followed by n's digits (HC2023-014 for prefix HC2023-), or
// 0 when none is: the hand-entry forms number a new record one past it.
// The prefix is letters, digits and hyphens (no LIKE wildcards).
func (db *DB) LastNumber(ctx context.Context, kind, prefix string) (int, error) {
	t := tableNamed(kind)
	col := t.key()[0]
	rows, err := db.read.QueryContext(ctx, "SELECT "+col+" FROM "+t.name+" WHERE "+col+" LIKE $1", prefix+"%")
	if err != nil {
		return 0, db.wrap("number "+t.name, err)
	}
	defer rows.Close()
	last := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return 0, db.wrap("number "+t.name, err)
		}
		// LIKE ignores case in SQLite: compare the prefix exactly.
		rest, ok := strings.CutPrefix(id, prefix)
		if n, err := strconv.Atoi(rest); ok && err == nil && n > last && rest[0] != '+' && rest[0] != '-' {
			last = n
		}
	}
	if err := rows.Err(); err != nil {
		return 0, db.wrap("number "+t.name, err)
	}
	return last, nil
}
