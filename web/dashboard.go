package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// Stats are the headline numbers of a group of workers.
type Stats struct {
	Workers, Eligible, Flagged int
	Average, Highest, Lowest   string
}

func statsOf(s summary) Stats {
	avg, high, low := s.text()
	return Stats{Workers: s.workers, Eligible: s.eligible, Flagged: s.flagged, Average: avg, Highest: high, Lowest: low}
}

// DashboardPage is a town's dashboard for the quarter: the headline numbers,
// the charts, the workers who need attention and the ranking.
type DashboardPage struct {
	Page
	Period Period
	Town   string
	// ToDistrict is set for the district center, which came from the
	// district's overview.
	ToDistrict bool
	Notes      []string
	Stats      Stats
	Histogram  Histogram
	Categories CategoryChart
	Flagged    []FlagRow
	Ranking    []RankRow
	// Categories' names, in order, for the ranking's header.
	CategoryNames []string
	// Quarter is the quarter's state and the steps the user may take.
	Quarter QuarterPanel
	// Standing is set while the quarter is not over: the numbers, the
	// charts and the ranking are the standing so far (截至目前, RULES.md
	// §9), not a final total, and the pay is not shown.
	Standing bool
	// Warnings sums up the warnings as of the page's moment while it is
	// inside the quarter (nil otherwise), live even beside a stored
	// snapshot (townWarningResults), with the link to the warnings board.
	Warnings *WarningSummary
	// Surveys are the town's satisfaction surveys of the quarter, with how
	// far each has come (the campaign's page has it grid by grid);
	// SurveyURL opens a new one, for the town's center.
	Surveys   []SurveyCard
	SurveyURL string
}

// SurveyCard is one satisfaction survey on a town's dashboard.
type SurveyCard struct {
	Title, State, URL string
	Issued, Answered  int
}

// RankRow is one worker's line in the ranking.
type RankRow struct {
	Rank, WorkerID, Name, Grid, Type string
	Scores                           [5]string
	Total, Pay                       string
	Eligible                         bool
	// Note lists the flags in words.
	Note string
	URL  string
	// Left says when a worker left in the quarter: 离职（2023-08-15）.
	Left string
}

// FlagRow is a worker who needs attention, with why: short tags, and the
// reason a worker is not assessed in full.
type FlagRow struct {
	WorkerID, Name, Grid, URL string
	Tags                      []string
	Reason                    string
}

// dashboard is the home page: the district's overview, the town's
// dashboard, or a grid worker's own quarter.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	switch u.Role {
	case gs.RoleWorker:
		p, err := s.period(r)
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/workers/"+url.PathEscape(u.WorkerID)+p.Query(), http.StatusSeeOther)
		return nil
	case gs.RoleDistrict:
		return s.district(w, r, u)
	default:
		return s.town(w, r, u, u.Town)
	}
}

// seesTownBoard reports whether u may see a town's dashboard and ranking:
// the centers of the town and the district, not a grid worker (who sees
// only their own results).
func seesTownBoard(u *gs.User, town string) bool {
	return u.Role != gs.RoleWorker && u.CanSeeTown(town)
}

// townDashboard is /towns/{town}: a town's dashboard, for the district and
// the town's own center.
func (s *Server) townDashboard(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	town := r.PathValue("town")
	if err := checkTownBoard(u, town); err != nil {
		return err
	}
	return s.town(w, r, u, town)
}

// checkTownBoard refuses, with 403, a user who may not see town's
// dashboard and boards (seesTownBoard).
func checkTownBoard(u *gs.User, town string) error {
	if seesTownBoard(u, town) {
		return nil
	}
	if u.Role == gs.RoleWorker {
		return forbidden("网格员只能查看本人的考核结果。")
	}
	return forbidden("您只能查看本镇街的考核数据。")
}

// town renders the dashboard of town.
func (s *Server) town(w http.ResponseWriter, r *http.Request, u *gs.User, town string) error {
	return s.townWith(w, r, u, town, http.StatusOK, QuarterForm{})
}

// townWith renders the dashboard of town with the status, and the quarter
// form shown again with its mistake when form has one.
func (s *Server) townWith(w http.ResponseWriter, r *http.Request, u *gs.User, town string, status int, form QuarterForm) error {
	if !seesTownBoard(u, town) {
		return forbidden("您只能查看本镇街的考核数据。")
	}
	p, st, res, ws, err := s.townResult(r, u, town)
	if err != nil {
		return err
	}
	sum := summarize(ws)
	page := &DashboardPage{
		Page:       s.page(u, town+" "+p.Quarter.String()+" 考核总览", "home"),
		Period:     p,
		Town:       town,
		ToDistrict: u.Role == gs.RoleDistrict,
		Notes:      res.Notes,
		Stats:      statsOf(sum),
		Histogram:  newHistogram(ws),
		Categories: newCategoryChart(sum, s.Service.Scheme.Max),
	}
	if len(ws) > 0 {
		empty, err := s.noRecordsIn(r.Context(), u, town, p.Quarter)
		if err != nil {
			return err
		}
		if empty {
			page.Notes = append([]string{noRecordsNote}, page.Notes...)
		}
	}
	page.Standing = resultState(p) != "ended"
	if page.Standing {
		page.Histogram, page.Categories = page.Histogram.standing(), page.Categories.standing()
	}
	warned, err := s.townWarningResults(r.Context(), p, town, ws)
	if err != nil {
		return err
	}
	if hasWarnings(warned) {
		sw := summarizeWarnings(warned, town, p)
		page.Warnings = &sw
	}
	if page.Quarter, err = s.quarterPanelIn(r.Context(), u, town, p, st, form); err != nil {
		return err
	}
	if err := s.addSurveys(r.Context(), u, page); err != nil {
		return err
	}
	for _, c := range gs.AllCategories {
		page.CategoryNames = append(page.CategoryNames, gs.CategoryName[c])
	}
	ids := make([]string, len(ws))
	for i, wr := range ws {
		ids[i] = wr.WorkerID
	}
	left, err := s.leftBy(r.Context(), ids, p.Quarter)
	if err != nil {
		return err
	}
	for _, wr := range ws {
		link := workerURL(wr.WorkerID, p)
		row := rankRow(wr, link)
		row.Left = left[wr.WorkerID]
		page.Ranking = append(page.Ranking, row)
		if tags := flagTags(wr); len(tags) > 0 {
			page.Flagged = append(page.Flagged, FlagRow{WorkerID: wr.WorkerID, Name: wr.Name, Grid: wr.GridCode, URL: link, Tags: tags, Reason: wr.Reason})
		}
	}
	return s.render(w, r, status, "dashboard", page)
}

// townResult returns the period of the request (marked as showing the
// stored snapshot when there is one), the state of town's quarter, read
// once for the whole page, town's result for it and the workers of town
// in it, as the dashboard and the warnings board show them; 404 for the
// district when the town has no worker.
func (s *Server) townResult(r *http.Request, u *gs.User, town string) (Period, gs.QuarterState, *gs.Result, []gs.WorkerResult, error) {
	var st gs.QuarterState
	p, err := s.period(r)
	if err != nil {
		return p, st, nil, nil, err
	}
	if st, err = s.Service.QuarterState(r.Context(), town, p.Quarter); err != nil {
		return p, st, nil, nil, err
	}
	res, err := s.resultIn(r.Context(), p, town, st)
	if err != nil {
		return p, st, nil, nil, err
	}
	p = storedIn(p, st)
	if p, err = s.withChoices(r.Context(), p, town); err != nil {
		return p, st, nil, nil, err
	}
	ws := inTown(res.Workers, town)
	if len(ws) == 0 && u.Role == gs.RoleDistrict {
		return p, st, nil, nil, gs.Errorf(gs.ENOTFOUND, "%s 没有镇街“%s”的考核数据。", p.QuarterText(), town)
	}
	return p, st, res, ws, nil
}

// inTown returns the results of the workers of town, in the result's order
// (by rank).
func inTown(ws []gs.WorkerResult, town string) []gs.WorkerResult {
	var out []gs.WorkerResult
	for _, w := range ws {
		if w.Town == town {
			out = append(out, w)
		}
	}
	return out
}

// workerURL is the link to a worker's quarter, keeping the period.
func workerURL(id string, p Period) string {
	return "/workers/" + url.PathEscape(id) + p.Query()
}

// rankRow is a worker's line of the ranking.
func rankRow(w gs.WorkerResult, link string) RankRow {
	row := RankRow{
		Rank: "—", WorkerID: w.WorkerID, Name: w.Name, Grid: w.GridCode, Type: gs.TypeName(w.Type),
		Total: "—", Pay: w.Pay.String(), Eligible: w.Eligible, URL: link,
	}
	for i := range row.Scores {
		row.Scores[i] = "—"
	}
	if w.Rank != nil {
		row.Rank = strconv.Itoa(*w.Rank)
	}
	if w.Total != nil {
		row.Total = w.Total.String()
	}
	if w.Categories != nil {
		for i, c := range gs.AllCategories {
			row.Scores[i] = w.Categories.Get(c).String()
		}
	}
	row.Note = strings.Join(flagTags(w), "；")
	return row
}

// flagTags are the reasons, in short, a worker needs the center's
// attention: not assessed, no satisfaction ballot, an interview due.
func flagTags(w gs.WorkerResult) []string {
	var tags []string
	if !w.Eligible {
		tags = append(tags, "不参加考核")
	}
	for _, f := range w.Flags {
		tags = append(tags, gs.NameOr(gs.FlagName, f))
	}
	return tags
}

// addSurveys puts the town's satisfaction surveys of the page's quarter on
// its dashboard.
func (s *Server) addSurveys(ctx context.Context, u *gs.User, page *DashboardPage) error {
	cs, err := s.Service.QuarterCampaigns(ctx, u, page.Town, page.Period.Quarter)
	if err != nil {
		return err
	}
	for _, c := range cs {
		page.Surveys = append(page.Surveys, SurveyCard{Title: c.Title, State: gs.CampaignStateName[c.State],
			URL: campaignURL(c.ID), Issued: c.Issued, Answered: c.Answered})
	}
	if page.ShowImport() && page.Standing && page.Quarter.State == string(gs.StateOpen) { // a campaign lies inside its quarter
		page.SurveyURL = "/survey"
	}
	return nil
}
