package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store/storetest"
)

// Issue 13: importing another town's calendar.csv with one row
// "2023-08-12,工作日" changed 18 of 21 青山镇 totals, and another town's
// administrator saved 青山镇's /records/calendar/2023-09-29. Calendar days
// and meetings belong to a town now (DATA.md §1); these tests assess both
// towns before and after each attempt.

// saturday is the date: Saturday 2023-08-12, a day off on which
// neither town's workers work.
const saturday = "2023-08-12"

// forEachTwoTowns runs test on a fresh store of each engine holding the demo
// town 青山镇 and a generated town of about 40 workers (without the
// generator's calendar day), with a service whose clock is the demo's
// as-of moment. other is the generated town's name.
func forEachTwoTowns(t *testing.T, test func(t *testing.T, s *app.Service, other string)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := mustOpen(t, b.Target(t))
			if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
				t.Fatal(err)
			}
			var other string
			err := gen.Generate(gen.Options{Workers: 40, Quarter: demo.Quarter(), Seed: 4}, func(r *gs.Records) error {
				other, r.Calendar = r.Grids[0].Town, nil
				_, err := db.Import(ctx, r, nil)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			test(t, &app.Service{DB: db, Scheme: scheme.Default(), Now: demo.AsOf}, other)
		})
	}
}

// results returns the town's assessment as of the demo's moment, as JSON.
func results(t *testing.T, s *app.Service, town string) string {
	t.Helper()
	res, err := s.AssessTown(context.Background(), town, demo.Quarter(), demo.AsOf())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// changedTotals counts the workers whose totals differ between two
// assessments (results) of a town.
func changedTotals(t *testing.T, before, after string) int {
	t.Helper()
	var a, b gs.Result
	if err := json.Unmarshal([]byte(before), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(after), &b); err != nil {
		t.Fatal(err)
	}
	text := func(w gs.WorkerResult) string {
		if w.Total == nil {
			return "不参加考核"
		}
		return w.Total.String()
	}
	total := map[string]string{}
	for _, w := range a.Workers {
		total[w.WorkerID] = text(w)
	}
	n := 0
	for _, w := range b.Workers {
		if total[w.WorkerID] != text(w) {
			n++
		}
	}
	return n
}

// TestOtherTownCalendarImportRefused is the first attack: another
// town's staff uploads calendar.csv with 2023-08-12 a workday. Without a
// town the row is the district's, and with 青山镇 it is another town's:
// both are refused with the file, row and column named, and 青山镇's
// results do not change. The town's own day is imported and changes its
// own workers' results only.
func TestOtherTownCalendarImportRefused(t *testing.T) {
	forEachTwoTowns(t, func(t *testing.T, s *app.Service, other string) {
		staff := &gs.User{Username: "other-staff", Role: gs.RoleTownStaff, Town: other}
		ctx := app.WithActor(context.Background(), staff.Username)
		qs, theirs := results(t, s, demo.TownName), results(t, s, other)
		for _, tc := range []struct{ name, file, msg string }{
			{"the issue's file (no town column)", "日期,类型,说明\n" + saturday + ",工作日,防汛值班\n", "只有区中心可以设置"},
			{"an empty town", "date,kind,town\n" + saturday + ",工作日,\n", "只有区中心可以设置"},
			{"青山镇's day", "date,kind,town\n" + saturday + ",工作日,青山镇\n", "不是您所在的" + other},
		} {
			id := stage(t, s, staff, textFile("calendar.csv", tc.file))
			rep, err := s.CheckUpload(ctx, staff, id)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if len(rep.Problems) != 1 {
				t.Fatalf("%s: problems %v; want the row refused", tc.name, rep.Problems)
			}
			if rep, err := s.CommitUpload(ctx, staff, id); err == nil || rep.Committed {
				t.Fatalf("%s: committed", tc.name)
			}
			if p := rep.Problems[0]; p.File != "calendar.csv" || p.Row != 2 || p.Column != "镇街（town）" || !strings.Contains(p.Message, tc.msg) {
				t.Errorf("%s: problem %+v, want calendar.csv:2 镇街（town） saying %q", tc.name, p, tc.msg)
			}
			if results(t, s, demo.TownName) != qs {
				t.Fatalf("%s: 青山镇's results changed", tc.name)
			}
		}

		id := stage(t, s, staff, textFile("calendar.csv", "date,kind,name,town\n"+saturday+",工作日,防汛值班,"+other+"\n"))
		if rep, err := s.CommitUpload(ctx, staff, id); err != nil || !rep.Committed {
			t.Fatalf("the town's own day: %v, %+v", err, rep)
		}
		if results(t, s, demo.TownName) != qs {
			t.Error("another town's own day changed 青山镇's results")
		}
		if n := changedTotals(t, theirs, results(t, s, other)); n == 0 {
			t.Errorf("%s's own workday changed none of its workers' totals", other)
		}
	})
}

// TestOtherTownCalendarHandEditRefused is the second attack: another
// town's administrator opens 青山镇's calendar day and saves it, deletes it,
// or enters a day for 青山镇. All are refused and 青山镇's results do not
// change; a day the administrator enters without a town is their town's.
func TestOtherTownCalendarHandEditRefused(t *testing.T) {
	forEachTwoTowns(t, func(t *testing.T, s *app.Service, other string) {
		admin := &gs.User{Username: "other-admin", Role: gs.RoleTownAdmin, Town: other}
		ctx := app.WithActor(context.Background(), admin.Username)
		qs := results(t, s, demo.TownName)
		key := []string{"2023-09-29", demo.TownName} // 青山镇's 中秋节
		_, err := s.Record(ctx, admin, "calendar", key)
		wantCode(t, "open 青山镇's day", err, gs.EFORBIDDEN, "本镇街和全区")
		_, err = s.SaveRecord(ctx, admin, &app.RecordEdit{Kind: "calendar", Key: key, Reason: "改",
			Values: map[string]string{"kind": "workday"}})
		wantCode(t, "save 青山镇's day", err, gs.EFORBIDDEN, "")
		wantCode(t, "delete 青山镇's day", s.DeleteRecord(ctx, admin, "calendar", key, "删"), gs.EFORBIDDEN, "")
		_, err = s.SaveRecord(ctx, admin, &app.RecordEdit{Kind: "calendar",
			Values: map[string]string{"date": saturday, "kind": "workday", "town": demo.TownName}})
		var fe *app.FormError
		if !errors.As(err, &fe) || !strings.Contains(fe.Fields["town"], "只能录入本镇街") {
			t.Errorf("a new day of 青山镇: %v; want the town field refused", err)
		}
		if results(t, s, demo.TownName) != qs {
			t.Fatal("青山镇's results changed")
		}
		// The same day typed without a town is the administrator's town's.
		saved, err := s.SaveRecord(ctx, admin, &app.RecordEdit{Kind: "calendar",
			Values: map[string]string{"date": saturday, "kind": "workday", "name": "防汛值班"}})
		if err != nil || len(saved) != 2 || saved[1] != other {
			t.Fatalf("the town's own day: key %v, %v", saved, err)
		}
		if results(t, s, demo.TownName) != qs {
			t.Error("another town's own day changed 青山镇's results")
		}
		// 青山镇 does not see it.
		page, err := s.Records(ctx, qAdmin, app.RecordQuery{Kind: "calendar"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Records.Calendar {
			if c.Town != demo.TownName {
				t.Errorf("青山镇's list shows %+v", c)
			}
		}
		if _, err := s.Record(ctx, qAdmin, "calendar", saved); gs.ErrorCode(err) != gs.EFORBIDDEN {
			t.Errorf("青山镇 opens %s's day: %v, want forbidden", other, err)
		}
	})
}

// TestDistrictDayAndTownDay: a day the district sets holds for every town's
// workers; a town sees it and may not change it, and its own day of the
// same date beats it for its own workers only.
func TestDistrictDayAndTownDay(t *testing.T) {
	forEachTwoTowns(t, func(t *testing.T, s *app.Service, other string) {
		ctx := app.WithActor(context.Background(), "district")
		qs, theirs := results(t, s, demo.TownName), results(t, s, other)
		key, err := s.SaveRecord(ctx, qDist, &app.RecordEdit{Kind: "calendar",
			Values: map[string]string{"date": saturday, "kind": "workday", "name": "全区防汛值班"}})
		if err != nil || app.KeyPath(key) != saturday {
			t.Fatalf("the district's day: key %v, %v", key, err)
		}
		qsDistrict := results(t, s, demo.TownName)
		if n := changedTotals(t, qs, qsDistrict); n < 10 {
			t.Errorf("the district's Saturday changed %d of 青山镇's totals, want most", n)
		}
		if n := changedTotals(t, theirs, results(t, s, other)); n == 0 {
			t.Errorf("the district's Saturday changed none of %s's totals", other)
		}

		// 青山镇 sees the district's day, read only.
		view, err := s.Record(ctx, qAdmin, "calendar", key)
		if err != nil || view.CanEdit {
			t.Fatalf("青山镇 opens the district's day: %v (may edit: %v); want it read only", err, view != nil && view.CanEdit)
		}
		_, err = s.SaveRecord(ctx, qAdmin, &app.RecordEdit{Kind: "calendar", Key: key, Reason: "改",
			Values: map[string]string{"kind": "holiday"}})
		wantCode(t, "青山镇 saves the district's day", err, gs.EFORBIDDEN, "只有区中心")
		wantCode(t, "青山镇 deletes the district's day", s.DeleteRecord(ctx, qAdmin, "calendar", key, "删"), gs.EFORBIDDEN, "只有区中心")

		// 青山镇's own day off of that date wins for 青山镇 alone.
		own, err := s.SaveRecord(app.WithActor(context.Background(), "admin"), qAdmin, &app.RecordEdit{Kind: "calendar",
			Values: map[string]string{"date": saturday, "kind": "holiday", "name": "本镇不值班"}})
		if err != nil || len(own) != 2 || own[1] != demo.TownName {
			t.Fatalf("青山镇's own day: key %v, %v", own, err)
		}
		if results(t, s, demo.TownName) != qs {
			t.Error("青山镇's own day off does not undo the district's Saturday for 青山镇")
		}
		if n := changedTotals(t, theirs, results(t, s, other)); n == 0 {
			t.Errorf("青山镇's own day undid the district's Saturday for %s too", other)
		}
		// The appeal window of 青山镇 counts its own calendar: published on
		// Friday 08-11, five workdays end on Friday 08-18 (the district's
		// Saturday would end them on Thursday 08-17).
		for town, want := range map[string]string{demo.TownName: "2023-08-18", other: "2023-08-17"} {
			last, err := s.AppealDeadline(ctx, town, time.Date(2023, 8, 11, 10, 0, 0, 0, gs.CST))
			if err != nil || last.String() != want {
				t.Errorf("%s's appeal deadline = %s, %v; want %s", town, last, err, want)
			}
		}
	})
}

// TestTownMeetings: a meeting belongs to its town. Another town's center
// may not open, change or import over 青山镇's meeting, nor import a meeting
// of the district; the district enters one for every town, which a town
// sees and may not change.
func TestTownMeetings(t *testing.T) {
	forEachTwoTowns(t, func(t *testing.T, s *app.Service, other string) {
		staff := &gs.User{Username: "other-staff", Role: gs.RoleTownStaff, Town: other}
		ctx := app.WithActor(context.Background(), staff.Username)
		_, err := s.Record(ctx, staff, "meetings", []string{"HY20230703"})
		wantCode(t, "open 青山镇's meeting", err, gs.EFORBIDDEN, "本镇街和全区")
		id := stage(t, s, staff, textFile("meetings.csv", "meeting_id,held_on,title,town\n"+
			"HY20230703,2023-07-03,抢来的例会,"+other+"\n"+
			"BS-HY1,2023-07-04,全区例会,\n"+
			"BS-HY2,2023-07-05,青山镇例会,青山镇\n"+
			"BS-HY3,2023-07-06,本镇例会,"+other+"\n"))
		rep, err := s.CheckUpload(ctx, staff, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []app.Problem{
			{File: "meetings.csv", Row: 2, Column: "会议编号（meeting_id）"},
			{File: "meetings.csv", Row: 3, Column: "镇街（town）"},
			{File: "meetings.csv", Row: 4, Column: "镇街（town）"},
		} {
			if !hasProblem(rep.Problems, want) {
				t.Errorf("no problem at %s:%d %s; problems:\n%v", want.File, want.Row, want.Column, rep.Problems)
			}
		}
		if len(rep.Problems) != 3 {
			t.Errorf("problems %v, want the three rows refused and row 5 accepted", rep.Problems)
		}

		// The district's meeting: 青山镇 sees it and may not change it.
		dctx := app.WithActor(context.Background(), "district")
		key, err := s.SaveRecord(dctx, qDist, &app.RecordEdit{Kind: "meetings",
			Values: map[string]string{"meeting_id": "QX-1", "held_on": "2023-09-20", "title": "全区网格员大会"}})
		if err != nil {
			t.Fatal(err)
		}
		view, err := s.Record(ctx, qAdmin, "meetings", key)
		if err != nil || view.CanEdit || view.Records.Meetings[0].Town != "" {
			t.Fatalf("青山镇 opens the district's meeting: %+v, %v; want it read only", view, err)
		}
		wantCode(t, "青山镇 deletes the district's meeting", s.DeleteRecord(ctx, qAdmin, "meetings", key, "删"), gs.EFORBIDDEN, "只有区中心")
		page, err := s.Records(ctx, staff, app.RecordQuery{Kind: "meetings", From: demo.Quarter().First(), To: demo.Quarter().Last()})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, m := range page.Records.Meetings {
			seen[m.Town] = true
		}
		if !seen[""] || !seen[other] || seen[demo.TownName] {
			t.Errorf("%s lists meetings of %v; want its own and the district's", other, seen)
		}

		// 青山镇's own meeting with a worker of another town's attendance
		// recorded (by the command line): changing it would drop that
		// attendance, so 青山镇 may not.
		ws, err := s.GridWorkers(ctx, other)
		if err != nil || len(ws) == 0 {
			t.Fatalf("workers of %s: %v", other, err)
		}
		if _, err := s.DB.Import(ctx, &gs.Records{Attendance: []gs.Attendance{{MeetingID: "HY20230703", WorkerID: ws[0].ID, Status: gs.StatusAbsent}}}, nil); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "青山镇 deletes its meeting attended by another town's worker",
			s.DeleteRecord(ctx, qAdmin, "meetings", []string{"HY20230703"}, "删"), gs.EFORBIDDEN, "其他镇街")
	})
}
