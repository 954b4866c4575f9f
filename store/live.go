package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

// TownVersion returns the version of the records town's live results rest
// on: the version of the last change to every town or to the town's own
// workers' records, whichever is later.
func (db *DB) TownVersion(ctx context.Context, town string) (int64, error) {
	tv, err := townVersions(ctx, db.read, town)
	if err != nil {
		return 0, db.wrap("town version", err)
	}
	return tv.version, nil
}

// townVersion is what the versions of the records say of one town.
type townVersion struct {
	// version is TownVersion's.
	version int64
	// all is the version of the last change to every town; whole that of
	// the last change to every worker of this town (its calendar days);
	// refs that of the last change to grids, workers, meetings or
	// calendar days, or to every town.
	all, whole, refs int64
}

// townVersions reads town's versions through q.
func townVersions(ctx context.Context, q queryer, town string) (townVersion, error) {
	var v, epoch, last, own, whole, refs int64
	err := q.QueryRowContext(ctx, `SELECT d.version, e.epoch, e.last_town_bump,
			COALESCE((SELECT version FROM town_versions WHERE town = $1), 0),
			COALESCE((SELECT whole FROM town_versions WHERE town = $1), 0), d.refs
		FROM data_version d, town_epoch e WHERE d.id = 1 AND e.id = 1`, town).Scan(&v, &epoch, &last, &own, &whole, &refs)
	if err != nil {
		return townVersion{}, err
	}
	return versionsGlobal{v, epoch, last, refs}.of(own, whole), nil
}

// versionsGlobal is what the versions of the records say of every town.
type versionsGlobal struct{ version, epoch, lastTownBump, refs int64 }

// of returns the versions of a town whose own rows of town_versions are
// own and whole (0 when it has none).
func (g versionsGlobal) of(own, whole int64) townVersion {
	// A change to every town may have changed the reference rows too.
	if g.lastTownBump != g.version { // the last change changed every town
		return townVersion{version: g.version, all: g.version, whole: whole, refs: g.version}
	}
	return townVersion{version: max(g.epoch, own), all: g.epoch, whole: whole, refs: max(g.refs, g.epoch)}
}

// townVersionsAll reads the versions of towns through q in two queries,
// whatever their number, as townVersions reads each.
func townVersionsAll(ctx context.Context, q queryer, towns []string) (map[string]townVersion, error) {
	var g versionsGlobal
	if err := q.QueryRowContext(ctx, `SELECT d.version, e.epoch, e.last_town_bump, d.refs
		FROM data_version d, town_epoch e WHERE d.id = 1 AND e.id = 1`).Scan(&g.version, &g.epoch, &g.lastTownBump, &g.refs); err != nil {
		return nil, err
	}
	type own struct{ version, whole int64 }
	owns := map[string]own{}
	rows, err := q.QueryContext(ctx, `SELECT town, version, whole FROM town_versions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var town string
		var o own
		if err := rows.Scan(&town, &o.version, &o.whole); err != nil {
			return nil, err
		}
		owns[town] = o
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]townVersion, len(towns))
	for _, town := range towns {
		o := owns[town]
		out[town] = g.of(o.version, o.whole)
	}
	return out, nil
}

// TownVersions returns TownVersion of each of towns, read in one snapshot.
func (db *DB) TownVersions(ctx context.Context, towns []string) (map[string]int64, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, db.wrap("town versions", err)
	}
	defer tx.Rollback()
	tvs, err := townVersionsAll(ctx, tx, towns)
	if err != nil {
		return nil, db.wrap("town versions", err)
	}
	out := make(map[string]int64, len(tvs))
	for town, tv := range tvs {
		out[town] = tv.version
	}
	return out, db.wrap("town versions", tx.Commit())
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

// liveResult is how a live result is stored: the result (with its
// deductions' items, storedResult) and the notes that go with it, which the
// JSON of DATA.md §3 leaves out.
type liveResult struct {
	Result  *storedResult `json:"result"`
	Notes   []string      `json:"notes"`
	Settled bool          `json:"settled"`
	// SettledFrom is gs.Result.SettledFrom (Unix seconds), 0 when not
	// settled.
	SettledFrom int64 `json:"settled_from,omitempty"`
}

// LiveResult returns the stored live result of k, or a nil result when
// there is none (another moment, older records, another scheme). A result
// kept as settled (gs.Result.Settled) for another moment of the same
// records and scheme serves k too, with k's moment, when k's moment is at
// or after its SettledFrom.
func (db *DB) LiveResult(ctx context.Context, k LiveKey) (*gs.Result, error) {
	res, _, err := db.liveResult(ctx, k, "version = $4")
	return res, err
}

// LiveBase returns the stored live result that comes nearest to k: of k's
// town, quarter, moment (or a settled one, as LiveResult says) and scheme,
// computed from the newest records at or before k's version, with that
// version; a nil result when there is none. Computing again the workers
// whose records changed since (LoadTownSince) brings it up to k's.
func (db *DB) LiveBase(ctx context.Context, k LiveKey) (*gs.Result, int64, error) {
	return db.liveResult(ctx, k, "version <= $4")
}

// liveResult returns the stored live result of k's town, quarter, moment
// and scheme whose version meets versionCond (on $4), the newest first.
func (db *DB) liveResult(ctx context.Context, k LiveKey, versionCond string) (*gs.Result, int64, error) {
	return liveResultOn(ctx, db, db.read, k, versionCond)
}

// liveResultOn is liveResult read through q. A settled row whose
// settled_from is 0 (written by a program older than migration 00033)
// serves the moments from its own as_of on.
func liveResultOn(ctx context.Context, db *DB, q queryer, k LiveKey, versionCond string) (*gs.Result, int64, error) {
	var js string
	var asOf, version int64
	err := q.QueryRowContext(ctx, `SELECT result_json, as_of, version FROM live_results
		WHERE town = $1 AND quarter = $2 AND `+versionCond+` AND scheme = $5
			AND (as_of = $3 OR (settled = 1 AND CASE WHEN settled_from > 0 THEN settled_from ELSE as_of END <= $3))
		ORDER BY version DESC, as_of DESC LIMIT 1`,
		k.Town, k.Quarter, k.AsOf.Unix(), k.Version, k.Scheme).Scan(&js, &asOf, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, db.wrap("live result", err)
	}
	var lr liveResult
	if err := json.Unmarshal([]byte(js), &lr); err != nil || lr.Result == nil {
		return nil, 0, nil // unreadable (an older program's form): compute again
	}
	res := lr.Result.result()
	res.Notes = lr.Notes
	res.Settled = lr.Settled
	if lr.Settled {
		res.SettledFrom = time.Unix(lr.SettledFrom, 0).In(gs.CST)
		if lr.SettledFrom == 0 { // kept by an older program: from its moment
			res.SettledFrom = time.Unix(asOf, 0).In(gs.CST)
		}
	}
	if asOf != k.AsOf.Unix() {
		res.AsOf = k.AsOf.In(gs.CST).Truncate(time.Second)
	}
	return res, version, nil
}

// KeptTowns returns, read in one snapshot, the towns (the towns of the
// grids, in order) and the live result kept for quarter as of asOf by the
// rules named scheme for every one of them, each for its town's records as
// they are in that snapshot (TownVersion), as LiveResult finds it; the
// results are nil when a town has none, or there is no town. One snapshot,
// so that a change committed while they are read (a worker moving from one
// town to another) is seen in all of them or in none.
func (db *DB) KeptTowns(ctx context.Context, quarter string, asOf time.Time, scheme string) ([]string, []*gs.Result, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, nil, db.wrap("kept towns", err)
	}
	defer tx.Rollback()
	towns, err := textsOn(ctx, tx, townsQuery)
	if err != nil || len(towns) == 0 {
		return towns, nil, db.wrap("kept towns", err)
	}
	tvs, err := townVersionsAll(ctx, tx, towns)
	if err != nil {
		return nil, nil, db.wrap("kept towns", err)
	}
	out := make([]*gs.Result, 0, len(towns))
	for _, town := range towns {
		res, _, err := liveResultOn(ctx, db, tx, LiveKey{Town: town, Quarter: quarter, AsOf: asOf, Version: tvs[town].version, Scheme: scheme}, "version = $4")
		if err != nil || res == nil {
			return towns, nil, err
		}
		out = append(out, res)
	}
	return towns, out, db.wrap("kept towns", tx.Commit())
}

// keptMoments is how many moments of a town's quarter are kept: the one
// pages show, the next one computed ahead, and a few others asked for.
const keptMoments = 4

// otherRulesKept is how long a town's quarter's live results of other rules
// than those saved last stay: a server computes the towns it shows every
// few minutes, so its results stay while another program saves its own.
const otherRulesKept = 24 * time.Hour

// SaveLiveResult stores res as the live result of k at the moment now,
// unless the one kept for k's moment was computed from newer records (a
// slower server does not put back an older result), and drops the town's
// quarter's results of k's rules but the keptMoments last computed, and
// those of other rules computed more than otherRulesKept ago (a release
// or a scheme no longer used: a command line assessing by a trial scheme
// beside a server does not push out the server's). A result of another
// moment computed from older records stays: it is brought up to date when
// its moment is asked for (LiveBase). Two servers saving at once both
// succeed; of equal versions the later write stays.
func (db *DB) SaveLiveResult(ctx context.Context, k LiveKey, res *gs.Result, now time.Time) error {
	settled, settledFrom := 0, k.AsOf.Unix()
	if res.Settled {
		settled = 1
		if !res.SettledFrom.IsZero() && res.SettledFrom.Before(k.AsOf) {
			settledFrom = res.SettledFrom.Unix()
		}
	}
	lr := liveResult{Result: storedResultOf(res), Notes: res.Notes, Settled: res.Settled}
	if res.Settled {
		lr.SettledFrom = settledFrom
	}
	js, err := json.Marshal(lr)
	if err != nil {
		return err
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO live_results (town, quarter, as_of, version, scheme, settled, settled_from, result_json, computed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (town, quarter, as_of) DO UPDATE SET version = excluded.version, scheme = excluded.scheme,
			settled = excluded.settled, settled_from = excluded.settled_from, result_json = excluded.result_json,
			computed_at = excluded.computed_at
		WHERE live_results.version <= excluded.version`,
		k.Town, k.Quarter, k.AsOf.Unix(), k.Version, k.Scheme, settled, settledFrom, string(js), now.Unix())
	if err != nil {
		return db.wrap("save live result", err)
	}
	_, err = db.write.ExecContext(ctx, `DELETE FROM live_results WHERE town = $1 AND quarter = $2
		AND ((scheme <> $3 AND computed_at < $4) OR (scheme = $3 AND as_of NOT IN (SELECT as_of FROM live_results
			WHERE town = $1 AND quarter = $2 AND scheme = $3 ORDER BY computed_at DESC, as_of DESC LIMIT `+strconv.Itoa(keptMoments)+`)))`,
		k.Town, k.Quarter, k.Scheme, now.Add(-otherRulesKept).Unix())
	return db.wrap("save live result", err)
}
