package app

import (
	"context"
	"fmt"
	"sort"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// CampaignView is a campaign's dashboard: its progress grid by grid, the
// paper tallies typed in and the voters' comments.
type CampaignView struct {
	Campaign gs.Campaign
	State    gs.CampaignState
	Grids    []GridProgress
	// Total adds up the grids.
	Total GridProgress
	// MinBallots is the scheme's least number of answers a grid needs.
	MinBallots int
	Tallies    []TallyRow
	// Comments are the voters' comments, for the centers only.
	Comments []CommentRow
	// Workers are the workers in post in the campaign's grids, for the
	// paper tally form.
	Workers []gs.TownWorker
	// CanRun is set for the town's center, who may print, type in tallies
	// and close.
	CanRun bool
}

// GridProgress is a grid's progress in a campaign. The arrays by rater
// group follow gs.RaterGroups; by rating gs.Ratings.
type GridProgress struct {
	GridCode, GridName   string
	WorkerID, WorkerName string
	// Conflict, when not "", says the grid has more than one worker in
	// post (inPostConflict): its ballots are refused until that is put right.
	Conflict        string
	Planned, Issued [2]int
	// Answered are the one-time ballots answered, Unused those not yet
	// answered, Ended those ended by the campaign's close.
	Answered, Unused, Ended [2]int
	// Paper are the ballots counted on paper.
	Paper [2]int
	// ByRating counts the campaign's ballots (phones and paper) of the
	// grid by rating; Ballots is their number, RatePermille their rate in
	// thousandths (-1: none).
	ByRating     [3]int
	Ballots      int
	RatePermille int
	// Few is set when the grid has fewer ballots than MinBallots.
	Few bool
}

// TallyRow is a paper tally with the name of its worker.
type TallyRow struct {
	gs.Tally
	WorkerName string
}

// CommentRow is a voter's comment as the center reads it.
type CommentRow struct {
	store.Comment
	WorkerName string
}

// Campaign returns campaign id's dashboard for u (its town's center or
// the district).
func (s *Service) Campaign(ctx context.Context, u *gs.User, id int64) (*CampaignView, error) {
	c, err := s.campaign(ctx, u, id, false)
	if err != nil {
		return nil, err
	}
	ws, err := s.DB.SurveyWorkers(ctx, c.Town)
	if err != nil {
		return nil, err
	}
	return s.campaignView(ctx, u, c, ws)
}

// campaignView builds c's dashboard for u, ws the workers of c's town
// (SurveyWorkers), read once by the caller.
func (s *Service) campaignView(ctx context.Context, u *gs.User, c *gs.Campaign, ws []gs.TownWorker) (*CampaignView, error) {
	id := c.ID
	now := s.now()
	v := &CampaignView{Campaign: *c, State: c.StateAt(now), MinBallots: s.Scheme.MinBallots, CanRun: mayRunSurvey(u, c.Town) == nil}
	grids, err := s.DB.TownGrids(ctx, c.Town)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, g := range grids {
		names[g.Code] = g.Name
	}
	day := gs.DateOf(now)
	if !c.Quarter.ContainsDate(day) { // a past campaign: who was in post at its end
		day = gs.DateOf(c.ClosesAt.Add(-1))
	}
	inPost := gridInPost(ws, day)
	workerName := map[string]string{}
	for _, w := range ws {
		workerName[w.ID] = w.Name
	}
	at := map[string]int{}
	for i, g := range c.Grids {
		w := firstInPost(inPost[g.GridCode])
		v.Grids = append(v.Grids, GridProgress{GridCode: g.GridCode, GridName: names[g.GridCode], WorkerID: w.ID, WorkerName: w.Name,
			Planned: [2]int{g.Cadre, g.Resident}, Conflict: inPostConflict(g.GridCode, day, inPost[g.GridCode])})
		at[g.GridCode] = i
		v.Workers = append(v.Workers, inPost[g.GridCode]...)
	}
	tokens, err := s.DB.TokenCounts(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, t := range tokens {
		i, ok := at[t.GridCode]
		if !ok {
			continue
		}
		gi := groupIndex(t.Group)
		g := &v.Grids[i]
		g.Issued[gi] += t.N
		switch t.State {
		case store.TokenUsed:
			g.Answered[gi] += t.N
		case store.TokenEnded:
			g.Ended[gi] += t.N
		default:
			g.Unused[gi] += t.N
		}
	}
	counts, err := s.DB.BallotCounts(ctx, store.BallotFilter{CampaignID: id})
	if err != nil {
		return nil, err
	}
	for _, b := range counts {
		i, ok := at[b.GridCode]
		if !ok {
			continue
		}
		g := &v.Grids[i]
		if b.Source == gs.SourcePaper {
			g.Paper[groupIndex(b.Group)] += b.N
		}
		g.ByRating[ratingIndex(b.Rating)] += b.N
		g.Ballots += b.N
	}
	t := &v.Total
	for i := range v.Grids {
		g := &v.Grids[i]
		g.RatePermille = s.RatePermille(g.ByRating)
		g.Few = g.Ballots < v.MinBallots
		for k := range 2 {
			t.Planned[k] += g.Planned[k]
			t.Issued[k] += g.Issued[k]
			t.Answered[k] += g.Answered[k]
			t.Unused[k] += g.Unused[k]
			t.Ended[k] += g.Ended[k]
			t.Paper[k] += g.Paper[k]
		}
		for k := range 3 {
			t.ByRating[k] += g.ByRating[k]
		}
		t.Ballots += g.Ballots
	}
	t.RatePermille = s.RatePermille(t.ByRating)
	tallies, err := s.DB.Tallies(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, tl := range tallies {
		v.Tallies = append(v.Tallies, TallyRow{Tally: tl, WorkerName: workerName[tl.WorkerID]})
	}
	comments, err := s.DB.Comments(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, cm := range comments {
		v.Comments = append(v.Comments, CommentRow{Comment: cm, WorkerName: workerName[cm.WorkerID]})
	}
	return v, nil
}

func groupIndex(g gs.RaterGroup) int {
	for i, x := range gs.RaterGroups {
		if x == g {
			return i
		}
	}
	return 0
}

func ratingIndex(r gs.Rating) int {
	for i, x := range gs.Ratings {
		if x == r {
			return i
		}
	}
	return 0
}

// SurveyResults are a town's ballots of a quarter, whatever their source
// (扫码, 纸质, 导入), worker by worker and rater group by rater group.
type SurveyResults struct {
	Town    string
	Quarter gs.Quarter
	Workers []WorkerBallots
}

// WorkerBallots are the ballots about one worker.
type WorkerBallots struct {
	WorkerID, Name, GridCode string
	// Groups has a row per rater group with ballots.
	Groups []GroupBallots
	// All counts every ballot of the worker, by source.
	All GroupBallots
}

// GroupBallots are the ballots of one rater group (all groups, in
// WorkerBallots.All) by source.
type GroupBallots struct {
	Group gs.RaterGroup
	// Sources has the counts of each source with ballots, in the order of
	// gs.BallotSources; Total adds them up.
	Sources []SourceBallots
	Total   SourceBallots
}

// SourceBallots counts ballots by rating (in the order of gs.Ratings).
type SourceBallots struct {
	Source       gs.BallotSource
	ByRating     [3]int
	N            int
	RatePermille int
}

// SurveyResults counts the ballots of town's quarter q for u (its center
// or the district): every worker of the town, those without a ballot too.
func (s *Service) SurveyResults(ctx context.Context, u *gs.User, town string, q gs.Quarter) (*SurveyResults, error) {
	if err := mayViewSurvey(u, town); err != nil {
		return nil, err
	}
	ws, err := s.DB.SurveyWorkers(ctx, town)
	if err != nil {
		return nil, err
	}
	return s.surveyResults(ctx, town, q, ws)
}

// surveyResults counts the ballots of town's quarter q, ws the town's
// workers (SurveyWorkers), read once by the caller.
func (s *Service) surveyResults(ctx context.Context, town string, q gs.Quarter, ws []gs.TownWorker) (*SurveyResults, error) {
	counts, err := s.DB.BallotCounts(ctx, store.BallotFilter{Town: town, From: q.First().Start(), To: q.Last().End()})
	if err != nil {
		return nil, err
	}
	res := &SurveyResults{Town: town, Quarter: q}
	at := map[string]int{}
	for _, w := range ws {
		if w.HiredOn > q.Last() || !w.LeftOn.IsZero() && w.LeftOn < q.First() {
			continue // not in post in the quarter
		}
		at[w.ID] = len(res.Workers)
		res.Workers = append(res.Workers, WorkerBallots{WorkerID: w.ID, Name: w.Name, GridCode: w.GridCode})
	}
	type key struct {
		worker string
		group  gs.RaterGroup
		source gs.BallotSource
	}
	tally := map[key]*[3]int{}
	for _, b := range counts {
		if _, ok := at[b.WorkerID]; !ok {
			continue
		}
		k := key{b.WorkerID, b.Group, b.Source}
		if tally[k] == nil {
			tally[k] = &[3]int{}
		}
		tally[k][ratingIndex(b.Rating)] += b.N
	}
	for i := range res.Workers {
		w := &res.Workers[i]
		w.All = GroupBallots{}
		all := make([][3]int, len(gs.BallotSources))
		for _, g := range gs.RaterGroups {
			gb := GroupBallots{Group: g}
			for si, src := range gs.BallotSources {
				c := tally[key{w.WorkerID, g, src}]
				if c == nil {
					continue
				}
				gb.Sources = append(gb.Sources, s.sourceBallots(src, *c))
				for k := range 3 {
					gb.Total.ByRating[k] += c[k]
					all[si][k] += c[k]
				}
			}
			if len(gb.Sources) > 0 {
				gb.Total = s.sourceBallots("", gb.Total.ByRating)
				w.Groups = append(w.Groups, gb)
			}
		}
		var total [3]int
		for si, src := range gs.BallotSources {
			if c := all[si]; c[0]+c[1]+c[2] > 0 {
				w.All.Sources = append(w.All.Sources, s.sourceBallots(src, c))
				for k := range 3 {
					total[k] += c[k]
				}
			}
		}
		w.All.Total = s.sourceBallots("", total)
		byGroup := make(map[gs.RaterGroup][3]int, len(w.Groups))
		for _, g := range w.Groups {
			byGroup[g.Group] = g.Total.ByRating
		}
		w.All.Total.RatePermille = s.workerRatePermille(byGroup)
	}
	sort.SliceStable(res.Workers, func(i, j int) bool { return res.Workers[i].GridCode < res.Workers[j].GridCode })
	return res, nil
}

func (s *Service) sourceBallots(src gs.BallotSource, byRating [3]int) SourceBallots {
	return SourceBallots{Source: src, ByRating: byRating, N: byRating[0] + byRating[1] + byRating[2], RatePermille: s.RatePermille(byRating)}
}

// RatingsText words counts by rating: 满意 3、基本满意 1、不满意 0.
func RatingsText(byRating [3]int) string {
	parts := make([]string, len(gs.Ratings))
	for i, r := range gs.Ratings {
		parts[i] = fmt.Sprintf("%s %d", gs.RatingName[r], byRating[i])
	}
	return strings.Join(parts, "、")
}
