package store

import (
	"context"
	"database/sql"
	"time"

	gs "github.com/gridscore/gridscore"
)

// QuarterTx is the one write transaction of a change to a town's quarter,
// holding the lock of its quarter_states row. State is the state read under
// the lock; the methods read and change the quarter's rows in the
// transaction. It is valid only inside the function given to InQuarter.
type QuarterTx struct {
	ctx   context.Context
	db    *DB
	tx    *sql.Tx
	State gs.QuarterState
}

// InQuarter runs fn in one write transaction on town's quarter q, after
// locking the quarter's state row (inserted as open if missing): on
// PostgreSQL with SELECT … FOR UPDATE, so a second server changing the same
// town-quarter waits until this transaction ends and then reads the state it
// left; on SQLite the single writer serializes the transactions. The
// transaction commits when fn returns nil and rolls back otherwise.
func (db *DB) InQuarter(ctx context.Context, town, q string, fn func(*QuarterTx) error) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Two servers may insert the missing row at once; the loser's insert
	// does nothing and both then lock the one row.
	if _, err := tx.ExecContext(ctx, `INSERT INTO quarter_states (town, quarter, state) VALUES ($1, $2, $3)
		ON CONFLICT (town, quarter) DO NOTHING`, town, q, string(gs.StateOpen)); err != nil {
		return db.wrap("lock quarter", err)
	}
	lock := ""
	if db.dialect == postgresDialect {
		lock = " FOR UPDATE"
	}
	st, err := scanState(ctx, tx, town, q, lock)
	if err != nil {
		return db.wrap("lock quarter", err)
	}
	qt := &QuarterTx{ctx: ctx, db: db, tx: tx, State: st}
	if err := fn(qt); err != nil {
		return err
	}
	return db.wrap("commit quarter", tx.Commit())
}

// quarterShared locks the state row of town's quarter q in tx for a
// change that must not land once the quarter is computed (a ballot, a
// paper tally, a new survey campaign), inserting it as open if missing as
// InQuarter does, and returns the state: on PostgreSQL with SELECT … FOR
// SHARE, so that such changes run side by side but a quarter step waits
// for them to end, and they for it, and then read the state it left; on
// SQLite the single writer serializes them. Together with Compute's check
// of the records' version under InQuarter's lock, no such change is
// accepted and then missing from the computed results.
func (db *DB) quarterShared(ctx context.Context, tx *sql.Tx, town, q string) (gs.QuarterState, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO quarter_states (town, quarter, state) VALUES ($1, $2, $3)
		ON CONFLICT (town, quarter) DO NOTHING`, town, q, string(gs.StateOpen)); err != nil {
		return gs.QuarterState{}, err
	}
	lock := ""
	if db.dialect == postgresDialect {
		lock = " FOR SHARE"
	}
	return scanState(ctx, tx, town, q, lock)
}

// TownVersion returns the version of the records of the quarter's town
// (DB.TownVersion) as the transaction sees it.
func (qt *QuarterTx) TownVersion() (int64, error) {
	tv, err := townVersions(qt.ctx, qt.tx, qt.State.Town)
	return tv.version, qt.db.wrap("town version", err)
}

// SetState stores st as the quarter's state (town and quarter are the
// transaction's).
func (qt *QuarterTx) SetState(st gs.QuarterState) error {
	st.Town, st.Quarter = qt.State.Town, qt.State.Quarter
	_, err := qt.tx.ExecContext(qt.ctx, `UPDATE quarter_states SET state = $1, as_of = $2, computed_at = $3,
		published_at = $4, finalized_at = $5, filed_at = $6, updated_by = $7, scheme = $8, scheme_name = $9
		WHERE town = $10 AND quarter = $11`,
		string(st.State), instant(st.AsOf), instant(st.ComputedAt), instant(st.PublishedAt), instant(st.FinalizedAt),
		instant(st.FiledAt), textValue(st.UpdatedBy), textValue(st.Scheme), textValue(st.SchemeName), st.Town, st.Quarter)
	if err != nil {
		return qt.db.wrap("set quarter state", err)
	}
	qt.State = st
	return nil
}

// Snapshot returns the quarter's stored results.
func (qt *QuarterTx) Snapshot() ([]SnapshotRow, error) {
	rows, err := snapshot(qt.ctx, qt.tx, qt.State.Town, qt.State.Quarter)
	return rows, qt.db.wrap("snapshot", err)
}

// SaveSnapshot replaces the quarter's stored results with rows.
func (qt *QuarterTx) SaveSnapshot(rows []SnapshotRow) error {
	town, q := qt.State.Town, qt.State.Quarter
	if _, err := qt.tx.ExecContext(qt.ctx, `DELETE FROM result_snapshots WHERE town = $1 AND quarter = $2`, town, q); err != nil {
		return qt.db.wrap("save snapshot", err)
	}
	stmt, err := qt.tx.PrepareContext(qt.ctx, `INSERT INTO result_snapshots (town, quarter, worker_id, result_json, base_fen)
		VALUES ($1, $2, $3, $4, $5)`)
	if err != nil {
		return qt.db.wrap("save snapshot", err)
	}
	defer stmt.Close()
	for _, r := range rows {
		js, err := encodeWorker(r.Result)
		if err != nil {
			return qt.db.wrap("save snapshot", err)
		}
		if _, err := stmt.ExecContext(qt.ctx, town, q, r.Result.WorkerID, string(js), int64(r.Base)); err != nil {
			return qt.db.wrap("save snapshot "+r.Result.WorkerID, err)
		}
	}
	return nil
}

// Voided returns the quarter's voided deductions.
func (qt *QuarterTx) Voided() ([]gs.Voided, error) {
	out, err := voided(qt.ctx, qt.tx, qt.State.Town, qt.State.Quarter)
	return out, qt.db.wrap("voided deductions", err)
}

// Void voids a deduction; voiding one already voided changes nothing.
func (qt *QuarterTx) Void(v gs.Voided) error {
	_, err := qt.tx.ExecContext(qt.ctx, `INSERT INTO voided_deductions (town, quarter, worker_id, rule, period,
		evidence_key, reason, voided_by, voided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (town, quarter, worker_id, rule, period, evidence_key) DO NOTHING`,
		qt.State.Town, qt.State.Quarter, v.WorkerID, string(v.Rule), v.Period, evidenceValue(v.DeductionRef),
		v.Reason, v.By, v.At.Unix())
	return qt.db.wrap("void deduction", err)
}

// Unvoid makes a voided deduction count again.
func (qt *QuarterTx) Unvoid(ref gs.DeductionRef) error {
	_, err := qt.tx.ExecContext(qt.ctx, `DELETE FROM voided_deductions WHERE town = $1 AND quarter = $2
		AND worker_id = $3 AND rule = $4 AND period = $5 AND evidence_key = $6`,
		qt.State.Town, qt.State.Quarter, ref.WorkerID, string(ref.Rule), ref.Period, evidenceValue(ref))
	return qt.db.wrap("unvoid deduction", err)
}

// SetDormant marks the void of ref dormant since at (its deduction is no
// longer in the quarter's computed results), or in effect again when at is
// zero.
func (qt *QuarterTx) SetDormant(ref gs.DeductionRef, at time.Time) error {
	_, err := qt.tx.ExecContext(qt.ctx, `UPDATE voided_deductions SET dormant_since = $1 WHERE town = $2 AND quarter = $3
		AND worker_id = $4 AND rule = $5 AND period = $6 AND evidence_key = $7`,
		instant(at), qt.State.Town, qt.State.Quarter, ref.WorkerID, string(ref.Rule), ref.Period, evidenceValue(ref))
	return qt.db.wrap("mark void dormant", err)
}

// Appeals returns the quarter's appeals f chooses (its town and quarter
// fields are ignored).
func (qt *QuarterTx) Appeals(f gs.AppealFilter) ([]gs.Appeal, error) {
	f.Town, f.Quarter = qt.State.Town, qt.State.Quarter
	out, err := appeals(qt.ctx, qt.tx, f, "")
	return out, qt.db.wrap("appeals", err)
}

// CreateAppeal stores a new appeal of the quarter and sets a.ID.
func (qt *QuarterTx) CreateAppeal(a *gs.Appeal) error {
	id, err := qt.db.nextID(qt.ctx, qt.tx, "appeals")
	if err != nil {
		return qt.db.wrap("create appeal", err)
	}
	_, err = qt.tx.ExecContext(qt.ctx, `INSERT INTO appeals (id, town, quarter, worker_id, rule, period, evidence_key,
		reason, status, reply, created_at, decided_at, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, NULL, NULL)`,
		id, qt.State.Town, qt.State.Quarter, a.WorkerID, string(a.Rule), a.Period, evidenceValue(a.DeductionRef),
		a.Reason, string(a.Status), a.CreatedAt.Unix())
	if err != nil {
		return qt.db.wrap("create appeal", err)
	}
	a.ID, a.Town, a.Quarter = id, qt.State.Town, qt.State.Quarter
	return nil
}

// DecideAppeal stores the decision of appeal a (status, reply, when, by
// whom). ENOTFOUND when the quarter has no appeal a.ID.
func (qt *QuarterTx) DecideAppeal(a *gs.Appeal) error {
	res, err := qt.tx.ExecContext(qt.ctx, `UPDATE appeals SET status = $1, reply = $2, decided_at = $3, decided_by = $4
		WHERE id = $5 AND town = $6 AND quarter = $7`,
		string(a.Status), textValue(a.Reply), instant(a.DecidedAt), textValue(a.DecidedBy), a.ID, qt.State.Town, qt.State.Quarter)
	if err != nil {
		return qt.db.wrap("decide appeal", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return qt.db.wrap("decide appeal", err)
	} else if n == 0 {
		return gs.Errorf(gs.ENOTFOUND, "没有编号为 %d 的申诉", a.ID)
	}
	return nil
}

// Audit appends entries to the audit log in the transaction, so a change
// and its record stand or fall together.
func (qt *QuarterTx) Audit(entries ...gs.AuditEntry) error {
	return qt.db.wrap("audit", qt.db.appendAudit(qt.ctx, qt.tx, entries))
}
