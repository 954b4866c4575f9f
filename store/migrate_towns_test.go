package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
)

// beforeTowns is the last schema version whose calendar days and meetings
// have no town (migration 00016 gives them one).
const beforeTowns = 15

// TestMigrateCalendarTowns stores two towns the way the schema before
// 00016 did, calendar days and meetings without towns, and migrates: every
// calendar day held for every town and becomes the district's, so the
// assessment of the store is byte for byte what it was, for the whole store
// and for each town read alone; a meeting attended by one town's workers
// becomes that town's, any other the district's.
func TestMigrateCalendarTowns(t *testing.T) {
	q := gs.Quarter{Year: 2023, Q: 3}
	opts := gen.Options{Workers: 450, Quarter: q, Seed: 5}
	// The old calendar: a Saturday made a workday (the generated workers
	// do not work on it), the generator's own Saturday, a Thursday off.
	oldDays := []gs.CalendarDay{
		{Date: gs.NewDate(2023, 7, 15), Kind: gs.DayWorkday, Name: "防汛值班"},
		{Date: gs.NewDate(2023, 8, 12), Kind: gs.DayWorkday, Name: "防汛应急值班"},
		{Date: gs.NewDate(2023, 9, 14), Kind: gs.DayHoliday, Name: "停电"},
	}
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenTarget(t, b.Target(t))
		if err := db.MigrateToForTest(ctx, beforeTowns); err != nil {
			t.Fatal(err)
		}
		all := &gs.Records{}
		var towns []string
		if err := gen.Generate(opts, func(r *gs.Records) error {
			towns = append(towns, r.Grids[0].Town)
			store.AppendRecords(all, r)
			rest := *r
			rest.Meetings, rest.Calendar = nil, nil // stored below, as the old schema held them
			_, err := db.Import(ctx, &rest, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(towns) < 2 {
			t.Fatalf("generated %d town; the test needs two", len(towns))
		}
		// Two meetings more: one attended by both towns' workers, one by
		// nobody. Each town's own meetings are attended by its workers.
		var w1, w2 string
		for _, w := range all.Workers {
			if t := townOfGrid(all, w.GridCode); t == towns[0] && w1 == "" {
				w1 = w.ID
			} else if t == towns[1] && w2 == "" {
				w2 = w.ID
			}
		}
		all.Meetings = append(all.Meetings,
			gs.Meeting{ID: "HY-ALL", HeldOn: gs.NewDate(2023, 9, 20), Title: "全区培训"},
			gs.Meeting{ID: "HY-NONE", HeldOn: gs.NewDate(2023, 9, 21), Title: "无人记录"})
		both := []gs.Attendance{{MeetingID: "HY-ALL", WorkerID: w1, Status: gs.StatusAbsent}, {MeetingID: "HY-ALL", WorkerID: w2, Status: gs.StatusPresent}}
		all.Attendance = append(all.Attendance, both...)
		for _, m := range all.Meetings {
			mustExec(t, db, fmt.Sprintf("INSERT INTO meetings (meeting_id, held_on, title, kind) VALUES ('%s', '%s', '%s', '%s')",
				m.ID, m.HeldOn, m.Title, m.Kind))
		}
		for _, a := range both {
			mustExec(t, db, fmt.Sprintf("INSERT INTO attendance (meeting_id, worker_id, status) VALUES ('%s', '%s', '%s')",
				a.MeetingID, a.WorkerID, a.Status))
		}
		for _, d := range oldDays {
			mustExec(t, db, fmt.Sprintf("INSERT INTO calendar (day, kind, name) VALUES ('%s', '%s', '%s')", d.Date, d.Kind, d.Name))
		}

		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		from, to := q.First().AddDays(-7).Start(), q.Last().End()
		loaded, err := db.Load(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(loaded.Calendar, oldDays) {
			t.Errorf("calendar after migrating = %+v, want the old days as the district's %+v", loaded.Calendar, oldDays)
		}
		for _, m := range loaded.Meetings {
			want := ""
			if strings.HasPrefix(m.ID, "T") { // a generated town's own: T0001-HY…
				want = townOfID(towns, m.ID)
			}
			if m.Town != want {
				t.Errorf("meeting %s: town %q after migrating, want %q", m.ID, m.Town, want)
			}
		}

		sc := scheme.Default()
		asOf := q.Last().End()
		assess := func(r *gs.Records, days []gs.CalendarDay) *gs.Result {
			return engine.Assess(engine.Input{Scheme: &sc, Calendar: calendar.New(days), Records: r, Quarter: q, AsOf: asOf})
		}
		store.SortRecords(all)
		before := mustJSON(t, assess(all, oldDays)) // each old day held for every worker
		if got := mustJSON(t, assess(loaded, loaded.Calendar)); got != before {
			t.Errorf("the migrated store assesses differently from the store before migrating")
		}
		if mustJSON(t, assess(all, nil)) == before {
			t.Errorf("the old calendar days change no result: the test proves nothing")
		}
		whole := assess(loaded, loaded.Calendar)
		for _, town := range towns {
			one, err := db.LoadTown(ctx, town, from, to)
			if err != nil {
				t.Fatal(err)
			}
			var want []gs.WorkerResult
			for _, w := range whole.Workers {
				if w.Town == town {
					want = append(want, w)
				}
			}
			if got := assess(one, one.Calendar).Workers; len(want) == 0 || mustJSON(t, got) != mustJSON(t, want) {
				t.Errorf("%s read alone assesses differently from the whole store", town)
			}
		}
	})
}

// townOfGrid returns the town of a grid of r.
func townOfGrid(r *gs.Records, grid string) string {
	for _, g := range r.Grids {
		if g.Code == grid {
			return g.Town
		}
	}
	return ""
}

// townOfID returns the generated town whose ids start like id
// (T0001-…): the towns are generated in the order of their numbers.
func townOfID(towns []string, id string) string {
	var n int
	if _, err := fmt.Sscanf(id, "T%04d-", &n); err != nil || n < 1 || n > len(towns) {
		return "?"
	}
	return towns[n-1]
}

func mustExec(t *testing.T, db *store.DB, query string) {
	t.Helper()
	if err := db.ExecForTest(context.Background(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
