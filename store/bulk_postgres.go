package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The PostgreSQL side of an ImportTx. Each Write's rows of a table are
// copied (COPY, pgx's binary protocol) straight into the table, under a
// savepoint: rows whose keys are new (a first import, a new quarter) are
// stored as fast as the server takes them. Once a row's key is found
// stored (a re-import, a correction, or an import running at the same
// time that wrote it first), the copy is undone to the savepoint and from
// then on the table's rows go through a temporary staging table, dropped
// at the end of the transaction, and one INSERT … SELECT … ON CONFLICT
// statement that changes only the rows that differ.

// copyRows writes rows into tw's table, straight or through the staging
// table. The rows of one call have distinct keys (rowsOf keeps the last of
// a key), as one INSERT … ON CONFLICT DO UPDATE may not touch a row twice.
func (it *ImportTx) copyRows(ctx context.Context, tw *tableWriter, rows [][]any) error {
	if !tw.collided {
		copied, err := it.copyDirect(ctx, tw, rows)
		if err != nil || copied {
			return err
		}
		tw.collided = true
	}
	return it.copyUpsert(ctx, tw, rows)
}

// copyDirect copies rows straight into tw's table under a savepoint. When
// a key is stored already it rolls back to the savepoint and returns
// false, having written nothing.
func (it *ImportTx) copyDirect(ctx context.Context, tw *tableWriter, rows [][]any) (bool, error) {
	if _, err := it.tx.ExecContext(ctx, "SAVEPOINT gs_import"); err != nil {
		return false, err
	}
	n, err := it.copyFrom(ctx, tw.t.name, tw.t.cols, rows)
	if isUniqueViolation(err) {
		_, err := it.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT gs_import")
		return false, err
	}
	if err != nil {
		return false, err
	}
	tw.written += n
	tw.inserted += n
	_, err = it.tx.ExecContext(ctx, "RELEASE SAVEPOINT gs_import")
	return err == nil, err
}

// copyUpsert writes rows through the staging table: COPY into it, one
// INSERT … SELECT … ON CONFLICT from it, and the staging table emptied.
// The upsert returns the rows it wrote and, of those, the rows it inserted:
// a row the upsert inserted has no xmax, while one it updated is locked by
// the import's transaction (the row lock ON CONFLICT DO UPDATE takes), so
// its xmax is set. Identical rows are not returned.
func (it *ImportTx) copyUpsert(ctx context.Context, tw *tableWriter, rows [][]any) error {
	if tw.stage == "" {
		stage := "gs_stage_" + tw.t.name
		if _, err := it.tx.ExecContext(ctx, "CREATE TEMP TABLE "+stage+" (LIKE "+tw.t.name+") ON COMMIT DROP"); err != nil {
			return err
		}
		tw.stage = stage
		tw.merge = "WITH w AS (INSERT INTO " + tw.t.name + " (" + tw.t.selectList() + ") SELECT " + tw.t.selectList() + " FROM " + stage + conflictSQL(tw.t) +
			" RETURNING xmax = 0 AS inserted) SELECT count(*), count(*) FILTER (WHERE inserted) FROM w"
	}
	if _, err := it.copyFrom(ctx, tw.stage, tw.t.cols, rows); err != nil {
		return err
	}
	var written, inserted int64
	if err := it.tx.QueryRowContext(ctx, tw.merge).Scan(&written, &inserted); err != nil {
		return err
	}
	tw.written += written
	tw.inserted += inserted
	_, err := it.tx.ExecContext(ctx, "TRUNCATE "+tw.stage)
	return err
}

// copyFrom copies rows into table on the import's connection and returns
// the rows copied.
func (it *ImportTx) copyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	var n int64
	err := it.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("the PostgreSQL connection is not pgx's")
		}
		var err error
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
	return n, err
}

// analyzeRows is how many rows an import must write into a PostgreSQL
// table before the table's statistics are gathered again at once (finish),
// so that the next query is planned for the rows now there rather than for
// an empty table (a list of a district's records went from 280 ms to
// 14 ms); the server's autovacuum would do it only later. SQLite plans from
// its indexes and needs nothing.
const analyzeRows = 10000

// analyzeTarget is the statistics target of the import's ANALYZE (the
// server's default is 100).
const analyzeTarget = 10
