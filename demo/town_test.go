package demo

import (
	"reflect"
	"regexp"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
)

func TestTownIsDeterministic(t *testing.T) {
	t.Parallel()
	if !reflect.DeepEqual(Town(1), Town(1)) {
		t.Error("Town(1) differs between two calls")
	}
	if reflect.DeepEqual(Town(1).Events, Town(2).Events) {
		t.Error("Town(1) and Town(2) have the same events; the seed does nothing")
	}
}

func TestTownHasEveryKind(t *testing.T) {
	t.Parallel()
	v := reflect.ValueOf(*Town(1))
	for i := range v.NumField() {
		if v.Field(i).Len() == 0 {
			t.Errorf("the town has no %s", v.Type().Field(i).Name)
		}
	}
}

func TestIDCheck(t *testing.T) {
	t.Parallel()
	// The worked example of GB 11643-1999.
	if c := idCheck("11010519491231002"); c != "X" {
		t.Errorf("idCheck(11010519491231002) = %s, want X", c)
	}
}

func TestRegisterPersons(t *testing.T) {
	t.Parallel()
	idRe := regexp.MustCompile(`^` + idArea + `(\d{8})\d{3}[\dX]$`)
	seen := map[string]bool{}
	for _, p := range Town(1).Register {
		m := idRe.FindStringSubmatch(p.IDNumber)
		switch {
		case m == nil:
			t.Errorf("%s: ID number %q is not of the fictional area %s", p.PersonID, p.IDNumber, idArea)
		case p.IDNumber[17:] != idCheck(p.IDNumber[:17]):
			t.Errorf("%s: ID number %q has a wrong check character", p.PersonID, p.IDNumber)
		case seen[p.IDNumber]:
			t.Errorf("%s: ID number %q used twice", p.PersonID, p.IDNumber)
		}
		seen[p.IDNumber] = true
		if n := len([]rune(p.Name)); n < 2 || n > 3 {
			t.Errorf("%s: name %q", p.PersonID, p.Name)
		}
	}
	if n := len(seen); n < 2*len(grids) || n > 5*len(grids)+len(registerChanges) {
		t.Errorf("%d persons on the register for %d grids, want a few per grid", n, len(grids))
	}
}

// TestDiligentDays checks the plan against the calendar: logins and patrols
// only on duty days, and on every duty day an app login and two patrols,
// except the gaps the profiles list.
func TestDiligentDays(t *testing.T) {
	t.Parallel()
	recs := Town(1)
	cal := calendar.New(recs.Calendar)
	g := &gen{cal: cal, recs: recs, byID: map[string]*gs.Worker{}, leaves: map[string][]gs.Leave{}}
	for i := range recs.Workers {
		g.byID[recs.Workers[i].ID] = &recs.Workers[i]
	}
	for _, l := range recs.Leaves {
		g.leaves[l.WorkerID] = append(g.leaves[l.WorkerID], l)
	}
	type key struct {
		id string
		d  gs.Date
	}
	app, patrols := map[key]int{}, map[key]int{}
	for _, l := range recs.Logins {
		d := gs.DateOf(l.At)
		if !g.isDuty(l.WorkerID, d) {
			t.Errorf("%s logs in on %s, not a duty day", l.WorkerID, d)
		}
		if l.Channel == gs.ChannelApp {
			app[key{l.WorkerID, d}]++
		}
	}
	for _, p := range recs.Patrols {
		d := gs.DateOf(p.StartedAt)
		if !g.isDuty(p.WorkerID, d) {
			t.Errorf("%s patrols on %s, not a duty day", p.WorkerID, d)
		}
		patrols[key{p.WorkerID, d}]++
	}
	for _, w := range recs.Workers {
		p := profiles[w.ID]
		miss := dateSet(p.missApp)
		for _, d := range g.dutyDays(w.ID, Quarter().First(), Quarter().Last()) {
			if app[key{w.ID, d}] == 0 && !miss[d] {
				t.Errorf("%s has no app login on duty day %s", w.ID, d)
			}
			want := 2
			for _, gap := range p.patrolGaps {
				if date(gap.day) == d && gap.kind == gapMissing {
					want--
				}
			}
			if n := patrols[key{w.ID, d}]; n != want {
				t.Errorf("%s has %d patrols on %s, want %d", w.ID, n, d, want)
			}
		}
	}
	for _, e := range recs.Events {
		if !Quarter().Contains(e.ReportedAt) {
			t.Errorf("event %s reported outside the quarter, at %s", e.ID, e.ReportedAt)
		}
		if !e.ClosedAt.IsZero() && (!e.ClosedAt.After(e.ReportedAt) || e.ClosedAt.After(AsOf())) {
			t.Errorf("event %s closed at %s, reported at %s", e.ID, e.ClosedAt, e.ReportedAt)
		}
		if e.OccurredAt.After(e.ReportedAt) {
			t.Errorf("event %s occurred after it was reported", e.ID)
		}
	}
}
