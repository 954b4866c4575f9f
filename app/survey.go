package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// The satisfaction survey (issue 15): a town's center opens a campaign for
// a quarter, prints one-time ballots for its grids, closes it; voters
// answer on the ballot page without an account; the center types in the
// tallies of paper ballots. Every answer is a ballot of the records
// (RULES.md §6). campaigns.go of the web package shows it.

// SurveyStore keeps the survey's campaigns, one-time ballots and tallies.
type SurveyStore interface {
	CreateCampaign(ctx context.Context, c *gs.Campaign, check func(gs.QuarterState) error, audit func(id int64) []gs.AuditEntry) error
	Campaigns(ctx context.Context, town string) ([]gs.Campaign, error)
	Campaign(ctx context.Context, id int64) (*gs.Campaign, error)
	CloseCampaign(ctx context.Context, id int64, at time.Time, by string, audit func(ended int64) []gs.AuditEntry) (int64, error)
	IssueTokens(ctx context.Context, id int64, toks []store.NewToken, now time.Time, audit ...gs.AuditEntry) (int, error)
	TokenCounts(ctx context.Context, id int64) ([]store.TokenCount, error)
	CampaignTotals(ctx context.Context, town string) (map[int64]store.CampaignTotal, error)
	Token(ctx context.Context, hash string, now time.Time) (*store.BallotToken, error)
	CastBallot(ctx context.Context, hash string, now time.Time, check func(*store.BallotToken) error, b gs.Ballot, comment string) (*store.BallotToken, error)
	SaveTally(ctx context.Context, t *gs.Tally, bs []gs.Ballot, check func(gs.QuarterState) error, audit func(id int64) []gs.AuditEntry) error
	DeleteTally(ctx context.Context, campaign, id int64, check func(gs.QuarterState) error, audit ...gs.AuditEntry) error
	Tallies(ctx context.Context, campaign int64) ([]gs.Tally, error)
	BallotCounts(ctx context.Context, f store.BallotFilter) ([]store.BallotCount, error)
	Comments(ctx context.Context, campaign int64) ([]store.Comment, error)
	SurveyBallots(ctx context.Context, ids []string) (map[string]store.SurveyBallot, error)
	HasSurveyBallots(ctx context.Context) (bool, error)
	SurveyWorkers(ctx context.Context, town string) ([]gs.TownWorker, error)
	GuessWait(ctx context.Context, client string, now time.Time) (time.Time, error)
	GuessFailed(ctx context.Context, client string, now time.Time, l store.GuessLimits) (time.Time, error)
}

// GuessLimits stop scripted guessing of ballot codes: past 20 codes that do
// not exist from one client address within 10 minutes, the address waits
// 15 minutes. Only codes that do not exist count — never an answer, a
// ballot used already or a code mistyped (its check character tells) — so
// a village hall where a hundred people answer through one address is
// never stopped, while a script guessing 80-bit codes gets 20 tries a
// quarter of an hour.
var GuessLimits = store.GuessLimits{Window: 10 * time.Minute, Free: 20, Block: 15 * time.Minute}

// surveyObject names a campaign in the audit log: survey:<town>/<id>.
func surveyObject(c *gs.Campaign) string {
	return "survey:" + c.Town + "/" + strconv.FormatInt(c.ID, 10)
}

// mayViewSurvey refuses u unless u is town's center or the district.
func mayViewSurvey(u *gs.User, town string) error {
	if u != nil && (u.Role == gs.RoleDistrict || runsTown(u, town)) {
		return nil
	}
	return gs.Errorf(gs.EFORBIDDEN, "只有本镇街中心和区中心可以查看满意度评价。")
}

// mayRunSurvey refuses u unless u is town's center.
func mayRunSurvey(u *gs.User, town string) error {
	if u != nil && runsTown(u, town) {
		return nil
	}
	return gs.Errorf(gs.EFORBIDDEN, "只有本镇街中心（管理员、工作人员）可以组织本镇街的满意度评价。")
}

// CampaignInput is a campaign as the center asks for it: every grid gets
// Cadre ballots for village and community cadres and Resident for
// residents.
type CampaignInput struct {
	Title             string
	Quarter           gs.Quarter
	OpensAt, ClosesAt time.Time
	Grids             []string
	Cadre, Resident   int
}

// OpenCampaign opens a campaign of u's town (u its center), with an entry
// in the audit log. The grids must be the town's, and the quarter not yet
// computed.
func (s *Service) OpenCampaign(ctx context.Context, u *gs.User, in CampaignInput) (*gs.Campaign, error) {
	if err := mayRunSurvey(u, u.Town); err != nil {
		return nil, err
	}
	grids, err := s.DB.TownGrids(ctx, u.Town)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &gs.Campaign{Town: u.Town, Quarter: in.Quarter, Title: gs.TrimText(in.Title), OpensAt: in.OpensAt, ClosesAt: in.ClosesAt,
		CreatedBy: u.Username, CreatedAt: now}
	for _, code := range in.Grids {
		if !slices.ContainsFunc(grids, func(g gs.Grid) bool { return g.Code == code }) {
			return nil, gs.FieldErrors{{Field: "grids", Message: "不是本镇街的网格", Value: code}}
		}
		c.Grids = append(c.Grids, gs.CampaignGrid{GridCode: code, Cadre: in.Cadre, Resident: in.Resident})
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if in.Cadre+in.Resident == 0 {
		return nil, gs.FieldErrors{{Field: "cadre", Message: "每个网格至少要有 1 张评价票"}}
	}
	// A quarter computed takes no more ballots (refuseToken, tallyOpen):
	// asked first, and again in the campaign's own transaction, the
	// quarter's state locked, so that none is opened while it is computed.
	computed := func(st gs.QuarterState) error {
		if st.HasSnapshot() {
			return gs.FieldErrors{{Field: "quarter", Message: fmt.Sprintf("%s已经计算（%s），不能再为这个季度组织满意度评价；如需补充评价，请先撤销计算或重新打开。",
				c.Quarter.Text(), gs.StateName[st.State])}}
		}
		return nil
	}
	st, err := s.DB.QuarterState(ctx, c.Town, c.Quarter.String())
	if err != nil {
		return nil, err
	}
	if err := computed(st); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%s（%s）；%s 至 %s；%d 个网格，每个网格村社区干部 %d 票、居民群众 %d 票",
		c.Title, c.Quarter.Text(), fmtMoment(c.OpensAt), fmtMoment(c.ClosesAt), len(c.Grids), in.Cadre, in.Resident)
	err = s.DB.CreateCampaign(ctx, c, computed, func(id int64) []gs.AuditEntry {
		c.ID = id
		return []gs.AuditEntry{{At: now, Username: Actor(ctx), Action: gs.AuditSurveyOpened, Object: surveyObject(c), Detail: detail}}
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// fmtMoment writes an instant in CST to the minute, the end of a day as
// 24:00 of that day.
func fmtMoment(t time.Time) string {
	t = t.In(gs.CST)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.AddDate(0, 0, -1).Format("2006-01-02") + " 24:00"
	}
	return t.Format("2006-01-02 15:04")
}

// CampaignSummary is a campaign as the list of campaigns shows it.
type CampaignSummary struct {
	gs.Campaign
	State gs.CampaignState
	// Issued is how many one-time ballots were printed, Answered how many
	// ballots the campaign brought (answered on phones and counted on
	// paper).
	Issued, Answered int
}

// Campaigns lists the campaigns u may see (a town's center its town's,
// the district every town's), newest first.
func (s *Service) Campaigns(ctx context.Context, u *gs.User) ([]CampaignSummary, error) {
	town := u.Town
	if u.Role == gs.RoleDistrict {
		town = ""
	} else if err := mayViewSurvey(u, town); err != nil {
		return nil, err
	}
	return s.campaignSummaries(ctx, town, func(gs.Campaign) bool { return true })
}

// QuarterCampaigns lists town's campaigns of quarter q, newest first, for
// a dashboard (none when no town is named: the district's dashboard shows
// no town's). The town's campaigns are read and counted (a town runs a few
// a year), those of other quarters left out.
func (s *Service) QuarterCampaigns(ctx context.Context, u *gs.User, town string, q gs.Quarter) ([]CampaignSummary, error) {
	if err := mayViewSurvey(u, town); err != nil || town == "" {
		return nil, err
	}
	return s.campaignSummaries(ctx, town, func(c gs.Campaign) bool { return c.Quarter == q })
}

// campaignSummaries lists the campaigns of town ("" every town's) that
// keep accepts, with their ballots issued and answered: the store is asked
// twice (the campaigns with their grids, and their totals), however many
// campaigns there are.
func (s *Service) campaignSummaries(ctx context.Context, town string, keep func(gs.Campaign) bool) ([]CampaignSummary, error) {
	cs, err := s.DB.Campaigns(ctx, town)
	if err != nil {
		return nil, err
	}
	totals, err := s.DB.CampaignTotals(ctx, town)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []CampaignSummary
	for _, c := range cs {
		if !keep(c) {
			continue
		}
		t := totals[c.ID]
		out = append(out, CampaignSummary{Campaign: c, State: c.StateAt(now), Issued: t.Issued, Answered: t.Answered})
	}
	return out, nil
}

// campaign returns campaign id if u may see it (run it, with run).
func (s *Service) campaign(ctx context.Context, u *gs.User, id int64, run bool) (*gs.Campaign, error) {
	c, err := s.DB.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	check := mayViewSurvey
	if run {
		check = mayRunSurvey
	}
	if err := check(u, c.Town); err != nil {
		return nil, err
	}
	return c, nil
}

// CloseCampaign closes campaign id early (u its town's center): its
// unused ballots are ended, with an entry in the audit log. It returns how
// many ballots were ended.
func (s *Service) CloseCampaign(ctx context.Context, u *gs.User, id int64) (int64, error) {
	c, err := s.campaign(ctx, u, id, true)
	if err != nil {
		return 0, err
	}
	now := s.now()
	return s.DB.CloseCampaign(ctx, id, now, u.Username, func(ended int64) []gs.AuditEntry {
		return []gs.AuditEntry{{At: now, Username: Actor(ctx), Action: gs.AuditSurveyClosed, Object: surveyObject(c),
			Detail: fmt.Sprintf("%s：提前结束，未使用的 %d 张评价票作废", c.Title, ended)}}
	})
}

// gridInPost returns the worker in post in each grid on day d, of the
// town's workers ws (SurveyWorkers, read once per request).
func gridInPost(ws []gs.TownWorker, d gs.Date) map[string][]gs.TownWorker {
	out := map[string][]gs.TownWorker{}
	for _, w := range ws {
		if w.InPost(d) {
			out[w.GridCode] = append(out[w.GridCode], w)
		}
	}
	return out
}

// inPostConflict is what a grid with more than one worker in post (ws) on
// day d must be told (RULES.md §0 allows one): its ballots cannot be
// credited to anyone until the workers' dates are put right. "" when ws
// holds at most one worker.
func inPostConflict(grid string, d gs.Date, ws []gs.TownWorker) string {
	if len(ws) < 2 {
		return ""
	}
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.ID + " " + w.Name
	}
	return fmt.Sprintf("网格 %s 在 %s 有 %d 名网格员同时在岗（%s），这个网格的评价无法计入：请先核对网格员的到岗、离岗日期。",
		grid, d.String(), len(ws), strings.Join(names, "、"))
}

// randomID draws a ballot id: prefix and 12 hexadecimal digits, which say
// nothing of when or in which order ballots came.
func randomID(prefix string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return prefix + strings.ToUpper(hex.EncodeToString(b[:])), nil
}
