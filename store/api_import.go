package store

import (
	"context"
	"database/sql"
	"slices"

	"github.com/gridscore/gridscore"
)

// What an import of a few records needs (the JSON API's, app/api.go): the
// stored rows its records name, read inside its transaction, rather than
// every stored grid, worker, meeting and person (Known), which a province's
// store holds by the million.

// KnownQuery names what an import's records refer to.
type KnownQuery struct {
	// Grids are the grid codes named; Workers the worker ids named;
	// Meetings the meeting ids; Persons the person ids of the register.
	Grids, Workers, Meetings, Persons []string
	// WorkersOfGrids are grids all of whose stored workers are needed:
	// those of the workers written, whose posts must not overlap.
	WorkersOfGrids []string
}

// KnownOf reads, inside the transaction, what of q is stored: a Known
// holding only the grids, workers (named, or of the grids named), meetings
// and persons q names.
func (it *ImportTx) KnownOf(ctx context.Context, q KnownQuery) (*Known, error) {
	k := &Known{Grids: map[string]bool{}, MeetingIDs: map[string]bool{}, PersonIDs: map[string]bool{}}
	ids := func(table, col string, values []string, into map[string]bool) error {
		return eachIn(values, func(list string, args []any) error {
			found, err := queryIDs(ctx, it.tx, "SELECT "+col+" FROM "+table+" WHERE "+col+" IN ("+list+")", args)
			for _, id := range found {
				into[id] = true
			}
			return err
		})
	}
	if err := ids("grids", "grid_code", q.Grids, k.Grids); err != nil {
		return nil, it.db.wrap("import: stored grids", err)
	}
	if err := ids("meetings", "meeting_id", q.Meetings, k.MeetingIDs); err != nil {
		return nil, it.db.wrap("import: stored meetings", err)
	}
	if err := ids("register", "person_id", q.Persons, k.PersonIDs); err != nil {
		return nil, it.db.wrap("import: stored persons", err)
	}
	seen := map[string]bool{}
	workers := func(col string, values []string) error {
		return eachIn(values, func(list string, args []any) error {
			return queryTable(ctx, it.tx, "workers", col+" IN ("+list+")", args, func(rows *sql.Rows) error {
				w, err := scanWorker(rows)
				if err == nil && !seen[w.ID] {
					seen[w.ID] = true
					k.Workers = append(k.Workers, w)
				}
				return err
			})
		})
	}
	if err := workers("worker_id", q.Workers); err != nil {
		return nil, it.db.wrap("import: stored workers", err)
	}
	if err := workers("grid_code", q.WorkersOfGrids); err != nil {
		return nil, it.db.wrap("import: stored workers", err)
	}
	sortWorkers(k.Workers)
	return k, nil
}

// inChunk is how many values one IN list holds, well under either
// engine's limit of parameters.
const inChunk = 500

// eachIn calls fn with "$1, $2, …" and its arguments for each chunk of the
// distinct values.
func eachIn(values []string, fn func(list string, args []any) error) error {
	vs := slices.Clone(values)
	slices.Sort(vs)
	vs = slices.Compact(vs)
	for len(vs) > 0 {
		n := min(len(vs), inChunk)
		list, args := inList(vs[:n])
		if err := fn(list, args); err != nil {
			return err
		}
		vs = vs[n:]
	}
	return nil
}

// queryIDs returns the text values of the query's one column.
func queryIDs(ctx context.Context, q queryer, query string, args []any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// AppendAudit appends audit entries inside the import's transaction: they
// are committed with its records, or not at all. Append them last: on
// PostgreSQL the log is locked from then until the commit (nextID).
func (it *ImportTx) AppendAudit(ctx context.Context, entries ...gridscore.AuditEntry) error {
	return it.db.wrap("import: audit", it.db.appendAudit(ctx, it.tx, entries))
}
