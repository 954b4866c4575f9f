package app

import (
	"context"
	"errors"
	"math/big"
	"strconv"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/store"
)

// The ballot page's service: anyone holding a one-time ballot's code may
// answer it once, without an account. Nothing of the voter is asked for or
// kept; the client address is used only to count codes that do not exist
// (GuessLimits) and is not stored with anything else.

// BallotView is a one-time ballot as its page shows it.
type BallotView struct {
	// Code is the canonical code (for the form's action).
	Code string
	// Town, Title are the campaign's; GridName and WorkerName the grid the
	// ballot is bound to and the worker in post there.
	Town, Title, GridName, WorkerName string
	Group                             gs.RaterGroup
	ClosesAt                          time.Time
	// Rating is the answer given, once cast.
	Rating gs.Rating
}

// Refusals of a code, in words for the voter.
const (
	msgCodeMalformed = "评价码应为 17 位字母和数字（如 K7QM-2XPD-9RTA-HW3C-F，不区分大小写），请对照评价票核对后重新输入。"
	msgCodeMistyped  = "评价码有一位输错了（或相邻两位颠倒了），请对照评价票逐位核对后重新输入。"
	msgCodeUnknown   = "没有这个评价码。请对照评价票核对后重新输入，或直接用手机扫描评价票上的二维码。"
	msgCodeUsed      = "这张评价票已经使用过，每张只能评价一次。感谢您的参与！"
	msgCampaignEnded = "本次满意度评价已经结束，这张评价票不能再使用。"
	msgSurveyOver    = "本次满意度评价已经结束（本季度的考核已开始统计结果），这张评价票不能再使用。感谢您的参与和支持！"
	msgNoWorker      = "这个网格目前没有在岗的网格员，暂时不能评价。请联系镇街网格化服务管理中心。"
	msgManyInPost    = "这个网格的网格员记录有误（不止一名网格员同时在岗），这张评价票暂时不能评价。请联系镇街网格化服务管理中心。"
)

// OpenBallot returns the ballot of the code typed or scanned, as client
// asks for it at the service's clock, or refuses it (see refuseToken).
func (s *Service) OpenBallot(ctx context.Context, typed, client string) (*BallotView, error) {
	code, err := s.ballotCode(ctx, typed, client)
	if err != nil {
		return nil, err
	}
	now := s.now()
	t, err := s.DB.Token(ctx, CodeHash(code), now)
	if err != nil {
		return nil, s.unknownCode(ctx, err, client, now)
	}
	if err := refuseToken(t, now); err != nil {
		return nil, err
	}
	return ballotView(code, t), nil
}

// CastBallot answers the ballot of code with rating and comment (may be
// empty), once: a second answer, also one at the same moment from another
// phone, is refused with ECONFLICT and changes nothing. The ballot stored
// is dated by its day alone (RULES.md §6 needs no more), with a random id.
func (s *Service) CastBallot(ctx context.Context, typed, client string, rating gs.Rating, comment string) (*BallotView, error) {
	code, err := s.ballotCode(ctx, typed, client)
	if err != nil {
		return nil, err
	}
	comment = gs.TrimText(comment)
	var es gs.FieldErrors
	if !isRating(rating) {
		es = append(es, gs.FieldError{Field: "rating", Message: "请选择“满意”“基本满意”或“不满意”"})
	}
	if msg := gs.CheckText(comment, gs.TextRule{Kind: gs.TextNote, Max: gs.MaxCommentRunes}); msg != "" {
		es = append(es, gs.FieldError{Field: "comment", Message: msg})
	}
	if len(es) > 0 {
		return nil, es
	}
	id, err := randomID("QR-")
	if err != nil {
		return nil, err
	}
	now := s.now()
	b := gs.Ballot{ID: id, Rating: rating, CastAt: gs.DateOf(now).Start()}
	t, err := s.DB.CastBallot(ctx, CodeHash(code), now, func(t *store.BallotToken) error { return refuseToken(t, now) }, b, comment)
	if errors.Is(err, store.ErrUnknownToken) {
		return nil, s.unknownCode(ctx, err, client, now)
	}
	if errors.Is(err, store.ErrTokenUsed) {
		return nil, gs.Errorf(gs.ECONFLICT, msgCodeUsed)
	}
	if err != nil {
		return nil, err
	}
	v := ballotView(code, t)
	v.Rating = rating
	return v, nil
}

// ballotCode reads the code typed and refuses it when it cannot be a
// code, or while client must wait after too many codes that do not exist.
func (s *Service) ballotCode(ctx context.Context, typed, client string) (string, error) {
	code, problem := NormalizeCode(typed)
	switch problem {
	case CodeMalformed:
		return "", gs.Errorf(gs.EINVALID, msgCodeMalformed)
	case CodeMistyped:
		return "", gs.Errorf(gs.EINVALID, msgCodeMistyped)
	}
	until, err := s.DB.GuessWait(ctx, client, s.now())
	if err != nil {
		return "", err
	}
	if !until.IsZero() {
		return "", tooManyGuesses(until, s.now())
	}
	return code, nil
}

// unknownCode counts a code that does not exist against client and
// returns its refusal; err is the store's answer, returned when it is
// another.
func (s *Service) unknownCode(ctx context.Context, err error, client string, now time.Time) error {
	if !errors.Is(err, store.ErrUnknownToken) {
		return err
	}
	if _, err := s.DB.GuessFailed(ctx, client, now, GuessLimits); err != nil {
		return err
	}
	return gs.Errorf(gs.ENOTFOUND, msgCodeUnknown)
}

// tooManyGuesses is the refusal of a client that must wait until until.
func tooManyGuesses(until, now time.Time) error {
	minutes := int(until.Sub(now).Minutes()) + 1
	return gs.Errorf(gs.ETOOMANY, "从这个网络输入的无效评价码太多，请 %d 分钟后再试。如果您的评价票无法使用，请联系镇街网格化服务管理中心。", minutes)
}

// refuseToken refuses a ballot that cannot be answered at now: used,
// ended, its campaign not yet open or over, its quarter computed already,
// or no worker in post in its grid.
func refuseToken(t *store.BallotToken, now time.Time) error {
	c := &t.Campaign
	switch {
	case t.State == store.TokenUsed:
		return gs.Errorf(gs.ECONFLICT, msgCodeUsed)
	case t.State == store.TokenEnded || !c.ClosedAt.IsZero():
		return gs.Errorf(gs.ECONFLICT, msgCampaignEnded)
	case (&gs.QuarterState{State: t.QuarterState}).HasSnapshot():
		// The quarter is computed (or later): as paper tallies are refused
		// then (tallyOpen), no answer may change its ballots any more.
		return gs.Errorf(gs.ECONFLICT, msgSurveyOver)
	case !now.Before(c.ClosesAt):
		return gs.Errorf(gs.ECONFLICT, "本次满意度评价已于 %s 结束，这张评价票不能再使用。", fmtMoment(c.ClosesAt))
	case now.Before(c.OpensAt):
		return gs.Errorf(gs.ECONFLICT, "本次满意度评价从 %s 开始，请到时再打开这张评价票。", fmtMoment(c.OpensAt))
	case t.WorkerID == "":
		return gs.Errorf(gs.ECONFLICT, msgNoWorker)
	case t.InPost > 1:
		// The voter is not told who: the center's campaign page names them.
		return gs.Errorf(gs.ECONFLICT, msgManyInPost)
	}
	return nil
}

func ballotView(code string, t *store.BallotToken) *BallotView {
	return &BallotView{Code: code, Town: t.Campaign.Town, Title: t.Campaign.Title, GridName: t.GridName,
		WorkerName: t.WorkerName, Group: t.Group, ClosesAt: t.Campaign.ClosesAt}
}

func isRating(r gs.Rating) bool {
	for _, x := range gs.Ratings {
		if r == x {
			return true
		}
	}
	return false
}

// RatePermille is the satisfaction rate of ballots counted by rating (in
// the order of gs.Ratings), all pooled, under the scheme's weights, in
// thousandths rounded half up, and -1 for no ballot: the rate of one
// group, source or grid. A worker's rate, on which the score rests, is
// workerRatePermille.
func (s *Service) RatePermille(byRating [3]int) int {
	pooled := s.Scheme
	pooled.GroupWeights = nil
	return permille(engine.SatisfactionRate(&pooled, map[gs.RaterGroup]engine.Tally{"": s.tally(byRating)}))
}

// workerRatePermille is a worker's satisfaction rate as RULES.md §6 and
// the score have it, from the worker's ballots by rater group: with the
// scheme's group weights, their weighted mean.
func (s *Service) workerRatePermille(byGroup map[gs.RaterGroup][3]int) int {
	groups := make(map[gs.RaterGroup]engine.Tally, len(byGroup))
	for g, c := range byGroup {
		groups[g] = s.tally(c)
	}
	return permille(engine.SatisfactionRate(&s.Scheme, groups))
}

// tally is the engine's tally of ballots counted by rating.
func (s *Service) tally(byRating [3]int) engine.Tally {
	var t engine.Tally
	for i, c := range byRating {
		t.N += int64(c)
		t.Sum += int64(c) * s.Scheme.RatingWeights[gs.Ratings[i]]
	}
	return t
}

// permille writes an exact rate in thousandths rounded half up, -1 for
// none.
func permille(rate *big.Rat) int {
	if rate == nil {
		return -1
	}
	return int(engine.RoundHalfUp(new(big.Rat).Mul(rate, big.NewRat(1000, 1))))
}

// PermilleText writes a rate in thousandths as a percentage with one
// decimal (92.5%), "—" for none.
func PermilleText(p int) string {
	if p < 0 {
		return "—"
	}
	return strconv.Itoa(p/10) + "." + strconv.Itoa(p%10) + "%"
}
