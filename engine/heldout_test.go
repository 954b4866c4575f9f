package engine_test

// Held-out towns (issue 11's check): random towns of refGenerate, with seeds
// the other randomized tests never draw, whose store holds only what existed
// at a moment inside the quarter. The records are cut to that moment
// (heldoutCut), imported into a fresh store (SQLite always, PostgreSQL too
// when GRIDSCORE_TEST_DSN is set), read back the way `gridscore assess` and
// the town pages read them (app.Service.Assess: store.DB.LoadChunked, once
// whole and once in ranges of two workers; app.Service.AssessTown:
// store.DB.LoadTown) and assessed as of that moment. Every worker's
// eligibility, total, categories, every rule's points and count, rank, pay
// and warnings (rule, period, points, due, evidence) must equal the
// reference's reading of RULES.md (reference_test.go,
// reference_warnings_test.go) on the same cut records, and the store round
// trip must change nothing: the engine on the cut records in memory gives
// the same workers, byte for byte, as the engine on the records read back.
//
// The moments are boundary-heavy: the first and last minute of a day, the
// quarter's first day, a month's first and last day, the 28th and 29th, the
// first day of the burst window, an event's deadline and an event's or a
// patrol's or a login's moment ± 1 minute, else any minute of any day.
//
// Sizes: heldoutTowns towns (a few seconds on SQLite); -short runs 4, and
// GRIDSCORE_HELDOUT_TOWNS=n runs n. Reproduce one town with
//
//	go test ./engine/ -run 'TestHeldOut/seed=1000017/' -v

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// heldoutTowns is how many towns the normal suite assesses, each at
// heldoutPerTown moments: in memory once, and from a store of each engine.
const (
	heldoutTowns   = 12
	heldoutPerTown = 2
)

// heldoutSeed0 is added to the town number: seeds far from those of
// TestDifferential and TestWarningsRandom, so these towns are held out.
const heldoutSeed0 = 1_000_000

func heldoutCount(t *testing.T) int {
	if s := os.Getenv("GRIDSCORE_HELDOUT_TOWNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("GRIDSCORE_HELDOUT_TOWNS=%q: want a positive number", s)
		}
		return n
	}
	if testing.Short() {
		return 4
	}
	return heldoutTowns
}

func TestHeldOut(t *testing.T) {
	n := heldoutCount(t)
	st := &refStats{rules: map[gs.RuleID]int{}, partial: map[gs.CategoryID]int{}, insideRules: map[gs.RuleID]int{}}
	seen := map[gs.RuleID]int{}
	for i := range n {
		seed := uint64(heldoutSeed0 + i + 1)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			c := refGenerate(seed)
			rng := rand.New(rand.NewPCG(seed, 0x4e1d0))
			for _, at := range heldoutMoments(rng, c, heldoutPerTown) {
				t.Run(refT(at), func(t *testing.T) {
					whole := heldoutKeyed(c.rec)
					heldoutCheck(t, c, whole, heldoutCut(whole, c.quarter, at), at, st, seen)
				})
			}
		})
	}
	if t.Failed() {
		return
	}
	t.Logf("%d towns × %d moments; %d workers listed, %d assessed; rules deducted %v; warnings %v",
		n, heldoutPerTown, st.listed, st.eligible, st.insideRules, seen)
	if n < heldoutTowns {
		return // too few towns to ask for coverage
	}
	for _, r := range []gs.RuleID{gs.RuleDisciplineLogin, gs.RuleDisciplinePatrol, gs.RuleEventsQuota, gs.RuleKeyVisits} {
		if st.insideRules[r] == 0 {
			t.Errorf("no held-out town had a %s deduction: the check no longer exercises it", r)
		}
	}
	for _, r := range []gs.RuleID{gs.RuleEventsQuota, gs.RuleDisciplineLogin, gs.RuleDisciplinePatrol} {
		if seen[r] == 0 {
			t.Errorf("no held-out town had a %s warning: the check no longer exercises it", r)
		}
	}
}

// heldoutCheck compares the engine on cut, the records of town c (whole,
// as a store holds them) that existed at moment at, with the reference,
// then stores cut in a fresh store of each engine (storetest.Backends, a
// subtest each), reads it back and compares as the file's comment says.
// The coverage (st, seen) is counted on the engine's result in memory,
// once whatever the engines; the store paths must give that result.
func heldoutCheck(t *testing.T, c *refCase, whole, cut *gs.Records, at time.Time, st *refStats, seen map[gs.RuleID]int) {
	t.Helper()
	cc := &refCase{seed: c.seed, scheme: c.scheme, rec: cut, quarter: c.quarter, asOf: at}
	mem := engine.Assess(engine.Input{Scheme: &cc.scheme, Calendar: calendar.New(cut.Calendar), Records: cut, Quarter: cc.quarter, AsOf: at})
	want := refAssess(&cc.scheme, calendar.New(nil), cut, cc.quarter, at)
	wantWarn := refWarnings(&cc.scheme, calendar.New(nil), cut, cc.quarter, at)
	refCompareResult(t, cc, "in memory", mem, want, st)
	warnCompare(t, "in memory", at, mem, wantWarn, seen)
	full := engine.Assess(engine.Input{Scheme: &c.scheme, Calendar: calendar.New(c.rec.Calendar), Records: whole, Quarter: c.quarter, AsOf: at})
	heldoutPast(t, at, mem, full)

	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			heldoutStored(t, b, cc, mem, want, wantWarn)
		})
	}
}

// heldoutStored imports cc's records into a fresh store of backend b and
// checks that each way of reading them back and assessing them as of
// cc.asOf gives the reference's result (want, wantWarn) and mem, the
// engine's result on the records in memory.
func heldoutStored(t *testing.T, b storetest.Backend, cc *refCase, mem *gs.Result, want map[string]*refOut, wantWarn map[string][]refWarning) {
	t.Helper()
	ctx, cut, at := context.Background(), cc.rec, cc.asOf
	db, err := store.OpenAndMigrate(ctx, b.Target(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Import(ctx, cut, nil); err != nil {
		t.Fatalf("import the records as of %s: %v", refT(at), err)
	}

	for _, path := range []struct {
		name string
		svc  *app.Service
	}{
		{"LoadChunked whole", &app.Service{DB: db, Scheme: cc.scheme}},
		{"LoadChunked by 2 workers", &app.Service{DB: smallChunks{db}, Scheme: cc.scheme}},
	} {
		res, err := path.svc.Assess(ctx, cc.quarter, at)
		if err != nil {
			t.Fatalf("%s: %v", path.name, err)
		}
		refCompareResult(t, cc, path.name, res, want, nil)
		warnCompare(t, path.name, at, res, wantWarn, nil)
		heldoutSame(t, path.name, mem.Workers, res.Workers)
	}

	// The town read: each town's workers, ranked within the town.
	svc := &app.Service{DB: db, Scheme: cc.scheme}
	var towns []string
	for _, g := range cut.Grids {
		if !slices.Contains(towns, g.Town) {
			towns = append(towns, g.Town)
		}
	}
	slices.Sort(towns)
	var byTown []gs.WorkerResult
	for _, town := range towns {
		res, err := svc.AssessTown(ctx, town, cc.quarter, at)
		if err != nil {
			t.Fatalf("LoadTown %s: %v", town, err)
		}
		byTown = append(byTown, res.Workers...)
	}
	refCompareResult(t, cc, "LoadTown", &gs.Result{Workers: byTown}, want, nil)
	warnCompare(t, "LoadTown", at, &gs.Result{Workers: byTown}, wantWarn, nil)
	heldoutSame(t, "LoadTown", mem.Workers, byTown)
}

// TestHeldOutQuarterEnd checks that the final result does not depend on the
// held-out path: as of a moment after the quarter, the store holding every
// record (no cut) gives the reference's result, and as of a moment after
// the town's last record the cut takes nothing away.
func TestHeldOutQuarterEnd(t *testing.T) {
	for seed := uint64(heldoutSeed0 + 1); seed <= heldoutSeed0+3; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			c := refGenerate(seed)
			whole := heldoutKeyed(c.rec)
			qLast := refQuarter(c.quarter)[2].last
			// A week after the quarter, as the center computes it.
			t.Run("a week after", func(t *testing.T) {
				heldoutCheck(t, c, whole, whole, refAt(qLast+8, 9, 0, 0), nil, nil)
			})
			// Long after every record of the generator (the latest: a
			// close twice a 15-day limit after a deadline of the month
			// after the quarter).
			late := refAt(qLast+120, 9, 0, 0)
			cut := heldoutCut(whole, c.quarter, late)
			in := func(r *gs.Records) *gs.Result {
				return engine.Assess(engine.Input{Scheme: &c.scheme, Calendar: calendar.New(r.Calendar), Records: r, Quarter: c.quarter, AsOf: late})
			}
			heldoutSame(t, fmt.Sprintf("seed %d: cut as of %s", seed, refT(late)), in(whole).Workers, in(cut).Workers)
			t.Run("long after", func(t *testing.T) {
				heldoutCheck(t, c, whole, cut, late, nil, nil)
			})
		})
	}
}

// heldoutPastRules are the rules whose standing rests only on records
// dated before as_of (RULES.md §9: elapsed days and months, and records
// dated on or before date(as_of)), so the records that came in later
// cannot change them: their points and counts on the cut records must be
// those on the whole town's. Not here: cards (an event closed after as_of
// is open in the cut), irregular, serious_late and satisfaction (every
// event or ballot of Q counts), and patrol (a patrol of an elapsed day
// still under way at as_of has no end in the cut).
var heldoutPastRules = []gs.RuleID{gs.RuleDisciplineLogin, gs.RuleEventsQuota, gs.RuleEventsBatch, gs.RuleKeyVisits,
	gs.RuleKeyMissingEntry, gs.RuleDisciplineMeeting, gs.RuleDisciplineQuiz, gs.RuleInfoStale, gs.RuleInfoIncomplete,
	gs.RuleEventsOmitGeneral, gs.RuleEventsOmitMajor, gs.RuleKeyLostControl, gs.RuleDisciplineItems,
	gs.RuleDisciplineInspect, gs.RuleDisciplineDisobey, gs.RuleDisciplinePhone}

// heldoutPastWarnings are the warnings that §9 computes from records at
// or before as_of alone. Not here: events.yellow and events.red (a card
// given is cleared in the cut until the deadline passes) and key.visits (a
// person who leaves the register between as_of and the 28th needs visits in
// the cut, not in the whole town).
var heldoutPastWarnings = []gs.RuleID{gs.RuleEventsQuota, gs.RuleKeyMissingEntry, gs.RuleDisciplineLogin, gs.RuleDisciplinePatrol}

// heldoutPast checks the cut itself against the whole town: what §9 judges
// from the past alone is the same on the records a store held at as_of
// (cut) as on every record of the quarter (full).
func heldoutPast(t *testing.T, at time.Time, cut, full *gs.Result) {
	t.Helper()
	type sum struct {
		points gs.Points
		count  int
	}
	byRule := func(w *gs.WorkerResult) map[string]sum {
		m := map[string]sum{}
		for _, d := range w.Deductions {
			if slices.Contains(heldoutPastRules, d.Rule) {
				x := m["deduction "+string(d.Rule)]
				m["deduction "+string(d.Rule)] = sum{x.points + d.Points, x.count + d.Count}
			}
		}
		if w.Warnings != nil {
			for _, x := range *w.Warnings {
				if slices.Contains(heldoutPastWarnings, x.Rule) {
					k := "warning " + string(x.Rule) + " due " + refT(x.Due)
					m[k] = sum{m[k].points + x.Points, m[k].count + 1}
				}
			}
		}
		return m
	}
	whole := map[string]*gs.WorkerResult{}
	for i := range full.Workers {
		whole[full.Workers[i].WorkerID] = &full.Workers[i]
	}
	for i := range cut.Workers {
		w := &cut.Workers[i]
		f := whole[w.WorkerID]
		if f == nil {
			t.Errorf("as of %s: %s is listed on the cut records only", refT(at), w.WorkerID)
			continue
		}
		if a, b := byRule(w), byRule(f); !maps.Equal(a, b) {
			t.Errorf("as of %s: %s's standing from the past differs:\n cut  %v\n full %v", refT(at), w.WorkerID, a, b)
		}
	}
	if len(cut.Workers) != len(full.Workers) {
		t.Errorf("as of %s: %d workers listed on the cut records, %d on the whole town's", refT(at), len(cut.Workers), len(full.Workers))
	}
}

// smallChunks is the store read in ranges of two workers, as a province's
// store is read in ranges of app's rangeWorkers.
type smallChunks struct{ *store.DB }

func (s smallChunks) LoadChunked(ctx context.Context, from, to time.Time, _, _ int,
	shared func(*gs.Records) error, each func(*gs.Records) error) error {
	return s.DB.LoadChunked(ctx, from, to, 0, 2, shared, each)
}

// heldoutSame fails unless the store path's workers are, as JSON, those of
// the engine on the records in memory.
func heldoutSame(t *testing.T, path string, mem, got []gs.WorkerResult) {
	t.Helper()
	a, err := json.Marshal(mem)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("%s: the store round trip changed the result:\n in memory %s\n read back %s", path, a, b)
	}
}

// heldoutMoments picks n moments inside the quarter of c, most on a
// boundary where what is due or what exists changes.
func heldoutMoments(rng *rand.Rand, c *refCase, n int) []time.Time {
	months := refQuarter(c.quarter)
	first, end := months[0].first.start(), (months[2].last + 1).start()
	pick := func(xs []time.Time) time.Time { return xs[rng.IntN(len(xs))] }
	day := func() refDay {
		m := months[rng.IntN(3)]
		return []refDay{months[0].first, m.first, m.last, m.day(28), m.day(29), m.last - refDay(c.scheme.BatchDays) + 1,
			m.first + refDay(rng.IntN(int(m.last-m.first+1)))}[rng.IntN(7)]
	}
	clock := func() time.Duration {
		return []time.Duration{0, 59 * time.Second, time.Minute, 23*time.Hour + 59*time.Minute, 24*time.Hour - time.Second,
			time.Duration(rng.IntN(24*60)) * time.Minute}[rng.IntN(6)]
	}
	// The moments records begin or end: deadlines, reports, closes, patrol
	// ends, logins.
	var marks []time.Time
	for _, e := range c.rec.Events {
		for _, x := range []time.Time{e.Deadline, e.ReportedAt, e.ClosedAt} {
			if !x.IsZero() {
				marks = append(marks, x)
			}
		}
	}
	for _, p := range c.rec.Patrols {
		if !p.EndedAt.IsZero() {
			marks = append(marks, p.EndedAt)
		}
	}
	for _, l := range c.rec.Logins {
		marks = append(marks, l.At)
	}
	var out []time.Time
	for len(out) < n {
		var at time.Time
		if rng.IntN(3) == 0 && len(marks) > 0 {
			at = pick(marks).Add(time.Duration(rng.IntN(3)-1) * time.Minute)
		} else {
			at = day().start().Add(clock())
		}
		if !at.Before(first) && at.Before(end) && !slices.ContainsFunc(out, at.Equal) {
			out = append(out, at)
		}
	}
	return out
}

// heldoutCut returns what a store would hold at moment asOf of quarter q
// had the records come in as they happened (RULES.md, DATA.md), a copy;
// recs is not changed.
//
//   - Events reported at or before asOf; a closed_at after asOf is cleared
//     (the event is open then). A card has no timestamp; RULES.md §3 has the
//     platform issue it to an overdue event, so a given card is kept when
//     the event has no deadline or its deadline is before asOf, and cleared
//     while the deadline is not passed (the platform could not have issued
//     it yet). Whether a red card had yet replaced the yellow one is not
//     known: the card is kept as given. The irregular mark is a reviewer's,
//     untimed, and kept.
//   - Logins, visits and ballots at or before asOf.
//   - Patrols started at or before asOf; an ended_at after asOf is cleared
//     (a patrol under way has no end yet).
//   - Register entries entered at or before asOf; a left_at after asOf is
//     cleared.
//   - Roster rows listed on or before date(asOf); findings, spot checks and
//     meetings (with their attendance) dated on or before date(asOf).
//     Attendance of a meeting the store does not hold is dropped.
//   - Workers, grids, leaves and the calendar are kept whole: they are
//     plans, approved ahead (a hire date, a last day, a leave, a holiday),
//     so the store holds them before their dates come.
//
// When asOf is at or after the end of q nothing is cut that the quarter's
// result could see (TestHeldOutQuarterEnd).
func heldoutCut(recs *gs.Records, q gs.Quarter, asOf time.Time) *gs.Records {
	_ = q
	today := refDayOf(asOf)
	dated := func(d gs.Date) bool { return refMustDay(d) <= today }
	upTo := func(x time.Time) bool { return !x.After(asOf) }
	out := &gs.Records{
		Workers:  slices.Clone(recs.Workers),
		Grids:    slices.Clone(recs.Grids),
		Leaves:   heldoutLastByKey(recs.Leaves, func(l gs.Leave) string { return l.WorkerID + "\x00" + l.From.String() }),
		Calendar: heldoutLastByKey(recs.Calendar, func(c gs.CalendarDay) string { return c.Date.String() }),
	}
	for _, e := range recs.Events {
		if !upTo(e.ReportedAt) {
			continue
		}
		if !upTo(e.ClosedAt) {
			e.ClosedAt = time.Time{}
		}
		if e.Card != "" && !e.Deadline.IsZero() && !e.Deadline.Before(asOf) {
			e.Card = ""
		}
		out.Events = append(out.Events, e)
	}
	out.Logins = refFilter(recs.Logins, func(l gs.Login) bool { return upTo(l.At) })
	out.Visits = refFilter(recs.Visits, func(v gs.Visit) bool { return upTo(v.VisitedAt) })
	out.Ballots = refFilter(recs.Ballots, func(b gs.Ballot) bool { return upTo(b.CastAt) })
	for _, p := range recs.Patrols {
		if !upTo(p.StartedAt) {
			continue
		}
		if !upTo(p.EndedAt) {
			p.EndedAt = time.Time{}
		}
		out.Patrols = append(out.Patrols, p)
	}
	for _, p := range recs.Register {
		if !upTo(p.EnteredAt) {
			continue
		}
		if !upTo(p.LeftAt) {
			p.LeftAt = time.Time{}
		}
		out.Register = append(out.Register, p)
	}
	out.Rosters = refFilter(recs.Rosters, func(r gs.RosterRow) bool { return dated(r.ListedOn) })
	out.Findings = refFilter(recs.Findings, func(f gs.Finding) bool { return dated(f.OccurredOn) })
	out.Quizzes = refFilter(recs.Quizzes, func(x gs.Quiz) bool { return dated(x.TakenOn) })
	out.Meetings = refFilter(recs.Meetings, func(m gs.Meeting) bool { return dated(m.HeldOn) })
	held := map[string]bool{}
	for _, m := range out.Meetings {
		held[m.ID] = true
	}
	out.Attendance = refFilter(recs.Attendance, func(a gs.Attendance) bool { return held[a.MeetingID] })
	return out
}

// heldoutKeyed returns recs as a store holds them, one row per key of
// DATA.md §1, the last one imported: the generator may give two roster rows
// of one person and listed_on, two leaves of one worker from one day, or
// two calendar days of one date (one town's store here).
func heldoutKeyed(recs *gs.Records) *gs.Records {
	out := *recs
	out.Leaves = heldoutLastByKey(recs.Leaves, func(l gs.Leave) string { return l.WorkerID + "\x00" + l.From.String() })
	out.Calendar = heldoutLastByKey(recs.Calendar, func(c gs.CalendarDay) string { return c.Date.String() })
	out.Rosters = heldoutLastByKey(recs.Rosters, func(r gs.RosterRow) string { return r.PersonID + "\x00" + r.ListedOn.String() })
	return &out
}

// heldoutLastByKey keeps, of the rows with one key, the last, where the
// first stood.
func heldoutLastByKey[T any](xs []T, key func(T) string) []T {
	var out []T
	at := map[string]int{}
	for _, x := range xs {
		k := key(x)
		if i, ok := at[k]; ok {
			out[i] = x
			continue
		}
		at[k] = len(out)
		out = append(out, x)
	}
	return out
}
