package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/gridscore/gridscore"
)

// ImportTx is one import written in parts: a transaction that records are
// written into while they are still being read, so that an import of any
// size needs memory only for the part in hand. Nothing is visible to others
// before Commit, and Rollback (or any error) leaves the store as it was:
// all or nothing, however many parts.
//
// Each Write upserts its records as Import does: a record whose key is
// stored replaces the stored row where it differs, an identical one changes
// nothing. On SQLite the rows go through prepared multi-row INSERT … ON
// CONFLICT statements on the one write connection; on PostgreSQL each Write
// copies its rows (COPY) into a temporary staging table, dropped at the end
// of the transaction, and upserts them from there with one INSERT … SELECT …
// ON CONFLICT statement.
//
// An ImportTx is not safe for concurrent use: one goroutine writes while
// others may read the files. Begin it with DB.BeginImport and always end it
// with Commit or Rollback (a Rollback after Commit does nothing).
type ImportTx struct {
	db     *DB
	conn   *sql.Conn
	tx     *sql.Tx
	tables []*tableWriter // per table of tables, nil until first written
	done   bool
	large  bool        // LargeImport: secondary indexes may be deferred
	town   string      // OnlyTown: the one town whose records change
	noted  importNoted // what the records written concern (Note)
}

// tableWriter is what an ImportTx keeps for one table it has written to.
type tableWriter struct {
	t        *table
	before   int64 // rows before the first write
	received int64 // records given
	written  int64 // rows inserted or changed
	// SQLite: the prepared statement writing per rows, the rows waiting for
	// a full statement, and the argument buffer.
	per     int
	full    *sql.Stmt
	pending [][]any
	args    []any
	// deferred holds the statements re-creating the secondary indexes
	// dropped for the rest of a large import (see deferIndexes).
	deferred []string
	// PostgreSQL: the staging table and the statement that upserts from it.
	stage, merge string
}

// ImportOption tunes BeginImport.
type ImportOption func(*importOptions)

type importOptions struct {
	large bool
	town  string
}

// LargeImport tells BeginImport that the import may write hundreds of
// thousands of rows (see LargeImportBytes).
func LargeImport() ImportOption { return func(o *importOptions) { o.large = true } }

// OnlyTown tells BeginImport that every record written belongs to town
// (the caller checked it, as the JSON API does): the commit outdates the
// live results of that town alone (bumpTowns), not every town's.
func OnlyTown(town string) ImportOption { return func(o *importOptions) { o.town = town } }

// LargeImportBytes is the size of import files from which an import is
// taken to be large: about 500,000 rows of DATA.md files.
const LargeImportBytes = 64 << 20

// BeginImport begins an import transaction on the write connection.
//
// On SQLite, a small import keeps its temporary storage (the statement
// journal of each multi-row upsert) in memory, 10–15 % faster than in a
// file; a large one (LargeImport) keeps it in files, because rebuilding
// the indexes it dropped (deferIndexes) sorts every key of the table, and
// sorted runs kept in memory took a province's import past 2 GB. SQLite
// cannot change this inside the transaction, so it is chosen up front.
func (db *DB) BeginImport(ctx context.Context, opts ...ImportOption) (*ImportTx, error) {
	var o importOptions
	for _, opt := range opts {
		opt(&o)
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, db.wrap("import: connect", err)
	}
	if db.dialect == sqliteDialect {
		store := "MEMORY"
		if o.large {
			store = "FILE"
		}
		if _, err := conn.ExecContext(ctx, "PRAGMA temp_store = "+store); err != nil {
			conn.Close()
			return nil, db.wrap("import: temp store", err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, db.wrap("import: begin", err)
	}
	return &ImportTx{db: db, conn: conn, tx: tx, tables: make([]*tableWriter, len(tables)), large: o.large, town: o.town}, nil
}

// Known reads, inside the transaction, what is stored that records may
// refer to, for checking references before and while writing.
func (it *ImportTx) Known(ctx context.Context) (*Known, error) {
	k, err := loadKnown(ctx, it.tx)
	if err != nil {
		return nil, it.db.wrap("import: load stored references", err)
	}
	return k, nil
}

// Write upserts every record of recs. Within one call a later record with
// the key of an earlier one replaces it; records with the same key given
// in different calls are written in turn, the last one staying.
func (it *ImportTx) Write(ctx context.Context, recs *gridscore.Records) error {
	if it.done {
		return it.db.wrap("import: write", sql.ErrTxDone)
	}
	rows, received := rowsOf(recs)
	for i := range tables {
		if received[i] == 0 {
			continue
		}
		tw, err := it.writer(ctx, i)
		if err != nil {
			return it.db.wrap("import "+tables[i].name, err)
		}
		tw.received += int64(received[i])
		if it.db.dialect == postgresDialect {
			err = it.copyUpsert(ctx, tw, rows[i])
		} else {
			err = it.stmtUpsert(ctx, tw, rows[i])
		}
		if err != nil {
			return it.db.wrap("import "+tw.t.name, err)
		}
	}
	return nil
}

// writer returns the writer of table i, counting the table's rows and
// preparing its statements on first use.
func (it *ImportTx) writer(ctx context.Context, i int) (*tableWriter, error) {
	if tw := it.tables[i]; tw != nil {
		return tw, nil
	}
	t := &tables[i]
	before, err := countRows(ctx, it.tx, t.name)
	if err != nil {
		return nil, err
	}
	tw := &tableWriter{t: t, before: before}
	if it.db.dialect == postgresDialect {
		tw.stage = "gs_stage_" + t.name
		if _, err := it.tx.ExecContext(ctx, "CREATE TEMP TABLE "+tw.stage+" (LIKE "+t.name+") ON COMMIT DROP"); err != nil {
			return nil, err
		}
		tw.merge = "INSERT INTO " + t.name + " (" + t.selectList() + ") SELECT " + t.selectList() + " FROM " + tw.stage + conflictSQL(t)
	} else {
		tw.per = min(maxBatchRows, maxBatchParams/len(t.cols))
		if tw.full, err = it.tx.PrepareContext(ctx, upsertSQL(t, tw.per)); err != nil {
			return nil, err
		}
	}
	it.tables[i] = tw
	return tw, nil
}

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
// into a SQLite table, and at least as many as the table held before,
// before the table's secondary indexes are dropped for the rest of the
// import and built again at its end.
var deferIndexRows int64 = 200_000

// deferIndexes drops tw's secondary indexes (not its key, which the upsert
// needs, nor any unique index) inside the import's transaction, keeping the
// statements that re-create them at Commit. Kept up row by row, an index
// over tens of millions of rows whose order is not the file's (a time
// column) has every insert touch a page the cache no longer holds; built
// once at the end from sorted keys it costs a fraction of that. A rollback
// brings the indexes back with everything else, and readers see them
// throughout (the transaction is not visible to them).
func (it *ImportTx) deferIndexes(ctx context.Context, tw *tableWriter) error {
	rows, err := it.tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", tw.t.name)
	if err != nil {
		return err
	}
	var names []string
	tw.deferred = []string{}
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return err
		}
		if strings.HasPrefix(strings.ToUpper(create), "CREATE UNIQUE") {
			continue
		}
		names = append(names, name)
		tw.deferred = append(tw.deferred, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := it.tx.ExecContext(ctx, "DROP INDEX "+quoteIdent(name)); err != nil {
			return err
		}
	}
	return nil
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

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

// count adds the rows a statement inserted or changed.
func (tw *tableWriter) count(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	tw.written += n
	return err
}

// copyUpsert writes rows on PostgreSQL: COPY into the staging table, one
// INSERT … SELECT … ON CONFLICT from it, and the staging table emptied. The
// rows of one call have distinct keys (rowsOf keeps the last of a key), as
// one INSERT … ON CONFLICT DO UPDATE may not touch a row twice.
func (it *ImportTx) copyUpsert(ctx context.Context, tw *tableWriter, rows [][]any) error {
	err := it.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("the PostgreSQL connection is not pgx's")
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{tw.stage}, tw.t.cols, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return err
	}
	res, err := it.tx.ExecContext(ctx, tw.merge)
	if err := tw.count(res, err); err != nil {
		return err
	}
	_, err = it.tx.ExecContext(ctx, "TRUNCATE "+tw.stage)
	return err
}

// Commit writes what is still waiting, commits, and returns what the import
// did per kind (see KindStats). On any error nothing is written.
func (it *ImportTx) Commit(ctx context.Context) (ImportStats, error) {
	if it.done {
		return nil, it.db.wrap("import: commit", sql.ErrTxDone)
	}
	stats := make(ImportStats)
	changed := false
	for _, tw := range it.tables {
		if tw == nil {
			continue
		}
		if err := it.flushPending(ctx, tw); err != nil {
			it.Rollback()
			return nil, it.db.wrap("import "+tw.t.name, err)
		}
		if tw.full != nil {
			tw.full.Close()
		}
		for _, create := range tw.deferred {
			if _, err := it.tx.ExecContext(ctx, create); err != nil {
				it.Rollback()
				return nil, it.db.wrap("import "+tw.t.name+": rebuild index", err)
			}
		}
		after, err := countRows(ctx, it.tx, tw.t.name)
		if err != nil {
			it.Rollback()
			return nil, it.db.wrap("import "+tw.t.name, err)
		}
		s := KindStats{Received: tw.received, Inserted: after - tw.before}
		s.Updated = tw.written - s.Inserted
		s.Unchanged = s.Received - tw.written
		stats[tw.t.name] = s
		changed = changed || tw.written > 0
	}
	if changed { // an import of what is stored already keeps live results
		bump := func() error { return it.concerns().bump(ctx, it.tx) }
		if it.town != "" && !it.notedAll() {
			bump = func() error { return bumpTowns(ctx, it.tx, []string{it.town}) }
		}
		if err := bump(); err != nil {
			it.Rollback()
			return nil, it.db.wrap("import: data version", err)
		}
	}
	it.done = true
	err := it.tx.Commit()
	it.conn.Close() // returns the connection to the pool; the commit decided
	if err != nil {
		return nil, it.db.wrap("import: commit", err)
	}
	it.analyze(ctx, stats)
	return stats, nil
}

// analyzeRows is how many rows an import must add to a table before the
// table's statistics are gathered again at once.
const analyzeRows = 10000

// analyze gathers PostgreSQL's statistics of the tables an import grew by
// many rows, so that the next query is planned for the rows now there
// rather than for an empty table (a list of a district's records went from
// 280 ms to 14 ms); the server's autovacuum would do it only later. SQLite
// plans from its indexes and needs nothing. A failure changes nothing the
// import did, so it is not reported. It runs to the end even when ctx is
// cancelled after the commit (a browser that went away once its import was
// stored), so that no committed import is left without statistics.
func (it *ImportTx) analyze(ctx context.Context, stats ImportStats) {
	if it.db.dialect != postgresDialect {
		return
	}
	ctx = context.WithoutCancel(ctx)
	for name, s := range stats {
		if s.Inserted >= analyzeRows {
			it.db.write.ExecContext(ctx, "ANALYZE "+name)
		}
	}
}

// Rollback abandons the import: nothing it wrote stays. It does nothing
// after Commit or a previous Rollback.
func (it *ImportTx) Rollback() error {
	if it.done {
		return nil
	}
	it.done = true
	err := it.tx.Rollback()
	it.conn.Close()
	if errors.Is(err, sql.ErrTxDone) {
		err = nil
	}
	return it.db.wrap("import: rollback", err)
}
