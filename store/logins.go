package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/gridscore/gridscore"
)

// The login throttle (issue 13). Failed logins are counted by the username
// typed and the client address, in the table login_failures, one row per
// (username, client):
//
//   - (username, client): the failures of one username from one address.
//     Past LoginLimits.PairFree the address waits before it may try the
//     username again, longer after each further failure. A stranger's
//     guesses delay the stranger, not the account's owner at another
//     address.
//   - ("", client): the failures from one address over every username, so
//     that one address cannot try one password on every account.
//   - (username, ""): the username's lock, set when many addresses have
//     failed on it (evident guessing from many addresses), which refuses
//     every address for a while.
//
// Rows exist for any username typed, an account's or not, so the answers
// are the same for both. A count whose last failure is older than
// LoginLimits.Window starts afresh; DeleteStaleLoginFailures removes such
// rows. Each attempt is counted as a failure before its password is
// checked, in one transaction that holds the table against other logins,
// so that attempts in parallel, on one server or several, cannot get past
// the limits; LoginSucceeded takes the count back.

// LoginLimits are the rules of the login throttle; the app chooses them.
type LoginLimits struct {
	// Window is how long a failure is remembered: a count whose last
	// failure is older starts afresh.
	Window time.Duration
	// PairFree is how many failures of a username from one address it
	// takes before the address must wait to try the username again: Delay
	// after the PairFree-th, twice as long after each next, at most
	// MaxDelay.
	PairFree int
	// ClientFree is the same for the failures from one address over all
	// usernames.
	ClientFree      int
	Delay, MaxDelay time.Duration
	// LockClients and LockFailures: when at least LockClients addresses
	// have failed on a username within Window, LockFailures times or more
	// together, the username is locked from every address for LockFor.
	LockClients, LockFailures int
	LockFor                   time.Duration
}

// LoginAttempt is what BeginLogin found and counted.
type LoginAttempt struct {
	// User is the account of the username, nil when there is none.
	User *gridscore.User
	// PasswordHash is the account's stored hash to check the password
	// against.
	PasswordHash string
	// Refused is set when the attempt may not check a password now and was
	// not counted: until WaitUntil, the username is locked (Locked) or the
	// address must wait.
	Refused   bool
	Locked    bool
	WaitUntil time.Time
	// When the attempt's password turns out wrong, Waits is set when its
	// failure makes the address wait (until WaitUntil), and Locks when it
	// locked the username (until WaitUntil, Clients addresses having
	// failed Failures times).
	Waits, Locks      bool
	Clients, Failures int
}

// failureRow is one row of login_failures as BeginLogin reads it.
type failureRow struct {
	failures     int
	lastAt       int64
	blockedUntil int64
}

// BeginLogin starts a login attempt of username from client at now, under
// the limits: it reads the account of the username, if any, and unless the
// username is locked or the address must wait, counts the attempt as a
// failure of the pair, of the address and, when enough addresses have
// failed on the username, locks it.
func (db *DB) BeginLogin(ctx context.Context, username, client string, now time.Time, limits LoginLimits) (*LoginAttempt, error) {
	op := "begin login " + username
	tx, err := db.writeTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if db.dialect == postgresDialect { // SQLite's write transactions are exclusive already
		if _, err := tx.ExecContext(ctx, "LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return nil, db.wrap(op, err)
		}
	}
	var a LoginAttempt
	var u gridscore.User
	err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userCols+", password_hash FROM users WHERE username = $1", username), &u, &a.PasswordHash)
	switch {
	case err == nil:
		a.User = &u
	case !errors.Is(err, sql.ErrNoRows):
		return nil, db.wrap(op, err)
	}
	t, since := now.Unix(), now.Add(-limits.Window).Unix()
	lock, err := readFailures(ctx, tx, username, "")
	if err != nil {
		return nil, db.wrap(op, err)
	}
	pair, err := readFailures(ctx, tx, username, client)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	from, err := readFailures(ctx, tx, "", client)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	if until := max(lock.blockedUntil, pair.blockedUntil, from.blockedUntil); until > t {
		a.Refused, a.Locked, a.WaitUntil = true, lock.blockedUntil > t, unixCST(until)
		if a.Locked {
			a.WaitUntil = unixCST(lock.blockedUntil)
		}
		return &a, db.wrap(op, tx.Commit())
	}

	pairWait := pair.count(since, t, limits.PairFree, limits)
	fromWait := from.count(since, t, limits.ClientFree, limits)
	if err := writeFailures(ctx, tx, username, client, pair); err != nil {
		return nil, db.wrap(op, err)
	}
	if err := writeFailures(ctx, tx, "", client, from); err != nil {
		return nil, db.wrap(op, err)
	}
	if until := max(pairWait, fromWait); until > 0 {
		a.Waits, a.WaitUntil = true, unixCST(until)
	}
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(failures), 0) FROM login_failures
		WHERE username = $1 AND client <> '' AND last_at >= $2`, username, since).Scan(&a.Clients, &a.Failures)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	if a.Clients >= limits.LockClients && a.Failures >= limits.LockFailures {
		lock = failureRow{failures: a.Failures, lastAt: t, blockedUntil: now.Add(limits.LockFor).Unix()}
		if err := writeFailures(ctx, tx, username, "", lock); err != nil {
			return nil, db.wrap(op, err)
		}
		a.Locks, a.WaitUntil = true, unixCST(lock.blockedUntil)
	}
	return &a, db.wrap(op, tx.Commit())
}

// count adds a failure at t to r, starting afresh when the last is older
// than since, and returns until when the address must wait after it (0:
// it need not).
func (r *failureRow) count(since, t int64, free int, limits LoginLimits) int64 {
	if r.lastAt < since {
		r.failures = 0
	}
	r.failures++
	r.lastAt, r.blockedUntil = t, 0
	if over := r.failures - free; over >= 0 {
		wait := limits.MaxDelay
		if over < 30 {
			wait = min(limits.Delay<<over, limits.MaxDelay)
		}
		r.blockedUntil = t + int64((wait+time.Second-1)/time.Second)
	}
	return r.blockedUntil
}

// readFailures reads the row of (username, client); a missing row is a
// zero row.
func readFailures(ctx context.Context, tx *sql.Tx, username, client string) (failureRow, error) {
	var r failureRow
	err := tx.QueryRowContext(ctx, `SELECT failures, last_at, blocked_until FROM login_failures
		WHERE username = $1 AND client = $2`, username, client).Scan(&r.failures, &r.lastAt, &r.blockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return failureRow{}, nil
	}
	return r, err
}

// writeFailures stores the row of (username, client).
func writeFailures(ctx context.Context, tx *sql.Tx, username, client string, r failureRow) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO login_failures (username, client, failures, last_at, blocked_until)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (username, client) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at,
			blocked_until = excluded.blocked_until`, username, client, r.failures, r.lastAt, r.blockedUntil)
	return err
}

// forgetFailures forgets the failed logins of username from every address
// and lifts its lock.
func forgetFailures(ctx context.Context, tx *sql.Tx, username string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, username)
	return err
}

func unixCST(t int64) time.Time { return time.Unix(t, 0).In(gridscore.CST) }

// LoginSucceeded takes back the failure BeginLogin counted for a login of
// the account userID (username) from client whose password was right: the
// failures of the pair are forgotten, the address's count goes down by one
// without a wait, and a lock the count set is lifted (no wait and no lock
// was in force, or the attempt would have been refused). It appends audit.
// ENOTFOUND if the account is gone or was disabled meanwhile.
func (db *DB) LoginSucceeded(ctx context.Context, userID int64, username, client string, audit ...gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var disabled int
	err = tx.QueryRowContext(ctx, `SELECT disabled FROM users WHERE id = $1`, userID).Scan(&disabled)
	if errors.Is(err, sql.ErrNoRows) || err == nil && disabled != 0 {
		return errNoUser(username)
	} else if err != nil {
		return db.wrap("login", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1 AND client IN ($2, '')`, username, client); err != nil {
		return db.wrap("login", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE login_failures SET failures = failures - 1, blocked_until = 0
		WHERE username = '' AND client = $1 AND failures > 0`, client)
	if err != nil {
		return db.wrap("login", err)
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return db.wrap("login: audit", err)
	}
	return db.wrap("login", tx.Commit())
}

// DeleteStaleLoginFailures removes the counts whose last failure is before
// before and that make nobody wait at now, for the server to call now and
// then; it returns how many there were.
func (db *DB) DeleteStaleLoginFailures(ctx context.Context, before, now time.Time) (int64, error) {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE last_at < $1 AND blocked_until <= $2`, before.Unix(), now.Unix())
	if err != nil {
		return 0, db.wrap("delete stale login failures", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, db.wrap("delete stale login failures", err)
	}
	return n, db.wrap("delete stale login failures", tx.Commit())
}
