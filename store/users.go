package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// Accounts (issue 4). The store keeps a password hash beside each account
// (and the failed logins by username and address in logins.go); it never
// sees a password. Every method is
// one transaction on the write pool (or the read pool for reads), and
// methods that change an account append the audit entries they are given
// in the same transaction, so a change and its record stand or fall
// together.

// userCols is the select list that scanUser reads.
const userCols = `id, username, display_name, role, town, worker_id, disabled, must_change_password, created_at`

// scanner is a row or rows.
type scanner interface{ Scan(dest ...any) error }

// scanUser scans userCols, then extra columns, into u and extra.
func scanUser(row scanner, u *gridscore.User, extra ...any) error {
	return row.Scan(append([]any{&u.ID, &u.Username, text(&u.DisplayName), text(&u.Role),
		text(&u.Town), text(&u.WorkerID), flagDest{&u.Disabled}, flagDest{&u.MustChangePassword},
		timeDest{&u.CreatedAt}}, extra...)...)
}

// errNoUser is the error for an account that does not exist.
func errNoUser(username string) error {
	return gridscore.Errorf(gridscore.ENOTFOUND, "用户“%s”不存在", username)
}

// writeTx begins a transaction that changes rows, on the write pool.
func (db *DB) writeTx(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, db.wrap("begin", err)
	}
	return tx, nil
}

// nextID returns the id after the largest in table, and on PostgreSQL
// first locks the table against other writers until tx ends, so that no
// concurrent transaction takes the same id (reads go on; SQLite's write
// transactions are exclusive already). A transaction that locks users and
// audit_log locks them in that order.
func (db *DB) nextID(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	if db.dialect == postgresDialect {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE "+table+" IN EXCLUSIVE MODE"); err != nil {
			return 0, err
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM "+table).Scan(&id)
	return id, err
}

// CreateUser stores a new account with its password hash, sets u.ID, and
// appends the audit entries. A username already taken, or a worker who
// already has an account, is ECONFLICT; the caller validates u.
func (db *DB) CreateUser(ctx context.Context, u *gridscore.User, passwordHash string, audit ...gridscore.AuditEntry) error {
	_, err := db.createUser(ctx, u, passwordHash, false, audit)
	if gridscore.ErrorCode(err) == gridscore.ECONFLICT {
		// A unique index refused the row: say which.
		if why := db.userClash(ctx, u); why != nil {
			return why
		}
	}
	return err
}

// CreateUsers stores new accounts, their password hashes (in the same
// order) and the audit entries in one transaction: all or none. A username
// taken, or a worker who has an account already, is ECONFLICT and writes
// nothing; the caller validates the accounts.
func (db *DB) CreateUsers(ctx context.Context, us []*gridscore.User, hashes []string, audit ...gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	id, err := db.nextID(ctx, tx, "users")
	if err != nil {
		return db.wrap("create users", err)
	}
	for i, u := range us {
		_, err = tx.ExecContext(ctx, `INSERT INTO users (id, username, display_name, role, town, worker_id,
			password_hash, disabled, must_change_password, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			id+int64(i), u.Username, textValue(u.DisplayName), string(u.Role), textValue(u.Town), textValue(u.WorkerID),
			hashes[i], flagValue(u.Disabled), flagValue(u.MustChangePassword), u.CreatedAt.Unix())
		if err != nil {
			err = db.wrap("create user "+u.Username, err)
			if gridscore.ErrorCode(err) == gridscore.ECONFLICT {
				if why := db.userClash(ctx, u); why != nil {
					return why
				}
			}
			return err
		}
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return db.wrap("create users: audit", err)
	}
	if err := tx.Commit(); err != nil {
		return db.wrap("create users", err)
	}
	for i, u := range us {
		u.ID = id + int64(i)
	}
	return nil
}

// CreateFirstUser stores u as CreateUser does, but only when there is no
// account at all, and reports whether it did. Two servers starting at once
// on one database create one account between them.
func (db *DB) CreateFirstUser(ctx context.Context, u *gridscore.User, passwordHash string, audit ...gridscore.AuditEntry) (bool, error) {
	return db.createUser(ctx, u, passwordHash, true, audit)
}

// createUser stores u; with onlyFirst it writes nothing (and reports
// false) when an account exists.
func (db *DB) createUser(ctx context.Context, u *gridscore.User, hash string, onlyFirst bool, audit []gridscore.AuditEntry) (bool, error) {
	u.ID = 0
	tx, err := db.writeTx(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	id, err := db.nextID(ctx, tx, "users") // locks out other writers first
	if err != nil {
		return false, db.wrap("create user", err)
	}
	if onlyFirst && id > 1 {
		return false, nil // the largest id is at least 1: an account exists
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO users (id, username, display_name, role, town, worker_id,
		password_hash, disabled, must_change_password, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		id, u.Username, textValue(u.DisplayName), string(u.Role), textValue(u.Town), textValue(u.WorkerID),
		hash, flagValue(u.Disabled), flagValue(u.MustChangePassword), u.CreatedAt.Unix())
	if err != nil {
		return false, db.wrap("create user "+u.Username, err)
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return false, db.wrap("create user: audit", err)
	}
	if err := tx.Commit(); err != nil {
		return false, db.wrap("create user "+u.Username, err)
	}
	u.ID = id
	return true, nil
}

// userClash explains why a new account u was refused: its username or its
// worker is taken (ECONFLICT), or nil when neither is.
func (db *DB) userClash(ctx context.Context, u *gridscore.User) error {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, u.Username).Scan(&n)
	if err != nil {
		return db.wrap("create user: check username", err)
	}
	if n > 0 {
		return gridscore.Errorf(gridscore.ECONFLICT, "用户名“%s”已被使用", u.Username)
	}
	if u.WorkerID == "" {
		return nil
	}
	var other string
	err = db.read.QueryRowContext(ctx, `SELECT username FROM users WHERE worker_id = $1`, u.WorkerID).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return db.wrap("create user: check worker", err)
	}
	return gridscore.Errorf(gridscore.ECONFLICT, "工号 %s 已有账号“%s”", u.WorkerID, other)
}

// UserByUsername returns the account with the username, ENOTFOUND if none.
func (db *DB) UserByUsername(ctx context.Context, username string) (*gridscore.User, error) {
	return db.userWhere(ctx, "username = $1", username, username)
}

// UserByID returns the account with the id, ENOTFOUND if none.
func (db *DB) UserByID(ctx context.Context, id int64) (*gridscore.User, error) {
	return db.userWhere(ctx, "id = $1", id, fmt.Sprintf("#%d", id))
}

// userWhere reads the one account matching cond (with one argument).
func (db *DB) userWhere(ctx context.Context, cond string, arg any, name string) (*gridscore.User, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var u gridscore.User
	err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE "+cond, arg), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoUser(name)
	} else if err != nil {
		return nil, db.wrap("read user "+name, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, db.wrap("read user "+name, err)
	}
	return &u, nil
}

// Users returns every account, ordered by username (byte by byte, the same
// on both engines).
func (db *DB) Users(ctx context.Context) ([]gridscore.User, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT "+userCols+" FROM users")
	if err != nil {
		return nil, db.wrap("list users", err)
	}
	defer rows.Close()
	var users []gridscore.User
	for rows.Next() {
		var u gridscore.User
		if err := scanUser(rows, &u); err != nil {
			return nil, db.wrap("list users", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap("list users", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, db.wrap("list users", err)
	}
	slices.SortFunc(users, func(a, b gridscore.User) int { return cmp.Compare(a.Username, b.Username) })
	return users, nil
}

// SetPasswordHash replaces an account's password hash and sets
// MustChangePassword to mustChange. It also forgets the failed logins of
// the username and its lock (an administrator's reset unlocks the account)
// and ends every session of the account, so that whoever knew the old
// password is logged out. ENOTFOUND if there is no such account.
func (db *DB) SetPasswordHash(ctx context.Context, username, passwordHash string, mustChange bool, audit ...gridscore.AuditEntry) error {
	return db.updateUser(ctx, "set password", username, audit,
		`UPDATE users SET password_hash = $2, must_change_password = $3 WHERE username = $1`,
		passwordHash, flagValue(mustChange))
}

// SetUserDisabled disables an account (ending its sessions) or enables it
// again, forgetting its failed logins either way. ENOTFOUND if there is no
// such account.
func (db *DB) SetUserDisabled(ctx context.Context, username string, disabled bool, audit ...gridscore.AuditEntry) error {
	return db.updateUser(ctx, "set disabled", username, audit,
		`UPDATE users SET disabled = $2 WHERE username = $1`, flagValue(disabled))
}

// updateUser runs one UPDATE of the account named by $1, ends the
// account's sessions, forgets the failed logins of its username and
// appends audit, in one transaction.
func (db *DB) updateUser(ctx context.Context, op, username string, audit []gridscore.AuditEntry, update string, args ...any) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, update, append([]any{username}, args...)...)
	if err != nil {
		return db.wrap(op+" "+username, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return db.wrap(op+" "+username, err)
	} else if n == 0 {
		return errNoUser(username)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = $1)`, username); err != nil {
		return db.wrap(op+" "+username+": end sessions", err)
	}
	if err := forgetFailures(ctx, tx, username); err != nil {
		return db.wrap(op+" "+username+": forget failed logins", err)
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return db.wrap(op+" "+username+": audit", err)
	}
	if err := tx.Commit(); err != nil {
		return db.wrap(op+" "+username, err)
	}
	return nil
}

// Account is an account as its town's administrator manages it: the
// account, when its lock runs out (zero when never locked) and its last
// successful login (zero when never), read from the audit log.
type Account struct {
	gridscore.User
	LockedUntil time.Time
	LastLogin   time.Time
}

// TownAccounts returns the accounts of town by username, each with its
// lock and its last audit entry of action loginAction (the app's name for
// a successful login).
func (db *DB) TownAccounts(ctx context.Context, town, loginAction string) ([]Account, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT "+userCols+`,
		(SELECT NULLIF(f.blocked_until, 0) FROM login_failures f WHERE f.username = users.username AND f.client = ''),
		(SELECT MAX(a.at) FROM audit_log a WHERE a.username = users.username AND a.action = $2)
		FROM users WHERE town = $1 ORDER BY username`, town, loginAction)
	if err != nil {
		return nil, db.wrap("list accounts of "+town, err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		if err := scanUser(rows, &a.User, timeDest{&a.LockedUntil}, timeDest{&a.LastLogin}); err != nil {
			return nil, db.wrap("list accounts of "+town, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap("list accounts of "+town, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, db.wrap("list accounts of "+town, err)
	}
	slices.SortFunc(out, func(a, b Account) int { return cmp.Compare(a.Username, b.Username) })
	return out, nil
}

// AccountChange is one change of an account by its town's administrator;
// a zero field changes nothing.
type AccountChange struct {
	// Role is the new role ("" keeps it).
	Role gridscore.Role
	// Disabled, when set, disables or enables the account.
	Disabled *bool
	// Unlock forgets the failed logins of the username, from every
	// address, and lifts its lock.
	Unlock bool
	// PasswordHash, when set, replaces the password (and unlocks); the
	// account must change it at its next login when MustChange is set.
	PasswordHash string
	MustChange   bool
}

// ChangeTownAccount applies c to the account username of town and appends
// audit, in one write transaction that holds the users table against other
// writers. A change after which town would have no enabled administrator
// is refused with ECONFLICT and writes nothing, so that two administrators
// disabling each other at once cannot leave the town without one. A new
// password or disabling ends the account's sessions. ENOTFOUND when town
// has no such account.
func (db *DB) ChangeTownAccount(ctx context.Context, town, username string, c AccountChange, audit ...gridscore.AuditEntry) error {
	op := "change account " + username
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.dialect == postgresDialect {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE users IN EXCLUSIVE MODE"); err != nil {
			return db.wrap(op, err)
		}
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1 AND town = $2`, username, town).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoUser(username)
	} else if err != nil {
		return db.wrap(op, err)
	}
	var sets []string
	args := []any{id}
	set := func(col string, v any) {
		args = append(args, v)
		sets = append(sets, fmt.Sprintf("%s = $%d", col, len(args)))
	}
	endSessions := false
	if c.Role != "" {
		set("role", string(c.Role))
	}
	if c.Disabled != nil {
		set("disabled", flagValue(*c.Disabled))
		endSessions = *c.Disabled
	}
	if c.PasswordHash != "" {
		set("password_hash", c.PasswordHash)
		set("must_change_password", flagValue(c.MustChange))
		endSessions = true
	}
	forget := c.Unlock || c.PasswordHash != "" || c.Disabled != nil
	if len(sets) == 0 && !forget {
		return nil
	}
	if len(sets) > 0 {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET "+strings.Join(sets, ", ")+" WHERE id = $1", args...); err != nil {
			return db.wrap(op, err)
		}
	}
	if forget {
		if err := forgetFailures(ctx, tx, username); err != nil {
			return db.wrap(op+": forget failed logins", err)
		}
	}
	var admins int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE town = $1 AND role = $2 AND disabled = 0`,
		town, string(gridscore.RoleTownAdmin)).Scan(&admins)
	if err != nil {
		return db.wrap(op, err)
	}
	if admins == 0 {
		return gridscore.Errorf(gridscore.ECONFLICT, "%s 至少要保留一个启用的管理员账号，不能停用或降级最后一个管理员。", town)
	}
	if endSessions {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return db.wrap(op+": end sessions", err)
		}
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return db.wrap(op+": audit", err)
	}
	return db.wrap(op, tx.Commit())
}
