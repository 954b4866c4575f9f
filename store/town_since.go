package store

import (
	"context"
	"strings"
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
	// is not among these workers left the town. It is nil when none of
	// those rows changed since the caller read them (Refs is the refs the
	// caller gave).
	Town *gridscore.Records
	// Refs is the version of the last change to grids, workers, meetings
	// or calendar days (data_version.refs): the version of Town.
	Refs int64
	// Records holds the records of the workers of Changed still in the
	// town, as assessing them wants them (engine.Engine.AssessChunk): those
	// workers, their own records, and their grids' register, rosters and
	// visits (LoadTown's, for these workers).
	Records *gridscore.Records
}

// rowsPerWorker is about the most events, patrols or logins one worker
// has in a quarter's window (the generated workers: about 170, 128, 64),
// the room reserved for them.
const rowsPerWorker = 256

// maxChanged is the most workers LoadTownSince reads one by one; with more
// the town is read whole (LoadTown reads a town's rows as fast).
const maxChanged = maxListParams

// LoadTownSince reads, in one snapshot, what computing town's results
// again since version since of the records takes, in the window [from,
// to) of Load: the town's version now, the workers whose results rest on
// records changed since, and their records (TownDelta). A result computed
// at since, with the results of the changed workers computed again from
// these records, those of the workers no longer in the town dropped, and
// the town's ranks done again, is the town's result at Version. The
// town's grids, workers, meetings and calendar days are read unless refs
// is their version (TownDelta.Refs) now: the caller holds them.
func (db *DB) LoadTownSince(ctx context.Context, town string, since, refs int64, from, to time.Time) (*TownDelta, error) {
	conn, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.end()
	d, err := loadTownSince(ctx, conn, town, since, refs, newWindow(from, to), db.dialect == postgresDialect)
	if err != nil {
		return nil, db.wrap("load town since", err)
	}
	return d, nil
}

func loadTownSince(ctx context.Context, conn readConn, town string, since, refs int64, w window, byID bool) (*TownDelta, error) {
	tv, err := townVersions(ctx, conn, town)
	if err != nil {
		return nil, err
	}
	d := &TownDelta{Version: tv.version, Refs: tv.refs}
	if since > tv.version || tv.all > since || tv.whole > since {
		d.Whole = true
		return d, nil
	}
	// The workers of the town whose results rest on something changed
	// since, read whole (they are assessed again).
	d.Records = &gridscore.Records{}
	cols := "w." + strings.Join(tableNamed("workers").cols, ", w.")
	rows, err := conn.QueryContext(ctx, `SELECT `+cols+` FROM workers w JOIN grids g ON g.grid_code = w.grid_code
			LEFT JOIN worker_versions wv ON wv.worker_id = w.worker_id
			LEFT JOIN grid_versions gv ON gv.grid_code = w.grid_code
		WHERE g.town = $1 AND (COALESCE(wv.version, 0) > $2 OR COALESCE(gv.version, 0) > $2)`, town, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		wk, err := scanWorker(rows)
		if err != nil {
			return nil, err
		}
		d.Records.Workers = append(d.Records.Workers, wk)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(d.Records.Workers) > maxChanged {
		return &TownDelta{Version: tv.version, Refs: tv.refs, Whole: true}, nil
	}
	sortWorkers(d.Records.Workers)
	for _, wk := range d.Records.Workers {
		d.Changed = append(d.Changed, wk.ID)
	}
	if refs != tv.refs {
		d.Town = &gridscore.Records{}
		err = loadKinds(ctx, conn, w, scope{town: town}, d.Town, func(kind string) bool { return kindNamed(kind).chunk == readOnce })
		if err != nil {
			return nil, err
		}
		sortRecords(d.Town)
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
	h := heavyRead{w: w, sc: sc, names: newInterner(), expect: rowsPerWorker * len(d.Changed)}
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
