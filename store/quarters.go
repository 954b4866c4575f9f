package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

// The quarter's life (RULES.md §8), per town. Reads go through the read
// pool; every change goes through InQuarter, one write transaction holding
// the lock of the town-quarter's row, so two servers never compute, publish
// or finalize the same town-quarter at once.

// SnapshotRow is one worker's stored result and the base of their pay.
type SnapshotRow struct {
	Result gs.WorkerResult
	Base   gs.Fen
}

// noEvidence stands for an empty evidence key, since some engines store ”
// as NULL and the key is part of a primary key.
const noEvidence = "-"

// evidenceValue is the evidence_key column of the deduction ref names (in
// voided_deductions and appeals): its evidence key, or for a deduction that
// rests on no record noEvidence followed by its item ("-" for none, "-app"
// and "-pc" for the two login deductions of a day). Only such deductions
// have an item.
func evidenceValue(ref gs.DeductionRef) string {
	if ref.EvidenceKey == "" {
		return noEvidence + ref.Item
	}
	return ref.EvidenceKey
}

// evidenceOf reads an evidence_key column of a deduction of rule back into
// its evidence key and item. Only discipline.login deductions have items
// (the channel): they rest on no record, so their column always starts with
// noEvidence, never with a record id. The keys of the other rules are read
// as they are, since a record id may start with "-".
func evidenceOf(rule gs.RuleID, v string) (key, item string) {
	switch {
	case v == noEvidence:
		return "", ""
	case rule == gs.RuleDisciplineLogin && strings.HasPrefix(v, noEvidence):
		return "", strings.TrimPrefix(v, noEvidence)
	}
	return v, ""
}

// instant writes a time as unix seconds, NULL for the zero time.
func instant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

const stateCols = `state, as_of, computed_at, published_at, finalized_at, filed_at, updated_by, scheme, scheme_name`

// stateDest returns where the columns of stateCols are scanned into st.
func stateDest(st *gs.QuarterState) []any {
	return []any{text(&st.State), timeDest{&st.AsOf}, timeDest{&st.ComputedAt}, timeDest{&st.PublishedAt},
		timeDest{&st.FinalizedAt}, timeDest{&st.FiledAt}, text(&st.UpdatedBy), text(&st.Scheme), text(&st.SchemeName)}
}

// scanState reads stateCols of town's quarter q; a missing row is open.
func scanState(ctx context.Context, q queryer, town, quarter, suffix string) (gs.QuarterState, error) {
	st := gs.QuarterState{Town: town, Quarter: quarter, State: gs.StateOpen}
	err := q.QueryRowContext(ctx, `SELECT `+stateCols+` FROM quarter_states WHERE town = $1 AND quarter = $2`+suffix,
		town, quarter).Scan(stateDest(&st)...)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	return st, err
}

// QuarterState returns the state of town's quarter q (open when nothing
// was ever stored).
func (db *DB) QuarterState(ctx context.Context, town, q string) (gs.QuarterState, error) {
	st, err := scanState(ctx, db.read, town, q, "")
	if err != nil {
		return st, db.wrap("quarter state", err)
	}
	return st, nil
}

// QuarterStates returns the state of every town's quarter q that has one.
func (db *DB) QuarterStates(ctx context.Context, q string) ([]gs.QuarterState, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT town, `+stateCols+` FROM quarter_states WHERE quarter = $1 ORDER BY town`, q)
	if err != nil {
		return nil, db.wrap("quarter states", err)
	}
	defer rows.Close()
	var out []gs.QuarterState
	for rows.Next() {
		st := gs.QuarterState{Quarter: q}
		if err := rows.Scan(append([]any{&st.Town}, stateDest(&st)...)...); err != nil {
			return nil, db.wrap("quarter states", err)
		}
		out = append(out, st)
	}
	return out, db.wrap("quarter states", rows.Err())
}

// Snapshot returns the stored results of town's quarter q, by rank (none
// when it has no snapshot).
func (db *DB) Snapshot(ctx context.Context, town, q string) ([]SnapshotRow, error) {
	rows, err := snapshot(ctx, db.read, town, q)
	return rows, db.wrap("snapshot", err)
}

func snapshot(ctx context.Context, qr queryer, town, q string) ([]SnapshotRow, error) {
	rows, err := qr.QueryContext(ctx, `SELECT result_json, base_fen FROM result_snapshots
		WHERE town = $1 AND quarter = $2 ORDER BY worker_id`, town, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SnapshotRow
	for rows.Next() {
		var js string
		var r SnapshotRow
		if err := rows.Scan(&js, &r.Base); err != nil {
			return nil, err
		}
		if err := decodeWorker([]byte(js), &r.Result); err != nil {
			return nil, fmt.Errorf("snapshot of %s: %w", r.Result.WorkerID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

const appealCols = `id, town, quarter, worker_id, rule, period, evidence_key, reason, status, reply, created_at, decided_at, decided_by`

// Appeals returns the appeals f chooses, oldest first.
func (db *DB) Appeals(ctx context.Context, f gs.AppealFilter) ([]gs.Appeal, error) {
	out, err := appeals(ctx, db.read, f, "")
	return out, db.wrap("appeals", err)
}

func appeals(ctx context.Context, qr queryer, f gs.AppealFilter, suffix string) ([]gs.Appeal, error) {
	q := `SELECT ` + appealCols + ` FROM appeals WHERE 1 = 1`
	var args []any
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			q += fmt.Sprintf(" AND %s = $%d", col, len(args))
		}
	}
	add("town", f.Town)
	add("quarter", f.Quarter)
	add("worker_id", f.WorkerID)
	add("status", string(f.Status))
	rows, err := qr.QueryContext(ctx, q+" ORDER BY id"+suffix, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gs.Appeal
	for rows.Next() {
		var a gs.Appeal
		var ev string
		if err := rows.Scan(&a.ID, &a.Town, &a.Quarter, &a.WorkerID, text(&a.Rule), &a.Period, &ev, &a.Reason,
			text(&a.Status), text(&a.Reply), timeDest{&a.CreatedAt}, timeDest{&a.DecidedAt}, text(&a.DecidedBy)); err != nil {
			return nil, err
		}
		a.EvidenceKey, a.Item = evidenceOf(a.Rule, ev)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Voided returns the voided deductions of town's quarter q.
func (db *DB) Voided(ctx context.Context, town, q string) ([]gs.Voided, error) {
	out, err := voided(ctx, db.read, town, q)
	return out, db.wrap("voided deductions", err)
}

func voided(ctx context.Context, qr queryer, town, q string) ([]gs.Voided, error) {
	rows, err := qr.QueryContext(ctx, `SELECT worker_id, rule, period, evidence_key, reason, voided_by, voided_at, dormant_since
		FROM voided_deductions WHERE town = $1 AND quarter = $2 ORDER BY worker_id, rule, period, evidence_key`, town, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gs.Voided
	for rows.Next() {
		var v gs.Voided
		var ev string
		if err := rows.Scan(&v.WorkerID, text(&v.Rule), &v.Period, &ev, &v.Reason, &v.By, timeDest{&v.At}, timeDest{&v.DormantSince}); err != nil {
			return nil, err
		}
		v.EvidenceKey, v.Item = evidenceOf(v.Rule, ev)
		out = append(out, v)
	}
	return out, rows.Err()
}
