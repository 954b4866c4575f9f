package gen

import (
	"fmt"
	"slices"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
)

// TestDistrictShape generates 600 workers and checks what an import and the
// assessment rely on: several towns, ids unique across them, every
// reference resolved within the town, one worker per grid per day, events
// above the quota for most full-time months, records inside the quarter,
// logins only on duty days.
func TestDistrictShape(t *testing.T) {
	t.Parallel()
	for _, q := range []gs.Quarter{{Year: 2023, Q: 3}, {Year: 2024, Q: 1}} {
		t.Run(q.String(), func(t *testing.T) {
			t.Parallel()
			checkShape(t, q, collect(t, Options{Workers: 600, Quarter: q, Seed: 11}))
		})
	}
}

// TestHolidaysRespected checks 2024Q1 against the official arrangement:
// nobody logs in or patrols on the Spring Festival holiday, everybody does
// on the Sundays made workdays (调休上班) and on the center's own override.
func TestHolidaysRespected(t *testing.T) {
	t.Parallel()
	q := gs.Quarter{Year: 2024, Q: 1}
	town := collect(t, Options{Workers: 200, Quarter: q, Seed: 3})[0]
	if len(town.Calendar) != 1 || town.Calendar[0].Kind != gs.DayWorkday || town.Calendar[0].Date.Weekday() != time.Saturday {
		t.Fatalf("calendar overrides %+v, want one Saturday made a workday", town.Calendar)
	}
	logins := map[gs.Date]int{}
	for _, l := range town.Logins {
		logins[gs.DateOf(l.At)]++
	}
	patrols := map[gs.Date]int{}
	for _, p := range town.Patrols {
		patrols[gs.DateOf(p.StartedAt)]++
	}
	for _, d := range []gs.Date{gs.NewDate(2024, 2, 12), gs.NewDate(2024, 2, 13), gs.NewDate(2024, 1, 1), gs.NewDate(2024, 3, 9)} {
		if logins[d] > 0 || patrols[d] > 0 {
			t.Errorf("%s (a day off): %d logins, %d patrols", d, logins[d], patrols[d])
		}
	}
	for _, d := range []gs.Date{gs.NewDate(2024, 2, 4), gs.NewDate(2024, 2, 18), town.Calendar[0].Date} {
		if logins[d] < 150 || patrols[d] < 300 {
			t.Errorf("%s (a workday): %d logins, %d patrols", d, logins[d], patrols[d])
		}
	}
}

func checkShape(t *testing.T, q gs.Quarter, towns []*gs.Records) {
	if len(towns) < 2 {
		t.Fatalf("600 workers make %d towns, want at least 2", len(towns))
	}
	cal := calendar.New(towns[0].Calendar)
	ids := map[string]string{} // id → kind, across towns
	unique := func(kind, id string) {
		if id == "" {
			t.Errorf("%s with no id", kind)
		} else if k, ok := ids[kind+id]; ok {
			t.Errorf("%s id %s used twice (%s)", kind, id, k)
		}
		ids[kind+id] = kind
	}
	townNames := map[string]bool{}
	var fullMonths, fullMonthsMet, reportedMet int
	for ti, r := range towns {
		if ti > 0 && len(r.Calendar) > 0 {
			t.Errorf("town %d carries calendar overrides; only the first should", ti)
		}
		if townNames[r.Grids[0].Town] {
			t.Errorf("two towns are named %s", r.Grids[0].Town)
		}
		townNames[r.Grids[0].Town] = true

		grids := map[string]bool{}
		for _, g := range r.Grids {
			unique("grid", g.Code)
			grids[g.Code] = true
		}
		workers := map[string]*gs.Worker{}
		for i := range r.Workers {
			w := &r.Workers[i]
			unique("worker", w.ID)
			workers[w.ID] = w
			if !grids[w.GridCode] {
				t.Errorf("%s: no grid %s", w.ID, w.GridCode)
			}
		}
		worker := func(kind, id string) *gs.Worker {
			w := workers[id]
			if w == nil {
				t.Fatalf("%s names worker %s, not of its town", kind, id)
			}
			return w
		}
		leave := map[string][]gs.Leave{}
		for _, l := range r.Leaves {
			worker("leave", l.WorkerID)
			leave[l.WorkerID] = append(leave[l.WorkerID], l)
			if !q.ContainsDate(l.From) || !q.ContainsDate(l.To) || l.To < l.From {
				t.Errorf("leave %s %s–%s outside the quarter", l.WorkerID, l.From, l.To)
			}
		}
		duty := func(w *gs.Worker, d gs.Date) bool {
			for _, l := range leave[w.ID] {
				if l.From <= d && d <= l.To {
					return false
				}
			}
			return cal.IsWorkday("", d) && w.InPost(d)
		}
		checkOneWorkerPerGrid(t, r.Workers)

		type wm struct {
			id string
			m  time.Month
		}
		total, reported := map[wm]int{}, map[wm]int{}
		for _, e := range r.Events {
			unique("event", e.ID)
			w := worker("event", e.WorkerID)
			d := gs.DateOf(e.ReportedAt)
			if !q.Contains(e.ReportedAt) || !w.InPost(d) {
				t.Errorf("event %s reported %s, outside the quarter or the worker's time in post", e.ID, e.ReportedAt)
			}
			if e.OccurredAt.After(e.ReportedAt) || !e.Deadline.After(e.ReportedAt) || (!e.ClosedAt.IsZero() && !e.ClosedAt.After(e.ReportedAt)) {
				t.Errorf("event %s: times out of order", e.ID)
			}
			total[wm{e.WorkerID, d.Month()}]++
			if e.Flow == gs.FlowReported {
				reported[wm{e.WorkerID, d.Month()}]++
			}
		}
		for i := range r.Workers {
			w := &r.Workers[i]
			if w.Type != gs.FullTime {
				continue
			}
			for _, m := range q.Months() {
				full := true
				for d := m.First(); d <= m.Last(); d++ {
					if cal.IsWorkday("", d) && !duty(w, d) {
						full = false
					}
				}
				if !full {
					continue
				}
				fullMonths++
				if total[wm{w.ID, m.Month}] >= 56 {
					fullMonthsMet++
				}
				if reported[wm{w.ID, m.Month}] >= 8 {
					reportedMet++
				}
			}
		}
		logins := map[string]bool{}
		for _, l := range r.Logins {
			w := worker("login", l.WorkerID)
			if d := gs.DateOf(l.At); !duty(w, d) || !q.Contains(l.At) {
				t.Errorf("login of %s on %s, not a duty day", l.WorkerID, d)
			}
			key := fmt.Sprint(l.WorkerID, l.Channel, l.At.Unix())
			if logins[key] {
				t.Errorf("login %s twice", key)
			}
			logins[key] = true
		}
		for _, p := range r.Patrols {
			unique("patrol", p.ID)
			if w := worker("patrol", p.WorkerID); !duty(w, gs.DateOf(p.StartedAt)) || !q.Contains(p.StartedAt) {
				t.Errorf("patrol %s on %s, not a duty day", p.ID, p.StartedAt)
			}
		}
		persons := map[string]bool{}
		for _, p := range r.Register {
			unique("person", p.PersonID)
			persons[p.PersonID] = true
			if !grids[p.GridCode] || !p.EnteredAt.Before(q.Last().End()) {
				t.Errorf("person %s: grid %s, entered %s", p.PersonID, p.GridCode, p.EnteredAt)
			}
		}
		for _, ro := range r.Rosters {
			if !grids[ro.GridCode] || ro.ListedOn > q.Last() {
				t.Errorf("roster row %s: grid %s, listed %s", ro.PersonID, ro.GridCode, ro.ListedOn)
			}
		}
		late := 0
		for _, v := range r.Visits {
			unique("visit", v.ID)
			w := worker("visit", v.WorkerID)
			if !persons[v.PersonID] || !q.Contains(v.VisitedAt) || !w.InPost(gs.DateOf(v.VisitedAt)) {
				t.Errorf("visit %s of %s on %s", v.ID, v.PersonID, v.VisitedAt)
			}
			if gs.DateOf(v.VisitedAt).Day() > 28 {
				late++
			}
		}
		if late*20 > len(r.Visits) {
			t.Errorf("%d of %d visits after the 28th; most should be before", late, len(r.Visits))
		}
		meetings := map[string]bool{}
		for _, m := range r.Meetings {
			unique("meeting", m.ID)
			meetings[m.ID] = true
			if !q.ContainsDate(m.HeldOn) || !cal.IsWorkday("", m.HeldOn) {
				t.Errorf("meeting %s on %s", m.ID, m.HeldOn)
			}
		}
		for _, a := range r.Attendance {
			worker("attendance", a.WorkerID)
			if !meetings[a.MeetingID] {
				t.Errorf("attendance at unknown meeting %s", a.MeetingID)
			}
		}
		for _, f := range r.Findings {
			unique("finding", f.ID)
			worker("finding", f.WorkerID)
			if !q.ContainsDate(f.OccurredOn) || f.Count < 1 {
				t.Errorf("finding %s on %s, count %d", f.ID, f.OccurredOn, f.Count)
			}
		}
		for _, z := range r.Quizzes {
			unique("quiz", z.ID)
			worker("quiz", z.WorkerID)
			if !q.ContainsDate(z.TakenOn) {
				t.Errorf("quiz %s on %s", z.ID, z.TakenOn)
			}
		}
		perWorker := map[string]int{}
		for _, b := range r.Ballots {
			unique("ballot", b.ID)
			worker("ballot", b.WorkerID)
			perWorker[b.WorkerID]++
			if !q.Contains(b.CastAt) {
				t.Errorf("ballot %s cast %s", b.ID, b.CastAt)
			}
		}
		for id, n := range perWorker {
			if n < 8 || n > 25 {
				t.Errorf("%s has %d ballots", id, n)
			}
		}
		// About 1 % of 1,000–2,000 residents per grid.
		if n := len(r.Register) / len(r.Grids); n < 10 || n > 21 {
			t.Errorf("%d persons on the register per grid", n)
		}
	}
	if fullMonthsMet*100 < fullMonths*85 || reportedMet*100 < fullMonths*85 {
		t.Errorf("of %d full-time worker-months on duty throughout, %d have 56 events and %d have 8 reported; want most", fullMonths, fullMonthsMet, reportedMet)
	}
	if fullMonthsMet == fullMonths {
		t.Error("every full-time worker meets the quota every month; some should fall short")
	}
}

// checkOneWorkerPerGrid checks RULES.md §0: at most one worker in post in a
// grid on any day.
func checkOneWorkerPerGrid(t *testing.T, workers []gs.Worker) {
	t.Helper()
	byGrid := map[string][]gs.Worker{}
	for _, w := range workers {
		byGrid[w.GridCode] = append(byGrid[w.GridCode], w)
	}
	for code, ws := range byGrid {
		slices.SortFunc(ws, byHire)
		for i := 1; i < len(ws); i++ {
			if prev := ws[i-1]; prev.LeftOn.IsZero() || ws[i].HiredOn <= prev.LeftOn {
				t.Errorf("grid %s: %s and %s both in post on %s", code, prev.ID, ws[i].ID, ws[i].HiredOn)
			}
		}
	}
}
