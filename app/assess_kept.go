package app

import (
	"context"
	"slices"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// AssessKept returns what Assess returns, read from the live results kept
// in the store when every town's result for q as of asOf is kept for the
// records as they are now and the same rules (an import keeps them,
// KeepAssessed; a page keeps the towns it shows), all read in one snapshot
// (store.DB.KeptTowns). Then nothing else is read: a 200-worker town's
// result is a few hundred kilobytes, its records about 90,000 rows.
// Otherwise it computes the whole quarter (Assess) and keeps every town's
// part of it for the next time (in the background with KeepInBackground:
// the command line waits for it only so long, KeepWait).
//
// A result kept for another moment serves asOf only when it is settled
// (the quarter over, no event of it open) and asOf is at or after its
// SettledFrom (the latest closing of an event it judged): a quarter under
// way, an event still open, or a moment before an event's closing is
// computed again as of asOf.
func (s *Service) AssessKept(ctx context.Context, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	towns, parts, err := s.DB.KeptTowns(ctx, q.String(), asOf, s.rulesKey())
	if err != nil {
		return nil, err
	}
	if parts != nil {
		return s.joinTowns(parts, q, asOf), nil
	}
	if s.Computing != nil {
		s.Computing()
	}
	if len(towns) == 0 {
		return s.Assess(ctx, q, asOf)
	}
	return s.assessKeeping(ctx, towns, q, asOf)
}

// KeepAssessed computes each quarter of qs that is over by the service's
// clock as of now, and keeps every town's part of it as the live result
// AssessKept and the pages read (a quarter under way changes as time
// passes: its pages compute it at their own moments). progress, when not
// nil, is told of each quarter before it is computed. It returns the
// quarters computed; a quarter whose every town's result is kept already
// for the records as they are is not computed again.
func (s *Service) KeepAssessed(ctx context.Context, qs []gs.Quarter, progress func(gs.Quarter)) ([]gs.Quarter, error) {
	now := s.now()
	today := gs.DateOf(now)
	var done []gs.Quarter
	for _, q := range qs {
		if q.Last() >= today {
			continue
		}
		// An import of what is stored already changes no version.
		towns, kept, err := s.DB.KeptTowns(ctx, q.String(), now, s.rulesKey())
		if err != nil || len(towns) == 0 {
			return done, err
		}
		if kept != nil {
			continue
		}
		if progress != nil {
			progress(q)
		}
		if _, err := s.assessKeeping(ctx, towns, q, now); err != nil {
			return done, err
		}
		done = append(done, q)
	}
	return done, nil
}

// assessKeeping computes q as of asOf for the whole store (Assess) and
// keeps each of towns' part of it as that town's live result. Each town's
// version is read before the records, so that a change committed in
// between leaves the kept result under the older version (computed again
// when asked for), never a result under a newer version than its records.
// A result with a worker of none of towns is kept for no town.
func (s *Service) assessKeeping(ctx context.Context, towns []string, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	versions, err := s.DB.TownVersions(ctx, towns)
	if err != nil {
		return nil, err
	}
	res, err := s.Assess(ctx, q, asOf)
	if err != nil {
		return nil, err
	}
	parts := splitTowns(res, towns)
	if parts == nil {
		return res, nil
	}
	for _, town := range towns {
		s.keepLive(ctx, store.LiveKey{Town: town, Quarter: q.String(), AsOf: asOf, Version: versions[town], Scheme: s.rulesKey()}, parts[town])
	}
	return res, nil
}

// splitTowns returns res as the results of each of towns (its workers
// listed by town, as Engine.Finish lists them, and ranked within their
// town), or nil when a worker's town is none of towns.
func splitTowns(res *gs.Result, towns []string) map[string]*gs.Result {
	parts := make(map[string]*gs.Result, len(towns))
	for _, town := range towns {
		part := *res
		part.Workers = []gs.WorkerResult{}
		part.Notes = slices.Clone(res.Notes)
		parts[town] = &part
	}
	for _, w := range res.Workers {
		p := parts[w.Town]
		if p == nil {
			return nil
		}
		p.Workers = append(p.Workers, w)
	}
	return parts
}

// joinTowns returns the results of towns (in the order of the towns'
// names) as one result of the store, as Assess gives it: the workers of
// every town, the notes once each, settled when every part is.
func (s *Service) joinTowns(parts []*gs.Result, q gs.Quarter, asOf time.Time) *gs.Result {
	res := &gs.Result{
		Quarter:    q.String(),
		AsOf:       asOf.In(gs.CST).Truncate(time.Second),
		Scheme:     s.Scheme.ID,
		SchemeName: s.Scheme.Name,
		Workers:    []gs.WorkerResult{},
		Settled:    true,
	}
	for _, p := range parts {
		res.Workers = append(res.Workers, p.Workers...)
		for _, n := range p.Notes {
			if !slices.Contains(res.Notes, n) {
				res.Notes = append(res.Notes, n)
			}
		}
		res.Settled = res.Settled && p.Settled
		if p.SettledFrom.After(res.SettledFrom) {
			res.SettledFrom = p.SettledFrom
		}
	}
	if !res.Settled {
		res.SettledFrom = time.Time{}
	}
	gs.SortWorkerResults(res.Workers)
	return res
}
