package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// readConn is a connection of the read pool inside a read-only transaction
// begun with plain SQL, so that the assessment's read path can also query
// the driver directly (rawQuery), without database/sql's conversions.
type readConn struct {
	*sql.Conn
}

// end rolls the transaction back and returns the connection to the pool; a
// connection whose rollback failed is closed instead, never reused inside a
// transaction.
func (c readConn) end() {
	ctx := context.Background()
	if _, err := c.ExecContext(ctx, "ROLLBACK"); err != nil {
		c.Raw(func(any) error { return driver.ErrBadConn })
	}
	c.Close()
}

// endAll ends every connection of cs.
func endAll(cs []readConn) {
	for _, c := range cs {
		c.end()
	}
}

// beginRead takes a connection from the read pool and begins a read-only
// transaction on it that sees one snapshot (REPEATABLE READ on PostgreSQL;
// on SQLite in WAL mode a transaction keeps the snapshot of its first read).
func (db *DB) beginRead(ctx context.Context) (readConn, error) {
	c, err := db.read.Conn(ctx)
	if err != nil {
		return readConn{}, db.wrap("begin read", err)
	}
	return db.begin(ctx, c)
}

// begin begins beginRead's transaction on c, a connection of the read pool,
// and closes c if it cannot.
func (db *DB) begin(ctx context.Context, c *sql.Conn) (readConn, error) {
	begin := "BEGIN"
	if db.dialect == postgresDialect {
		begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	}
	if _, err := c.ExecContext(ctx, begin); err != nil {
		c.Close()
		return readConn{}, db.wrap("begin read", err)
	}
	return readConn{c}, nil
}

// readSnapshot begins up to n read transactions on separate connections
// that all see the same snapshot of the data, so that a large read can
// proceed on several cores while staying consistent:
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
// comes first. The caller ends every connection returned (endAll).
//
// The connections come from the read pool while the first one (or, on
// SQLite, the write lock) is held, so n is capped by the pool's size and the
// wait for them by snapshotWait: two callers each holding part of a full
// pool would otherwise wait for each other forever, and on SQLite every
// writer would wait for the lock meanwhile.
func (db *DB) readSnapshot(ctx context.Context, n int) ([]readConn, error) {
	if size := db.read.Stats().MaxOpenConnections; size > 0 {
		if db.dialect == sqliteDialect {
			size-- // the connection holding the write lock
		}
		n = min(n, size)
	}
	if n > 1 {
		var cs []readConn
		var err error
		wctx, cancel := context.WithTimeout(ctx, snapshotWait)
		if db.dialect == postgresDialect {
			cs, err = db.postgresSnapshot(wctx, n)
		} else {
			cs, err = db.sqliteSnapshot(wctx, n)
		}
		cancel()
		if err == nil && len(cs) > 0 {
			return cs, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	c, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	return []readConn{c}, nil
}

// snapshotWait is how long readSnapshot waits for the connections of a
// shared snapshot before reading in a single transaction instead.
const snapshotWait = time.Second

// postgresSnapshot begins n transactions sharing the first one's snapshot.
// The other connections are taken from the pool (connecting, when none is
// idle, which is most of the time taken on a cold start) while the first
// begins and exports its snapshot.
func (db *DB) postgresSnapshot(ctx context.Context, n int) ([]readConn, error) {
	type taken struct {
		c   *sql.Conn
		err error
	}
	others := make(chan taken, n-1)
	for range n - 1 {
		go func() {
			c, err := db.read.Conn(ctx)
			others <- taken{c, err}
		}()
	}
	var cs []readConn
	received := 0 // of others
	fail := func(err error) ([]readConn, error) {
		for ; received < n-1; received++ { // give every connection back
			if t := <-others; t.err == nil {
				t.c.Close()
			}
		}
		endAll(cs)
		return nil, err
	}

	first, err := db.beginRead(ctx)
	if err != nil {
		return fail(err)
	}
	cs = append(cs, first)
	var id string
	if err := first.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&id); err != nil {
		return fail(err)
	}
	if id == "" || strings.Trim(id, "0123456789ABCDEFabcdef-") != "" {
		return fail(errUnexpectedSnapshot)
	}
	for received < n-1 {
		t := <-others
		received++
		if t.err != nil {
			return fail(db.wrap("begin read", t.err))
		}
		c, err := db.begin(ctx, t.c)
		if err != nil {
			return fail(err)
		}
		cs = append(cs, c)
		// The id was checked above; SET TRANSACTION SNAPSHOT takes no
		// parameters.
		if _, err := c.ExecContext(ctx, "SET TRANSACTION SNAPSHOT '"+id+"'"); err != nil {
			return fail(err)
		}
	}
	return cs, nil
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
func (db *DB) sqliteSnapshot(ctx context.Context, n int) (cs []readConn, err error) {
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
	defer func() {
		if _, err := lock.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
			lock.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	for len(cs) < n {
		c, err := db.beginRead(ctx)
		if err != nil {
			endAll(cs)
			return nil, err
		}
		cs = append(cs, c)
		var k int64
		if err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master").Scan(&k); err != nil {
			endAll(cs)
			return nil, err
		}
	}
	return cs, nil
}

// rawQuery runs query on c's driver connection, past database/sql, and
// after each row has been put into dest (a destination per column) calls
// row. On PostgreSQL it reads the rows through pgx itself, handing each
// destination the column's bytes as sent (no value boxed per column); on
// SQLite, the driver's values (int64, string, []byte or nil). Why, and the
// measurement that kept it: the top of load_heavy.go.
func (c readConn) rawQuery(ctx context.Context, query string, args []any, dest []col, row func() error) error {
	return c.Raw(func(dc any) error {
		if pc, ok := dc.(*stdlib.Conn); ok {
			return pgxQuery(ctx, pc.Conn(), query, args, dest, row)
		}
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return sqlError("the driver cannot query directly")
		}
		named := make([]driver.NamedValue, len(args))
		for i, a := range args {
			named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
		}
		rows, err := q.QueryContext(ctx, query, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		vals := make([]driver.Value, len(dest))
		for {
			if err := rows.Next(vals); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
			for i, d := range dest {
				if err := d.set(vals[i]); err != nil {
					return colError{i, err}
				}
			}
			if err := row(); err != nil {
				return err
			}
		}
	})
}

// pgxQuery is rawQuery on a PostgreSQL connection.
func pgxQuery(ctx context.Context, conn *pgx.Conn, query string, args []any, dest []col, row func() error) error {
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	if len(fields) != len(dest) {
		return fmt.Errorf("%d columns, want %d", len(fields), len(dest))
	}
	for rows.Next() {
		raw := rows.RawValues()
		for i, d := range dest {
			if err := d.setRaw(raw[i], fields[i].Format == pgx.BinaryFormatCode); err != nil {
				return colError{i, err}
			}
		}
		if err := row(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// colError is an error reading the column at index i of a raw query.
type colError struct {
	i   int
	err error
}

func (e colError) Error() string { return e.err.Error() }
func (e colError) Unwrap() error { return e.err }
