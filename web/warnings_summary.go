package web

import (
	"context"
	"net/url"

	gs "github.com/gridscore/gridscore"
)

// townWarningResults returns the results whose warnings town's pages list
// (the dashboard, the warnings board): the live standing as of the page's
// moment, as the board's workbook (export.go), the API and the command line
// list them. ws are the town's workers in the result the page shows, used
// as they are when it is live; a stored snapshot is not, since it keeps the
// warnings of the moment it was computed at, which are about that moment,
// not this one (its "today" may be long past). None when the page's moment
// is not inside the quarter.
func (s *Server) townWarningResults(ctx context.Context, p Period, town string, ws []gs.WorkerResult) ([]gs.WorkerResult, error) {
	switch {
	case warningState(p) != "open":
		return nil, nil
	case p.Stored == "":
		return ws, nil
	}
	res, err := s.assessTown(ctx, p, town)
	if err != nil {
		return nil, err
	}
	return inTown(res.Workers, town), nil
}

// WarningSummary is the headline of a town's warnings as of a moment
// inside the quarter, which the dashboard and the district's overview show
// with a link to the town's warnings board.
type WarningSummary struct {
	// Workers is how many workers have warnings, Count how many warnings
	// there are and Points the points at risk in them.
	Workers, Count int
	Points         string
	// WeekWorkers and WeekPoints are the same for the warnings due by the
	// end of the week (Sunday).
	WeekWorkers int
	WeekPoints  string
	// Top are the rules with the most points at risk, three at the most,
	// each linking to the board filtered by the rule.
	Top []RuleCount
	// URL is the town's warnings board; WeekURL the board filtered to the
	// warnings due this week.
	URL, WeekURL string
}

// topRules is how many rules a WarningSummary names.
const topRules = 3

// summarizeWarnings sums up the warnings of ws, the workers of town, as of
// the moment of p.
func summarizeWarnings(ws []gs.WorkerResult, town string, p Period) WarningSummary {
	items := collectWarnings(ws)
	board := townPath(town) + "/warnings"
	s := WarningSummary{Count: len(items), URL: board + p.Query(), WeekURL: board + p.With(url.Values{"due": {"week"}})}
	s.Workers, s.Points = workersAndPoints(items)
	last := weekEnd(gs.DateOf(p.AsOf))
	var week []warnItem
	for _, it := range items {
		if it.due <= last {
			week = append(week, it)
		}
	}
	s.WeekWorkers, s.WeekPoints = workersAndPoints(week)
	for _, c := range countRules(items) {
		if len(s.Top) == topRules {
			break
		}
		c.URL = board + p.With(url.Values{"rule": {c.Rule}})
		s.Top = append(s.Top, c)
	}
	return s
}

// hasWarnings reports whether the results of ws carry warnings at all:
// results as of a moment inside the quarter, not a final result.
func hasWarnings(ws []gs.WorkerResult) bool {
	for _, w := range ws {
		if w.Warnings != nil {
			return true
		}
	}
	return false
}

// WarningsURL is the link of the navigation to the warnings board of the
// user's town, for a town's center ("" for anyone else: the district
// reaches each town's board from its overview).
func (p Page) WarningsURL() string {
	if p.User == nil || (p.User.Role != gs.RoleTownAdmin && p.User.Role != gs.RoleTownStaff) || p.User.Town == "" {
		return ""
	}
	return townPath(p.User.Town) + "/warnings"
}
