package demo

import (
	"math/rand/v2"
	"time"

	gs "github.com/gridscore/gridscore"
)

// addLogins adds the worker's logins: the grid app (网格E通) every duty day
// when the day starts, often again after lunch, and the PC system for a
// worker stationed at a residents' committee; except on the profile's missed
// days.
func (g *gen) addLogins(w *worker) {
	r := g.rand("logins/" + w.id)
	missApp, missPC := dateSet(w.p.missApp), dateSet(w.p.missPC)
	for _, d := range g.dutyDays(w.id, g.q.First(), g.q.Last()) {
		if !missApp[d] {
			g.login(w.id, gs.ChannelApp, randTime(r, d, 7*60+45, 8*60+40))
			if r.IntN(5) < 2 {
				g.login(w.id, gs.ChannelApp, randTime(r, d, 13*60+40, 14*60+30))
			}
		}
		if w.stationed && !missPC[d] {
			g.login(w.id, gs.ChannelPC, randTime(r, d, 8*60+35, 9*60+15))
		}
	}
}

func (g *gen) login(id string, ch gs.Channel, t time.Time) {
	g.recs.Logins = append(g.recs.Logins, gs.Login{WorkerID: id, Channel: ch, At: t})
}

// addPatrols adds the worker's two patrols (一日双巡) of every duty day, each
// of about three and a half hours, except where the profile has a gap.
func (g *gen) addPatrols(w *worker) {
	r := g.rand("patrols/" + w.id)
	gaps := map[gs.Date][2]*patrolGap{}
	for i := range w.p.patrolGaps {
		pg := &w.p.patrolGaps[i]
		v := gaps[date(pg.day)]
		if pg.afternoon {
			v[1] = pg
		} else {
			v[0] = pg
		}
		gaps[date(pg.day)] = v
	}
	for _, d := range g.dutyDays(w.id, g.q.First(), g.q.Last()) {
		g.patrol(r, w.id, randTime(r, d, 8*60+10, 9*60), 200+r.IntN(30), gaps[d][0])
		g.patrol(r, w.id, randTime(r, d, 14*60, 14*60+40), 190+r.IntN(30), gaps[d][1])
	}
}

// patrol adds one patrol of the given length in minutes, altered by gap.
func (g *gen) patrol(r *rand.Rand, id string, start time.Time, minutes int, gap *patrolGap) {
	p := gs.Patrol{WorkerID: id, StartedAt: start}
	if gap != nil {
		switch gap.kind {
		case gapMissing:
			return
		case gapShort:
			minutes = 120 + r.IntN(30)
		case gapNoEnd:
			g.recs.Patrols = append(g.recs.Patrols, p)
			return
		}
	}
	p.EndedAt = start.Add(time.Duration(minutes)*time.Minute + time.Duration(r.IntN(60))*time.Second)
	// Walking and cycling through the grid: about 25 to 40 metres a minute.
	p.DistanceM = int64(minutes * (25 + r.IntN(16)))
	g.recs.Patrols = append(g.recs.Patrols, p)
}

// dateSet returns the dates of the plan as a set.
func dateSet(days []string) map[gs.Date]bool {
	s := map[gs.Date]bool{}
	for _, d := range days {
		s[date(d)] = true
	}
	return s
}
