package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The satisfaction survey's pages for the centers (issue 15): the list of
// a town's campaigns with the form to open one (/survey), a campaign's
// dashboard with its progress grid by grid, the printing of ballots, the
// paper tallies, the comments and the close (/survey/{id}), the quarter's
// ballots by worker, rater group and source (/survey/results), and the
// campaign's report (/survey/{id}/report.xlsx). The sheets of ballots are
// in survey_sheets.go; the voters' page in ballot.go.

// ShowSurvey reports whether the navigation offers the survey, which is
// for a town's center and (to read) the district.
func (p Page) ShowSurvey() bool {
	return p.User != nil && p.User.Role != gs.RoleWorker
}

// SurveyPage is the list of campaigns with the form to open one.
type SurveyPage struct {
	Page
	Town      string
	Campaigns []CampaignRow
	// CanRun is set for a town's center, who may open campaigns.
	CanRun     bool
	Form       CampaignForm
	ResultsURL string
}

// CampaignRow is a campaign of the list.
type CampaignRow struct {
	Title, Town, Quarter, Window, State, URL string
	Issued, Answered                         int
}

// CampaignForm is the form opening a campaign, as typed.
type CampaignForm struct {
	Title, Quarter, OpensAt, ClosesAt, Cadre, Resident string
	Grids                                              []Option
	Errors                                             map[string]string
}

// surveyList is GET /survey.
func (s *Server) surveyList(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	form, err := s.campaignForm(r, u, nil)
	if err != nil {
		return err
	}
	return s.surveyListWith(w, r, u, http.StatusOK, form)
}

func (s *Server) surveyListWith(w http.ResponseWriter, r *http.Request, u *gs.User, status int, form CampaignForm) error {
	cs, err := s.Service.Campaigns(r.Context(), u)
	if err != nil {
		return err
	}
	page := &SurveyPage{Page: s.page(u, "满意度评价", "survey"), Town: u.Town, CanRun: u.Role != gs.RoleDistrict,
		Form: form, ResultsURL: "/survey/results"}
	for _, c := range cs {
		page.Campaigns = append(page.Campaigns, CampaignRow{Title: c.Title, Town: c.Town, Quarter: c.Quarter.Text(),
			Window: fmtTime(c.OpensAt) + " 至 " + fmtEnd(c.ClosesAt), State: gs.CampaignStateName[c.State],
			URL: campaignURL(c.ID), Issued: c.Issued, Answered: c.Answered})
	}
	return s.render(w, r, status, "survey", page)
}

func campaignURL(id int64) string { return "/survey/" + strconv.FormatInt(id, 10) }

// fmtEnd writes the end of a window: midnight as 24:00 of the day before.
func fmtEnd(t time.Time) string {
	t = t.In(gs.CST)
	if t.Hour() == 0 && t.Minute() == 0 {
		return t.AddDate(0, 0, -1).Format("2006-01-02") + " 24:00"
	}
	return fmtTime(t)
}

// campaignForm is the form to open a campaign: as posted (r with a
// form), or with the defaults — the current quarter, from now to its last
// day, every grid, 5 cadre and 10 resident ballots a grid.
func (s *Server) campaignForm(r *http.Request, u *gs.User, errs map[string]string) (CampaignForm, error) {
	form := CampaignForm{Errors: errs}
	if u.Role == gs.RoleDistrict {
		return form, nil
	}
	_, grids, err := s.Service.RecordChoices(r.Context(), u, u.Town)
	if err != nil {
		return form, err
	}
	posted := r.Method == http.MethodPost
	chosen := map[string]bool{}
	for _, g := range r.PostForm["grid"] {
		chosen[g] = true
	}
	for _, g := range grids {
		form.Grids = append(form.Grids, Option{Value: g.Code, Label: g.Code + " " + g.Name, Selected: !posted || chosen[g.Code]})
	}
	if posted {
		form.Title, form.Quarter = r.PostFormValue("title"), r.PostFormValue("quarter")
		form.OpensAt, form.ClosesAt = r.PostFormValue("opens_at"), r.PostFormValue("closes_at")
		form.Cadre, form.Resident = r.PostFormValue("cadre"), r.PostFormValue("resident")
		return form, nil
	}
	now := s.now()
	q := gs.QuarterOf(gs.DateOf(now))
	form.Title = q.Text() + "网格员满意度测评"
	form.Quarter = q.String()
	form.OpensAt = now.In(gs.CST).Truncate(time.Hour).Format("2006-01-02T15:04")
	form.ClosesAt = q.Last().Start().Add(18 * time.Hour).Format("2006-01-02T15:04")
	form.Cadre, form.Resident = "5", "10"
	return form, nil
}

// surveyOpen is POST /survey: a new campaign, or the form again with what
// is wrong beside each field.
func (s *Server) surveyOpen(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if u.Role != gs.RoleTownAdmin && u.Role != gs.RoleTownStaff {
		return forbidden("只有镇街中心（管理员、工作人员）可以发起满意度评价。")
	}
	if err := r.ParseForm(); err != nil {
		return gs.Errorf(gs.EINVALID, "表单无法读取。")
	}
	errs := map[string]string{}
	in := app.CampaignInput{Title: r.PostFormValue("title"), Grids: r.PostForm["grid"]}
	var err error
	if in.Quarter, err = gs.ParseQuarter(r.PostFormValue("quarter")); err != nil {
		errs["quarter"] = "请按 2023Q3 的格式填写季度。"
	}
	for field, p := range map[string]*time.Time{"opens_at": &in.OpensAt, "closes_at": &in.ClosesAt} {
		if *p, err = parseMoment(r.PostFormValue(field)); err != nil {
			errs[field] = "请填写日期和时间，如 2023-09-18 08:00。"
		}
	}
	for field, p := range map[string]*int{"cadre": &in.Cadre, "resident": &in.Resident} {
		if *p, err = strconv.Atoi(strings.TrimSpace(r.PostFormValue(field))); err != nil {
			errs[field] = "请填写整数。"
		}
	}
	if len(errs) == 0 {
		var c *gs.Campaign
		if c, err = s.Service.OpenCampaign(r.Context(), u, in); err == nil {
			http.Redirect(w, r, campaignURL(c.ID)+"?done=opened", http.StatusSeeOther)
			return nil
		}
		var fe gs.FieldErrors
		if !errors.As(err, &fe) {
			return err
		}
		for _, f := range fe {
			if errs[f.Field] == "" {
				errs[f.Field] = f.Text()
			}
		}
	}
	form, err := s.campaignForm(r, u, errs)
	if err != nil {
		return err
	}
	return s.surveyListWith(w, r, u, http.StatusBadRequest, form)
}

// parseMoment reads a moment as a datetime-local field sends it, or as
// people type it, in CST.
func parseMoment(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, layout := range asOfLayouts {
		if t, err := time.ParseInLocation(layout, v, gs.CST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a moment")
}

// campaignID reads the campaign's id of the path.
func campaignID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, gs.Errorf(gs.ENOTFOUND, "没有这次满意度评价。")
	}
	return id, nil
}

// CampaignPage is a campaign's dashboard.
type CampaignPage struct {
	Page
	Campaign gs.Campaign
	State    string
	Open     bool
	Window   string
	Grids    []CampaignGridRow
	Total    CampaignGridRow
	// MinBallots is the scheme's least number of answers a grid needs;
	// FewGrids how many grids have fewer.
	MinBallots, FewGrids int
	CanRun               bool
	Notice               string
	Print                PrintForm
	Tally                TallyForm
	Tallies              []TallyListRow
	Comments             []CommentListRow
	Action, ReportURL    string
	ResultsURL, CloseURL string
}

// CampaignGridRow is a grid's progress, in numbers people read.
type CampaignGridRow struct {
	Grid, GridName, Worker        string
	Planned, Issued, Answered     [2]int
	Unused, Ended, Paper, Ballots int
	Satisfied, Basic, Unsatisfied int
	Rate                          string
	Few                           bool
	// Conflict says the grid has more than one worker in post: its
	// ballots are refused until their dates are put right.
	Conflict string
}

// PrintForm is the form printing one-time ballots.
type PrintForm struct {
	Grid            string
	Grids           []Option
	Cadre, Resident string
	Error           string
}

// TallyForm is the form typing in a paper tally.
type TallyForm struct {
	Workers, Groups                     []Option
	Satisfied, Basic, Unsatisfied, Note string
	Error                               string
}

// TallyListRow is a paper tally of the list.
type TallyListRow struct {
	ID                                   int64
	Worker, Group, Ratings, Note, By, At string
	DeleteURL                            string
}

// CommentListRow is a voter's comment, with nothing about the voter.
type CommentListRow struct {
	Grid, Worker, Group, Rating, Text string
}

// campaignNotices confirm each action after its redirect.
var campaignNotices = map[string]string{
	"opened":  "已发起满意度评价。下一步：印制评价票，剪开后发给村社区干部和居民群众。",
	"tally":   "纸质评价已录入，已计入该网格员本季度的满意率。",
	"deleted": "已删除这条纸质评价及其评价票数。",
	"closed":  "满意度评价已结束，未使用的评价票已全部作废。",
}

// campaignShow is GET /survey/{id}.
func (s *Server) campaignShow(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	return s.campaignWith(w, r, u, http.StatusOK, PrintForm{}, TallyForm{})
}

func (s *Server) campaignWith(w http.ResponseWriter, r *http.Request, u *gs.User, status int, pf PrintForm, tf TallyForm) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	v, err := s.Service.Campaign(r.Context(), u, id)
	if err != nil {
		return err
	}
	c := &v.Campaign
	base := campaignURL(id)
	page := &CampaignPage{Page: s.page(u, c.Title, "survey"), Campaign: *c, State: gs.CampaignStateName[v.State],
		Open: v.State != gs.CampaignClosed, Window: fmtTime(c.OpensAt) + " 至 " + fmtEnd(c.ClosesAt),
		MinBallots: v.MinBallots, CanRun: v.CanRun, Notice: campaignNotices[r.URL.Query().Get("done")],
		Action: base, ReportURL: base + "/report.xlsx", CloseURL: base + "/close",
		ResultsURL: "/survey/results?town=" + url.QueryEscape(c.Town) + "&quarter=" + c.Quarter.String()}
	for _, g := range v.Grids {
		row := gridRow(g)
		page.Grids = append(page.Grids, row)
		if row.Few {
			page.FewGrids++
		}
	}
	page.Total = gridRow(v.Total)
	page.Total.Grid, page.Total.Few = "合计", false
	if pf.Cadre == "" && pf.Resident == "" && len(c.Grids) > 0 {
		pf.Cadre, pf.Resident = strconv.Itoa(c.Grids[0].Cadre), strconv.Itoa(c.Grids[0].Resident)
	}
	pf.Grids = []Option{{Value: "", Label: "全部网格（" + strconv.Itoa(len(c.Grids)) + " 个）", Selected: pf.Grid == ""}}
	inPost := map[string][]string{} // the names of each grid's workers in post
	for _, w := range v.Workers {
		inPost[w.GridCode] = append(inPost[w.GridCode], w.Name)
	}
	for _, g := range v.Grids {
		label := g.GridCode + " " + g.GridName + " " + g.WorkerName
		if names := inPost[g.GridCode]; len(names) > 1 { // both named, as the grid's warning does
			label = g.GridCode + " " + g.GridName + "（" + strings.Join(names, "、") + "）"
		}
		pf.Grids = append(pf.Grids, Option{Value: g.GridCode, Label: label, Selected: pf.Grid == g.GridCode})
	}
	page.Print = pf
	chosen, group := r.PostFormValue("worker_id"), r.PostFormValue("rater_group")
	for _, w := range v.Workers {
		tf.Workers = append(tf.Workers, Option{Value: w.ID, Label: w.ID + " " + w.Name + "（" + w.GridCode + "）", Selected: w.ID == chosen})
	}
	for _, g := range gs.RaterGroups {
		tf.Groups = append(tf.Groups, Option{Value: string(g), Label: gs.RaterGroupLongName[g], Selected: string(g) == group})
	}
	page.Tally = tf
	for _, t := range v.Tallies {
		page.Tallies = append(page.Tallies, TallyListRow{ID: t.ID, Worker: t.WorkerID + " " + t.WorkerName, Group: gs.RaterGroupName[t.Group],
			Ratings: app.RatingsText(t.Counts), Note: t.Note, By: t.EnteredBy, At: fmtTime(t.EnteredAt),
			DeleteURL: base + "/tallies/" + strconv.FormatInt(t.ID, 10) + "/delete"})
	}
	for _, cm := range v.Comments {
		page.Comments = append(page.Comments, CommentListRow{Grid: cm.GridCode, Worker: cm.WorkerName,
			Group: gs.RaterGroupName[cm.Group], Rating: gs.RatingName[cm.Rating], Text: cm.Text})
	}
	return s.render(w, r, status, "survey_campaign", page)
}

func gridRow(g app.GridProgress) CampaignGridRow {
	return CampaignGridRow{Grid: g.GridCode, GridName: g.GridName, Worker: g.WorkerName, Planned: g.Planned, Issued: g.Issued,
		Answered: g.Answered, Unused: g.Unused[0] + g.Unused[1], Ended: g.Ended[0] + g.Ended[1], Paper: g.Paper[0] + g.Paper[1],
		Ballots: g.Ballots, Satisfied: g.ByRating[0], Basic: g.ByRating[1], Unsatisfied: g.ByRating[2],
		Rate: app.PermilleText(g.RatePermille), Few: g.Few, Conflict: g.Conflict}
}

// tallyEnter is POST /survey/{id}/tallies.
func (s *Server) tallyEnter(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	tf := TallyForm{Satisfied: r.PostFormValue("satisfied"), Basic: r.PostFormValue("basic"),
		Unsatisfied: r.PostFormValue("unsatisfied"), Note: r.PostFormValue("note")}
	in := app.TallyInput{WorkerID: r.PostFormValue("worker_id"), Group: gs.RaterGroup(r.PostFormValue("rater_group")), Note: tf.Note}
	for i, v := range []string{tf.Satisfied, tf.Basic, tf.Unsatisfied} {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if in.Counts[i], err = strconv.Atoi(v); err != nil {
			tf.Error = "“" + gs.RatingName[gs.Ratings[i]] + "”的票数应为整数：" + strconv.Quote(v)
			return s.campaignWith(w, r, u, http.StatusBadRequest, PrintForm{}, tf)
		}
	}
	if _, err := s.Service.EnterTally(r.Context(), u, id, in); err != nil {
		if code := gs.ErrorCode(err); code != gs.EINVALID && code != gs.ECONFLICT {
			return err
		}
		tf.Error = tallyError(err)
		return s.campaignWith(w, r, u, statusOf(err), PrintForm{}, tf)
	}
	s.warmLive(r, u.Town)
	http.Redirect(w, r, campaignURL(id)+"?done=tally#tallies", http.StatusSeeOther)
	return nil
}

// tallyFieldNames name the fields of a tally in its form's words.
var tallyFieldNames = map[string]string{"worker_id": "网格员", "rater_group": "评价人", "satisfied": "满意",
	"basic": "基本满意", "unsatisfied": "不满意", "note": "备注",
	// and of printing ballots (campaignPrint words its errors alike)
	"grid": "网格", "cadre": "村社区干部票数", "resident": "居民群众票数", "count": "张数"}

// tallyError words a refused tally for its form.
func tallyError(err error) string {
	var fe gs.FieldErrors
	if !errors.As(err, &fe) {
		return gs.ErrorMessage(err)
	}
	parts := make([]string, len(fe))
	for i, f := range fe {
		parts[i] = gs.NameOr(tallyFieldNames, f.Field) + "：" + f.Text()
	}
	return strings.Join(parts, "；")
}

// tallyDelete is POST /survey/{id}/tallies/{tally}/delete.
func (s *Server) tallyDelete(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	tally, err := strconv.ParseInt(r.PathValue("tally"), 10, 64)
	if err != nil {
		return gs.Errorf(gs.ENOTFOUND, "没有这条纸质评价记录。")
	}
	if err := s.Service.DeleteTally(r.Context(), u, id, tally); err != nil {
		return err
	}
	s.warmLive(r, u.Town)
	http.Redirect(w, r, campaignURL(id)+"?done=deleted#tallies", http.StatusSeeOther)
	return nil
}

// campaignClose is GET /survey/{id}/close, and POST: the confirmation,
// then the close.
func (s *Server) campaignClose(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost && confirmed(r) {
		if _, err := s.Service.CloseCampaign(r.Context(), u, id); err != nil {
			return err
		}
		http.Redirect(w, r, campaignURL(id)+"?done=closed", http.StatusSeeOther)
		return nil
	}
	v, err := s.Service.Campaign(r.Context(), u, id)
	if err != nil {
		return err
	}
	if !v.CanRun {
		return forbidden("只有本镇街中心可以结束满意度评价。")
	}
	page := &ConfirmPage{Page: s.page(u, "确认结束满意度评价", "survey"), Heading: "确认结束满意度评价",
		Subject: v.Campaign.Town + " " + v.Campaign.Title + "（" + fmtTime(v.Campaign.OpensAt) + " 至 " + fmtEnd(v.Campaign.ClosesAt) + "）",
		Effects: []string{
			"尚未使用的 " + strconv.Itoa(v.Total.Unused[0]+v.Total.Unused[1]) + " 张评价票全部作废，扫码后提示“本次满意度评价已经结束”。",
			"已经提交的 " + strconv.Itoa(v.Total.Ballots) + " 份评价照常计入各网格员本季度的满意率。",
			"结束后不能再印制评价票，也不能重新开始；如需补充，请发起新的满意度评价。",
		},
		Action: campaignURL(id) + "/close", Button: "确认结束", BackURL: campaignURL(id)}
	if v.State == gs.CampaignClosed {
		page.Blockers = []string{"这次满意度评价已经结束。"}
	}
	return s.render(w, r, http.StatusOK, "confirm", page)
}

// campaignReport is GET /survey/{id}/report.xlsx.
func (s *Server) campaignReport(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id, err := campaignID(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var name string
	err = s.Service.WriteCampaignReport(r.Context(), &buf, u, id, func(c *gs.Campaign) (*gs.Result, error) {
		name = c.Town + " " + c.Title + " 满意度评价报告.xlsx"
		return s.result(r.Context(), Period{Quarter: c.Quarter, AsOf: s.reportMoment(c)}, c.Town)
	})
	if err != nil {
		return err
	}
	download(w, app.XLSXType, name, buf.Bytes())
	return nil
}

// reportMoment is the moment a campaign's scores are worked out at: now,
// or the end of its quarter once over.
func (s *Server) reportMoment(c *gs.Campaign) time.Time {
	now := s.now().Truncate(5 * time.Minute)
	if end := c.Quarter.Last().End(); now.After(end) {
		return end
	}
	return now
}
