package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	gs "github.com/gridscore/gridscore"
)

// The throttle on guessed ballot codes (app.GuessLimits), and the audit
// entry of an import of files.

// GuessLimits are the rules of the throttle on codes that do not exist:
// past Free such codes from one client within Window, the client waits
// Block before any code is looked at again.
type GuessLimits struct {
	Window time.Duration
	Free   int
	Block  time.Duration
}

// GuessWait returns until when client must wait before a code is looked
// at (the zero time: it need not).
func (db *DB) GuessWait(ctx context.Context, client string, now time.Time) (time.Time, error) {
	var until int64
	err := db.read.QueryRowContext(ctx, `SELECT blocked_until FROM survey_guesses WHERE client = $1`, client).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) || err == nil && until <= now.Unix() {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, db.wrap("guess wait", err)
	}
	return unixCST(until), nil
}

// GuessFailed counts a code that does not exist from client at now, and
// returns until when the client must wait (the zero time: it need not).
func (db *DB) GuessFailed(ctx context.Context, client string, now time.Time, l GuessLimits) (time.Time, error) {
	op := "guess failed"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return time.Time{}, err
	}
	defer tx.Rollback()
	t := now.Unix()
	// The clients whose count is over and who need not wait are forgotten
	// on the way: the table holds only clients that guessed lately.
	if _, err := tx.ExecContext(ctx, `DELETE FROM survey_guesses WHERE first_at < $1 AND blocked_until <= $2`,
		t-int64(l.Window/time.Second), t); err != nil {
		return time.Time{}, db.wrap(op, err)
	}
	// One statement, so that failures counted at the same moment on
	// several servers all count.
	_, err = tx.ExecContext(ctx, `INSERT INTO survey_guesses (client, failures, first_at, blocked_until) VALUES ($1, 1, $2, 0)
		ON CONFLICT (client) DO UPDATE SET
		failures = CASE WHEN survey_guesses.first_at < $3 THEN 1 ELSE survey_guesses.failures + 1 END,
		first_at = CASE WHEN survey_guesses.first_at < $3 THEN $2 ELSE survey_guesses.first_at END`,
		client, t, t-int64(l.Window/time.Second))
	if err != nil {
		return time.Time{}, db.wrap(op, err)
	}
	var failures int
	var until int64
	if err := tx.QueryRowContext(ctx, `SELECT failures, blocked_until FROM survey_guesses WHERE client = $1`, client).Scan(&failures, &until); err != nil {
		return time.Time{}, db.wrap(op, err)
	}
	if failures > l.Free && until <= t {
		until = now.Add(l.Block).Unix()
		if _, err := tx.ExecContext(ctx, `UPDATE survey_guesses SET blocked_until = $2, failures = 0, first_at = $3 WHERE client = $1`,
			client, until, t); err != nil {
			return time.Time{}, db.wrap(op, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, db.wrap(op, err)
	}
	if until <= t {
		return time.Time{}, nil
	}
	return unixCST(until), nil
}

// Audit appends entries to the audit log inside the import's transaction:
// they are kept if and only if the import is committed.
func (it *ImportTx) Audit(ctx context.Context, entries ...gs.AuditEntry) error {
	return it.db.wrap("import audit", it.db.appendAudit(ctx, it.tx, entries))
}
