package store

import (
	"context"
	"time"

	"github.com/gridscore/gridscore"
)

// TownDelta is what bringing a town's live result computed at an older
// version up to date takes (LoadTownSince).
type TownDelta struct {
	// Version is the town's version (TownVersion) in the snapshot read.
	Version int64
	// Whole is set when every worker of the town may have a new result:
	// a change to every town or to the town's calendar since, or more
	// workers changed than are worth reading one by one. Nothing else is
	// read then: the town is to be computed whole.
	Whole bool
	// Changed lists, by id, the town's workers whose results rest on
	// records changed since (versions.go): a worker of the town not
	// listed has the result they had.
	Changed []string
	// Town holds the town's grids and workers, every meeting and the
	// calendar days that hold for the town: what assessing any of its
	// workers looks up (engine.New). A worker kept from the old result who
	// is not among these workers left the town.
	Town *gridscore.Records
	// Records holds the records of the workers of Changed still in the
	// town, as assessing them wants them (engine.Engine.AssessChunk): those
	// workers, their own records, and their grids' register, rosters and
	// visits (LoadTown's, for these workers).
	Records *gridscore.Records
}

// maxChanged is the most workers LoadTownSince reads one by one; with more
// the town is read whole (LoadTown reads a town's rows as fast).
const maxChanged = maxListParams

// LoadTownSince reads, in one snapshot, what computing town's results
// again since version since of the records takes, in the window [from,
// to) of Load: the town's version now, the workers whose results rest on
// records changed since, and their records (TownDelta). A result computed
// at since, with the results of the changed workers computed again from
// these records, those of the workers no longer in the town dropped, and
// the town's ranks done again, is the town's result at Version.
func (db *DB) LoadTownSince(ctx context.Context, town string, since int64, from, to time.Time) (*TownDelta, error) {
	conn, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.end()
	d, err := loadTownSince(ctx, conn, town, since, newWindow(from, to), db.dialect == postgresDialect)
	if err != nil {
		return nil, db.wrap("load town since", err)
	}
	return d, nil
}

func loadTownSince(ctx context.Context, conn readConn, town string, since int64, w window, byID bool) (*TownDelta, error) {
	tv, err := townVersions(ctx, conn, town)
	if err != nil {
		return nil, err
	}
	d := &TownDelta{Version: tv.version}
	if since > tv.version || tv.all > since || tv.whole > since {
		d.Whole = true
		return d, nil
	}
	rows, err := conn.QueryContext(ctx, `SELECT w.worker_id FROM workers w JOIN grids g ON g.grid_code = w.grid_code
			LEFT JOIN worker_versions wv ON wv.worker_id = w.worker_id
			LEFT JOIN grid_versions gv ON gv.grid_code = w.grid_code
		WHERE g.town = $1 AND (COALESCE(wv.version, 0) > $2 OR COALESCE(gv.version, 0) > $2)
		ORDER BY w.worker_id`, town, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		d.Changed = append(d.Changed, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(d.Changed) > maxChanged {
		d.Whole, d.Changed = true, nil
		return d, nil
	}
	d.Town = &gridscore.Records{}
	err = loadKinds(ctx, conn, w, scope{town: town}, d.Town, func(kind string) bool { return kindNamed(kind).chunk == readOnce })
	if err != nil {
		return nil, err
	}
	sortRecords(d.Town)
	d.Records = &gridscore.Records{}
	changed := make(map[string]bool, len(d.Changed))
	for _, id := range d.Changed {
		changed[id] = true
	}
	for _, wk := range d.Town.Workers {
		if changed[wk.ID] {
			d.Records.Workers = append(d.Records.Workers, wk)
		}
	}
	if len(d.Records.Workers) == 0 {
		return d, nil
	}
	sc := scope{ids: d.Changed, byID: byID}
	err = loadKinds(ctx, conn, w, sc, d.Records, func(kind string) bool {
		return !heavyKinds[kind] && kindNamed(kind).chunk != readOnce
	})
	if err != nil {
		return nil, err
	}
	h := heavyRead{w: w, sc: sc, names: newInterner()}
	for i := range kinds {
		if k := &kinds[i]; k.heavy {
			if err := k.fast(ctx, conn, h.of(k), d.Records); err != nil {
				return nil, err
			}
		}
	}
	sortRecords(d.Records)
	return d, nil
}
