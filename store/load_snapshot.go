package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// readSnapshot begins up to n read-only transactions on separate
// connections that all see the same snapshot of the data, so that a large
// read can proceed on several cores while staying consistent:
//
//   - PostgreSQL: the first transaction (REPEATABLE READ) exports its
//     snapshot with pg_export_snapshot() and the others adopt it with SET
//     TRANSACTION SNAPSHOT, both plain SQL;
//   - SQLite (WAL): a read transaction's snapshot is fixed by its first
//     read, so the transactions make their first reads while one connection
//     holds the database's write lock (BEGIN IMMEDIATE): no commit of any
//     connection or process can fall between them.
//
// Where that cannot be had at once (an engine without exported snapshots, a
// writer holding the lock), it returns a single transaction: the caller
// reads everything through it, one query after another. Consistency always
// comes first. The caller rolls back or commits every transaction returned.
func (db *DB) readSnapshot(ctx context.Context, n int) ([]*sql.Tx, error) {
	if n > 1 {
		var txs []*sql.Tx
		var err error
		if db.dialect == postgresDialect {
			txs, err = db.postgresSnapshot(ctx, n)
		} else {
			txs, err = db.sqliteSnapshot(ctx, n)
		}
		if err == nil && len(txs) > 0 {
			return txs, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	return []*sql.Tx{tx}, nil
}

// rollbackAll rolls back every transaction of txs.
func rollbackAll(txs []*sql.Tx) {
	for _, tx := range txs {
		tx.Rollback()
	}
}

// postgresSnapshot begins n transactions sharing the first one's snapshot.
func (db *DB) postgresSnapshot(ctx context.Context, n int) ([]*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	first, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	var id string
	if err := first.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&id); err != nil {
		first.Rollback()
		return nil, err
	}
	if id == "" || strings.Trim(id, "0123456789ABCDEFabcdef-") != "" {
		first.Rollback()
		return nil, errUnexpectedSnapshot
	}
	txs := []*sql.Tx{first}
	for len(txs) < n {
		tx, err := db.read.BeginTx(ctx, opts)
		if err != nil {
			rollbackAll(txs)
			return nil, err
		}
		txs = append(txs, tx)
		// The id was checked above; SET TRANSACTION SNAPSHOT takes no
		// parameters.
		if _, err := tx.ExecContext(ctx, "SET TRANSACTION SNAPSHOT '"+id+"'"); err != nil {
			rollbackAll(txs)
			return nil, err
		}
	}
	return txs, nil
}

// errUnexpectedSnapshot is returned when pg_export_snapshot gives something
// that does not look like a snapshot id.
var errUnexpectedSnapshot = sqlError("unexpected snapshot id")

type sqlError string

func (e sqlError) Error() string { return string(e) }

// sqliteLockWait is how long a SQLite snapshot waits for the write lock
// before falling back to a single transaction.
const sqliteLockWait = 200 // milliseconds

// sqliteSnapshot begins n read transactions whose first reads happen while
// a connection of the read pool holds the write lock.
func (db *DB) sqliteSnapshot(ctx context.Context, n int) (txs []*sql.Tx, err error) {
	lock, err := db.read.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.Itoa(sqliteLockWait)); err != nil {
		return nil, err
	}
	defer lock.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = "+strconv.FormatInt(sqliteBusyTimeout.Milliseconds(), 10))
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return nil, err // a writer is at work: read in one transaction
	}
	defer lock.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	for len(txs) < n {
		tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			rollbackAll(txs)
			return nil, err
		}
		txs = append(txs, tx)
		var k int64
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master").Scan(&k); err != nil {
			rollbackAll(txs)
			return nil, err
		}
	}
	return txs, nil
}
