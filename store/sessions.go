package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/gridscore/gridscore"
)

// Sessions live in the database so that several servers share them, and the
// audit log records who did what to accounts (and, later, to records and
// quarters). A session is stored under a hash of its token: whoever reads
// the table cannot log in with it.

// Session is a login session, keyed by the hash of its token.
type Session struct {
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is when the session ends unless it is used before then.
	ExpiresAt time.Time
}

// errNoSession is the error for a session that does not exist (or has
// expired).
func errNoSession() error {
	return gridscore.Errorf(gridscore.ENOTFOUND, "会话不存在")
}

// CreateSession stores a session for an enabled account, and deletes the
// account's sessions that expired before s.CreatedAt. ENOTFOUND if the
// account does not exist or is disabled.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
		SELECT $1, id, $3, $4, $5 FROM users WHERE id = $2 AND disabled = 0`,
		s.TokenHash, s.UserID, s.CreatedAt.Unix(), s.LastSeenAt.Unix(), s.ExpiresAt.Unix())
	if err != nil {
		return db.wrap("create session", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return db.wrap("create session", err)
	} else if n == 0 {
		return gridscore.Errorf(gridscore.ENOTFOUND, "账号不存在或已停用")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2`,
		s.UserID, s.CreatedAt.Unix()); err != nil {
		return db.wrap("create session: delete expired", err)
	}
	if err := tx.Commit(); err != nil {
		return db.wrap("create session", err)
	}
	return nil
}

// SessionByTokenHash returns the session with the token hash and its
// account, expired or not (the caller judges), ENOTFOUND if there is none.
func (db *DB) SessionByTokenHash(ctx context.Context, tokenHash string) (*Session, *gridscore.User, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	var s Session
	var u gridscore.User
	row := tx.QueryRowContext(ctx, `SELECT u.id, u.username, u.display_name, u.role, u.town, u.worker_id,
		       u.disabled, u.must_change_password, u.created_at,
		       s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at
		  FROM sessions s JOIN users u ON u.id = s.user_id
		 WHERE s.token_hash = $1`, tokenHash)
	err = scanUser(row, &u, &s.TokenHash, &s.UserID, timeDest{&s.CreatedAt}, timeDest{&s.LastSeenAt}, timeDest{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoSession()
	} else if err != nil {
		return nil, nil, db.wrap("read session", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, db.wrap("read session", err)
	}
	return &s, &u, nil
}

// TouchSession records that the session was used at now and extends it to
// expiresAt. ENOTFOUND if it is gone or expired before now: an expired
// session is never revived.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, now, expiresAt time.Time) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2, expires_at = $3
		WHERE token_hash = $1 AND expires_at > $2`, tokenHash, now.Unix(), expiresAt.Unix())
	if err != nil {
		return db.wrap("touch session", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return db.wrap("touch session", err)
	} else if n == 0 {
		return errNoSession()
	}
	if err := tx.Commit(); err != nil {
		return db.wrap("touch session", err)
	}
	return nil
}

// DeleteSession deletes the session with the token hash, if there is one.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.deleteSessions(ctx, "delete session", `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteUserSessions deletes every session of the account and returns how
// many there were.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	return db.deleteSessions(ctx, "delete user sessions", `DELETE FROM sessions WHERE user_id = $1`, userID)
}

// DeleteExpiredSessions deletes every session expired at now and returns how
// many there were, for a periodic clean-up.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	return db.deleteSessions(ctx, "delete expired sessions", `DELETE FROM sessions WHERE expires_at <= $1`, now.Unix())
}

// deleteSessions runs one DELETE in a transaction and returns the rows
// deleted.
func (db *DB) deleteSessions(ctx context.Context, op, del string, arg any) (int64, error) {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, del, arg)
	if err != nil {
		return 0, db.wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, db.wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, db.wrap(op, err)
	}
	return n, nil
}

// AppendAudit appends one entry to the audit log.
func (db *DB) AppendAudit(ctx context.Context, at time.Time, username, action, object, detail string) error {
	return db.AppendAuditEntries(ctx, gridscore.AuditEntry{At: at, Username: username, Action: action, Object: object, Detail: detail})
}

// AppendAuditEntries appends entries to the audit log in one transaction,
// in their order (their ID fields are ignored).
func (db *DB) AppendAuditEntries(ctx context.Context, e ...gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return db.wrap("append audit", err)
	}
	if err := tx.Commit(); err != nil {
		return db.wrap("append audit", err)
	}
	return nil
}

// appendAudit appends entries inside tx with the next ids. On PostgreSQL
// it holds the log against other writers until tx ends (see nextID).
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, entries []gridscore.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	id, err := db.nextID(ctx, tx, "audit_log")
	if err != nil {
		return err
	}
	for i, e := range entries {
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, username, action, object, detail)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			id+int64(i), e.At.Unix(), e.Username, e.Action, textValue(e.Object), textValue(e.Detail))
		if err != nil {
			return err
		}
	}
	return nil
}

// Audit returns the entries of the audit log chosen by f, newest first.
func (db *DB) Audit(ctx context.Context, f gridscore.AuditFilter) ([]gridscore.AuditEntry, error) {
	c := auditConds(f)
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	var entries []gridscore.AuditEntry
	err := db.readAudit(ctx, auditSelect+c.where()+" ORDER BY id DESC LIMIT "+strconv.Itoa(limit), c.args, func(e gridscore.AuditEntry) error {
		entries = append(entries, e)
		return nil
	})
	return entries, err
}

// EachAudit hands fn, one at a time and in one snapshot, every entry of
// the audit log f chooses (its Limit ignored), in f's order (Sort, Desc);
// an error of fn ends the reading and is returned (ErrStop ends it with
// none).
func (db *DB) EachAudit(ctx context.Context, f gridscore.AuditFilter, fn func(gridscore.AuditEntry) error) error {
	order, err := auditOrder(f)
	if err != nil {
		return err
	}
	c := auditConds(f)
	return stopped(db.readAudit(ctx, auditSelect+c.where()+" ORDER BY "+order, c.args, fn))
}

// auditSelect reads the columns of an entry of the log.
const auditSelect = "SELECT id, at, username, action, object, detail FROM audit_log"

// auditSorts are the columns of the log an order may name
// (gridscore.AuditFilter.Sort).
var auditSorts = map[string]string{
	gridscore.AuditSortAt:     "at",
	gridscore.AuditSortUser:   "username",
	gridscore.AuditSortAction: "action",
}

// auditOrder returns the ORDER BY list of f: the whitelisted column, then
// the id (in the same direction when sorting by time, else newest first).
func auditOrder(f gridscore.AuditFilter) (string, error) {
	if f.Sort == "" {
		return "id DESC", nil
	}
	col, ok := auditSorts[f.Sort]
	if !ok {
		return "", gridscore.Errorf(gridscore.EINVALID, "不能按“%s”排序。", f.Sort)
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	if col == "at" {
		return "at" + dir + ", id" + dir, nil
	}
	return col + dir + ", id DESC", nil
}

// auditConds returns the conditions of f (but its order and limit).
func auditConds(f gridscore.AuditFilter) conds {
	var c conds
	if f.Username != "" {
		c.add("username = ?", f.Username)
	}
	if f.Action != "" {
		c.add("action = ?", f.Action)
	}
	if f.Object != "" {
		c.add("object = ?", f.Object)
	}
	if !f.From.IsZero() {
		c.add("at >= ?", f.From.Unix())
	}
	if !f.To.IsZero() {
		c.add("at < ?", f.To.Unix())
	}
	if f.BeforeID > 0 {
		c.add("id < ?", f.BeforeID)
	}
	if f.Town != "" {
		// The other towns' logins, the bulk of a district's log, are
		// left in the database.
		c.add("(username IN (SELECT username FROM users WHERE town = ?)"+
			" OR object IN (SELECT 'user:' || username FROM users WHERE town = ?)"+
			" OR object LIKE 'quarter:%' OR object LIKE 'worker:%' OR object LIKE 'appeal:%' OR object LIKE 'calendar:%/%' OR object LIKE 'apitoken:%')", f.Town)
	}
	return c
}

// readAudit runs query, which selects the columns of auditSelect, in a
// read transaction and hands each entry to fn.
func (db *DB) readAudit(ctx context.Context, query string, args []any, fn func(gridscore.AuditEntry) error) error {
	tx, err := db.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return db.wrap("read audit log", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e gridscore.AuditEntry
		if err := rows.Scan(&e.ID, timeDest{&e.At}, &e.Username, &e.Action, text(&e.Object), text(&e.Detail)); err != nil {
			return db.wrap("read audit log", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return db.wrap("read audit log", err)
	}
	return db.wrap("read audit log", tx.Commit())
}
