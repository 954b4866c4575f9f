package web

import (
	"context"
	"net/url"
	"strconv"

	gs "github.com/gridscore/gridscore"
)

// recentQuarters is how many quarters the quarter picker offers: the
// current one and those before it.
const recentQuarters = 6

// QuarterChoice is one quarter of the picker, with its state: the town's
// (公示中) or, for the district, how many towns have filed.
type QuarterChoice struct {
	Label, State, URL string
	Current           bool
}

// withChoices returns p with the quarter picker's choices: the current
// quarter (the server's, when set) and the recentQuarters−1 before it, and
// the quarter shown if it is none of them, each with town's state of it
// (town "" for the district: how many towns have filed). A link keeps the
// page and drops the moment, which belongs to a quarter.
func (s *Server) withChoices(ctx context.Context, p Period, town string) (Period, error) {
	latest := s.Quarter
	if latest == (gs.Quarter{}) {
		latest = gs.QuarterOf(gs.DateOf(s.now()))
	}
	var qs []gs.Quarter
	for q, i := latest, 0; i < recentQuarters; q, i = prevQuarter(q), i+1 {
		qs = append(qs, q)
	}
	if p.Quarter.First() > latest.First() || p.Quarter.First() < qs[len(qs)-1].First() {
		qs = append(qs, p.Quarter)
	}
	p.Choices = p.Choices[:0]
	for _, q := range qs {
		state, err := s.quarterStateText(ctx, town, q)
		if err != nil {
			return p, err
		}
		p.Choices = append(p.Choices, QuarterChoice{
			Label:   quarterLabel(q),
			State:   state,
			URL:     "?" + url.Values{"quarter": {q.String()}}.Encode(),
			Current: q == p.Quarter,
		})
	}
	return p, nil
}

// quarterStateText is town's state of q in a few words ("" before the
// quarter has begun), or for the district (town "") how many towns have
// filed it once it is over (进行中 before).
func (s *Server) quarterStateText(ctx context.Context, town string, q gs.Quarter) (string, error) {
	if s.now().Before(q.First().Start()) {
		return "", nil
	}
	if town != "" {
		st, err := s.Service.QuarterState(ctx, town, q)
		if err != nil {
			return "", err
		}
		if s.endedUncomputed(st, q) {
			return notComputed, nil // over: no longer under way
		}
		return shortStateName(st.State), nil
	}
	if s.now().Before(q.Last().End()) {
		return gs.StateName[gs.StateOpen], nil // nothing to file yet
	}
	filed, towns, err := s.Service.FiledTowns(ctx, q)
	if err != nil || towns == 0 {
		return "", err
	}
	return "已报备 " + strconv.Itoa(filed) + "/" + strconv.Itoa(towns), nil
}

// notComputed names the state of a quarter that has ended and that the
// town has never computed: 进行中 (gs.StateOpen's name) is for the quarter
// under way.
const notComputed = "未计算"

// endedUncomputed reports whether quarter q, in state st, has ended and
// was never computed.
func (s *Server) endedUncomputed(st gs.QuarterState, q gs.Quarter) bool {
	return st.State == gs.StateOpen && !s.now().Before(q.Last().End())
}

// quarterStateName is the name of quarter q's state st as the pages say it:
// notComputed for a quarter over and never computed, else the state's.
func (s *Server) quarterStateName(st gs.QuarterState, q gs.Quarter) string {
	if s.endedUncomputed(st, q) {
		return notComputed
	}
	return gs.StateName[st.State]
}

// prevQuarter is the quarter before q.
func prevQuarter(q gs.Quarter) gs.Quarter { return gs.QuarterOf(q.First().AddDays(-1)) }

// shortStateName is a state's name short enough for the picker: 已计算
// rather than 已计算（审核中）.
func shortStateName(st gs.State) string {
	if st == gs.StateComputed {
		return "审核中"
	}
	return gs.StateName[st]
}

// quarterLabel is a quarter as the picker shows it: 2023年第3季度.
func quarterLabel(q gs.Quarter) string {
	return strconv.Itoa(q.Year) + "年第" + strconv.Itoa(q.Q) + "季度"
}
