package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// at returns the CST instant of a date and time of day.
func at(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, gridscore.CST)
}

// day returns the Date y-m-d.
func day(y int, m time.Month, d int) gridscore.Date { return gridscore.NewDate(y, m, d) }

// fen returns a pointer to an amount.
func fen(f gridscore.Fen) *gridscore.Fen { return &f }

// fullRecords returns records of every kind, ordered by key as Load orders
// them: for each kind one record with every field filled and one with every
// optional field left empty (zero Date, zero time, nil money, "").
func fullRecords() *gridscore.Records {
	return &gridscore.Records{
		Grids: []gridscore.Grid{
			{Code: "G01", Name: "一网格", Community: "东村", Town: "XX镇"},
			{Code: "G02", Name: "二网格", Town: "XX镇"},
		},
		Workers: []gridscore.Worker{
			{ID: "W001", Name: "张三", Type: gridscore.FullTime, Stationed: true, GridCode: "G01",
				HiredOn: day(2020, 3, 1), LeftOn: day(2023, 8, 31), Phone: "13800000000",
				MonthlyPerformanceFen: fen(60000), QuarterlySubsidyFen: fen(0)},
			{ID: "W002", Name: "李四", Type: gridscore.PartTime, GridCode: "G02", HiredOn: day(2021, 1, 4)},
		},
		Events: []gridscore.Event{
			{ID: "E-1001", WorkerID: "W001", Flow: gridscore.FlowReported, Severity: gridscore.SeverityMajor,
				Category: "矛盾纠纷", OccurredAt: at(2023, 7, 3, 8, 0, 0), ReportedAt: at(2023, 7, 3, 9, 15, 0),
				Deadline: at(2023, 7, 10, 17, 30, 0), ClosedAt: at(2023, 7, 8, 16, 0, 59),
				Card: gridscore.CardYellow, Irregular: true},
			{ID: "E-1002", WorkerID: "W002", Flow: gridscore.FlowSelfHandled, Severity: gridscore.SeverityGeneral,
				ReportedAt: at(2023, 7, 4, 10, 0, 0)},
		},
		Logins: []gridscore.Login{
			{WorkerID: "W001", Channel: gridscore.ChannelApp, At: at(2023, 7, 3, 8, 1, 2)},
			{WorkerID: "W001", Channel: gridscore.ChannelPC, At: at(2023, 7, 3, 8, 1, 2)},
		},
		Patrols: []gridscore.Patrol{
			{ID: "P-1", WorkerID: "W001", StartedAt: at(2023, 7, 5, 9, 0, 0), EndedAt: at(2023, 7, 5, 11, 30, 0), DistanceM: 3200},
			{ID: "P-2", WorkerID: "W002", StartedAt: at(2023, 7, 6, 9, 0, 0)},
		},
		Leaves: []gridscore.Leave{
			{WorkerID: "W001", From: day(2023, 7, 10), To: day(2023, 7, 12), Reason: "病假"},
			{WorkerID: "W001", From: day(2023, 8, 1), To: day(2023, 8, 1)},
		},
		Register: []gridscore.Person{
			{PersonID: "R-1", Category: gridscore.CategoryDrug, GridCode: "G01", EnteredAt: at(2022, 5, 1, 10, 0, 0),
				LeftAt: at(2023, 9, 1, 10, 0, 0), Name: "王五", IDNumber: "110101199001011234"},
			{PersonID: "R-2", Category: gridscore.CategoryMental, GridCode: "G02", EnteredAt: at(2023, 1, 1, 0, 0, 0)},
		},
		Rosters: []gridscore.RosterRow{
			{PersonID: "R-1", Category: gridscore.CategoryDrug, GridCode: "G01", ListedOn: day(2023, 7, 1), Department: "公安"},
			{PersonID: "R-1", Category: gridscore.CategoryDrug, GridCode: "G01", ListedOn: day(2023, 8, 1)},
		},
		Visits: []gridscore.Visit{
			{ID: "V-1", PersonID: "R-1", WorkerID: "W001", VisitedAt: at(2023, 7, 20, 15, 0, 0), Note: "情况稳定"},
			{ID: "V-2", PersonID: "R-2", WorkerID: "W002", VisitedAt: at(2023, 7, 21, 15, 0, 0)},
		},
		Meetings: []gridscore.Meeting{
			{ID: "M-1", HeldOn: day(2023, 7, 7), Title: "七月例会", Kind: "例会", Town: "XX镇"},
			{ID: "M-2", HeldOn: day(2023, 8, 7), Title: "八月培训"},
		},
		Attendance: []gridscore.Attendance{
			{MeetingID: "M-1", WorkerID: "W001", Status: gridscore.StatusPresent},
			{MeetingID: "M-1", WorkerID: "W002", Status: gridscore.StatusAbsent},
		},
		Findings: []gridscore.Finding{
			{ID: "F-1", WorkerID: "W001", Kind: gridscore.FindingInspection, OccurredOn: day(2023, 7, 15),
				Count: 2, Note: "暗访不在岗", Evidence: "照片"},
			{ID: "F-2", WorkerID: "W002", Kind: gridscore.FindingPhone, OccurredOn: day(2023, 7, 16), Count: 1},
		},
		Quizzes: []gridscore.Quiz{
			{ID: "Q-1", WorkerID: "W001", TakenOn: day(2023, 7, 18), WrongAnswers: 3},
			{ID: "Q-2", WorkerID: "W002", TakenOn: day(2023, 7, 18)},
		},
		Ballots: []gridscore.Ballot{
			{ID: "B-1", WorkerID: "W001", RaterGroup: gridscore.RaterCadre, Rating: gridscore.RatingSatisfied, CastAt: at(2023, 9, 20, 10, 0, 0)},
			{ID: "B-2", WorkerID: "W002", RaterGroup: gridscore.RaterResident, Rating: gridscore.RatingUnsatisfied, CastAt: at(2023, 9, 21, 10, 0, 0)},
		},
		Calendar: []gridscore.CalendarDay{
			{Date: day(2023, 9, 23), Kind: gridscore.DayWorkday, Name: "本镇值班", Town: "XX镇"},
			{Date: day(2023, 9, 29), Kind: gridscore.DayHoliday, Name: "中秋节"},
			{Date: day(2023, 9, 29), Kind: gridscore.DayWorkday, Name: "本镇值班", Town: "XX镇"},
			{Date: day(2023, 10, 7), Kind: gridscore.DayWorkday},
		},
	}
}

// everything is a window that holds every record of fullRecords.
var (
	everythingFrom = at(2000, 1, 1, 0, 0, 0)
	everythingTo   = at(2100, 1, 1, 0, 0, 0)
)

// mustImport imports recs with no check and fails the test on error.
func mustImport(tb testing.TB, db *store.DB, recs *gridscore.Records) store.ImportStats {
	tb.Helper()
	stats, err := db.Import(context.Background(), recs, nil)
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return stats
}

// mustLoad loads [from, to) and fails the test on error.
func mustLoad(tb testing.TB, db *store.DB, from, to time.Time) *gridscore.Records {
	tb.Helper()
	recs, err := db.Load(context.Background(), from, to)
	if err != nil {
		tb.Fatalf("load: %v", err)
	}
	return recs
}

// diffRecords returns one line per kind whose records differ, naming the
// first differing record; "" when got equals want.
func diffRecords(got, want *gridscore.Records) string {
	var out string
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range gv.NumField() {
		g, w := gv.Field(i), wv.Field(i)
		if reflect.DeepEqual(g.Interface(), w.Interface()) {
			continue
		}
		name := gv.Type().Field(i).Name
		if g.Len() != w.Len() {
			out += fmt.Sprintf("%s: got %d records, want %d:\n  got  %+v\n  want %+v\n", name, g.Len(), w.Len(), g.Interface(), w.Interface())
			continue
		}
		for j := range g.Len() {
			if !reflect.DeepEqual(g.Index(j).Interface(), w.Index(j).Interface()) {
				out += fmt.Sprintf("%s[%d]:\n  got  %+v\n  want %+v\n", name, j, g.Index(j).Interface(), w.Index(j).Interface())
				break
			}
		}
	}
	return out
}

// kindsOf returns the number of records of each kind of recs, keyed like
// Counts.
func kindsOf(recs *gridscore.Records) map[string]int64 {
	v := reflect.ValueOf(recs).Elem()
	names := store.Kinds()
	m := make(map[string]int64, len(names))
	for i, name := range names {
		m[name] = int64(v.Field(i).Len())
	}
	return m
}
