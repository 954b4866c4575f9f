package store

import (
	"context"
	"slices"
	"strings"
)

// Which town stored rows belong to, for the town check of a town's writes
// (app's townScope), an upload's or a push's of the JSON API: asked of an
// ImportTx, inside the transaction that writes, so that what it checked is
// what it writes over.

// ownerQuery is, per kind whose stored rows belong to a town through their
// grid or worker, the query of the keys (the key columns, then the town) of
// the stored rows of another town than $1 whose first key column is in a
// list that follows. Logins, leaves and attendance are keyed by their
// worker, so a row of the town's worker never replaces another town's row;
// a meeting belongs to its own town ("" for the district's); a calendar
// day's key holds its town, so a day of the town never replaces another's.
var ownerQuery = map[string]string{
	"grids":    `SELECT t.grid_code, t.town FROM grids t WHERE t.town <> $1 AND t.grid_code IN `,
	"workers":  `SELECT t.worker_id, g.town FROM workers t JOIN grids g ON g.grid_code = t.grid_code WHERE g.town <> $1 AND t.worker_id IN `,
	"register": `SELECT t.person_id, g.town FROM register t JOIN grids g ON g.grid_code = t.grid_code WHERE g.town <> $1 AND t.person_id IN `,
	"rosters":  `SELECT t.person_id, t.listed_on, g.town FROM rosters t JOIN grids g ON g.grid_code = t.grid_code WHERE g.town <> $1 AND t.person_id IN `,
	"meetings": `SELECT t.meeting_id, t.town FROM meetings t WHERE t.town <> $1 AND t.meeting_id IN `,
	"events":   byWorker("events", "event_id"),
	"patrols":  byWorker("patrols", "patrol_id"),
	"visits":   byWorker("visits", "visit_id"),
	"findings": byWorker("findings", "finding_id"),
	"quiz":     byWorker("quiz", "quiz_id"),
	"ballots":  byWorker("ballots", "ballot_id"),
}

func byWorker(table, key string) string {
	return `SELECT t.` + key + `, g.town FROM ` + table + ` t JOIN workers w ON w.worker_id = t.worker_id JOIN grids g ON g.grid_code = w.grid_code WHERE g.town <> $1 AND t.` + key + ` IN `
}

// OtherTowns returns, of the stored rows of kind (a kind name of Kinds)
// whose first key column is one of firsts, those that belong to another
// town than town: their key (the key columns joined with "\x1f", as
// csvfile and the import count keys) and that town. Kinds whose rows belong
// to no town, or only through their worker, return nothing.
//
// It reads inside the import, which holds the keys asked about until it
// ends: an import of another town writing one of them cannot slip in
// between this check and this import's write, and one that wrote it first
// is seen. SQLite has one writer, whose transaction (BEGIN IMMEDIATE)
// holds the whole store; on PostgreSQL, whose transactions read what
// others committed since and whose upserts wait for a row being written
// and then overwrite it, the import first takes locks of its transaction
// (lockKeys), which another import taking them waits for. An import
// begun with CheckOnly takes none: it is rolled back whatever it finds.
func (it *ImportTx) OtherTowns(ctx context.Context, kind, town string, firsts []string) (map[string]string, error) {
	if _, ok := ownerQuery[kind]; ok && it.db.dialect == postgresDialect && !it.checkOnly {
		if err := it.lockKeys(ctx, kind, firsts); err != nil {
			return nil, it.db.wrap("lock keys of "+kind, err)
		}
	}
	out, err := otherTowns(ctx, it.tx, kind, town, firsts)
	return out, it.db.wrap("other towns' "+kind, err)
}

// The PostgreSQL advisory locks of lockKeys: the first key is keyLockSpace
// for a key's lock (the second a hash of the kind and key), kindLockSpace
// for a kind's (the second a hash of the kind), apart from any other
// advisory lock (goose's migration lock is a single bigint key).
const (
	keyLockSpace  = 0x67730001
	kindLockSpace = 0x67730002
)

// maxKeyLocks is how many keys an import locks one by one: beyond, it
// locks each further kind whole. PostgreSQL keeps every lock in one table
// shared by all sessions, of max_locks_per_transaction (64) ×
// max_connections (100) entries by default, which the keys of an upload
// of 100,000 grids overflowed ("out of shared memory").
const maxKeyLocks = 256

// lockKeys takes, on PostgreSQL, the locks of the transaction that hold
// the keys of kind in firsts: a shared lock of the kind and an exclusive
// lock of each distinct key, in the order of their hashes, so that two
// imports locking common keys wait for each other rather than deadlock
// (PostgreSQL runs a volatile function of the select list after its sort);
// or, once the import would hold more than maxKeyLocks keys, an exclusive
// lock of the kind, which waits for every import holding keys of the kind
// and holds them all. Two keys of one hash share a lock, which only makes
// one wait. An upload takes them kind by kind in the Scanner's order, and
// keeps them, so two uploads wait for each other without deadlock, except
// where one locks a kind whole after locking some of its keys, when
// another holds keys of it: PostgreSQL then fails one of them, which is
// told to try again (errBusy).
func (it *ImportTx) lockKeys(ctx context.Context, kind string, firsts []string) error {
	if len(firsts) == 0 || it.kindLocked[kind] {
		return nil
	}
	keys := slices.Clone(firsts)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if it.keyLocks+len(keys) > maxKeyLocks {
		if _, err := it.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, kindLockSpace, kind); err != nil {
			return err
		}
		it.kindLocked[kind] = true
		return nil
	}
	if !it.kindShared[kind] {
		if _, err := it.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock_shared($1, hashtext($2))`, kindLockSpace, kind); err != nil {
			return err
		}
		it.kindShared[kind] = true
	}
	_, err := it.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, h)
		FROM (SELECT DISTINCT hashtext($2 || chr(31) || k) AS h FROM unnest($3::text[]) AS k) AS keys ORDER BY h`,
		keyLockSpace, kind, keys)
	it.keyLocks += len(keys)
	return err
}

// otherTowns is ImportTx.OtherTowns asked of q, in chunks of firsts.
func otherTowns(ctx context.Context, q queryer, kind, town string, firsts []string) (map[string]string, error) {
	query, ok := ownerQuery[kind]
	out := map[string]string{}
	if !ok {
		return out, nil
	}
	for len(firsts) > 0 {
		part := firsts[:min(inChunk, len(firsts))]
		firsts = firsts[len(part):]
		if err := scanKeyTowns(ctx, q, query+"("+placeholdersFrom(2, len(part))+")", append([]any{town}, anys(part)...), out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanKeyTowns runs query, whose rows are the columns of a key and then a
// town, and maps in out each key (its columns joined with "\x1f") to its
// town.
func scanKeyTowns(ctx context.Context, q queryer, query string, args []any, out map[string]string) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]string, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		out[strings.Join(vals[:len(vals)-1], "\x1f")] = vals[len(vals)-1]
	}
	return rows.Err()
}

// GridTownsOf returns, inside the import, the town of each of the grids
// named that is stored, by grid code.
func (it *ImportTx) GridTownsOf(ctx context.Context, codes []string) (map[string]string, error) {
	out, err := keyTowns(ctx, it.tx, "SELECT grid_code, town FROM grids WHERE grid_code IN ", codes)
	return out, it.db.wrap("grid towns", err)
}

// WorkerTownsOf returns, inside the import, the town of each of the
// workers named that is stored (the town of the worker's grid), by id.
func (it *ImportTx) WorkerTownsOf(ctx context.Context, ids []string) (map[string]string, error) {
	out, err := keyTowns(ctx, it.tx, "SELECT w.worker_id, COALESCE(g.town, '') FROM workers w LEFT JOIN grids g ON g.grid_code = w.grid_code WHERE w.worker_id IN ", ids)
	return out, it.db.wrap("worker towns", err)
}

// PersonTownsOf returns, inside the import, the town of each of the
// persons named that is on the register (the town of the person's grid),
// by person id: the town whose assessment counts the visits to the person
// (key.visits).
func (it *ImportTx) PersonTownsOf(ctx context.Context, ids []string) (map[string]string, error) {
	out, err := keyTowns(ctx, it.tx, personTowns, ids)
	return out, it.db.wrap("person towns", err)
}

// personTowns selects the register's persons, named by a list that
// follows, with the towns of their grids.
const personTowns = "SELECT r.person_id, g.town FROM register r JOIN grids g ON g.grid_code = r.grid_code WHERE r.person_id IN "

// keyTowns runs query, which selects a key and a town and ends in "IN ",
// for each chunk of the distinct keys, and maps each key found to its town.
func keyTowns(ctx context.Context, q queryer, query string, keys []string) (map[string]string, error) {
	out := map[string]string{}
	err := eachIn(keys, func(list string, args []any) error {
		return scanKeyTowns(ctx, q, query+"("+list+")", args, out)
	})
	return out, err
}
