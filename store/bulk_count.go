package store

import (
	"context"
	"database/sql"
	"math"
)

// How an ImportTx tells the rows it inserted without counting tables: see
// tableWriter.

// farRowid is the largest rowid from which an import does not rely on
// SQLite giving each new row the rowid one above the largest stored: at
// the largest possible rowid SQLite picks free ones at random. gridscore
// never sets a rowid, so a table gets there only by hand; it is then
// counted before and after the import, as every table once was.
const farRowid = math.MaxInt64 / 2

// startCount notes, before the first write into tw's table, whether the
// table is empty and what telling the rows inserted later needs: on
// SQLite the largest rowid, and the rows counted for a large import into a
// table holding rows (stmtUpsert compares them with the rows written) or
// when rowids are far (farRowid). PostgreSQL counts the rows as it writes
// them (copyDirect, copyUpsert) and only asks whether any is stored.
func (it *ImportTx) startCount(ctx context.Context, tw *tableWriter) error {
	if it.db.dialect == postgresDialect {
		return it.tx.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM "+tw.t.name+")").Scan(&tw.empty)
	}
	last, err := it.lastRowid(ctx, tw)
	if err != nil {
		return err
	}
	tw.lastRowid, tw.empty = last.Int64, !last.Valid
	if !tw.empty && (it.large || tw.lastRowid > farRowid) {
		tw.before, err = it.countTable(ctx, tw)
	}
	return err
}

// stats returns what the import did with tw's table, whose rows are all
// written (flushPending).
func (it *ImportTx) stats(ctx context.Context, tw *tableWriter) (KindStats, error) {
	inserted := tw.inserted
	if it.db.dialect == sqliteDialect {
		var err error
		if inserted, err = it.sqliteInserted(ctx, tw); err != nil {
			return KindStats{}, err
		}
	}
	return KindStats{Received: tw.received, Inserted: inserted, Updated: tw.written - inserted, Unchanged: tw.received - tw.written}, nil
}

// sqliteInserted returns the rows inserted into tw's table on SQLite: how
// far the largest rowid moved, since the write connection is SQLite's one
// writer, the import deletes nothing, and each row inserted took the rowid
// one above the largest then stored. With rowids far (farRowid) it counts.
func (it *ImportTx) sqliteInserted(ctx context.Context, tw *tableWriter) (int64, error) {
	if tw.lastRowid > farRowid {
		after, err := it.countTable(ctx, tw)
		return after - tw.before, err
	}
	last, err := it.lastRowid(ctx, tw)
	return last.Int64 - tw.lastRowid, err
}

// lastRowid returns the largest rowid of tw's SQLite table, NULL when it is
// empty: one step down the table's b-tree, not a scan.
func (it *ImportTx) lastRowid(ctx context.Context, tw *tableWriter) (sql.NullInt64, error) {
	var last sql.NullInt64
	err := it.tx.QueryRowContext(ctx, "SELECT max(rowid) FROM "+tw.t.name).Scan(&last)
	return last, err
}

// countTable counts the rows of tw's table, a scan of the whole table.
func (it *ImportTx) countTable(ctx context.Context, tw *tableWriter) (int64, error) {
	it.counts++
	return countRows(ctx, it.tx, tw.t.name)
}
