package store_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
)

func TestLoadWindow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		from, to := at(2023, 7, 1, 0, 0, 0), at(2023, 10, 1, 0, 0, 0) // 2023Q3
		ev := func(id string, reported, deadline time.Time) gridscore.Event {
			return gridscore.Event{ID: id, WorkerID: "W001", Flow: gridscore.FlowReported,
				Severity: gridscore.SeverityGeneral, ReportedAt: reported, Deadline: deadline}
		}
		var none time.Time
		recs := &gridscore.Records{
			Grids:   []gridscore.Grid{{Code: "G01", Name: "一网格", Town: "XX镇"}},
			Workers: []gridscore.Worker{{ID: "W001", Name: "张三", Type: gridscore.FullTime, GridCode: "G01", HiredOn: day(2019, 1, 1)}},
			Leaves:  []gridscore.Leave{{WorkerID: "W001", From: day(2020, 1, 1), To: day(2020, 1, 2)}},
			Events: []gridscore.Event{
				ev("E-in", at(2023, 7, 10, 9, 0, 0), none),
				ev("E-at-from", from, none),
				ev("E-deadline-in", at(2023, 6, 28, 9, 0, 0), at(2023, 7, 2, 17, 0, 0)),
				ev("E-out", at(2023, 6, 1, 9, 0, 0), at(2023, 6, 10, 17, 0, 0)),
				ev("E-before-no-deadline", at(2023, 6, 20, 9, 0, 0), none),
				ev("E-at-to", to, none),
			},
			Logins: []gridscore.Login{
				{WorkerID: "W001", Channel: gridscore.ChannelApp, At: from.Add(-time.Second)},
				{WorkerID: "W001", Channel: gridscore.ChannelApp, At: from},
				{WorkerID: "W001", Channel: gridscore.ChannelApp, At: to.Add(-time.Second)},
				{WorkerID: "W001", Channel: gridscore.ChannelApp, At: to},
			},
			Patrols: []gridscore.Patrol{
				{ID: "P-in", WorkerID: "W001", StartedAt: at(2023, 9, 30, 23, 0, 0)},
				{ID: "P-out", WorkerID: "W001", StartedAt: at(2023, 6, 30, 23, 0, 0), EndedAt: at(2023, 7, 1, 1, 0, 0)},
			},
			Visits: []gridscore.Visit{
				{ID: "V-in", PersonID: "R-1", WorkerID: "W001", VisitedAt: at(2023, 8, 1, 9, 0, 0)},
				{ID: "V-out", PersonID: "R-1", WorkerID: "W001", VisitedAt: at(2023, 10, 1, 9, 0, 0)},
			},
			Findings: []gridscore.Finding{
				{ID: "F-before", WorkerID: "W001", Kind: gridscore.FindingPhone, OccurredOn: day(2023, 6, 30), Count: 1},
				{ID: "F-first", WorkerID: "W001", Kind: gridscore.FindingPhone, OccurredOn: day(2023, 7, 1), Count: 1},
				{ID: "F-last", WorkerID: "W001", Kind: gridscore.FindingPhone, OccurredOn: day(2023, 9, 30), Count: 1},
				{ID: "F-after", WorkerID: "W001", Kind: gridscore.FindingPhone, OccurredOn: day(2023, 10, 1), Count: 1},
			},
			Quizzes: []gridscore.Quiz{
				{ID: "Q-in", WorkerID: "W001", TakenOn: day(2023, 9, 30)},
				{ID: "Q-out", WorkerID: "W001", TakenOn: day(2023, 10, 1)},
			},
			Ballots: []gridscore.Ballot{
				{ID: "B-in", WorkerID: "W001", RaterGroup: gridscore.RaterCadre, Rating: gridscore.RatingBasic, CastAt: at(2023, 9, 30, 23, 59, 59)},
				{ID: "B-out", WorkerID: "W001", RaterGroup: gridscore.RaterCadre, Rating: gridscore.RatingBasic, CastAt: at(2023, 6, 30, 23, 59, 59)},
			},
		}
		mustImport(t, db, recs)
		got := mustLoad(t, db, from, to)

		ids := func(n int, id func(int) string) []string {
			var out []string
			for i := range n {
				out = append(out, id(i))
			}
			return out
		}
		check := func(kind string, got, want []string) {
			t.Helper()
			if !slices.Equal(got, want) {
				t.Errorf("%s loaded for 2023Q3 = %q, want %q", kind, got, want)
			}
		}
		check("events", ids(len(got.Events), func(i int) string { return got.Events[i].ID }),
			[]string{"E-at-from", "E-deadline-in", "E-in"})
		check("logins", ids(len(got.Logins), func(i int) string { return got.Logins[i].At.Format("2006-01-02 15:04:05") }),
			[]string{"2023-07-01 00:00:00", "2023-09-30 23:59:59"})
		check("patrols", ids(len(got.Patrols), func(i int) string { return got.Patrols[i].ID }), []string{"P-in"})
		check("visits", ids(len(got.Visits), func(i int) string { return got.Visits[i].ID }), []string{"V-in"})
		check("findings", ids(len(got.Findings), func(i int) string { return got.Findings[i].ID }), []string{"F-first", "F-last"})
		check("quizzes", ids(len(got.Quizzes), func(i int) string { return got.Quizzes[i].ID }), []string{"Q-in"})
		check("ballots", ids(len(got.Ballots), func(i int) string { return got.Ballots[i].ID }), []string{"B-in"})
		// Reference tables come whole, whatever their dates.
		if len(got.Grids) != 1 || len(got.Workers) != 1 || len(got.Leaves) != 1 {
			t.Errorf("reference tables not loaded whole: %d grids, %d workers, %d leaves", len(got.Grids), len(got.Workers), len(got.Leaves))
		}
	})
}

func TestLoadEmptyStore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		got := mustLoad(t, db, everythingFrom, everythingTo)
		if d := diffRecords(got, &gridscore.Records{}); d != "" {
			t.Errorf("an empty store loads records:\n%s", d)
		}
	})
}

func TestConcurrentImportAndLoad(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.Target(t)
		// Two handles on one database, as the command line and the server
		// would have: writers must wait for each other, not fail.
		first := MustOpenTarget(t, target)
		if err := first.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		second := MustOpenTarget(t, target)

		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 10 {
			db := first
			if i%2 == 1 {
				db = second
			}
			wg.Go(func() {
				if _, err := db.Import(context.Background(), fullRecords(), nil); err != nil {
					errs <- err
				}
			})
			wg.Go(func() {
				if _, err := db.Load(context.Background(), everythingFrom, everythingTo); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent use: %v", err)
		}
		if d := diffRecords(mustLoad(t, first, everythingFrom, everythingTo), fullRecords()); d != "" {
			t.Errorf("records after concurrent imports:\n%s", d)
		}
	})
}

// Persons reads just the persons asked for, and CalendarDays the days
// that hold for a town: the district's and the town's own, not another
// town's.
func TestPersonsAndCalendarDays(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		ctx := context.Background()
		recs := fullRecords()
		if _, err := db.Import(ctx, recs, nil); err != nil {
			t.Fatal(err)
		}
		want := recs.Register[0]
		got, err := db.Persons(ctx, []string{want.PersonID, "no-such-person"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Errorf("Persons = %+v, want just %+v", got, want)
		}
		var district []gridscore.CalendarDay
		for _, c := range recs.Calendar {
			if c.Town == "" {
				district = append(district, c)
			}
		}
		for _, tc := range []struct {
			town string
			want []gridscore.CalendarDay
		}{
			{"", district},
			{"XX镇", recs.Calendar},
			{"YY镇", district},
		} {
			days, err := db.CalendarDays(ctx, tc.town)
			if err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(days, func(a, b gridscore.CalendarDay) int {
				return cmp.Or(cmp.Compare(a.Date, b.Date), strings.Compare(a.Town, b.Town))
			})
			if !reflect.DeepEqual(days, tc.want) || len(district) == len(recs.Calendar) {
				t.Errorf("CalendarDays(%q) = %+v, want %+v", tc.town, days, tc.want)
			}
		}
	})
}
