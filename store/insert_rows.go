package store

import (
	"context"
	"database/sql"
	"strings"
)

// execer is what a write helper needs of a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// maxInsertRows is the most rows one statement of insertRows writes. The
// survey writes at most 2000 one-time ballots or a tally's ballots in one
// call, and PostgreSQL holds a table lock meanwhile (IssueTokens,
// SaveTally's nextID): a few statements instead of one a row keep the lock
// short. With the survey's tables (6 columns at most) a statement binds at
// most 3000 parameters, well under SQLite's limit of 32766.
const maxInsertRows = 500

// insertRows writes rows, each a value per column of cols, into table with
// multi-row INSERTs of at most maxInsertRows rows and maxBatchParams
// parameters each, inside the caller's transaction: all or nothing with it.
func insertRows(ctx context.Context, ex execer, table string, cols []string, rows [][]any) error {
	per := max(1, min(maxInsertRows, maxBatchParams/len(cols)))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for len(rows) > 0 {
		part := rows[:min(len(rows), per)]
		rows = rows[len(part):]
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(part)*len(cols))
		for i, row := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholdersFrom(len(args)+1, len(row)) + ")")
			args = append(args, row...)
		}
		if _, err := ex.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
