package app_test

import (
	"slices"
	"time"

	gs "github.com/gridscore/gridscore"
)

// The changes of the differential test (live_update_test.go) to what the
// results of several workers rest on: meetings, the register, rosters,
// visits, grids, workers and calendar days.

// sharedMutations are the changes of what several workers' results rest
// on.
func (d *differential) sharedMutations() []mutation {
	return []mutation{
		// Meetings: held on another day, renamed; mostly one somebody
		// was absent from.
		func(now *gs.Records) (change, bool) {
			m, ok := pick(d, now.Meetings)
			absent := keep(now.Attendance, func(a gs.Attendance) bool { return a.Status == gs.StatusAbsent })
			if a, ok := pick(d, absent); ok && d.rnd.IntN(4) > 0 {
				m = now.Meetings[slices.IndexFunc(now.Meetings, func(m gs.Meeting) bool { return m.ID == a.MeetingID })]
			}
			if !ok {
				return change{}, false
			}
			m.HeldOn = d.day()
			if d.rnd.IntN(2) == 0 {
				m.Title += "（改）"
			}
			return put("meeting "+m.ID+" moved or renamed", &gs.Records{Meetings: []gs.Meeting{m}})
		},
		// Register: a person moved to another grid, entered at another
		// time, entered anew, deleted.
		func(now *gs.Records) (change, bool) {
			p, ok := pick(d, now.Register)
			g, ok2 := pick(d, now.Grids)
			if !ok || !ok2 {
				return change{}, false
			}
			p.GridCode = g.Code
			return put("person "+p.PersonID+" moved to "+g.Code, &gs.Records{Register: []gs.Person{p}})
		},
		func(now *gs.Records) (change, bool) {
			p, ok := pick(d, now.Register)
			if !ok {
				return change{}, false
			}
			p.EnteredAt = d.instant()
			return put("person "+p.PersonID+" entered at another time", &gs.Records{Register: []gs.Person{p}})
		},
		func(now *gs.Records) (change, bool) {
			p, ok := pick(d, now.Register)
			g, ok2 := pick(d, now.Grids)
			if !ok || !ok2 {
				return change{}, false
			}
			// Often a person some grid's roster lists, not yet entered.
			if x, ok := pick(d, now.Rosters); ok && d.rnd.IntN(2) == 0 && !registered(now, x.PersonID) {
				p.PersonID, p.Category = x.PersonID, x.Category
			} else {
				p.PersonID = d.newID("RY")
			}
			p.GridCode, p.EnteredAt, p.LeftAt = g.Code, d.instant(), time.Time{}
			return put("person "+p.PersonID+" entered in "+g.Code, &gs.Records{Register: []gs.Person{p}})
		},
		func(now *gs.Records) (change, bool) {
			p, ok := pick(d, now.Register)
			if !ok {
				return change{}, false
			}
			return del("person "+p.PersonID+" deleted", "register", p.PersonID)
		},
		// A person some grid's roster lists entered in another grid, in
		// time or late (RULES.md key.missing_entry).
		func(now *gs.Records) (change, bool) {
			x, ok := pick(d, keep(now.Rosters, func(x gs.RosterRow) bool { return !registered(now, x.PersonID) }))
			late := false
			if !ok || d.rnd.IntN(4) == 0 {
				x, ok = pick(d, now.Rosters)
				late = d.rnd.IntN(2) == 0
			}
			g, ok2 := pick(d, now.Grids)
			if !ok || !ok2 || g.Code == x.GridCode {
				return change{}, false
			}
			p := gs.Person{PersonID: x.PersonID, Category: x.Category, GridCode: g.Code,
				EnteredAt: x.ListedOn.Start().Add(d.hours(1, 12))}
			if late {
				p.EnteredAt = p.EnteredAt.Add(30 * 24 * time.Hour)
			}
			return put("person "+p.PersonID+" of "+x.GridCode+"'s roster entered in "+g.Code, &gs.Records{Register: []gs.Person{p}})
		},
		// Rosters: new (often of a person entered elsewhere), deleted, moved.
		func(now *gs.Records) (change, bool) {
			x, ok := pick(d, now.Rosters)
			g, ok2 := pick(d, now.Grids)
			if !ok || !ok2 {
				return change{}, false
			}
			if p, ok := pick(d, now.Register); ok && d.rnd.IntN(4) == 0 {
				x.PersonID, x.Category = p.PersonID, p.Category
			} else {
				x.PersonID = d.newID("MD")
			}
			x.GridCode, x.ListedOn = g.Code, d.day().AddDays(-5)
			return put("roster row of "+x.PersonID+" in "+g.Code, &gs.Records{Rosters: []gs.RosterRow{x}})
		},
		func(now *gs.Records) (change, bool) {
			x, ok := pick(d, now.Rosters)
			if !ok {
				return change{}, false
			}
			return del("roster row of "+x.PersonID+" deleted", "rosters", x.PersonID, x.ListedOn.String())
		},
		func(now *gs.Records) (change, bool) {
			x, ok := pick(d, now.Rosters)
			g, ok2 := pick(d, now.Grids)
			if !ok || !ok2 {
				return change{}, false
			}
			x.GridCode = g.Code
			return put("roster row of "+x.PersonID+" moved to "+g.Code, &gs.Records{Rosters: []gs.RosterRow{x}})
		},
		// Visits: new, deleted, of another person.
		func(now *gs.Records) (change, bool) {
			v, ok := pick(d, now.Visits)
			p, ok2 := pick(d, now.Register)
			if !ok || !ok2 {
				return change{}, false
			}
			v.ID, v.PersonID, v.WorkerID, v.VisitedAt = d.newID("ZF"), p.PersonID, d.worker(now), d.instant()
			return put("new visit of "+p.PersonID, &gs.Records{Visits: []gs.Visit{v}})
		},
		func(now *gs.Records) (change, bool) {
			v, ok := pick(d, now.Visits)
			if !ok {
				return change{}, false
			}
			return del("visit "+v.ID+" deleted", "visits", v.ID)
		},
		func(now *gs.Records) (change, bool) {
			v, ok := pick(d, now.Visits)
			p, ok2 := pick(d, now.Register)
			if !ok || !ok2 {
				return change{}, false
			}
			v.PersonID = p.PersonID
			return put("visit "+v.ID+" now of "+p.PersonID, &gs.Records{Visits: []gs.Visit{v}})
		},
		// Grids: moved to the other town (while its town keeps two),
		// renamed.
		func(now *gs.Records) (change, bool) {
			g, ok := pick(d, now.Grids)
			if !ok {
				return change{}, false
			}
			n := 0
			for _, o := range now.Grids {
				if o.Town == g.Town {
					n++
				}
			}
			if n <= 2 {
				return change{}, false
			}
			to := d.towns[0]
			if g.Town == to {
				to = d.towns[1]
			}
			g.Town = to
			return put("grid "+g.Code+" moved to "+g.Town, &gs.Records{Grids: []gs.Grid{g}})
		},
		func(now *gs.Records) (change, bool) {
			g, ok := pick(d, now.Grids)
			if !ok {
				return change{}, false
			}
			g.Name += "（改）"
			return put("grid "+g.Code+" renamed", &gs.Records{Grids: []gs.Grid{g}})
		},
		// Workers: moved to another grid, hired or leaving on another
		// day, of the other type, new, deleted.
		func(now *gs.Records) (change, bool) {
			w, ok := pick(d, now.Workers)
			g, ok2 := pick(d, now.Grids)
			if !ok || !ok2 {
				return change{}, false
			}
			w.GridCode = g.Code
			return put("worker "+w.ID+" moved to "+g.Code, &gs.Records{Workers: []gs.Worker{w}})
		},
		func(now *gs.Records) (change, bool) {
			w, ok := pick(d, now.Workers)
			if !ok {
				return change{}, false
			}
			switch d.rnd.IntN(3) {
			case 0:
				w.HiredOn = d.day().AddDays(-d.rnd.IntN(200))
			case 1:
				w.LeftOn = d.day()
			default:
				w.LeftOn = gs.Date(0)
			}
			return put("worker "+w.ID+" hired or leaving on another day", &gs.Records{Workers: []gs.Worker{w}})
		},
		func(now *gs.Records) (change, bool) {
			w, ok := pick(d, now.Workers)
			if !ok {
				return change{}, false
			}
			w.Type = map[gs.WorkerType]gs.WorkerType{gs.FullTime: gs.PartTime, gs.PartTime: gs.FullTime}[w.Type]
			return put("worker "+w.ID+" of the other type", &gs.Records{Workers: []gs.Worker{w}})
		},
		func(now *gs.Records) (change, bool) {
			w, ok := pick(d, now.Workers)
			g, ok2 := pick(d, now.Grids)
			if !ok || !ok2 {
				return change{}, false
			}
			w.ID, w.GridCode, w.HiredOn, w.LeftOn = d.newID("W"), g.Code, d.day().AddDays(-d.rnd.IntN(400)), gs.Date(0)
			return put("new worker "+w.ID+" in "+g.Code, &gs.Records{Workers: []gs.Worker{w}})
		},
		func(now *gs.Records) (change, bool) {
			w, ok := pick(d, now.Workers)
			if !ok || len(now.Workers) < 8 {
				return change{}, false
			}
			return del("worker "+w.ID+" deleted", "workers", w.ID)
		},
		// Calendar days: of a town, of the district.
		func(now *gs.Records) (change, bool) {
			town := d.towns[d.rnd.IntN(len(d.towns))]
			if d.rnd.IntN(3) == 0 {
				town = ""
			}
			kind := []gs.DayKind{gs.DayHoliday, gs.DayWorkday}[d.rnd.IntN(2)]
			c, _ := put("calendar day of "+town+" "+string(kind), &gs.Records{Calendar: []gs.CalendarDay{{Date: d.day(), Town: town, Kind: kind}}})
			c.whole = true
			return c, true
		},
	}
}

// registered reports whether person is on now's register.
func registered(now *gs.Records, person string) bool {
	for _, p := range now.Register {
		if p.PersonID == person {
			return true
		}
	}
	return false
}
