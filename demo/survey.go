package demo

import (
	gs "github.com/gridscore/gridscore"
)

// meetings are the quarter's regular meetings and training.
var meetings = []gs.Meeting{
	{ID: "HY20230703", HeldOn: date("2023-07-03"), Title: "7月份网格员工作例会", Kind: "例会", Town: TownName},
	{ID: "HY20230814", HeldOn: date("2023-08-14"), Title: "8月份网格员工作例会", Kind: "例会", Town: TownName},
	{ID: "HY20230823", HeldOn: date("2023-08-23"), Title: "网格员业务培训（平安建设与矛盾纠纷排查化解）", Kind: "培训", Town: TownName},
	{ID: "HY20230904", HeldOn: date("2023-09-04"), Title: "9月份网格员工作例会", Kind: "例会", Town: TownName},
}

// addMeetings adds the meetings and every worker's attendance: present,
// on leave when the worker had approved leave that day, or as the profile
// says.
func (g *gen) addMeetings() {
	for _, m := range meetings {
		g.recs.Meetings = append(g.recs.Meetings, m)
		for _, w := range g.workers {
			if !g.byID[w.id].InPost(m.HeldOn) {
				continue
			}
			status := gs.StatusPresent
			if g.onLeave(w.id, m.HeldOn) {
				status = gs.StatusLeave
			}
			if s, ok := w.p.meetings[m.HeldOn.String()]; ok {
				status = s
			}
			g.recs.Attendance = append(g.recs.Attendance, gs.Attendance{MeetingID: m.ID, WorkerID: w.id, Status: status})
		}
	}
}

// addQuizzes adds the spot checks of the handbook (应知应会抽查) of the
// workers' profiles; the town checks some full-time workers at the August
// training and again in September.
func (g *gen) addQuizzes() {
	for _, w := range g.workers {
		for _, q := range w.p.quiz {
			g.recs.Quizzes = append(g.recs.Quizzes, gs.Quiz{WorkerID: w.id, TakenOn: date(q.day), WrongAnswers: q.wrong})
		}
	}
}

// addBallots adds the satisfaction survey the town ran from 18 to 27
// September: for each worker 20 ballots (a quarter from village or community
// cadres, the rest from residents), mostly satisfied, with the profile's
// number of unsatisfied ones.
func (g *gen) addBallots() {
	r := g.rand("ballots")
	var days []gs.Date
	for d := date("2023-09-18"); d <= date("2023-09-27"); d++ {
		if g.cal.IsWorkday(TownName, d) {
			days = append(days, d)
		}
	}
	for _, w := range g.workers {
		if w.p.noBallots {
			continue
		}
		n := w.p.ballots
		if n == 0 {
			n = 20
		}
		unsatisfied := map[int]bool{}
		for _, i := range r.Perm(n)[:w.p.unsatisfied] {
			unsatisfied[i] = true
		}
		for i := range n {
			group := gs.RaterResident
			if i < n/4 {
				group = gs.RaterCadre
			}
			rating := gs.RatingSatisfied
			switch {
			case unsatisfied[i]:
				rating = gs.RatingUnsatisfied
			case r.IntN(100) < 15:
				rating = gs.RatingBasic
			}
			g.recs.Ballots = append(g.recs.Ballots, gs.Ballot{
				WorkerID:   w.id,
				RaterGroup: group,
				Rating:     rating,
				CastAt:     randTime(r, days[r.IntN(len(days))], 9*60, 17*60+30),
			})
		}
	}
}

// addFindings adds the findings (核查记录) of the workers' profiles.
func (g *gen) addFindings() {
	for _, w := range g.workers {
		for _, f := range w.p.findings {
			g.recs.Findings = append(g.recs.Findings, gs.Finding{
				WorkerID:   w.id,
				Kind:       f.kind,
				OccurredOn: date(f.day),
				Count:      f.count,
				Note:       f.note,
				Evidence:   f.evidence,
			})
		}
	}
}
