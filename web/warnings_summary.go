package web

import (
	"net/url"

	gs "github.com/gridscore/gridscore"
)

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
