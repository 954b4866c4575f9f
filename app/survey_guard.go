package app

import (
	"context"
	"strconv"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// A ballot a survey brought — answered on a phone from a one-time ballot
// (ids QR-…) or counted on paper by the center (PB-…) — has a row of
// survey_ballots, and the campaign's pages count it as such. An import of
// files (the web's upload, the command line) or a push of the API that
// would change such a ballot is refused, row by row: the voter's answer is
// not the center's to rewrite, and a paper tally is corrected on the
// campaign's page. The ballots are looked up by id in survey_ballots (one
// query per chunk of rows, on its primary key) rather than judged by their
// prefix, so that a ballot the same as the stored one — an export of the
// records imported again — still passes, changing nothing.

// surveyBallotReader finds the ballots a survey brought.
type surveyBallotReader interface {
	SurveyBallots(ctx context.Context, ids []string) (map[string]store.SurveyBallot, error)
	HasSurveyBallots(ctx context.Context) (bool, error)
}

// surveyGuard is a Scanner's Check (or a part of one) refusing the rows
// of ballots that would change a ballot a survey brought. err is the first
// failure to query the store; the check then stops.
//
// It is made (newSurveyGuard) before the import's transaction begins, and
// when the store holds no ballot a survey brought it checks nothing. Its
// queries go through the store's read connections, beside the import's
// transaction: on PostgreSQL a command-line import drops the indexes of a
// table empty when it first writes to it (store.HoldEmptyTables), which
// locks the table until the commit, so a query of the ballots from another
// connection would wait for the import, which waits for the check. A store
// with a survey's ballots has ballots stored, so that its ballots table is
// never one whose indexes an import drops.
type surveyGuard struct {
	ctx  context.Context
	db   surveyBallotReader
	none bool // the store holds no ballot a survey brought
	err  error
}

// newSurveyGuard returns the guard of an import into db, asking db first
// whether it holds any ballot a survey brought.
func newSurveyGuard(ctx context.Context, db surveyBallotReader) (*surveyGuard, error) {
	some, err := db.HasSurveyBallots(ctx)
	if err != nil {
		return nil, err
	}
	return &surveyGuard{ctx: ctx, db: db, none: !some}, nil
}

// check returns a problem for each ballot of recs (of kind) that differs
// from the stored ballot of its id that a survey brought.
func (g *surveyGuard) check(kind string, recs *gs.Records, orgs *csvfile.Origins) []csvfile.Problem {
	if kind != gs.KindBallots || g.none || g.err != nil || len(recs.Ballots) == 0 {
		return nil
	}
	ps, err := surveyBallotProblems(g.ctx, g.db, recs.Ballots, orgs.Ballots)
	if err != nil {
		g.err = err
		return nil
	}
	return ps
}

// surveyBallotProblems returns a problem (at the ballot_id of its origin
// in orgs) for each of bs that would change a ballot a survey brought.
func surveyBallotProblems(ctx context.Context, db surveyBallotReader, bs []gs.Ballot, orgs []csvfile.Origin) ([]csvfile.Problem, error) {
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = b.ID
	}
	found, err := db.SurveyBallots(ctx, ids)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	var ps []csvfile.Problem
	for i, b := range bs {
		sb, ok := found[b.ID]
		if !ok || sameBallot(sb, b) {
			continue
		}
		ps = append(ps, csvfile.ColumnProblem(orgs[i], gs.KindBallots, "ballot_id", surveyBallotRefusal(b.ID, sb.Source)))
	}
	return ps, nil
}

// sameBallot reports whether b is the stored ballot sb, field by field.
func sameBallot(sb store.SurveyBallot, b gs.Ballot) bool {
	return sb.Stored && sb.WorkerID == b.WorkerID && sb.RaterGroup == b.RaterGroup && sb.Rating == b.Rating &&
		sb.CastAt.Unix() == b.CastAt.Unix()
}

// surveyBallotRefusal is the refusal of a change of ballot id, which a
// survey brought from src.
func surveyBallotRefusal(id string, src gs.BallotSource) string {
	msg := "评价 " + strconv.Quote(id) + " 来自满意度测评（" + gs.BallotSourceName[src] + "评价），不能通过导入修改"
	if src == gs.SourcePaper {
		return msg + "：如需更正，请在满意度评价页删除这次纸质评价的录入后重新录入"
	}
	return msg + "：每张评价票的评价以评价人提交的为准"
}
