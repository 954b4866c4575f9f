package web

import (
	"fmt"
	"net/http"
	"net/url"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// SurveyResultsPage is a town's ballots of a quarter, whatever their
// source, worker by worker and rater group by rater group, with each
// worker's satisfaction score (RULES.md §6) of the quarter's result.
type SurveyResultsPage struct {
	Page
	Period
	Town string
	Rows []SurveyResultRow
	// MinBallots is the scheme's least number of answers; Few counts the
	// workers with fewer.
	MinBallots, Few int
	Sources         []string
}

// SurveyResultRow is one line of the results: a worker's rater group, or
// all their ballots (First, with the score).
type SurveyResultRow struct {
	First                     bool
	Span                      int
	WorkerID, Name, Grid, URL string
	Group                     string
	// Cells are the counts of each source, in the order of
	// gs.BallotSources ("" for none).
	Cells      []string
	N          int
	Rate       string
	Score      string
	Few, Total bool
}

// surveyResults is GET /survey/results?town=…&quarter=….
func (s *Server) surveyResults(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	town := r.URL.Query().Get("town")
	if town == "" {
		town = u.Town
	}
	if town == "" {
		return gs.Errorf(gs.EINVALID, "请从满意度评价列表选择镇街。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	res, err := s.Service.SurveyResults(ctx, u, town, p.Quarter)
	if err != nil {
		return err
	}
	result, err := s.result(ctx, p, town)
	if err != nil {
		return err
	}
	scores := map[string]string{}
	for _, w := range result.Workers {
		if w.Categories != nil {
			scores[w.WorkerID] = w.Categories.Satisfaction.String()
		}
	}
	page := &SurveyResultsPage{Page: s.page(u, town+" 满意度评价结果", "survey"), Period: p, Town: town, MinBallots: s.Service.Scheme.MinBallots}
	for _, src := range gs.BallotSources {
		page.Sources = append(page.Sources, gs.BallotSourceName[src])
	}
	for _, w := range res.Workers {
		link := "/workers/" + url.PathEscape(w.WorkerID) + "?quarter=" + p.Quarter.String()
		first := resultRow(w.All, "全部")
		first.First, first.Span, first.Total = true, len(w.Groups)+1, true
		first.WorkerID, first.Name, first.Grid, first.URL = w.WorkerID, w.Name, w.GridCode, link
		first.Score = scores[w.WorkerID]
		if first.Score == "" {
			first.Score = "—"
		}
		first.Few = first.N < page.MinBallots
		if first.Few {
			page.Few++
		}
		page.Rows = append(page.Rows, first)
		for _, g := range w.Groups {
			page.Rows = append(page.Rows, resultRow(g, gs.RaterGroupName[g.Group]))
		}
	}
	return s.render(w, r, http.StatusOK, "survey_results", page)
}

func resultRow(g app.GroupBallots, group string) SurveyResultRow {
	row := SurveyResultRow{Group: group, N: g.Total.N, Rate: app.PermilleText(g.Total.RatePermille)}
	for _, src := range gs.BallotSources {
		cell := ""
		for _, sb := range g.Sources {
			if sb.Source == src {
				cell = fmt.Sprintf("%d（%d/%d/%d）", sb.N, sb.ByRating[0], sb.ByRating[1], sb.ByRating[2])
			}
		}
		row.Cells = append(row.Cells, cell)
	}
	return row
}
