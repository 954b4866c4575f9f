package app

import (
	"context"
	"fmt"
	"io"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

// WriteCampaignReport writes campaign id's report (u its town's center or
// the district) as an XLSX workbook: the progress grid by grid, the
// quarter's ballots of the town by worker, rater group and source with
// each worker's satisfaction score from the town's result of the quarter
// that result gives for the campaign (nil for none), the comments and the
// paper tallies. The town's workers are read once for all of it.
func (s *Service) WriteCampaignReport(ctx context.Context, w io.Writer, u *gs.User, id int64, result func(c *gs.Campaign) (*gs.Result, error)) error {
	c, err := s.campaign(ctx, u, id, false)
	if err != nil {
		return err
	}
	ws, err := s.DB.SurveyWorkers(ctx, c.Town)
	if err != nil {
		return err
	}
	v, err := s.campaignView(ctx, u, c, ws)
	if err != nil {
		return err
	}
	results, err := s.surveyResults(ctx, c.Town, c.Quarter, ws)
	if err != nil {
		return err
	}
	res, err := result(c)
	if err != nil {
		return err
	}
	r := &report.SurveyReport{Title: fmt.Sprintf("%s %s（%s，%s 至 %s，%s；导出于 %s）", c.Town, c.Title, c.Quarter.Text(),
		fmtMoment(c.OpensAt), fmtMoment(c.ClosesAt), gs.CampaignStateName[v.State], fmtMoment(s.now()))}
	for _, g := range append(v.Grids, v.Total) {
		grid, sample := g.GridCode, "足够"
		if grid == "" {
			grid = "合计"
		}
		if g.Few {
			sample = fmt.Sprintf("不足 %d 份", v.MinBallots)
		}
		if grid == "合计" {
			sample = ""
		}
		r.Grids = append(r.Grids, []any{grid, g.GridName, g.WorkerName, g.Planned[0], g.Planned[1], g.Issued[0] + g.Issued[1],
			g.Answered[0] + g.Answered[1], g.Unused[0] + g.Unused[1], g.Ended[0] + g.Ended[1], g.Paper[0] + g.Paper[1],
			g.Ballots, g.ByRating[0], g.ByRating[1], g.ByRating[2], PermilleText(g.RatePermille), sample})
	}
	scores := map[string]string{}
	if res != nil {
		for _, w := range res.Workers {
			if w.Categories != nil {
				scores[w.WorkerID] = w.Categories.Satisfaction.String()
			}
		}
	}
	for _, w := range results.Workers {
		add := func(group, source string, sb SourceBallots, score string) {
			r.Results = append(r.Results, []any{w.WorkerID, w.Name, w.GridCode, group, source,
				sb.ByRating[0], sb.ByRating[1], sb.ByRating[2], sb.N, PermilleText(sb.RatePermille), score})
		}
		for _, g := range w.Groups {
			for _, src := range g.Sources {
				add(gs.RaterGroupName[g.Group], gs.BallotSourceName[src.Source], src, "")
			}
		}
		add("全部", "全部", w.All.Total, scores[w.WorkerID])
	}
	for _, cm := range v.Comments {
		r.Comments = append(r.Comments, []any{cm.GridCode, cm.WorkerName, gs.RaterGroupName[cm.Group], gs.RatingName[cm.Rating], cm.Text})
	}
	for _, t := range v.Tallies {
		r.Tallies = append(r.Tallies, []any{t.ID, t.WorkerID, t.WorkerName, gs.RaterGroupName[t.Group], t.Counts[0], t.Counts[1], t.Counts[2],
			t.Note, t.EnteredBy, fmtMoment(t.EnteredAt)})
	}
	return report.WriteSurvey(w, r)
}
