package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

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
// CONFLICT statements on the one write connection (bulk_sqlite.go); on
// PostgreSQL they are copied (COPY) straight into the table while no key
// collides, else through a staging table (bulk_postgres.go). A table that
// is empty when the import first writes to it has its secondary indexes
// dropped and built again at Commit (deferIndexes).
//
// An ImportTx is not safe for concurrent use: one goroutine writes while
// others may read the files and prepare the rows (PrepareRows). Begin it
// with DB.BeginImport and always end it with Commit or Rollback (a
// Rollback after Commit does nothing).
type ImportTx struct {
	db     *DB
	conn   *sql.Conn
	tx     *sql.Tx
	tables []*tableWriter // per table of tables, nil until first written
	cur    *tableWriter   // the table written last
	done   bool
	large  bool        // LargeImport: secondary indexes may be deferred
	town   string      // OnlyTown: the one town whose records change
	noted  importNoted // what the records written concern (Note)
	hold   bool        // HoldEmptyTables: PostgreSQL may lock tables filled from empty
	// checkOnly is set by CheckOnly: the import takes no locks of keys.
	checkOnly bool
	// The PostgreSQL locks of keys the import holds (lockKeys): how many
	// keys, the kinds of which it holds keys, and those it holds whole.
	keyLocks               int
	kindShared, kindLocked map[string]bool

	analyzeSet bool // the transaction's statistics target is set (finish)
	// counts is how many times the import counted a table's rows in full
	// (COUNT(*)), which is a scan of the whole table: see tableWriter.
	counts int
}

// tableWriter is what an ImportTx keeps for one table it has written to.
//
// The rows an import inserted (KindStats.Inserted) are counted as they are
// written, not by counting the table's rows before and after: COUNT(*) is
// a scan of the whole table, and a one-town upload into a district's
// PostgreSQL tables scanned each table twice. PostgreSQL tells the rows it
// inserted (COPY, and the upsert's RETURNING: see copyUpsert). SQLite does
// not, but it gives a new row the rowid one above the largest stored, so
// the rows inserted are how far the largest rowid moved (sqliteInserted);
// it counts the table only for a large import (deferIndexRows) or in the
// unheard-of case that rowids are near their end (lastRowid).
type tableWriter struct {
	t        *table
	empty    bool  // the table held no rows at the first write
	before   int64 // rows at the first write, where counted (countBefore)
	received int64 // records given
	written  int64 // rows inserted or changed
	inserted int64 // PostgreSQL: rows inserted
	// lastRowid is, on SQLite, the largest rowid at the first write (0 when
	// the table was empty).
	lastRowid int64
	// deferred holds the statements re-creating the secondary indexes
	// dropped (see deferIndexes) until they are built again (finish); nil
	// until they are dropped.
	deferred []string
	// analyzed is written when PostgreSQL's statistics of the table were
	// last gathered (finish).
	analyzed int64
	// SQLite: the prepared statement writing per rows, the rows waiting for
	// a full statement, and the argument buffer.
	per     int
	full    *sql.Stmt
	pending [][]any
	args    []any
	// PostgreSQL: collided is set once a row's key was found stored (the
	// rows go through the staging table from then on); the staging table
	// and the statement that upserts from it, once made.
	collided     bool
	stage, merge string
}

// ImportOption tunes BeginImport.
type ImportOption func(*importOptions)

type importOptions struct {
	large     bool
	town      string
	hold      bool
	checkOnly bool
	lockWait  time.Duration
}

// LockWait tells BeginImport that on PostgreSQL the import waits at most d
// for a lock another import holds (the keys or the kind of its town check,
// lockKeys; a row being written), then fails with errBusy (数据库正忙，请稍后
// 重试) and holds nothing: for the JSON API, whose pushes each hold a
// connection of the pool while they wait, so that pushes waiting for a
// large upload of the same kind cannot take every connection, the
// upload's own included.
func LockWait(d time.Duration) ImportOption { return func(o *importOptions) { o.lockWait = d } }

// LargeImport tells BeginImport that the import may write hundreds of
// thousands of rows (see LargeImportBytes).
func LargeImport() ImportOption { return func(o *importOptions) { o.large = true } }

// OnlyTown tells BeginImport that every record written belongs to town
// (the caller checked it, as the JSON API does): the commit outdates the
// live results of that town alone (bumpTowns), not every town's.
func OnlyTown(town string) ImportOption { return func(o *importOptions) { o.town = town } }

// HoldEmptyTables lets a PostgreSQL import drop the indexes of a table it
// fills from empty, which locks the table until it commits: for the
// command line, whose import reads nothing back on other connections.
func HoldEmptyTables() ImportOption { return func(o *importOptions) { o.hold = true } }

// CheckOnly tells BeginImport that the import is rolled back whatever it
// finds (an upload's check before its commit, which checks again):
// OtherTowns takes no locks of keys, which would hold up the imports and
// pushes of other towns for nothing.
func CheckOnly() ImportOption { return func(o *importOptions) { o.checkOnly = true } }

// LargeImportBytes is the size of import files from which an import is
// taken to be large: about 500,000 rows of DATA.md files.
const LargeImportBytes = 64 << 20

// BeginImport begins an import transaction on the write connection.
//
// On SQLite, a small import keeps its temporary storage (where a rebuilt
// index is sorted) in memory; a large one (LargeImport) keeps it in files,
// because rebuilding the indexes it dropped (deferIndexes) sorts every key
// of the table, and sorted runs kept in memory took a province's import
// past 2 GB. SQLite cannot change this inside the transaction, so it is
// chosen up front.
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
	if o.lockWait > 0 && db.dialect == postgresDialect {
		ms := max(o.lockWait.Milliseconds(), 1)
		if _, err := tx.ExecContext(ctx, "SET LOCAL lock_timeout = "+strconv.FormatInt(ms, 10)); err != nil {
			tx.Rollback()
			conn.Close()
			return nil, db.wrap("import: lock wait", err)
		}
	}
	return &ImportTx{db: db, conn: conn, tx: tx, tables: make([]*tableWriter, len(tables)), large: o.large, town: o.town, hold: o.hold,
		checkOnly: o.checkOnly, kindShared: map[string]bool{}, kindLocked: map[string]bool{}}, nil
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

// ImportRows are records turned into the column values of their tables,
// ready for ImportTx.WriteRows. Turning them is a good part of an import's
// work and needs no database: PrepareRows runs on the goroutine reading the
// files while another writes the rows before.
type ImportRows struct {
	rows     [][][]any // per table of tables
	received []int
}

// PrepareRows turns recs into the rows of their tables. Within one kind a
// later record with the key of an earlier one replaces it.
func PrepareRows(recs *gridscore.Records) *ImportRows {
	rows, received := rowsOf(recs)
	return &ImportRows{rows: rows, received: received}
}

// Write upserts every record of recs. Within one call a later record with
// the key of an earlier one replaces it; records with the same key given
// in different calls are written in turn, the last one staying.
func (it *ImportTx) Write(ctx context.Context, recs *gridscore.Records) error {
	return it.WriteRows(ctx, PrepareRows(recs))
}

// WriteRows writes rows prepared by PrepareRows, as Write does.
func (it *ImportTx) WriteRows(ctx context.Context, r *ImportRows) error {
	if it.done {
		return it.db.wrap("import: write", sql.ErrTxDone)
	}
	for i := range tables {
		if r.received[i] == 0 {
			continue
		}
		tw, err := it.writer(ctx, i, len(r.rows[i]))
		if err != nil {
			return it.db.wrap("import "+tables[i].name, err)
		}
		if it.cur != nil && it.cur != tw {
			if err := it.finish(ctx, it.cur); err != nil {
				return it.db.wrap("import "+it.cur.t.name, err)
			}
		}
		it.cur = tw
		tw.received += int64(r.received[i])
		if it.db.dialect == postgresDialect {
			err = it.copyRows(ctx, tw, r.rows[i])
		} else {
			err = it.stmtUpsert(ctx, tw, r.rows[i])
		}
		if err != nil {
			return it.db.wrap("import "+tw.t.name, err)
		}
	}
	return nil
}

// deferFirstRows is how many rows the first write into a table empty at
// the start of the import must bring for the table's secondary indexes to
// be dropped at once and built at Commit: fewer, and building them costs
// more than keeping them up.
var deferFirstRows = 1000

// writer returns the writer of table i, noting what telling the rows
// inserted needs (startCount) and preparing its statements on first use,
// when n rows are about to be written.
func (it *ImportTx) writer(ctx context.Context, i, n int) (*tableWriter, error) {
	if tw := it.tables[i]; tw != nil {
		return tw, nil
	}
	t := &tables[i]
	tw := &tableWriter{t: t}
	if err := it.startCount(ctx, tw); err != nil {
		return nil, err
	}
	if it.db.dialect == sqliteDialect {
		var err error
		tw.per = min(maxBatchRows, maxBatchParams/len(t.cols))
		if tw.full, err = it.tx.PrepareContext(ctx, upsertSQL(t, tw.per)); err != nil {
			return nil, err
		}
	}
	it.tables[i] = tw
	// On PostgreSQL dropping the indexes locks the table until the import
	// commits; a web upload's survey guard reads ballots on other
	// connections between its parts and would wait for the upload itself,
	// and the server's pages would wait for it, so only the command line
	// (HoldEmptyTables) holds a table it fills from empty.
	if tw.empty && n >= deferFirstRows && (it.db.dialect == sqliteDialect || it.hold) {
		if err := it.deferIndexes(ctx, tw); err != nil {
			return nil, err
		}
	}
	return tw, nil
}

// finish ends the writing of tw's table for now, when the import moves on
// to another table (files give the rows of a kind together, see
// csvfile.Scanner) or commits: the rows still waiting are written, the
// indexes dropped are built again, and on PostgreSQL the statistics of a
// table that many rows were written to are gathered (analyzeRows), inside
// the transaction, which counts the rows it wrote as there. Building and
// gathering while the files of the next kinds are being read, rather than
// all at the end, was 6 % of a 5,000-worker import. Rows given for the
// table later are written as usual, its indexes kept up.
func (it *ImportTx) finish(ctx context.Context, tw *tableWriter) error {
	if err := it.flushPending(ctx, tw); err != nil {
		return err
	}
	for _, create := range tw.deferred {
		if _, err := it.tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	if tw.deferred != nil {
		tw.deferred = tw.deferred[:0] // built: not to be dropped again
	}
	if it.db.dialect == postgresDialect && tw.written-tw.analyzed >= analyzeRows {
		// A sample of 10 × 300 rows instead of the default 100 × 300: the
		// planner learns the table's size and its columns' spread at once,
		// and the server's autovacuum analyzes it again with its own target
		// within minutes. A 200-worker town's events, patrols and logins
		// took 52 ms to analyze in all, against 107 ms at a target of 30
		// and 234 ms at 100 (of a 0.7 s import).
		if !it.analyzeSet {
			if _, err := it.tx.ExecContext(ctx, "SET LOCAL default_statistics_target = "+strconv.Itoa(analyzeTarget)); err != nil {
				return fmt.Errorf("analyze: %w", err)
			}
			it.analyzeSet = true
		}
		if _, err := it.tx.ExecContext(ctx, "ANALYZE "+tw.t.name); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		tw.analyzed = tw.written
	}
	return nil
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

// Commit writes what is still waiting, builds the indexes it dropped
// (finish), commits, and returns what the import did per kind (see KindStats). On
// any error nothing is written.
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
		if err := it.finish(ctx, tw); err != nil {
			it.Rollback()
			return nil, it.db.wrap("import "+tw.t.name, err)
		}
		if tw.full != nil {
			tw.full.Close()
		}
		s, err := it.stats(ctx, tw)
		if err != nil {
			it.Rollback()
			return nil, it.db.wrap("import "+tw.t.name, err)
		}
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
	return stats, nil
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
