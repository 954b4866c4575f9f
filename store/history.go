package store

import (
	"context"
	"fmt"

	gs "github.com/gridscore/gridscore"
)

// WorkerQuarters returns every stored result of worker id across the
// quarters (and towns, if the worker moved), oldest quarter first. It
// reads the small quarter_states table and looks each snapshot row up by
// its primary key, so it costs a few reads whatever the district's size
// (CROSS JOIN keeps SQLite from scanning the snapshots instead).
func (db *DB) WorkerQuarters(ctx context.Context, id string) ([]gs.WorkerQuarter, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.town, s.quarter, `+stateCols+`, r.result_json
		FROM quarter_states s CROSS JOIN result_snapshots r
		WHERE r.town = s.town AND r.quarter = s.quarter AND r.worker_id = $1
		ORDER BY s.quarter, s.town`, id)
	if err != nil {
		return nil, db.wrap("worker quarters", err)
	}
	defer rows.Close()
	var out []gs.WorkerQuarter
	for rows.Next() {
		var wq gs.WorkerQuarter
		st := &wq.State
		var js string
		dest := append([]any{&st.Town, &st.Quarter}, stateDest(st)...)
		if err := rows.Scan(append(dest, &js)...); err != nil {
			return nil, db.wrap("worker quarters", err)
		}
		if err := decodeWorker([]byte(js), &wq.Result); err != nil {
			return nil, fmt.Errorf("worker quarters: snapshot of %s %s: %w", id, st.Quarter, err)
		}
		out = append(out, wq)
	}
	return out, db.wrap("worker quarters", rows.Err())
}

// QuarterRecord is everything stored of a town's quarter, read at one
// moment: its state, the snapshot, the appeals and the voided deductions
// (the filing package, 报备材料, is made of it).
type QuarterRecord struct {
	State    gs.QuarterState
	Snapshot []SnapshotRow
	Appeals  []gs.Appeal
	Voided   []gs.Voided
}

// QuarterRecord reads town's quarter q in one read transaction, so that
// its parts agree even while the quarter changes.
func (db *DB) QuarterRecord(ctx context.Context, town, q string) (*QuarterRecord, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var rec QuarterRecord
	if rec.State, err = scanState(ctx, tx, town, q, ""); err != nil {
		return nil, db.wrap("quarter record", err)
	}
	if rec.Snapshot, err = snapshot(ctx, tx, town, q); err != nil {
		return nil, db.wrap("quarter record", err)
	}
	if rec.Appeals, err = appeals(ctx, tx, gs.AppealFilter{Town: town, Quarter: q}, ""); err != nil {
		return nil, db.wrap("quarter record", err)
	}
	if rec.Voided, err = voided(ctx, tx, town, q); err != nil {
		return nil, db.wrap("quarter record", err)
	}
	return &rec, db.wrap("quarter record", tx.Commit())
}
