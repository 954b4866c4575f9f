package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gridscore/gridscore"
)

// The application errors the store returns for driver errors; people read
// the messages. Each call returns a new value, so no caller can change
// another's error.
func errBusy() *gridscore.Error {
	return gridscore.Errorf(gridscore.ECONFLICT, "数据库正忙，请稍后重试。")
}

func errConflict() *gridscore.Error {
	return gridscore.Errorf(gridscore.ECONFLICT, "数据与已保存的记录冲突。")
}

func errMissing() *gridscore.Error {
	return gridscore.Errorf(gridscore.EINVALID, "缺少必填的值。")
}

func errBadValue() *gridscore.Error {
	return gridscore.Errorf(gridscore.EINVALID, "数据的值不符合数据库的要求。")
}

// wrap describes a database error: "store: <op>: <cause>". When the driver's
// error code says something a person can act on, the result also wraps a
// *gridscore.Error with the matching code, so gridscore.ErrorCode and
// errors.As see both it and the driver's error. Context errors keep their
// identity for errors.Is.
func (db *DB) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	if app := classify(err); app != nil {
		return fmt.Errorf("store: %s: %w: %w", op, app, err)
	}
	return fmt.Errorf("store: %s (%s): %w", op, db.dialect, err)
}

// classify maps a driver error to an application error by its code (never by
// message text), or returns nil when the code means nothing to a user.
func classify(err error) *gridscore.Error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return classifyPostgres(pgErr.Code)
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		return classifySQLite(sqlErr.Code())
	}
	return nil
}

// classifyPostgres maps a SQLSTATE.
func classifyPostgres(code string) *gridscore.Error {
	switch {
	case code == "23502": // not_null_violation
		return errMissing()
	case strings.HasPrefix(code, "23"): // unique, foreign key, check, exclusion
		return errConflict()
	case strings.HasPrefix(code, "22"): // data exception: too long, out of range...
		return errBadValue()
	case code == "40001", code == "40P01", code == "55P03": // serialization, deadlock, lock not available
		return errBusy()
	}
	return nil
}

// classifySQLite maps an extended result code.
func classifySQLite(code int) *gridscore.Error {
	switch code & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return errBusy()
	case sqlite3.SQLITE_CONSTRAINT:
		if code == sqlite3.SQLITE_CONSTRAINT_NOTNULL {
			return errMissing()
		}
		return errConflict()
	case sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_MISMATCH, sqlite3.SQLITE_RANGE:
		return errBadValue()
	}
	return nil
}

// isSQLiteBusy reports whether err is SQLite's SQLITE_BUSY or
// SQLITE_LOCKED.
func isSQLiteBusy(err error) bool {
	var sqlErr *sqlite.Error
	if !errors.As(err, &sqlErr) {
		return false
	}
	code := sqlErr.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// isUniqueViolation reports whether err is a driver's refusal of a row whose
// key (primary or unique) is already stored.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		return sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	return false
}
