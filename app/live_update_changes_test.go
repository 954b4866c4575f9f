package app_test

import (
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// The random changes of the differential test (live_update_test.go): every
// kind of record written anew, changed in what a result looks at, moved to
// another worker, person or grid, and deleted; grids moved to the other
// town, workers to another grid; calendar days of a town and of the
// district. New records are copies of stored ones with new ids, so that
// their values are those the generator makes.

// change is one change of the differential test: what it is, the change,
// and whether it concerns every worker of a town (the calendar).
type change struct {
	what  string
	ch    store.RecordChange
	whole bool
}

// pick returns a random element of s, false when s is empty.
func pick[T any](d *differential, s []T) (T, bool) {
	var zero T
	if len(s) == 0 {
		return zero, false
	}
	return s[d.rnd.IntN(len(s))], true
}

// put is a change writing recs.
func put(what string, recs *gs.Records) (change, bool) {
	return change{what: what, ch: store.RecordChange{Put: recs}}, true
}

// del is a change deleting one record.
func del(what, kind string, key ...string) (change, bool) {
	return change{what: what, ch: store.RecordChange{Delete: []store.RecordKey{{Kind: kind, Key: key}}}}, true
}

// instant returns a random moment of the quarter, or of the week before it.
func (d *differential) instant() time.Time {
	first := d.q.First().AddDays(-7).Start()
	span := d.q.Last().End().Sub(first)
	return first.Add(time.Duration(d.rnd.Int64N(int64(span/time.Minute))) * time.Minute).Truncate(time.Minute)
}

// day returns a random date of the quarter.
func (d *differential) day() gs.Date { return gs.DateOf(d.instant()) }

// hours returns a random duration of lo to hi hours.
func (d *differential) hours(lo, hi int) time.Duration {
	return time.Duration(lo+d.rnd.IntN(hi-lo+1)) * time.Hour
}

// worker returns a random worker's id.
func (d *differential) worker(now *gs.Records) string {
	w, _ := pick(d, now.Workers)
	return w.ID
}

// change returns a random change of the records now stored: half the
// time of a worker's own records, half of what results of several workers
// rest on (where the versions have more to get right).
func (d *differential) change(now *gs.Records) change {
	own, shared := d.mutations()
	if d.inTurn {
		all := append(own, shared...)
		for {
			d.turn++
			if c, ok := all[d.turn%len(all)](now); ok {
				return c
			}
		}
	}
	for {
		muts := own
		if d.rnd.IntN(2) == 0 {
			muts = shared
		}
		if c, ok := muts[d.rnd.IntN(len(muts))](now); ok {
			return c
		}
	}
}

// kinds is how many kinds of change there are.
func (d *differential) kinds() int {
	own, shared := d.mutations()
	return len(own) + len(shared)
}

// mutation is one kind of change; it returns false when there is nothing
// to change.
type mutation func(now *gs.Records) (change, bool)

// mutations lists the kinds of change: of a worker's own records, and of
// the rest.
func (d *differential) mutations() (own, shared []mutation) {
	return d.ownMutations(), d.sharedMutations()
}

// ownMutations are the changes of a worker's own records.
func (d *differential) ownMutations() []mutation {
	return []mutation{
		// Events: closed, reopened, deadline moved, new, deleted, moved.
		func(now *gs.Records) (change, bool) {
			e, ok := pick(d, now.Events)
			if !ok {
				return change{}, false
			}
			switch {
			case e.ClosedAt.IsZero():
				e.ClosedAt = e.ReportedAt.Add(d.hours(1, 150))
			case d.rnd.IntN(4) == 0:
				e.ClosedAt = time.Time{}
			default:
				e.ClosedAt = e.ReportedAt.Add(d.hours(1, 150))
			}
			return put("event "+e.ID+" closed at another time or reopened", &gs.Records{Events: []gs.Event{e}})
		},
		func(now *gs.Records) (change, bool) {
			e, ok := pick(d, now.Events)
			if !ok || e.Deadline.IsZero() {
				return change{}, false
			}
			e.Deadline = e.ReportedAt.Add(d.hours(2, 120))
			return put("event "+e.ID+"'s deadline moved", &gs.Records{Events: []gs.Event{e}})
		},
		func(now *gs.Records) (change, bool) {
			e, ok := pick(d, now.Events)
			if !ok {
				return change{}, false
			}
			e.ID, e.WorkerID = d.newID("SJ"), d.worker(now)
			e.ReportedAt = d.instant()
			e.OccurredAt = e.ReportedAt.Add(-d.hours(0, 30))
			if !e.Deadline.IsZero() {
				e.Deadline = e.ReportedAt.Add(d.hours(4, 96))
			}
			e.ClosedAt = time.Time{}
			if d.rnd.IntN(2) == 0 {
				e.ClosedAt = e.ReportedAt.Add(d.hours(1, 150))
			}
			return put("new event "+e.ID+" of "+e.WorkerID, &gs.Records{Events: []gs.Event{e}})
		},
		func(now *gs.Records) (change, bool) {
			e, ok := pick(d, now.Events)
			if !ok {
				return change{}, false
			}
			return del("event "+e.ID+" deleted", "events", e.ID)
		},
		func(now *gs.Records) (change, bool) {
			e, ok := pick(d, now.Events)
			if !ok {
				return change{}, false
			}
			e.WorkerID = d.worker(now)
			return put("event "+e.ID+" moved to "+e.WorkerID, &gs.Records{Events: []gs.Event{e}})
		},
		// Logins (their key holds the worker: moved means new).
		func(now *gs.Records) (change, bool) {
			l, ok := pick(d, now.Logins)
			if !ok {
				return change{}, false
			}
			l.WorkerID = d.worker(now)
			l.At = d.day().Start().Add(d.hours(7, 20))
			return put("new login of "+l.WorkerID, &gs.Records{Logins: []gs.Login{l}})
		},
		// Patrols: new, deleted, moved.
		func(now *gs.Records) (change, bool) {
			p, ok := pick(d, now.Patrols)
			if !ok {
				return change{}, false
			}
			p.ID, p.WorkerID = d.newID("XC"), d.worker(now)
			p.StartedAt = d.day().Start().Add(d.hours(7, 18))
			p.EndedAt = p.StartedAt.Add(d.hours(1, 5))
			return put("new patrol of "+p.WorkerID, &gs.Records{Patrols: []gs.Patrol{p}})
		},
		func(now *gs.Records) (change, bool) {
			p, ok := pick(d, now.Patrols)
			if !ok {
				return change{}, false
			}
			return del("patrol "+p.ID+" deleted", "patrols", p.ID)
		},
		func(now *gs.Records) (change, bool) {
			p, ok := pick(d, now.Patrols)
			if !ok {
				return change{}, false
			}
			p.WorkerID = d.worker(now)
			return put("patrol "+p.ID+" moved to "+p.WorkerID, &gs.Records{Patrols: []gs.Patrol{p}})
		},
		// Leaves: new, deleted.
		func(now *gs.Records) (change, bool) {
			from := d.day()
			l := gs.Leave{WorkerID: d.worker(now), From: from, To: from.AddDays(d.rnd.IntN(4)), Reason: "病假"}
			return put("new leave of "+l.WorkerID, &gs.Records{Leaves: []gs.Leave{l}})
		},
		func(now *gs.Records) (change, bool) {
			l, ok := pick(d, now.Leaves)
			if !ok {
				return change{}, false
			}
			return del("leave of "+l.WorkerID+" deleted", "leaves", l.WorkerID, l.From.String())
		},
		// Findings: new, deleted, moved.
		func(now *gs.Records) (change, bool) {
			kinds := []gs.FindingKind{gs.FindingInfoStale, gs.FindingOmitGeneral, gs.FindingOmitMajor, gs.FindingLostControl,
				gs.FindingInspection, gs.FindingDisobey, gs.FindingPhone}
			f := gs.Finding{ID: d.newID("HC"), WorkerID: d.worker(now), Kind: kinds[d.rnd.IntN(len(kinds))],
				OccurredOn: d.day(), Count: 1 + d.rnd.IntN(2)}
			return put("new finding "+string(f.Kind)+" of "+f.WorkerID, &gs.Records{Findings: []gs.Finding{f}})
		},
		func(now *gs.Records) (change, bool) {
			f, ok := pick(d, now.Findings)
			if !ok {
				return change{}, false
			}
			return del("finding "+f.ID+" deleted", "findings", f.ID)
		},
		func(now *gs.Records) (change, bool) {
			f, ok := pick(d, now.Findings)
			if !ok {
				return change{}, false
			}
			f.WorkerID = d.worker(now)
			return put("finding "+f.ID+" moved to "+f.WorkerID, &gs.Records{Findings: []gs.Finding{f}})
		},
		// Quizzes and ballots: new, deleted.
		func(now *gs.Records) (change, bool) {
			z := gs.Quiz{ID: d.newID("CC"), WorkerID: d.worker(now), TakenOn: d.day(), WrongAnswers: d.rnd.IntN(4)}
			return put("new quiz of "+z.WorkerID, &gs.Records{Quizzes: []gs.Quiz{z}})
		},
		func(now *gs.Records) (change, bool) {
			z, ok := pick(d, now.Quizzes)
			if !ok {
				return change{}, false
			}
			return del("quiz "+z.ID+" deleted", "quiz", z.ID)
		},
		func(now *gs.Records) (change, bool) {
			b, ok := pick(d, now.Ballots)
			if !ok {
				return change{}, false
			}
			b.ID, b.WorkerID = d.newID("PJ"), d.worker(now)
			b.Rating = gs.Ratings[d.rnd.IntN(len(gs.Ratings))]
			b.CastAt = d.instant()
			return put("new ballot for "+b.WorkerID, &gs.Records{Ballots: []gs.Ballot{b}})
		},
		func(now *gs.Records) (change, bool) {
			b, ok := pick(d, now.Ballots)
			if !ok {
				return change{}, false
			}
			return del("ballot "+b.ID+" deleted", "ballots", b.ID)
		},
		// Attendance: set, deleted.
		func(now *gs.Records) (change, bool) {
			m, ok := pick(d, now.Meetings)
			if !ok {
				return change{}, false
			}
			statuses := []gs.AttendanceStatus{gs.StatusAbsent, gs.StatusPresent, gs.StatusLeave}
			a := gs.Attendance{MeetingID: m.ID, WorkerID: d.worker(now), Status: statuses[d.rnd.IntN(3)]}
			return put(a.WorkerID+" "+string(a.Status)+" at "+m.ID, &gs.Records{Attendance: []gs.Attendance{a}})
		},
		func(now *gs.Records) (change, bool) {
			a, ok := pick(d, now.Attendance)
			if !ok {
				return change{}, false
			}
			return del("attendance of "+a.WorkerID+" at "+a.MeetingID+" deleted", "attendance", a.MeetingID, a.WorkerID)
		},
	}
}
