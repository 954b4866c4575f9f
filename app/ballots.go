package app

import (
	"context"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// BallotTally is how many satisfaction ballots a worker received in a
// quarter, by rater group and rating: what the satisfaction score of the
// worker's page rests on (RULES.md §6).
type BallotTally struct {
	Total int
	// Groups has a row for each rater group with ballots, in the order of
	// gs.RaterGroups.
	Groups []BallotGroup
	// Sources has the number of ballots of each source with any, in the
	// order of gs.BallotSources: answered on phones, counted on paper,
	// imported.
	Sources []SourceCount
	// Withheld is set, and nothing counted, for a grid worker while the
	// town's survey of the quarter runs (MsgBallotsWithheld).
	Withheld bool
}

// BallotGroup is the ballots of one rater group, with the number of each
// rating in the order of gs.Ratings (zero counts included).
type BallotGroup struct {
	Group    gs.RaterGroup
	N        int
	ByRating []int
}

// SourceCount is how many ballots came from one source.
type SourceCount struct {
	Source gs.BallotSource
	N      int
}

// Ballots counts the ballots cast for worker in quarter q, as the records
// are now, with the access rules of the records pages (a grid worker
// their own, a town's center its town's workers'). It counts, and tells
// nothing of any single ballot; a grid worker gets nothing while the
// town's survey of q runs (Withheld).
func (s *Service) Ballots(ctx context.Context, u *gs.User, workerID string, q gs.Quarter) (*BallotTally, error) {
	f, err := s.recordScope(ctx, u, RecordQuery{Kind: gs.KindBallots, WorkerID: workerID})
	if err != nil {
		return nil, err
	}
	if withheld, err := s.BallotsWithheld(ctx, u, q); err != nil || withheld {
		return &BallotTally{Withheld: withheld}, err
	}
	counts, err := s.DB.BallotCounts(ctx, store.BallotFilter{Town: f.Town, WorkerID: workerID, From: q.First().Start(), To: q.Last().End()})
	if err != nil {
		return nil, err
	}
	t := &BallotTally{}
	for _, g := range gs.RaterGroups {
		bg := BallotGroup{Group: g, ByRating: make([]int, len(gs.Ratings))}
		for _, b := range counts {
			if b.Group == g {
				bg.ByRating[ratingIndex(b.Rating)] += b.N
				bg.N += b.N
			}
		}
		if bg.N > 0 {
			t.Groups = append(t.Groups, bg)
			t.Total += bg.N
		}
	}
	for _, src := range gs.BallotSources {
		sc := SourceCount{Source: src}
		for _, b := range counts {
			if b.Source == src {
				sc.N += b.N
			}
		}
		if sc.N > 0 {
			t.Sources = append(t.Sources, sc)
		}
	}
	return t, nil
}
