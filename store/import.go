package store

import (
	"context"
	"database/sql"
	"strconv"
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

// KindStats tells what an import did with the records of one kind. Inserted
// comes from the table's row count before and after writing, so on
// PostgreSQL it is exact only when no other import runs at the same time;
// Inserted+Updated is always exact.
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
func (db *DB) Import(ctx context.Context, recs *gridscore.Records, check func(stored *Known) error) (ImportStats, error) {
	if recs == nil {
		recs = &gridscore.Records{}
	}
	rows, received := rowsOf(recs)

	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, db.wrap("import: begin", err)
	}
	defer tx.Rollback()

	if check != nil {
		known, err := loadKnown(ctx, tx)
		if err != nil {
			return nil, db.wrap("import: load stored references", err)
		}
		if err := check(known); err != nil {
			return nil, err
		}
	}

	stats := make(ImportStats)
	for i := range tables {
		if received[i] == 0 {
			continue
		}
		t := &tables[i]
		before, err := countRows(ctx, tx, t.name)
		if err != nil {
			return nil, db.wrap("import "+t.name, err)
		}
		written, err := upsert(ctx, tx, t, rows[i])
		if err != nil {
			return nil, db.wrap("import "+t.name, err)
		}
		after, err := countRows(ctx, tx, t.name)
		if err != nil {
			return nil, db.wrap("import "+t.name, err)
		}
		s := KindStats{Received: int64(received[i]), Inserted: after - before}
		s.Updated = written - s.Inserted
		s.Unchanged = s.Received - written
		stats[t.name] = s
	}
	if err := tx.Commit(); err != nil {
		return nil, db.wrap("import: commit", err)
	}
	return stats, nil
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

// Batches stay under both engines' limits on bound parameters (SQLite
// 32766, PostgreSQL 65535) and keep statements a reasonable size.
const (
	maxBatchParams = 16000
	maxBatchRows   = 500
)

// upsert writes rows into t in multi-row INSERT statements and returns how
// many rows were inserted or changed. A row whose key is stored replaces the
// stored row only where a column differs, so an identical row is not
// rewritten and not counted; a table whose columns are all key (logins)
// ignores rows already stored.
func upsert(ctx context.Context, tx *sql.Tx, t *table, rows [][]any) (int64, error) {
	per := min(maxBatchRows, maxBatchParams/len(t.cols))
	var full *sql.Stmt // the statement for a full batch, prepared once
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	var written int64
	args := make([]any, 0, per*len(t.cols))
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range batch {
			args = append(args, r...)
		}
		var res sql.Result
		var err error
		if len(batch) == per && len(rows) > per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, upsertSQL(t, per)); err != nil {
					return 0, err
				}
			}
			res, err = full.ExecContext(ctx, args...)
		} else {
			res, err = tx.ExecContext(ctx, upsertSQL(t, len(batch)), args...)
		}
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		written += n
	}
	return written, nil
}

// upsertSQL returns the statement that writes n rows into t:
//
//	INSERT INTO t (k, a, b) VALUES ($1, $2, $3), ...
//	ON CONFLICT (k) DO UPDATE SET a = excluded.a, b = excluded.b
//	WHERE t.a IS DISTINCT FROM excluded.a OR t.b IS DISTINCT FROM excluded.b
//
// The placeholders are $n, which PostgreSQL and SQLite both accept.
func upsertSQL(t *table, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(t.name)
	b.WriteString(" (")
	b.WriteString(t.selectList())
	b.WriteString(") VALUES ")
	p := 1
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range t.cols {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
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
