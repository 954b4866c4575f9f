package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// LoadChunked reads the records of the window [from, to) in one snapshot,
// as Load does (but in no particular order, workers aside), and hands them
// over in parts so that a province never has to
// be in memory at once: first shared, called with every kind except events,
// logins and patrols (workers, grids, the register, visits, ballots…); then
// each, called once per range of at most chunkSize workers (ordered by id)
// with those workers in Workers and their events, logins and patrols in the
// window, in no particular order. Records passed to each are the callee's
// to keep.
func (db *DB) LoadChunked(ctx context.Context, from, to time.Time, chunkSize int,
	shared func(*gridscore.Records) error, each func(*gridscore.Records) error) error {
	if chunkSize < 1 {
		chunkSize = 1
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w := newWindow(from, to)
	sh, err := loadShared(ctx, tx, w)
	if err != nil {
		return db.wrap("load", err)
	}
	slices.SortFunc(sh.Workers, func(a, b gridscore.Worker) int { return strings.Compare(a.ID, b.ID) })
	workers := slices.Clone(sh.Workers) // sorted by id
	if err := shared(sh); err != nil {
		return err
	}
	for start := 0; start < len(workers); start += chunkSize {
		part := workers[start:min(start+chunkSize, len(workers))]
		r := &gridscore.Records{Workers: part}
		lo, hi := part[0].ID, part[len(part)-1].ID
		if len(part) == len(workers) {
			// One chunk holds every worker: read the tables in storage
			// order, which is much faster than through an index.
			lo, hi = "", ""
		}
		if err := loadHeavy(ctx, tx, w, lo, hi, r); err != nil {
			return db.wrap("load", err)
		}
		if err := each(r); err != nil {
			return err
		}
	}
	return db.wrap("load", tx.Commit())
}
