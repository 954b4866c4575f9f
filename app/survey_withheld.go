package app

import (
	"context"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// The ballot sheet promises the voter that the grid worker stays away and
// learns nothing of who answered what (templates/survey_sheets.html). A
// worker who looked at their ballots between two voters would learn the
// second voter's rating; so while a campaign of the worker's town runs, a
// grid worker sees nothing of the quarter's ballots that moves with each
// answer: not the counts by rating (Ballots), not the ballots in the
// records list (Records, WriteRecords), not the satisfaction score nor the
// total and rank it moves (the worker's pages, web). The town's center
// and the district see everything as before. Once the campaign ends (or
// is closed), everything shows again.

// MsgBallotsWithheld is what a grid worker is told in place of the
// quarter's ballots while the town's survey runs.
const MsgBallotsWithheld = "本镇街的满意度测评正在进行，本季度的满意度评价和得分在测评结束后显示。"

// withheldQuarter returns the quarter whose ballots u may not see at the
// service's clock: a grid worker's while a campaign of their town for it
// is open (ok false otherwise). A campaign's window lies inside its
// quarter, so at most the current quarter is withheld.
func (s *Service) withheldQuarter(ctx context.Context, u *gs.User) (q gs.Quarter, ok bool, err error) {
	if u == nil || u.Role != gs.RoleWorker || u.Town == "" {
		return q, false, nil
	}
	cs, err := s.DB.Campaigns(ctx, u.Town)
	if err != nil {
		return q, false, err
	}
	now := s.now()
	for i := range cs {
		if cs[i].StateAt(now) == gs.CampaignOpen {
			return cs[i].Quarter, true, nil
		}
	}
	return q, false, nil
}

// BallotsWithheld reports whether u may not see the ballots of quarter q
// now, nor what they move (see withheldQuarter).
func (s *Service) BallotsWithheld(ctx context.Context, u *gs.User, q gs.Quarter) (bool, error) {
	wq, ok, err := s.withheldQuarter(ctx, u)
	return ok && wq == q, err
}

// withholdBallots limits f, u's filter of records, when it lists ballots
// for a grid worker, to the days before the quarter withheld, if any, and
// says so ("" when nothing is withheld).
func (s *Service) withholdBallots(ctx context.Context, u *gs.User, f *store.RecordFilter) (string, error) {
	if f.Kind != gs.KindBallots {
		return "", nil
	}
	wq, ok, err := s.withheldQuarter(ctx, u)
	if err != nil || !ok {
		return "", err
	}
	last := wq.First().AddDays(-1)
	if f.To.IsZero() || f.To > last {
		f.To = last
	}
	return MsgBallotsWithheld, nil
}
