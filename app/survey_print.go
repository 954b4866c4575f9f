package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// MaxPrintBallots is the most one-time ballots one print makes: 250 A4
// sheets of 8.
const MaxPrintBallots = 2000

// PrintInput asks for one-time ballots: for one grid of the campaign (""
// every grid), Cadre and Resident of each group per grid.
type PrintInput struct {
	Grid            string
	Cadre, Resident int
}

// PrintedBallot is a one-time ballot just made, with its code: the only
// moment the code exists outside the voter's hands.
type PrintedBallot struct {
	Code                 string
	GridCode, GridName   string
	WorkerName           string
	Group                gs.RaterGroup
	Serial, BatchBallots int
}

// PrintedBatch is a batch of ballots just made.
type PrintedBatch struct {
	Campaign gs.Campaign
	Batch    int
	Ballots  []PrintedBallot
}

// PrintBallots makes one-time ballots of campaign id for printing (u its
// town's center): codes of 80 random bits, of which the store keeps only
// the hashes; the codes are returned this once. An entry in the audit log
// says how many were made for which grids.
func (s *Service) PrintBallots(ctx context.Context, u *gs.User, id int64, in PrintInput) (*PrintedBatch, error) {
	c, err := s.campaign(ctx, u, id, true)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if c.StateAt(now) == gs.CampaignClosed {
		return nil, gs.Errorf(gs.ECONFLICT, "这次满意度评价已经结束，不能再印制评价票。")
	}
	var grids []gs.CampaignGrid
	for _, g := range c.Grids {
		if in.Grid == "" || g.GridCode == in.Grid {
			grids = append(grids, g)
		}
	}
	var es gs.FieldErrors
	if len(grids) == 0 {
		es = append(es, gs.FieldError{Field: "grid", Message: "这次评价不包括这个网格", Value: in.Grid})
	}
	outOfRange := func(n int) bool { return n < 0 || n > gs.MaxPlannedBallots }
	rangeMsg := fmt.Sprintf("每个网格每类评价票应在 0 到 %d 张之间", gs.MaxPlannedBallots)
	switch {
	case outOfRange(in.Cadre):
		es = append(es, gs.FieldError{Field: "cadre", Message: rangeMsg, Value: strconv.Itoa(in.Cadre)})
	case outOfRange(in.Resident):
		es = append(es, gs.FieldError{Field: "resident", Message: rangeMsg, Value: strconv.Itoa(in.Resident)})
	case in.Cadre+in.Resident == 0:
		es = append(es, gs.FieldError{Field: "count", Message: "请填写要印制的张数"})
	default:
		if n := len(grids) * (in.Cadre + in.Resident); n > MaxPrintBallots {
			es = append(es, gs.FieldError{Field: "count", Message: fmt.Sprintf("一次最多印制 %d 张（现为 %d 张），请按网格分几次印制", MaxPrintBallots, n)})
		}
	}
	if len(es) > 0 {
		return nil, es
	}
	names := map[string]string{}
	townGrids, err := s.DB.TownGrids(ctx, c.Town)
	if err != nil {
		return nil, err
	}
	for _, g := range townGrids {
		names[g.Code] = g.Name
	}
	ws, err := s.DB.SurveyWorkers(ctx, c.Town)
	if err != nil {
		return nil, err
	}
	day := gs.DateOf(now)
	inPost := gridInPost(ws, day)
	for _, g := range grids {
		if msg := inPostConflict(g.GridCode, day, inPost[g.GridCode]); msg != "" {
			// Such ballots would be refused when answered.
			if in.Grid == "" {
				msg += "其他网格的评价票可以逐个网格印制。"
			}
			return nil, gs.Errorf(gs.ECONFLICT, "%s", msg)
		}
	}
	out := &PrintedBatch{Campaign: *c}
	var toks []store.NewToken
	var codes []string
	for _, g := range grids {
		for _, grp := range gs.RaterGroups {
			n := in.Cadre
			if grp == gs.RaterResident {
				n = in.Resident
			}
			for range n {
				code, err := NewBallotCode()
				if err != nil {
					return nil, err
				}
				toks = append(toks, store.NewToken{Hash: CodeHash(code), GridCode: g.GridCode, Group: grp})
				out.Ballots = append(out.Ballots, PrintedBallot{Code: code, GridCode: g.GridCode, GridName: names[g.GridCode],
					WorkerName: firstInPost(inPost[g.GridCode]).Name, Group: grp})
			}
		}
		codes = append(codes, g.GridCode)
	}
	for i := range out.Ballots {
		out.Ballots[i].Serial, out.Ballots[i].BatchBallots = i+1, len(out.Ballots)
	}
	entry := gs.AuditEntry{At: now, Username: Actor(ctx), Action: gs.AuditSurveyPrinted, Object: surveyObject(c),
		Detail: fmt.Sprintf("%s：印制评价票 %d 张（每个网格村社区干部 %d 张、居民群众 %d 张）；网格：%s",
			c.Title, len(toks), in.Cadre, in.Resident, strings.Join(codes, "、"))}
	if out.Batch, err = s.DB.IssueTokens(ctx, id, toks, now, entry); err != nil {
		return nil, err
	}
	return out, nil
}

// TallyInput is a paper tally as typed: the worker, the rater group, the
// ballots of each rating (in the order of gs.Ratings) and a note.
type TallyInput struct {
	WorkerID string
	Group    gs.RaterGroup
	Counts   [3]int
	Note     string
}

// EnterTally stores a tally of paper ballots of campaign id (u its town's
// center) as that many ballots of the paper source, dated the day typed in
// (within the campaign's window), with an entry in the audit log. Refused
// once the town's quarter is computed: its results would no longer follow.
func (s *Service) EnterTally(ctx context.Context, u *gs.User, id int64, in TallyInput) (*gs.Tally, error) {
	c, err := s.campaign(ctx, u, id, true)
	if err != nil {
		return nil, err
	}
	if err := s.tallyOpen(ctx, c); err != nil {
		return nil, err
	}
	now := s.now()
	t := &gs.Tally{CampaignID: id, WorkerID: gs.TrimText(in.WorkerID), Group: in.Group, Counts: in.Counts,
		Note: gs.TrimText(in.Note), EnteredBy: u.Username, EnteredAt: now}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	w, err := s.townWorker(ctx, c.Town, t.WorkerID)
	if err != nil {
		return nil, err
	}
	if w == nil || w.HiredOn > c.Quarter.Last() || !w.LeftOn.IsZero() && w.LeftOn < c.Quarter.First() {
		return nil, gs.FieldErrors{{Field: "worker_id", Message: "不是本镇街本季度在岗的网格员", Value: t.WorkerID}}
	}
	t.GridCode = w.GridCode
	covered := false
	for _, g := range c.Grids {
		covered = covered || g.GridCode == t.GridCode
	}
	if !covered {
		return nil, gs.FieldErrors{{Field: "worker_id", Message: "该网格员所在的网格不在这次评价之内", Value: t.WorkerID}}
	}
	// Dated the day typed in, kept within the campaign's window so that the
	// ballots belong to its quarter.
	at := now
	if at.Before(c.OpensAt) {
		at = c.OpensAt
	}
	if !at.Before(c.ClosesAt) {
		at = c.ClosesAt.Add(-1)
	}
	day := gs.DateOf(at).Start()
	var bs []gs.Ballot
	for i, n := range t.Counts {
		for range n {
			id, err := randomID("PB-")
			if err != nil {
				return nil, err
			}
			bs = append(bs, gs.Ballot{ID: id, WorkerID: t.WorkerID, RaterGroup: t.Group, Rating: gs.Ratings[i], CastAt: day})
		}
	}
	detail := fmt.Sprintf("%s：网格员 %s %s，%s %d 票（%s）", c.Title, t.WorkerID, w.Name, gs.RaterGroupName[t.Group], t.Total(), RatingsText(t.Counts))
	if t.Note != "" {
		detail += "；备注：" + t.Note
	}
	err = s.DB.SaveTally(ctx, t, bs, tallyRefusal(c), func(id int64) []gs.AuditEntry {
		return []gs.AuditEntry{{At: now, Username: Actor(ctx), Action: gs.AuditSurveyTallyEntered, Object: surveyObject(c),
			Detail: fmt.Sprintf("纸质评价 #%d %s", id, detail)}}
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// DeleteTally deletes tally tallyID of campaign id with its ballots (u its
// town's center), with an entry in the audit log; refused once the town's
// quarter is computed.
func (s *Service) DeleteTally(ctx context.Context, u *gs.User, id, tallyID int64) error {
	c, err := s.campaign(ctx, u, id, true)
	if err != nil {
		return err
	}
	if err := s.tallyOpen(ctx, c); err != nil {
		return err
	}
	entry := gs.AuditEntry{At: s.now(), Username: Actor(ctx), Action: gs.AuditSurveyTallyDeleted, Object: surveyObject(c),
		Detail: fmt.Sprintf("%s：删除纸质评价 #%d 及其评价", c.Title, tallyID)}
	return s.DB.DeleteTally(ctx, id, tallyID, tallyRefusal(c), entry)
}

// tallyOpen refuses a change of paper ballots once c's quarter is
// computed: asked first, and again by the store in the change's own
// transaction (tallyRefusal), the quarter's state locked, so that no
// tally lands while the quarter is being computed.
func (s *Service) tallyOpen(ctx context.Context, c *gs.Campaign) error {
	st, err := s.DB.QuarterState(ctx, c.Town, c.Quarter.String())
	if err != nil {
		return err
	}
	return tallyRefusal(c)(st)
}

// tallyRefusal returns the check refusing a change of c's paper ballots in
// the quarter state st once the quarter is computed.
func tallyRefusal(c *gs.Campaign) func(st gs.QuarterState) error {
	return func(st gs.QuarterState) error {
		if !st.HasSnapshot() {
			return nil
		}
		return gs.Errorf(gs.ECONFLICT, "%s %s 已经计算（%s），不能再录入或删除纸质评价；如需更正，请先撤销计算或重新打开。",
			c.Town, c.Quarter.Text(), gs.StateName[st.State])
	}
}

// townWorker returns worker id of town with the days in post, nil when
// the town has no such worker.
func (s *Service) townWorker(ctx context.Context, town, id string) (*gs.TownWorker, error) {
	ws, err := s.DB.SurveyWorkers(ctx, town)
	if err != nil {
		return nil, err
	}
	for i := range ws {
		if ws[i].ID == id {
			return &ws[i], nil
		}
	}
	return nil, nil
}

// firstInPost is the first of a grid's workers in post ws (gridInPost),
// the zero worker when there is none.
func firstInPost(ws []gs.TownWorker) gs.TownWorker {
	if len(ws) == 0 {
		return gs.TownWorker{}
	}
	return ws[0]
}
