package store_test

import (
	"context"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// TestDataVersionRaisedByEveryChange: an import and a record changed by hand
// each raise the records' version; reading does not. A live result is given
// back only for its exact key.
func TestDataVersionRaisedByEveryChange(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		version := func() int64 {
			t.Helper()
			v, err := db.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		v0 := version()
		recs := &gs.Records{
			Grids:   []gs.Grid{{Code: "G1", Name: "一网格", Town: "青山镇"}},
			Workers: []gs.Worker{{ID: "W1", Name: "王一", Type: gs.FullTime, GridCode: "G1", HiredOn: gs.NewDate(2020, 1, 1)}},
		}
		mustImport(t, db, recs)
		v1 := version()
		if v1 <= v0 {
			t.Fatalf("an import left the version at %d (was %d)", v1, v0)
		}
		if _, err := db.Load(ctx, time.Unix(0, 0), time.Now()); err != nil {
			t.Fatal(err)
		}
		if version() != v1 {
			t.Fatal("a read raised the version")
		}
		leave := &gs.Records{Leaves: []gs.Leave{{WorkerID: "W1", From: gs.NewDate(2023, 7, 3), To: gs.NewDate(2023, 7, 4)}}}
		if err := db.ChangeRecords(ctx, store.RecordChange{Put: leave, New: true}); err != nil {
			t.Fatal(err)
		}
		v2 := version()
		if v2 <= v1 {
			t.Fatalf("a leave entered by hand left the version at %d (was %d)", v2, v1)
		}

		asOf := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)
		key := store.LiveKey{Town: "青山镇", Quarter: "2023Q3", AsOf: asOf, Version: v2, Scheme: "s"}
		res := &gs.Result{Quarter: "2023Q3", AsOf: asOf, Scheme: "s", Workers: []gs.WorkerResult{{WorkerID: "W1", Name: "王一"}}, Notes: []string{"说明"}}
		if err := db.SaveLiveResult(ctx, key, res, asOf); err != nil {
			t.Fatal(err)
		}
		got, err := db.LiveResult(ctx, key)
		if err != nil || got == nil || got.Workers[0].Name != "王一" || len(got.Notes) != 1 {
			t.Fatalf("kept live result: %+v, err %v", got, err)
		}
		for _, other := range []store.LiveKey{
			{Town: "青山镇", Quarter: "2023Q3", AsOf: asOf, Version: v1, Scheme: "s"},
			{Town: "青山镇", Quarter: "2023Q3", AsOf: asOf.Add(time.Minute), Version: v2, Scheme: "s"},
			{Town: "青山镇", Quarter: "2023Q3", AsOf: asOf, Version: v2, Scheme: "other"},
			{Town: "白石镇", Quarter: "2023Q3", AsOf: asOf, Version: v2, Scheme: "s"},
		} {
			if got, err := db.LiveResult(ctx, other); err != nil || got != nil {
				t.Errorf("%+v was given the result kept for %+v (err %v)", other, key, err)
			}
		}
		// Saved again (another server, another moment): the later one stays.
		key.AsOf = asOf.Add(time.Hour)
		if err := db.SaveLiveResult(ctx, key, res, asOf); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.LiveResult(ctx, key); got == nil {
			t.Error("the result saved again is not given")
		}
	})
}

// TestDataVersionKeptByUnchangedImport: importing again what is stored
// changes nothing, so the live results computed from it stay valid.
func TestDataVersionKeptByUnchangedImport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		recs := &gs.Records{
			Grids:   []gs.Grid{{Code: "G1", Name: "一网格", Town: "青山镇"}},
			Workers: []gs.Worker{{ID: "W1", Name: "王一", Type: gs.FullTime, GridCode: "G1", HiredOn: gs.NewDate(2020, 1, 1)}},
		}
		mustImport(t, db, recs)
		before, err := db.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mustImport(t, db, recs)
		if after, err := db.DataVersion(ctx); err != nil || after != before {
			t.Errorf("version %d after importing the same records again (%v), want %d", after, err, before)
		}
	})
}

// TestLiveResultMoments: the last few moments of a town's quarter are kept
// side by side (the next one computed ahead does not push out the one the
// pages show); a settled result serves later moments of the same records,
// with the later moment, and no earlier one; a change to the records drops
// them all.
func TestLiveResultMoments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		v, err := db.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		base := time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST)
		key := func(asOf time.Time) store.LiveKey {
			return store.LiveKey{Town: "青山镇", Quarter: "2023Q3", AsOf: asOf, Version: v, Scheme: "s"}
		}
		save := func(asOf time.Time, settled bool) {
			t.Helper()
			res := &gs.Result{Quarter: "2023Q3", AsOf: asOf, Scheme: "s", Settled: settled,
				Workers: []gs.WorkerResult{{WorkerID: "W1", Name: asOf.Format("15:04")}}}
			if err := db.SaveLiveResult(ctx, key(asOf), res, asOf); err != nil {
				t.Fatal(err)
			}
		}
		get := func(asOf time.Time) *gs.Result {
			t.Helper()
			res, err := db.LiveResult(ctx, key(asOf))
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		save(base, false)
		save(base.Add(5*time.Minute), false) // the next moment, ahead
		if got := get(base); got == nil || got.Workers[0].Name != "09:00" {
			t.Fatalf("the moment the pages show was pushed out by the next one: %+v", got)
		}
		if got := get(base.Add(10 * time.Minute)); got != nil {
			t.Fatalf("a result that is not settled served a later moment: %+v", got)
		}
		for i := 2; i <= 6; i++ {
			save(base.Add(time.Duration(i)*5*time.Minute), false)
		}
		if get(base) != nil || get(base.Add(15*time.Minute)) == nil {
			t.Error("not the last four moments are kept")
		}

		over := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)
		save(over, true)
		later := over.Add(30 * 24 * time.Hour)
		got := get(later)
		if got == nil || !got.Settled || !got.AsOf.Equal(later) || got.Workers[0].Name != "09:00" {
			t.Fatalf("a settled result does not serve a later moment with that moment: %+v", got)
		}
		if get(over.Add(-time.Hour)) != nil {
			t.Error("a settled result served an earlier moment")
		}
		// A result settled from before its own moment (the last event
		// judged closed on 20 October) serves the moments from then on.
		from, at := time.Date(2023, 10, 20, 10, 0, 30, 0, gs.CST), time.Date(2023, 11, 30, 17, 0, 0, 0, gs.CST)
		if err := db.SaveLiveResult(ctx, key(at), &gs.Result{Quarter: "2023Q3", AsOf: at, Scheme: "s", Settled: true, SettledFrom: from,
			Workers: []gs.WorkerResult{{WorkerID: "W1", Name: "settled from 20 October"}}}, at); err != nil {
			t.Fatal(err)
		}
		for _, m := range []time.Time{from, from.Add(time.Hour), at.Add(24 * time.Hour)} {
			if got := get(m); got == nil || got.Workers[0].Name != "settled from 20 October" || !got.SettledFrom.Equal(from) || !got.AsOf.Equal(m) {
				t.Errorf("as of %s the result settled from %s is not given: %+v", m, from, got)
			}
		}
		if got := get(from.Add(-time.Second)); got != nil && got.Workers[0].Name == "settled from 20 October" {
			t.Errorf("a second before %s the result settled from then is given", from)
		}
		// Results of other rules stay beside them (a command line assessing
		// by a trial scheme while a server keeps its own) for a day.
		trial := store.LiveKey{Town: "青山镇", Quarter: "2023Q3", AsOf: at.Add(time.Minute), Version: v, Scheme: "trial"}
		if err := db.SaveLiveResult(ctx, trial, &gs.Result{Quarter: "2023Q3", AsOf: trial.AsOf, Scheme: "trial"}, at); err != nil {
			t.Fatal(err)
		}
		save(at.Add(2*time.Minute), false)
		if got := get(at.Add(24 * time.Hour)); got == nil {
			t.Error("a result of other rules pushed out the kept ones")
		}
		if got, err := db.LiveResult(ctx, trial); err != nil || got == nil {
			t.Errorf("the trial scheme's result was dropped when another was saved (err %v)", err)
		}
		if err := db.SaveLiveResult(ctx, key(at.Add(3*time.Minute)), &gs.Result{Quarter: "2023Q3", Scheme: "s"}, at.Add(25*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, err := db.LiveResult(ctx, trial); err != nil || got != nil {
			t.Errorf("the trial scheme's result outlived a day (err %v)", err)
		}
		mustImport(t, db, &gs.Records{Grids: []gs.Grid{{Code: "G1", Name: "一网格", Town: "青山镇"}}})
		if v, err = db.DataVersion(ctx); err != nil {
			t.Fatal(err)
		}
		if get(later) != nil {
			t.Error("a settled result served records that changed since")
		}
	})
}

// TestTownVersions: a change by hand to one worker's records raises only
// their town's version; one moving a record to a worker of another town
// raises both; a meeting raises the towns whose workers' attendance names
// it; a calendar day of a town raises that town's, one of the district
// every town's; a small import raises the towns of what it writes, one too
// large to note every town's.
func TestTownVersions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustImport(t, db, &gs.Records{
			Grids: []gs.Grid{{Code: "G1", Name: "一网格", Town: "青山镇"}, {Code: "G2", Name: "二网格", Town: "白石镇"}},
			Workers: []gs.Worker{{ID: "W1", Name: "王一", Type: gs.FullTime, GridCode: "G1", HiredOn: gs.NewDate(2020, 1, 1)},
				{ID: "W2", Name: "李二", Type: gs.FullTime, GridCode: "G2", HiredOn: gs.NewDate(2020, 1, 1)}},
		})
		versions := func() (int64, int64) {
			t.Helper()
			a, err := db.TownVersion(ctx, "青山镇")
			if err != nil {
				t.Fatal(err)
			}
			b, err := db.TownVersion(ctx, "白石镇")
			if err != nil {
				t.Fatal(err)
			}
			// TownVersions, which reads them all at once, agrees, for a
			// town with no row of its own too.
			none, err := db.TownVersion(ctx, "无名镇")
			if err != nil {
				t.Fatal(err)
			}
			all, err := db.TownVersions(ctx, []string{"青山镇", "白石镇", "无名镇"})
			if err != nil {
				t.Fatal(err)
			}
			if all["青山镇"] != a || all["白石镇"] != b || all["无名镇"] != none {
				t.Fatalf("TownVersions = %v, TownVersion 青山镇 %d, 白石镇 %d, 无名镇 %d", all, a, b, none)
			}
			return a, b
		}
		change := func(what string, ch store.RecordChange, wantA, wantB bool) {
			t.Helper()
			a0, b0 := versions()
			if err := db.ChangeRecords(ctx, ch); err != nil {
				t.Fatal(err)
			}
			a1, b1 := versions()
			if (a1 != a0) != wantA || (b1 != b0) != wantB || a1 < a0 || b1 < b0 {
				t.Errorf("%s: 青山镇 %d → %d, 白石镇 %d → %d; want raised 青山镇 %v, 白石镇 %v", what, a0, a1, b0, b1, wantA, wantB)
			}
		}
		finding := func(worker string) *gs.Records {
			return &gs.Records{Findings: []gs.Finding{{ID: "F1", WorkerID: worker, Kind: gs.FindingPhone, OccurredOn: gs.NewDate(2023, 8, 1), Count: 1}}}
		}
		change("a finding of 青山镇's worker", store.RecordChange{Put: finding("W1"), New: true}, true, false)
		change("a leave of 白石镇's worker", store.RecordChange{Put: &gs.Records{Leaves: []gs.Leave{{WorkerID: "W2", From: gs.NewDate(2023, 8, 2), To: gs.NewDate(2023, 8, 2)}}}, New: true}, false, true)
		change("the finding moved to 白石镇's worker", store.RecordChange{Put: finding("W2")}, true, true)
		change("the finding deleted", store.RecordChange{Delete: []store.RecordKey{{Kind: "findings", Key: []string{"F1"}}}}, false, true)
		meeting := &gs.Records{Meetings: []gs.Meeting{{ID: "M1", HeldOn: gs.NewDate(2023, 8, 3), Title: "例会"}}}
		change("a meeting nobody's attendance names", store.RecordChange{Put: meeting, New: true}, false, false)
		change("白石镇's worker absent from it", store.RecordChange{Put: &gs.Records{Attendance: []gs.Attendance{{MeetingID: "M1", WorkerID: "W2", Status: gs.StatusAbsent}}}}, false, true)
		meeting.Meetings[0].Title = "月度例会"
		change("the meeting renamed", store.RecordChange{Put: meeting}, false, true)
		change("青山镇's finding again", store.RecordChange{Put: finding("W1"), New: true}, true, false)
		day := func(town string) *gs.Records {
			return &gs.Records{Calendar: []gs.CalendarDay{{Date: gs.NewDate(2023, 8, 5), Town: town, Kind: gs.DayWorkday}}}
		}
		change("a workday of 白石镇", store.RecordChange{Put: day("白石镇")}, false, true)
		change("a workday of the district", store.RecordChange{Put: day("")}, true, true)
		imported := func(what string, recs *gs.Records, wantA, wantB bool) {
			t.Helper()
			a0, b0 := versions()
			mustImport(t, db, recs)
			if a1, b1 := versions(); (a1 != a0) != wantA || (b1 != b0) != wantB {
				t.Errorf("%s: 青山镇 %d → %d, 白石镇 %d → %d; want raised 青山镇 %v, 白石镇 %v", what, a0, a1, b0, b1, wantA, wantB)
			}
		}
		imported("an import of 青山镇's leave", &gs.Records{Leaves: []gs.Leave{{WorkerID: "W1", From: gs.NewDate(2023, 8, 9), To: gs.NewDate(2023, 8, 9)}}}, true, false)
		imported("an import moving the finding to 白石镇's worker", finding("W2"), true, true)
		var many []gs.Login
		for i := range 10_001 {
			many = append(many, gs.Login{WorkerID: "W1", Channel: gs.ChannelApp, At: time.Date(2023, 8, 1, 0, 0, i, 0, gs.CST)})
		}
		imported("an import of 10,001 logins of 青山镇's worker", &gs.Records{Logins: many}, true, true)
	})
}
