package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/gridscore/gridscore"
)

// Known is what is already stored that the records of an import may refer
// to, for checking references before anything is written. It holds only
// stored rows: records arriving in the same import are the caller's to add.
type Known struct {
	// Grids holds the stored grid codes.
	Grids map[string]bool
	// Workers holds every stored worker, ordered by ID.
	Workers []gridscore.Worker
	// MeetingIDs holds the stored meeting ids.
	MeetingIDs map[string]bool
	// PersonIDs holds the person ids on the stored register.
	PersonIDs map[string]bool
}

// KindStats tells what an import did with the records of one kind.
// Received (records given), Inserted+Updated (rows written: from the
// engine's count of rows each statement inserted or changed) and Inserted
// (told as the rows are written, see tableWriter) are always exact, also
// with other imports running at the same time; Updated is the rest of the
// rows written.
// A key given again in a later ImportTx.Write counts as written again when
// its content differs, as unchanged when it is the same.
type KindStats struct {
	// Received is the number of records given.
	Received int64
	// Inserted is the number of rows added.
	Inserted int64
	// Updated is the number of stored rows replaced by a record that differs.
	Updated int64
	// Unchanged is the number of records that changed nothing: equal to the
	// stored row, or repeating a key given earlier in the same import.
	Unchanged int64
}

// Written returns the number of rows inserted or updated.
func (s KindStats) Written() int64 { return s.Inserted + s.Updated }

// ImportStats is what an import did, per kind name of Kinds. Kinds with no
// records have no entry.
type ImportStats map[string]KindStats

// Import writes recs in one transaction: every record is inserted, or
// replaces the stored row with the same key; importing the same records again
// changes nothing. Before writing, check (if not nil) is called with what is
// stored; if it returns an error nothing is written and that error is
// returned unchanged, so callers can errors.As it.
//
// Import holds recs in memory; an import of any size streams through an
// ImportTx instead, which Import uses for its writing.
func (db *DB) Import(ctx context.Context, recs *gridscore.Records, check func(stored *Known) error) (ImportStats, error) {
	if recs == nil {
		recs = &gridscore.Records{}
	}
	it, err := db.BeginImport(ctx)
	if err != nil {
		return nil, err
	}
	defer it.Rollback()
	if check != nil {
		known, err := it.Known(ctx)
		if err != nil {
			return nil, err
		}
		if err := check(known); err != nil {
			return nil, err
		}
	}
	if err := it.Note(ctx, recs); err != nil {
		return nil, err
	}
	if err := it.Write(ctx, recs); err != nil {
		return nil, err
	}
	return it.Commit(ctx)
}

// loadKnown reads what check needs, inside the import's transaction.
func loadKnown(ctx context.Context, tx *sql.Tx) (*Known, error) {
	k := &Known{}
	var err error
	if k.Grids, err = loadIDs(ctx, tx, "grids", "grid_code"); err != nil {
		return nil, err
	}
	if k.Workers, err = loadWorkers(ctx, tx); err != nil {
		return nil, err
	}
	if k.MeetingIDs, err = loadIDs(ctx, tx, "meetings", "meeting_id"); err != nil {
		return nil, err
	}
	if k.PersonIDs, err = loadIDs(ctx, tx, "register", "person_id"); err != nil {
		return nil, err
	}
	return k, nil
}

// loadIDs returns the set of values of one text column.
func loadIDs(ctx context.Context, q queryer, table, col string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+col+" FROM "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[string]bool)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids[id] = true
	}
	return ids, rows.Err()
}

// A statement of the SQLite import writes up to maxBatchRows rows, and
// stays under its limit of 32766 bound parameters. Measured here with
// BenchmarkRowsPerStatement (200,000 events, 2 cores): 1 row a statement
// 76 k rows/s, 10 rows 87 k, 100 rows 138 k, 250–1000 rows 150–195 k within
// the noise of the machine. maxBatchRows is a variable only so that the
// benchmark can vary it.
const maxBatchParams = 16000

var maxBatchRows = 500

// upsertSQL returns the statement that writes n rows into t on SQLite
// (PostgreSQL writes through COPY and a staging table instead):
//
//	INSERT OR FAIL INTO t (k, a, b) VALUES (?, ?, ?), ...
//	ON CONFLICT (k) DO UPDATE SET a = excluded.a, b = excluded.b
//	WHERE t.a IS DISTINCT FROM excluded.a OR t.b IS DISTINCT FROM excluded.b
//
// (OR FAIL: no statement journal, see bulk_sqlite.go.)
// The placeholders are anonymous: binding numbered ones ($n) costs the
// SQLite driver a search by name for each, quadratic in a statement of
// hundreds of rows.
func upsertSQL(t *table, n int) string {
	var b strings.Builder
	b.WriteString("INSERT OR FAIL INTO ")
	b.WriteString(t.name)
	b.WriteString(" (")
	b.WriteString(t.selectList())
	b.WriteString(") VALUES ")
	row := "(?" + strings.Repeat(", ?", len(t.cols)-1) + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(conflictSQL(t))
	return b.String()
}

// conflictSQL returns the clause of an upsert into t that replaces a stored
// row with the same key where a column differs, so an identical row is not
// rewritten and not counted; a table whose columns are all key (logins)
// ignores rows already stored.
func conflictSQL(t *table) string {
	var b strings.Builder
	b.WriteString(" ON CONFLICT (")
	b.WriteString(strings.Join(t.key(), ", "))
	b.WriteString(")")
	rest := t.cols[t.keyLen:]
	if len(rest) == 0 {
		b.WriteString(" DO NOTHING")
		return b.String()
	}
	b.WriteString(" DO UPDATE SET ")
	for i, c := range rest {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = excluded." + c)
	}
	b.WriteString(" WHERE ")
	for i, c := range rest {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(t.name + "." + c + " IS DISTINCT FROM excluded." + c)
	}
	return b.String()
}
