package gridscore

import (
	"strconv"
	"time"
)

// The satisfaction survey a town runs in gridscore itself (issue 15): a
// campaign hands out one-time ballots, printed as QR codes, for the grids
// it covers; village and community cadres and residents answer on their
// phones without an account; the center types in the tallies of paper
// ballots. Every answer becomes a Ballot like an imported one, so RULES.md
// §6, the standing and the warnings count it whatever its source.

// BallotSource says where a ballot came from.
type BallotSource string

// The sources of ballots.
const (
	SourceQR     BallotSource = "qr"     // answered on a phone from a one-time ballot
	SourcePaper  BallotSource = "paper"  // counted from paper and typed in by the center
	SourceImport BallotSource = "import" // imported from a ballots file (DATA.md)
)

// BallotSources lists the sources in the order the pages show them.
var BallotSources = []BallotSource{SourceQR, SourcePaper, SourceImport}

// Campaign is one survey of a town in a quarter: the grids it covers, how
// many ballots of each rater group each grid gets, and when ballots may be
// answered (OpensAt ≤ t < ClosesAt, and until the center closes it).
type Campaign struct {
	ID      int64
	Town    string
	Quarter Quarter
	Title   string
	// OpensAt and ClosesAt bound the answers; both lie in Quarter, so
	// that every answer belongs to it (a ballot belongs to a quarter by
	// its cast_at, RULES.md §6).
	OpensAt, ClosesAt time.Time
	// ClosedAt, when set, is when the center closed the campaign (by
	// ClosedBy): its unused ballots were ended then.
	ClosedAt  time.Time
	ClosedBy  string
	CreatedBy string
	CreatedAt time.Time
	Grids     []CampaignGrid
}

// CampaignGrid is a grid a campaign covers with the ballots planned for
// each rater group.
type CampaignGrid struct {
	GridCode        string
	Cadre, Resident int
}

// MaxPlannedBallots is the most ballots of one rater group a campaign
// plans for one grid: a grid has some hundreds of households, and a
// number past this is taken for a typing error.
const MaxPlannedBallots = 500

// CampaignState is where a campaign stands at a moment.
type CampaignState string

// The states of a campaign.
const (
	CampaignPending CampaignState = "pending" // before it opens
	CampaignOpen    CampaignState = "open"
	CampaignClosed  CampaignState = "closed" // past its end or closed by the center
)

// StateAt returns where the campaign stands at now.
func (c *Campaign) StateAt(now time.Time) CampaignState {
	switch {
	case !c.ClosedAt.IsZero() || !now.Before(c.ClosesAt):
		return CampaignClosed
	case now.Before(c.OpensAt):
		return CampaignPending
	}
	return CampaignOpen
}

// Validate checks a campaign: a title, a window inside its quarter, at
// least one grid, and planned numbers within 0..MaxPlannedBallots.
func (c *Campaign) Validate() error {
	var es FieldErrors
	es.required("title", c.Title)
	if msg := CheckText(c.Title, TitleText); msg != "" {
		es = append(es, FieldError{Field: "title", Message: msg})
	}
	es.requiredTime("opens_at", c.OpensAt)
	es.requiredTime("closes_at", c.ClosesAt)
	if !c.OpensAt.IsZero() && !c.ClosesAt.IsZero() {
		first, end := c.Quarter.First().Start(), c.Quarter.Last().End()
		if c.OpensAt.Before(first) || !c.OpensAt.Before(end) {
			es = append(es, FieldError{Field: "opens_at", Message: "开始时间应在" + c.Quarter.Text() + "内（评价按提交时间计入季度）"})
		}
		if c.ClosesAt.After(end) || !c.ClosesAt.After(first) {
			es = append(es, FieldError{Field: "closes_at", Message: "结束时间不能晚于" + c.Quarter.Text() + "的最后一天 24:00（评价按提交时间计入季度）"})
		}
		es.orderTime(c.OpensAt.Add(time.Second), c.ClosesAt, "closes_at", "结束时间应晚于开始时间")
	}
	if len(c.Grids) == 0 {
		es = append(es, FieldError{Field: "grids", Message: "请至少选择一个网格"})
	}
	// A count out of range is told once per rater group, under its own
	// field (the form's box for that group), naming the first grid.
	for _, f := range []struct {
		field string
		count func(CampaignGrid) int
	}{{"cadre", func(g CampaignGrid) int { return g.Cadre }}, {"resident", func(g CampaignGrid) int { return g.Resident }}} {
		for _, g := range c.Grids {
			if n := f.count(g); n < 0 || n > MaxPlannedBallots {
				es = append(es, FieldError{Field: f.field, Message: "网格 " + g.GridCode + " 的评价票数应在 0 到 " + strconv.Itoa(MaxPlannedBallots) + " 之间",
					Value: strconv.Itoa(n)})
				break
			}
		}
	}
	return es.err()
}

// Text names a quarter for people: 2023年第3季度.
func (q Quarter) Text() string {
	return strconv.Itoa(q.Year) + "年第" + strconv.Itoa(q.Q) + "季度"
}

// Tally is the count of paper ballots about one worker from one rater
// group, typed in by the center for a campaign: each counted ballot
// becomes a Ballot of source paper.
type Tally struct {
	ID         int64
	CampaignID int64
	WorkerID   string
	GridCode   string
	Group      RaterGroup
	// Counts are the ballots of each rating, in the order of Ratings.
	Counts    [3]int
	Note      string
	EnteredBy string
	EnteredAt time.Time
}

// MaxTallyBallots is the most ballots one tally may count.
const MaxTallyBallots = 2000

// Total is the number of ballots the tally counts.
func (t *Tally) Total() int { return t.Counts[0] + t.Counts[1] + t.Counts[2] }

// Validate checks a tally: a worker, a known rater group, counts that are
// not negative and not all zero, and a note of at most 500 characters.
func (t *Tally) Validate() error {
	var es FieldErrors
	es.required("worker_id", t.WorkerID)
	oneOf(&es, "rater_group", t.Group, RaterGroups, RaterGroupName, true)
	for i, n := range t.Counts {
		es.between(string(Ratings[i]), int64(n), 0, MaxTallyBallots)
	}
	if t.Total() == 0 && len(es) == 0 {
		es = append(es, FieldError{Field: "satisfied", Message: "三项票数不能都是 0"})
	}
	if t.Total() > MaxTallyBallots {
		es = append(es, FieldError{Field: "satisfied", Message: "一次最多录入 " + strconv.Itoa(MaxTallyBallots) + " 票"})
	}
	if msg := CheckText(t.Note, ReasonText); msg != "" {
		es = append(es, FieldError{Field: "note", Message: msg})
	}
	return es.err()
}

// MaxCommentRunes is the most characters a voter's comment may have.
const MaxCommentRunes = 300
