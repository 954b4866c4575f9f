// Package storebench holds the benchmark floors of `gridscore bench` and
// of app's import benchmarks: the fastest the database itself reads the
// rows an assessment needs (FloorScan) and takes the rows of an import
// (BulkLoader), with nothing the product does on the way. The product's
// own paths never import it.
//
// It reads and writes through the store's raw handles (store.DB.ReadTx,
// store.DB.WriteConn) and reads the rows of a window through the conditions
// Load uses (store.WindowCondition), so that the floor scans exactly what
// Load reads.
package storebench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/gridscore/gridscore/store"
)

// floorColumns are, per quarter record table, the columns the engine needs,
// with whether each holds an integer (else text).
var floorColumns = []struct {
	table string
	cols  []string
	ints  []bool
}{
	{"events", []string{"event_id", "worker_id", "flow", "severity", "occurred_at", "reported_at", "deadline", "closed_at", "card", "irregular"},
		[]bool{false, false, false, false, true, true, true, true, false, true}},
	{"logins", []string{"worker_id", "channel", "logged_at"}, []bool{false, false, true}},
	{"patrols", []string{"patrol_id", "worker_id", "started_at", "ended_at"}, []bool{false, false, true, true}},
	{"visits", []string{"visit_id", "person_id", "visited_at"}, []bool{false, false, true}},
	{"findings", []string{"finding_id", "worker_id", "kind", "occurred_on", "occurrences"}, []bool{false, false, false, false, true}},
	{"quiz", []string{"quiz_id", "worker_id", "taken_on", "wrong_answers"}, []bool{false, false, false, true}},
	{"ballots", []string{"ballot_id", "worker_id", "rater_group", "rating", "cast_at"}, []bool{false, false, false, false, true}},
}

// FloorScan is the benchmark floor of assessment: a bare full scan reading,
// into Go strings and integers, the columns the engine needs from every
// quarter record table of db, with nothing done with them. With window true
// only the rows of [from, to) are read, through the conditions Load uses;
// with window false every row of the tables is read in storage order, the
// fastest read there is (the floor for a store that holds one quarter).
// It returns the number of rows read.
func FloorScan(ctx context.Context, db *store.DB, from, to time.Time, window bool) (int64, error) {
	tx, err := db.ReadTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var n int64
	for _, f := range floorColumns {
		query := "SELECT " + strings.Join(f.cols, ", ") + " FROM " + f.table
		var args []any
		if window {
			var cond string
			cond, args = store.WindowCondition(f.table, from, to)
			query += " WHERE " + cond
		}
		rows, err := scanAll(ctx, tx, query, args, f.ints)
		n += rows
		if err != nil {
			return n, fmt.Errorf("storebench: floor scan %s: %w", f.table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return n, fmt.Errorf("storebench: floor scan: %w", err)
	}
	return n, nil
}

// scanAll runs query and scans every row into strings and integers (ints
// tells which column is which), returning the rows read.
func scanAll(ctx context.Context, tx *sql.Tx, query string, args []any, ints []bool) (int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	dest := make([]any, len(ints))
	for i, isInt := range ints {
		if isInt {
			dest[i] = new(sql.NullInt64)
		} else {
			dest[i] = new(sql.NullString)
		}
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Close(); err != nil {
		return n, err
	}
	return n, rows.Err()
}
