package web

import (
	"context"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// noRecordsNote heads a dashboard whose quarter has no record of the
// town's work at all: every worker then scores as if nothing happened (40
// in the demo), which reads like a result unless it is said.
const noRecordsNote = "本季度没有导入任何记录，以下得分按无记录计算，仅供参考。"

// workKinds are the kinds of records dated in a quarter that scores rest
// on, the workers' own work and the survey's ballots and the quizzes: a
// quarter with none of them has not been imported.
var workKinds = []string{gs.KindEvents, gs.KindLogins, gs.KindPatrols, gs.KindVisits, gs.KindFindings, gs.KindLeaves,
	gs.KindBallots, gs.KindQuiz, gs.KindMeetings}

// noRecordsIn reports whether town has no record of workKinds dated in q,
// in one question for every kind.
func (s *Server) noRecordsIn(ctx context.Context, u *gs.User, town string, q gs.Quarter) (bool, error) {
	found, err := s.Service.AnyRecord(ctx, u, app.RecordQuery{Town: town, From: q.First(), To: q.Last()}, workKinds...)
	return !found, err
}
