package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"time"

	gs "github.com/gridscore/gridscore"
)

// Live results: a town's quarter computed live is kept in the database, so
// that the next page of any server shows it without reading the records
// again, for as long as the records it rests on are unchanged.

// DataVersion returns the version of the records: a number every committed
// change to the records raises (see bumpVersion).
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.read.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, db.wrap("data version", err)
	}
	return v, nil
}

// bumpVersion raises the version of the records in tx, which changes
// records: every town's version (TownVersion) is raised. On PostgreSQL the
// row lock it takes orders concurrent changes; on SQLite write
// transactions are exclusive already.
func bumpVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE data_version SET version = version + 1 WHERE id = 1`)
	return err
}

// bumpTowns raises the version of the records in tx, which changes only
// records of the workers of towns, and gives those towns that version;
// the other towns' versions stay (see migration 00018).
func bumpTowns(ctx context.Context, tx *sql.Tx, towns []string) error {
	var v int64
	if err := tx.QueryRowContext(ctx, `UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version`).Scan(&v); err != nil {
		return err
	}
	// When the change before this one changed every town, it is the epoch.
	if _, err := tx.ExecContext(ctx, `UPDATE town_epoch SET epoch = CASE WHEN last_town_bump = $2 THEN epoch ELSE $2 END,
		last_town_bump = $1 WHERE id = 1`, v, v-1); err != nil {
		return err
	}
	for _, t := range towns {
		if _, err := tx.ExecContext(ctx, `INSERT INTO town_versions (town, version) VALUES ($1, $2)
			ON CONFLICT (town) DO UPDATE SET version = excluded.version`, t, v); err != nil {
			return err
		}
	}
	return nil
}

// TownVersion returns the version of the records town's live results rest
// on: the version of the last change to every town or to the town's own
// workers' records, whichever is later.
func (db *DB) TownVersion(ctx context.Context, town string) (int64, error) {
	var v, epoch, last, own int64
	err := db.read.QueryRowContext(ctx, `SELECT d.version, e.epoch, e.last_town_bump,
			COALESCE((SELECT version FROM town_versions WHERE town = $1), 0)
		FROM data_version d, town_epoch e WHERE d.id = 1 AND e.id = 1`, town).Scan(&v, &epoch, &last, &own)
	if err != nil {
		return 0, db.wrap("town version", err)
	}
	if last != v { // the last change changed every town
		return v, nil
	}
	return max(epoch, own), nil
}

// workerKinds are the kinds whose records concern one worker alone (and so
// one town's results): a change by hand to them raises only that town's
// version.
var workerKinds = map[string]bool{"events": true, "logins": true, "patrols": true, "leaves": true,
	"attendance": true, "findings": true, "quiz": true, "ballots": true}

// changedTowns returns the towns whose workers' records ch changes, read
// in tx before the change (the workers of the records replaced or deleted,
// and of those written), or all=true when ch changes anything else, or a
// record of a worker without a town.
func changedTowns(ctx context.Context, tx *sql.Tx, ch RecordChange) (towns []string, all bool, err error) {
	workers := map[string]bool{}
	old := func(k RecordKey) error {
		t := tableNamed(k.Kind)
		c := keyConds(t, anys(k.Key))
		rows, err := tx.QueryContext(ctx, "SELECT worker_id FROM "+t.name+c.where(), c.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				return err
			}
			workers[w] = true
		}
		return rows.Err()
	}
	for _, ks := range [][]RecordKey{ch.Delete, ch.Drop} {
		for _, k := range ks {
			if !workerKinds[k.Kind] {
				return nil, true, nil
			}
			if err := old(k); err != nil {
				return nil, false, err
			}
		}
	}
	if ch.Put != nil {
		rows, _ := rowsOf(ch.Put)
		for i := range tables {
			t := &tables[i]
			if len(rows[i]) == 0 {
				continue
			}
			if !workerKinds[t.name] {
				return nil, true, nil
			}
			w := slices.Index(t.cols, "worker_id")
			for _, row := range rows[i] {
				id, ok := row[w].(string)
				if !ok {
					return nil, true, nil
				}
				workers[id] = true
				key := make([]string, t.keyLen)
				for j := range key {
					s, ok := row[j].(string)
					if !ok {
						return nil, true, nil // a key that is not text: play safe
					}
					key[j] = s
				}
				if err := old(RecordKey{Kind: t.name, Key: key}); err != nil {
					return nil, false, err
				}
			}
		}
	}
	if len(workers) == 0 {
		return nil, false, nil
	}
	ids := slices.Sorted(maps.Keys(workers))
	list, args := inList(ids)
	rows, err := tx.QueryContext(ctx, `SELECT w.worker_id, g.town FROM workers w JOIN grids g ON g.grid_code = w.grid_code
		WHERE w.worker_id IN (`+list+`)`, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	found := map[string]bool{}
	seen := map[string]bool{}
	for rows.Next() {
		var w, town string
		if err := rows.Scan(&w, &town); err != nil {
			return nil, false, err
		}
		found[w] = true
		if !seen[town] {
			seen[town] = true
			towns = append(towns, town)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(found) != len(ids) {
		return nil, true, nil
	}
	slices.Sort(towns)
	return towns, false, nil
}

// LiveKey names a live result: the town's quarter, the moment it is
// computed as of, the version of the records and the scheme (an
// identifier of the rules and of the program that applied them).
type LiveKey struct {
	Town, Quarter string
	AsOf          time.Time
	Version       int64
	Scheme        string
}

// liveResult is how a live result is stored: the result and the notes that
// go with it, which the JSON of DATA.md §3 leaves out.
type liveResult struct {
	Result  *gs.Result `json:"result"`
	Notes   []string   `json:"notes"`
	Settled bool       `json:"settled"`
}

// LiveResult returns the stored live result of k, or a nil result when
// there is none (another moment, older records, another scheme). A result
// kept as settled (gs.Result.Settled) for an earlier moment of the same
// records and scheme serves k too, with k's moment.
func (db *DB) LiveResult(ctx context.Context, k LiveKey) (*gs.Result, error) {
	var js string
	var asOf int64
	err := db.read.QueryRowContext(ctx, `SELECT result_json, as_of FROM live_results
		WHERE town = $1 AND quarter = $2 AND version = $4 AND scheme = $5
			AND (as_of = $3 OR (settled = 1 AND as_of <= $3))
		ORDER BY as_of DESC LIMIT 1`,
		k.Town, k.Quarter, k.AsOf.Unix(), k.Version, k.Scheme).Scan(&js, &asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, db.wrap("live result", err)
	}
	var lr liveResult
	if err := json.Unmarshal([]byte(js), &lr); err != nil || lr.Result == nil {
		return nil, nil // unreadable (an older program's form): compute again
	}
	lr.Result.Notes = lr.Notes
	lr.Result.Settled = lr.Settled
	if asOf != k.AsOf.Unix() {
		lr.Result.AsOf = k.AsOf.In(gs.CST).Truncate(time.Second)
	}
	return lr.Result, nil
}

// keptMoments is how many moments of a town's quarter are kept: the one
// pages show, the next one computed ahead, and a few others asked for.
const keptMoments = 4

// SaveLiveResult stores res as the live result of k at the moment now,
// unless the one kept for k's moment was computed from newer records (a
// slower server does not put back an older result), and drops the town's
// quarter's results computed from older records or by other rules, and
// all but the keptMoments last computed. Two servers saving at once both
// succeed; of equal versions the later write stays.
func (db *DB) SaveLiveResult(ctx context.Context, k LiveKey, res *gs.Result, now time.Time) error {
	js, err := json.Marshal(liveResult{Result: res, Notes: res.Notes, Settled: res.Settled})
	if err != nil {
		return err
	}
	settled := 0
	if res.Settled {
		settled = 1
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO live_results (town, quarter, as_of, version, scheme, settled, result_json, computed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (town, quarter, as_of) DO UPDATE SET version = excluded.version, scheme = excluded.scheme,
			settled = excluded.settled, result_json = excluded.result_json, computed_at = excluded.computed_at
		WHERE live_results.version <= excluded.version`,
		k.Town, k.Quarter, k.AsOf.Unix(), k.Version, k.Scheme, settled, string(js), now.Unix())
	if err != nil {
		return db.wrap("save live result", err)
	}
	_, err = db.write.ExecContext(ctx, `DELETE FROM live_results WHERE town = $1 AND quarter = $2
		AND (version < $3 OR scheme <> $4 OR as_of NOT IN (SELECT as_of FROM live_results
			WHERE town = $1 AND quarter = $2 ORDER BY computed_at DESC, as_of DESC LIMIT `+strconv.Itoa(keptMoments)+`))`,
		k.Town, k.Quarter, k.Version, k.Scheme)
	return db.wrap("save live result", err)
}
