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

// WriteTx begins a transaction on the write connection, with no checks of
// what is written through it. The caller rolls it back or commits.
func (db *DB) WriteTx(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	return tx, db.wrap("begin write", err)
}

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
