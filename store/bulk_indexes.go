package store

import (
	"context"
	"database/sql"
	"strings"
)

// deferIndexes drops tw's secondary indexes (not its key, which the upsert
// needs, nor any unique index) inside the import's transaction, keeping the
// statements that re-create them at Commit. Kept up row by row, an index
// whose order is not the file's (a time column) has every insert touch a
// page the cache no longer holds; built once at the end from sorted keys it
// costs a fraction of that. A rollback brings the indexes back with
// everything else.
//
// On SQLite readers see the indexes throughout (the transaction is not
// visible to them). On PostgreSQL dropping an index locks its table until
// the import commits: readers of that table wait for the import. That is
// why PostgreSQL drops them only for a table empty when the import first
// writes to it (there is nothing to read in it yet), and only for the
// command line (HoldEmptyTables: a web upload in parts reads the table
// between its parts on another connection); SQLite drops them for an empty
// table and also once a large import has written more rows than the table
// held (bulk_sqlite.go).
func (it *ImportTx) deferIndexes(ctx context.Context, tw *tableWriter) error {
	creates, err := dropSecondaryIndexes(ctx, it.tx, it.db.dialect, tw.t.name)
	tw.deferred = append([]string{}, creates...)
	return err
}

// dropSecondaryIndexes drops the indexes of table that are neither its key
// nor unique, inside tx, and returns the statements that build them again.
func dropSecondaryIndexes(ctx context.Context, tx *sql.Tx, d dialect, table string) ([]string, error) {
	query := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
	if d == postgresDialect {
		query = `SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname), pg_get_indexdef(x.indexrelid)
			FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
			WHERE x.indrelid = $1::regclass AND NOT x.indisunique AND NOT x.indisprimary ORDER BY 1`
	}
	rows, err := tx.QueryContext(ctx, query, table)
	if err != nil {
		return nil, err
	}
	var names, creates []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return nil, err
		}
		if strings.HasPrefix(strings.ToUpper(create), "CREATE UNIQUE") {
			continue
		}
		if d == sqliteDialect {
			name = quoteIdent(name)
		}
		names = append(names, name)
		creates = append(creates, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return nil, err
		}
	}
	return creates, nil
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
