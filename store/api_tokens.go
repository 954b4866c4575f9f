package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// The tokens of the JSON API (migration 00023): each kept by the SHA-256 of
// its secret, never the secret, as sessions are.

// CreateAPIToken stores a new token with the hash of its secret, sets t.ID,
// and appends the audit entries audit makes of it (with its ID and the
// IDs of the tokens it replaced), in one transaction. A name the town's
// live tokens already use is ECONFLICT and writes nothing, unless that
// token has expired: it is then revoked, replaced by the new one.
func (db *DB) CreateAPIToken(ctx context.Context, t *gridscore.APIToken, hash string, audit func(t *gridscore.APIToken, replaced []int64) []gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	id, err := db.nextID(ctx, tx, "api_tokens")
	if err != nil {
		return db.wrap("create api token", err)
	}
	// A token of the same name that has expired gives its name up to its
	// replacement: it is revoked as of now, by whoever replaces it.
	rows, err := tx.QueryContext(ctx, `UPDATE api_tokens SET revoked_at = $1, revoked_by = $2
		WHERE town = $3 AND name = $4 AND revoked_at = 0 AND expires_at <> 0 AND expires_at <= $1 RETURNING id`,
		t.CreatedAt.Unix(), t.CreatedBy, t.Town, t.Name)
	if err != nil {
		return db.wrap("create api token: replace an expired one", err)
	}
	var replaced []int64
	for rows.Next() {
		var old int64
		if err := rows.Scan(&old); err != nil {
			rows.Close()
			return db.wrap("create api token: replace an expired one", err)
		}
		replaced = append(replaced, old)
	}
	if err := rows.Close(); err != nil {
		return db.wrap("create api token: replace an expired one", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO api_tokens (id, town, name, token_hash, write_kinds, can_read,
		created_at, created_by, last_used_at, revoked_at, revoked_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, '', $9)`,
		id, t.Town, t.Name, hash, strings.Join(t.Write, ","), flagValue(t.Read), t.CreatedAt.Unix(), t.CreatedBy, unixOr0(t.ExpiresAt))
	if err != nil {
		err = db.wrap("create api token", err)
		if gridscore.ErrorCode(err) == gridscore.ECONFLICT {
			return gridscore.Errorf(gridscore.ECONFLICT, "本镇街已有名为“%s”的接口令牌，请换一个名称，或先吊销原来的令牌。", t.Name)
		}
		return err
	}
	t.ID = id
	if err := db.appendAudit(ctx, tx, audit(t, replaced)); err != nil {
		return db.wrap("create api token: audit", err)
	}
	return db.wrap("create api token: commit", tx.Commit())
}

// apiTokenSelect reads the columns scanAPIToken scans.
const apiTokenSelect = `SELECT id, town, name, write_kinds, can_read, created_at, created_by,
	last_used_at, revoked_at, revoked_by, expires_at FROM api_tokens`

func scanAPIToken(row interface{ Scan(...any) error }) (gridscore.APIToken, error) {
	var t gridscore.APIToken
	var kinds string
	var read int64
	var created, used, revoked, expires int64
	err := row.Scan(&t.ID, &t.Town, &t.Name, &kinds, &read, &created, &t.CreatedBy, &used, &revoked, &t.RevokedBy, &expires)
	if kinds != "" {
		t.Write = strings.Split(kinds, ",")
	}
	t.Read = read != 0
	t.CreatedAt = unixCST(created)
	t.LastUsedAt = unixOrZero(used)
	t.RevokedAt = unixOrZero(revoked)
	t.ExpiresAt = unixOrZero(expires)
	return t, err
}

// unixOr0 is the unix seconds of t, 0 for the zero time (unixOrZero's
// inverse).
func unixOr0(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// unixOrZero is the time of unix seconds s (CST), zero for 0.
func unixOrZero(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return unixCST(s)
}

// APITokenByHash returns the token whose secret has the hash, revoked or
// not; ENOTFOUND when there is none.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (*gridscore.APIToken, error) {
	t, err := scanAPIToken(db.read.QueryRowContext(ctx, apiTokenSelect+` WHERE token_hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gridscore.Errorf(gridscore.ENOTFOUND, "没有这个接口令牌。")
	}
	if err != nil {
		return nil, db.wrap("api token", err)
	}
	return &t, nil
}

// APITokens lists a town's tokens: the live ones first, newest first, then
// the revoked ones, last revoked first.
func (db *DB) APITokens(ctx context.Context, town string) ([]gridscore.APIToken, error) {
	rows, err := db.read.QueryContext(ctx, apiTokenSelect+` WHERE town = $1
		ORDER BY CASE WHEN revoked_at = 0 THEN 0 ELSE 1 END, revoked_at DESC, created_at DESC, id DESC`, town)
	if err != nil {
		return nil, db.wrap("api tokens", err)
	}
	defer rows.Close()
	var out []gridscore.APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, db.wrap("api tokens", err)
		}
		out = append(out, t)
	}
	return out, db.wrap("api tokens", rows.Err())
}

// RevokeAPIToken revokes the live token id of town at the moment, by the
// account named, with the audit entries, in one transaction. A token that
// is not the town's, or is revoked already, is ENOTFOUND.
func (db *DB) RevokeAPIToken(ctx context.Context, town string, id int64, at time.Time, by string, audit ...gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1, revoked_by = $2
		WHERE id = $3 AND town = $4 AND revoked_at = 0`, at.Unix(), by, id, town)
	if err != nil {
		return db.wrap("revoke api token", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return db.wrap("revoke api token", err)
	} else if n == 0 {
		return gridscore.Errorf(gridscore.ENOTFOUND, "没有找到这个接口令牌，或它已被吊销。")
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return db.wrap("revoke api token: audit", err)
	}
	return db.wrap("revoke api token: commit", tx.Commit())
}

// TouchAPIToken records that token id was used at the moment, unless a use
// was recorded less than every before it: the list shows the last use to
// the minute without a write for each request.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time, every time.Duration) error {
	_, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND last_used_at <= $3`,
		at.Unix(), id, at.Add(-every).Unix())
	return db.wrap("touch api token", err)
}
