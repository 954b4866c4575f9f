package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// floorColumns are, per quarter record table, the columns the engine needs,
// with whether each holds an integer (else text), and the window condition
// Load uses for the table.
var floorColumns = []struct {
	table string
	cols  []string
	ints  []bool
	cond  string
}{
	{"events", []string{"event_id", "worker_id", "flow", "severity", "occurred_at", "reported_at", "deadline", "closed_at", "card", "irregular"},
		[]bool{false, false, false, false, true, true, true, true, false, true},
		"(reported_at >= $1 AND reported_at < $2) OR (deadline >= $1 AND deadline < $2)"},
	{"logins", []string{"worker_id", "channel", "logged_at"}, []bool{false, false, true}, "logged_at >= $1 AND logged_at < $2"},
	{"patrols", []string{"patrol_id", "worker_id", "started_at", "ended_at"}, []bool{false, false, true, true}, "started_at >= $1 AND started_at < $2"},
	{"visits", []string{"visit_id", "person_id", "visited_at"}, []bool{false, false, true}, "visited_at >= $1 AND visited_at < $2"},
	{"findings", []string{"finding_id", "worker_id", "kind", "occurred_on", "occurrences"}, []bool{false, false, false, false, true}, "occurred_on >= $3 AND occurred_on <= $4"},
	{"quiz", []string{"quiz_id", "worker_id", "taken_on", "wrong_answers"}, []bool{false, false, false, true}, "taken_on >= $3 AND taken_on <= $4"},
	{"ballots", []string{"ballot_id", "worker_id", "rater_group", "rating", "cast_at"}, []bool{false, false, false, false, true}, "cast_at >= $1 AND cast_at < $2"},
}

// FloorScan is the benchmark floor of assessment: a bare full scan reading,
// into Go strings and integers, the columns the engine needs from every
// quarter record table, with nothing done with them. With window true only
// the rows of [from, to) are read, through the same conditions the product
// uses; with window false every row of the tables is read in storage order,
// the fastest read there is (the floor for a store that holds one quarter).
// It returns the number of rows read.
func (db *DB) FloorScan(ctx context.Context, from, to time.Time, window bool) (int64, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	w := newWindow(from, to)
	var n int64
	for _, f := range floorColumns {
		query := "SELECT " + strings.Join(f.cols, ", ") + " FROM " + f.table + " WHERE " + f.cond
		args := []any{w.lo, w.hi}
		if !window {
			query, args = "SELECT "+strings.Join(f.cols, ", ")+" FROM "+f.table, nil
		} else if strings.Contains(f.cond, "$3") {
			args = []any{w.lo, w.hi, w.firstDay, w.last}
			// PostgreSQL refuses parameters that the query does not use.
			query = strings.NewReplacer("$3", "$1", "$4", "$2").Replace(query)
			args = args[2:]
		}
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return n, db.wrap("floor scan "+f.table, err)
		}
		dest := make([]any, len(f.cols))
		for i, isInt := range f.ints {
			if isInt {
				dest[i] = new(sql.NullInt64)
			} else {
				dest[i] = new(sql.NullString)
			}
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return n, db.wrap("floor scan "+f.table, err)
			}
			n++
		}
		if err := rows.Close(); err != nil {
			return n, db.wrap("floor scan "+f.table, err)
		}
		if err := rows.Err(); err != nil {
			return n, db.wrap("floor scan "+f.table, err)
		}
	}
	return n, db.wrap("floor scan", tx.Commit())
}

// BareInserter is the benchmark floor of import: it inserts records with
// one prepared single-row INSERT each, all in one transaction, with no checks
// and no upsert. Records can be given in parts (a town at a time), so that a
// province need not be in memory.
type BareInserter struct {
	db    *DB
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	rows  int64
	spent time.Duration
}

// NewBareInserter begins the transaction of a bare insert.
func (db *DB) NewBareInserter(ctx context.Context) (*BareInserter, error) {
	start := time.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, db.wrap("bare insert", err)
	}
	return &BareInserter{db: db, tx: tx, stmts: map[string]*sql.Stmt{}, spent: time.Since(start)}, nil
}

// Insert inserts every record of recs. Only the time spent in the database
// counts, not building the rows.
func (b *BareInserter) Insert(ctx context.Context, recs *gridscore.Records) error {
	rows, _ := rowsOf(recs)
	start := time.Now()
	defer func() { b.spent += time.Since(start) }()
	for i, t := range tables {
		if len(rows[i]) == 0 {
			continue
		}
		stmt := b.stmts[t.name]
		if stmt == nil {
			ph := make([]string, len(t.cols))
			for j := range ph {
				ph[j] = "$" + strconv.Itoa(j+1)
			}
			var err error
			stmt, err = b.tx.PrepareContext(ctx, "INSERT INTO "+t.name+" ("+t.selectList()+") VALUES ("+strings.Join(ph, ", ")+")")
			if err != nil {
				return b.db.wrap("bare insert "+t.name, err)
			}
			b.stmts[t.name] = stmt
		}
		for _, r := range rows[i] {
			if _, err := stmt.ExecContext(ctx, r...); err != nil {
				return b.db.wrap("bare insert "+t.name, err)
			}
			b.rows++
		}
	}
	return nil
}

// Commit commits and returns the rows inserted and the time spent in the
// database.
func (b *BareInserter) Commit() (int64, time.Duration, error) {
	start := time.Now()
	for _, s := range b.stmts {
		s.Close()
	}
	if err := b.tx.Commit(); err != nil {
		return b.rows, 0, b.db.wrap("bare insert", err)
	}
	return b.rows, b.spent + time.Since(start), nil
}

// Rollback abandons a bare insert.
func (b *BareInserter) Rollback() error { return b.tx.Rollback() }
