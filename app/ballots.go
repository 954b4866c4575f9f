package app

import (
	"context"

	gs "github.com/gridscore/gridscore"
)

// BallotTally is how many satisfaction ballots a worker received in a
// quarter, by rater group and rating: what the satisfaction score of the
// worker's page rests on (RULES.md §6).
type BallotTally struct {
	Total int
	// Groups has a row for each rater group with ballots, in the order of
	// gs.RaterGroups.
	Groups []BallotGroup
}

// BallotGroup is the ballots of one rater group, with the number of each
// rating in the order of gs.Ratings (zero counts included).
type BallotGroup struct {
	Group    gs.RaterGroup
	N        int
	ByRating []int
}

// Ballots counts the ballots cast for worker in quarter q, as the records
// are now, with the access rules of the records pages (a grid worker
// their own).
func (s *Service) Ballots(ctx context.Context, u *gs.User, workerID string, q gs.Quarter) (*BallotTally, error) {
	page, err := s.Records(ctx, u, RecordQuery{Kind: gs.KindBallots, WorkerID: workerID, From: q.First(), To: q.Last()})
	if err != nil {
		return nil, err
	}
	t := &BallotTally{}
	for _, g := range gs.RaterGroups {
		bg := BallotGroup{Group: g, ByRating: make([]int, len(gs.Ratings))}
		for _, b := range page.Records.Ballots {
			if b.RaterGroup != g || !q.Contains(b.CastAt) {
				continue
			}
			for i, r := range gs.Ratings {
				if b.Rating == r {
					bg.ByRating[i]++
				}
			}
			bg.N++
		}
		if bg.N > 0 {
			t.Groups = append(t.Groups, bg)
			t.Total += bg.N
		}
	}
	return t, nil
}
