package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/gridscore/gridscore"
)

// What a tool measuring the database itself needs from the store: the
// benchmark floors of `gridscore bench` (package storebench) read and write
// the tables directly, with nothing the product does on the way, and must
// read exactly the rows Load reads. The product never calls these.

// ReadTx begins a read-only transaction on the read pool that sees one
// snapshot of the data, as Load's does. The caller rolls it back or commits.
func (db *DB) ReadTx(ctx context.Context) (*sql.Tx, error) { return db.readTx(ctx) }

// WindowCondition returns the condition, on parameters $1 and $2, with
// which Load reads the rows of kind (a name of Kinds) in the window [from,
// to), and its arguments; "" and nil for a kind read whole.
func WindowCondition(kind string, from, to time.Time) (string, []any) {
	return kindNamed(kind).loadCond(newWindow(from, to))
}

// TableRows are the rows of one table, as stored.
type TableRows struct {
	Table   string
	Columns []string
	Rows    [][]any // one value per column
}

// RowsOf returns the column values of every record of recs, one TableRows
// per table in the order of Kinds (referenced rows before the rows naming
// them), records with the same key given once (the last).
func RowsOf(recs *gridscore.Records) []TableRows {
	rows, _ := rowsOf(recs)
	out := make([]TableRows, len(tables))
	for i, t := range tables {
		out[i] = TableRows{Table: t.name, Columns: t.cols, Rows: rows[i]}
	}
	return out
}

// WriteConn returns the write connection itself, for a floor that writes
// through the driver (COPY on PostgreSQL) inside a transaction begun on
// it. The caller closes it, which returns it to the pool.
func (db *DB) WriteConn(ctx context.Context) (*sql.Conn, error) {
	conn, err := db.write.Conn(ctx)
	return conn, db.wrap("write connection", err)
}

// Postgres reports whether db is a PostgreSQL store (else SQLite).
func (db *DB) Postgres() bool { return db.dialect == postgresDialect }

// DropSecondaryIndexes drops, inside tx (begun on db's write connection),
// the indexes of table that are neither its key nor unique, as a large
// import does, and returns the statements that build them again.
func (db *DB) DropSecondaryIndexes(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	creates, err := dropSecondaryIndexes(ctx, tx, db.dialect, table)
	return creates, db.wrap("drop indexes of "+table, err)
}
