package store

import "context"

// The SQLite side of an ImportTx: prepared multi-row upserts on the one
// write connection.
//
// The statements are INSERT OR FAIL … ON CONFLICT DO UPDATE (upsertSQL):
// with the default ABORT, SQLite keeps a statement journal so that a
// statement failing half-way can be undone alone, and a statement of
// hundreds of rows spills that journal to a temporary file (15 % of a
// 5,000-worker import's CPU went to writing it). An import never carries
// on after a failed statement, it rolls back whole, so FAIL (which keeps
// the rows the statement wrote before failing) loses nothing.

// stmtUpsert writes rows on SQLite, per rows a statement; rows short of a
// full statement wait for the next call, or for Commit.
func (it *ImportTx) stmtUpsert(ctx context.Context, tw *tableWriter, rows [][]any) error {
	if len(tw.pending) > 0 {
		take := min(tw.per-len(tw.pending), len(rows))
		tw.pending = append(tw.pending, rows[:take]...)
		rows = rows[take:]
		if len(tw.pending) < tw.per {
			return nil
		}
		if err := it.execFull(ctx, tw, tw.pending); err != nil {
			return err
		}
		tw.pending = tw.pending[:0]
	}
	for ; len(rows) >= tw.per; rows = rows[tw.per:] {
		if err := it.execFull(ctx, tw, rows[:tw.per]); err != nil {
			return err
		}
	}
	tw.pending = append(tw.pending, rows...)
	if it.large && tw.deferred == nil && tw.written >= max(deferIndexRows, tw.before) {
		return it.deferIndexes(ctx, tw)
	}
	return nil
}

// deferIndexRows is how many rows a large import (LargeImport, whose
// temporary storage is in files, where the rebuild sorts) must have written
// into a SQLite table that held rows before, and at least as many as the
// table held, before the table's secondary indexes are dropped for the rest
// of the import and built again at its end.
var deferIndexRows int64 = 200_000

// execFull runs the prepared statement on per rows.
func (it *ImportTx) execFull(ctx context.Context, tw *tableWriter, rows [][]any) error {
	tw.args = tw.args[:0]
	for _, r := range rows {
		tw.args = append(tw.args, r...)
	}
	res, err := tw.full.ExecContext(ctx, tw.args...)
	return tw.count(res, err)
}

// flushPending writes the rows still waiting on SQLite.
func (it *ImportTx) flushPending(ctx context.Context, tw *tableWriter) error {
	if len(tw.pending) == 0 {
		return nil
	}
	tw.args = tw.args[:0]
	for _, r := range tw.pending {
		tw.args = append(tw.args, r...)
	}
	res, err := it.tx.ExecContext(ctx, upsertSQL(tw.t, len(tw.pending)), tw.args...)
	tw.pending = tw.pending[:0]
	return tw.count(res, err)
}
