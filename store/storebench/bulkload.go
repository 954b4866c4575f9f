package storebench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// BulkLoader is the benchmark floor of import: the fastest way the store
// itself takes rows into the product's tables, with none of the product's
// checks, no upsert and nothing counted, all in one transaction, the
// tables' secondary indexes dropped at the start and built again at Commit
// (measured here, keeping them up row by row took a PostgreSQL load of
// 2.4 million rows from 8 s to 20 s).
//
//   - PostgreSQL: the rows of each table are copied (pgx CopyFrom, the
//     binary COPY protocol) straight into the table.
//   - SQLite: prepared multi-row INSERT OR FAIL statements (FAIL: no
//     statement journal, see store/bulk_sqlite.go) on the write connection,
//     with its pragmas and its temporary storage in memory.
//
// Records can be given in parts (a town at a time), so that a province
// need not be in memory. Only the time spent in the database counts (the
// rows are built outside it), index builds and the commit included.
type BulkLoader struct {
	pg      bool
	conn    *sql.Conn
	tx      *sql.Tx
	sqlite  map[string]*bulkTable // SQLite: per table
	rebuild []string              // statements re-creating dropped indexes
	rows    int64
	spent   time.Duration
}

// bulkTable is what a SQLite bulk load keeps for one table: the prepared
// statement of perStmt rows and the rows waiting for a full one.
type bulkTable struct {
	cols    []string
	full    *sql.Stmt
	pending [][]any
	args    []any
}

// bulkRowsPerStmt is the most rows of one SQLite INSERT of a bulk load,
// under the limit of 32766 parameters: 250–1,000 measured alike here.
const bulkRowsPerStmt = 500

// NewBulkLoader begins the transaction of a bulk load into db, a fresh
// store with the product's schema, and drops the secondary indexes of the
// record tables, to be built again at Commit.
func NewBulkLoader(ctx context.Context, db *store.DB) (*BulkLoader, error) {
	start := time.Now()
	conn, err := db.WriteConn(ctx)
	if err != nil {
		return nil, fmt.Errorf("storebench: bulk load: %w", err)
	}
	b := &BulkLoader{pg: db.Postgres(), conn: conn, sqlite: map[string]*bulkTable{}}
	if !b.pg {
		// The sort of an index build in memory, as a small import keeps
		// its temporary storage.
		if _, err := conn.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
			conn.Close()
			return nil, fmt.Errorf("storebench: bulk load: %w", err)
		}
	}
	if b.tx, err = conn.BeginTx(ctx, nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("storebench: bulk load: %w", err)
	}
	if err := b.dropIndexes(ctx, db); err != nil {
		b.Rollback()
		return nil, fmt.Errorf("storebench: bulk load: %w", err)
	}
	b.spent = time.Since(start)
	return b, nil
}

// dropIndexes drops the secondary indexes of every record table, keeping
// the statements that build them again.
func (b *BulkLoader) dropIndexes(ctx context.Context, db *store.DB) error {
	for _, table := range store.Kinds() {
		creates, err := db.DropSecondaryIndexes(ctx, b.tx, table)
		if err != nil {
			return err
		}
		b.rebuild = append(b.rebuild, creates...)
	}
	return nil
}

// Load writes every record of recs.
func (b *BulkLoader) Load(ctx context.Context, recs *gridscore.Records) error {
	tables := store.RowsOf(recs)
	start := time.Now()
	defer func() { b.spent += time.Since(start) }()
	for _, t := range tables {
		if len(t.Rows) == 0 {
			continue
		}
		var err error
		if b.pg {
			err = b.copyRows(ctx, t)
		} else {
			err = b.insertRows(ctx, t)
		}
		if err != nil {
			return fmt.Errorf("storebench: bulk load %s: %w", t.Table, err)
		}
		b.rows += int64(len(t.Rows))
	}
	return nil
}

// copyRows copies t's rows into its table on PostgreSQL.
func (b *BulkLoader) copyRows(ctx context.Context, t store.TableRows) error {
	return b.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("the PostgreSQL connection is not pgx's")
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{t.Table}, t.Columns, pgx.CopyFromRows(t.Rows))
		return err
	})
}

// insertRows inserts t's rows on SQLite, bulkRowsPerStmt a statement; the
// rows short of a full statement wait for the next call or for Commit.
func (b *BulkLoader) insertRows(ctx context.Context, t store.TableRows) error {
	bt := b.sqlite[t.Table]
	if bt == nil {
		bt = &bulkTable{cols: t.Columns}
		stmt, err := b.tx.PrepareContext(ctx, insertSQL(t.Table, t.Columns, bulkRowsPerStmt))
		if err != nil {
			return err
		}
		bt.full = stmt
		b.sqlite[t.Table] = bt
	}
	bt.pending = append(bt.pending, t.Rows...)
	n := 0
	for ; len(bt.pending)-n >= bulkRowsPerStmt; n += bulkRowsPerStmt {
		if err := bt.exec(ctx, bt.full, bt.pending[n:n+bulkRowsPerStmt]); err != nil {
			return err
		}
	}
	bt.pending = append(bt.pending[:0], bt.pending[n:]...)
	return nil
}

// exec runs stmt with the values of rows.
func (bt *bulkTable) exec(ctx context.Context, stmt *sql.Stmt, rows [][]any) error {
	bt.args = bt.args[:0]
	for _, r := range rows {
		bt.args = append(bt.args, r...)
	}
	_, err := stmt.ExecContext(ctx, bt.args...)
	return err
}

// insertSQL returns INSERT INTO table (cols) VALUES (?, …), … for n rows.
func insertSQL(table string, cols []string, n int) string {
	row := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	return "INSERT OR FAIL INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + row + strings.Repeat(", "+row, n-1)
}

// Commit writes the rows still waiting, builds the dropped indexes again,
// commits, and returns the rows loaded and the time spent in the database.
func (b *BulkLoader) Commit(ctx context.Context) (int64, time.Duration, error) {
	start := time.Now()
	for table, bt := range b.sqlite {
		if len(bt.pending) > 0 {
			stmt, err := b.tx.PrepareContext(ctx, insertSQL(table, bt.cols, len(bt.pending)))
			if err == nil {
				err = bt.exec(ctx, stmt, bt.pending)
				stmt.Close()
			}
			if err != nil {
				b.Rollback()
				return b.rows, 0, fmt.Errorf("storebench: bulk load %s: %w", table, err)
			}
		}
		bt.full.Close()
	}
	for _, create := range b.rebuild {
		if _, err := b.tx.ExecContext(ctx, create); err != nil {
			b.Rollback()
			return b.rows, 0, fmt.Errorf("storebench: bulk load: build index: %w", err)
		}
	}
	err := b.tx.Commit()
	b.conn.Close()
	if err != nil {
		return b.rows, 0, fmt.Errorf("storebench: bulk load: %w", err)
	}
	return b.rows, b.spent + time.Since(start), nil
}

// Rollback abandons a bulk load.
func (b *BulkLoader) Rollback() error {
	err := b.tx.Rollback()
	b.conn.Close()
	return err
}
