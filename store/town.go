package store

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/gridscore/gridscore"
)

// LoadTown returns, read in one snapshot, what assessing one town's workers
// needs: the town's grids and workers, those workers' events, logins,
// patrols, leaves, findings, quizzes, ballots and attendance, the register
// and rosters of the town's grids (and the register entries of persons on
// those rosters entered in other grids), the visits of those persons or by those
// workers, every meeting, and the calendar days of the district and of the
// town (not those of other towns). The windows are Load's, and
// so is the order of each kind. Events, logins and patrols are read as the
// assessment reads them (straight from the driver, without the columns the
// engine does not look at: an event's category, a patrol's distance).
func (db *DB) LoadTown(ctx context.Context, town string, from, to time.Time) (*gridscore.Records, error) {
	if town == "" {
		return nil, gridscore.Errorf(gridscore.EINVALID, "未指定镇街。")
	}
	// Two transactions sharing one snapshot (readSnapshot): the events,
	// the most rows, are read on one connection while everything else is
	// read on the other; or all on one when a shared snapshot cannot be had.
	conns, err := db.readSnapshot(ctx, 2)
	if err != nil {
		return nil, err
	}
	defer endAll(conns)
	w := newWindow(from, to)
	r := &gridscore.Records{}
	sc := scope{town: town, byID: db.dialect == postgresDialect}
	apart := len(conns) > 1
	var events gridscore.Records
	var eventsErr error
	var wg sync.WaitGroup
	if apart {
		wg.Go(func() {
			h := heavyRead{w: w, sc: sc, names: newInterner()}
			k := kindNamed("events")
			eventsErr = k.fast(ctx, conns[1], h.of(k), &events)
		})
	}
	err = loadKinds(ctx, conns[0], w, sc, r, func(kind string) bool { return !heavyKinds[kind] })
	if err == nil {
		h := heavyRead{w: w, sc: sc, names: newInterner()}
		for i := range kinds {
			if k := &kinds[i]; k.heavy && (!apart || k.name != "events") {
				if err = k.fast(ctx, conns[0], h.of(k), r); err != nil {
					break
				}
			}
		}
	}
	wg.Wait()
	if err == nil {
		err = eventsErr
	}
	if err != nil {
		return nil, db.wrap("load town", err)
	}
	if apart {
		r.Events = events.Events
	}
	sortRecords(r)
	return r, nil
}

// TownWorkers returns every stored worker, ordered by id, with the town of
// their grid ("" when the grid is unknown), read in one snapshot.
func (db *DB) TownWorkers(ctx context.Context) ([]gridscore.TownWorker, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ws, err := loadWorkers(ctx, tx)
	if err != nil {
		return nil, db.wrap("load workers", err)
	}
	town := map[string]string{}
	err = queryTable(ctx, tx, "grids", "", nil, func(rows *sql.Rows) error {
		g, err := scanGrid(rows)
		town[g.Code] = g.Town
		return err
	})
	if err != nil {
		return nil, db.wrap("load workers", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, db.wrap("load workers", err)
	}
	out := make([]gridscore.TownWorker, len(ws))
	for i, w := range ws {
		out[i] = gridscore.TownWorker{Worker: w, Town: town[w.GridCode]}
	}
	return out, nil
}
