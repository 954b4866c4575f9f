package csvfile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// fullRecords has records of every kind, with empty optional values, text
// that needs quoting (commas, quotes, line breaks) and every enum value the
// writer has to translate.
func fullRecords() *gridscore.Records {
	d := gridscore.NewDate
	fen := func(v int64) *gridscore.Fen { f := gridscore.Fen(v); return &f }
	return &gridscore.Records{
		Grids: []gridscore.Grid{
			{Code: "G1", Name: "一网格", Community: "东村", Town: "XX镇"},
			{Code: "G2", Name: "二网格", Town: "XX镇"},
		},
		Workers: []gridscore.Worker{
			{ID: "W1", Name: "张三", Type: gridscore.FullTime, Stationed: true, GridCode: "G1", HiredOn: d(2022, 1, 5),
				Phone: "13800000000", MonthlyPerformanceFen: fen(20000)},
			{ID: "W2", Name: "李四", Type: gridscore.PartTime, GridCode: "G2", HiredOn: d(2021, 3, 1), LeftOn: d(2023, 9, 30),
				QuarterlySubsidyFen: fen(150050)},
		},
		Events: []gridscore.Event{
			{ID: "E1", WorkerID: "W1", Flow: gridscore.FlowSelfHandled, Severity: gridscore.SeverityGeneral, Category: "治安",
				OccurredAt: cst(2023, 7, 3, 8, 0, 0), ReportedAt: cst(2023, 7, 3, 9, 15, 0)},
			{ID: "E2", WorkerID: "W1", Flow: gridscore.FlowReported, Severity: gridscore.SeverityMajor,
				OccurredAt: cst(2023, 7, 4, 8, 0, 0), ReportedAt: cst(2023, 7, 4, 8, 0, 0), Deadline: cst(2023, 7, 5, 8, 0, 0),
				ClosedAt: cst(2023, 7, 6, 8, 0, 0).Add(500 * time.Millisecond), Card: gridscore.CardYellow, Irregular: true},
			{ID: "E3", WorkerID: "W2", Flow: gridscore.FlowAssigned, Severity: gridscore.SeveritySerious,
				OccurredAt: cst(2023, 7, 4, 8, 0, 0), ReportedAt: cst(2023, 7, 4, 11, 0, 0), Card: gridscore.CardRed},
		},
		Logins: []gridscore.Login{
			{WorkerID: "W1", Channel: gridscore.ChannelApp, At: cst(2023, 7, 3, 8, 1, 2)},
			{WorkerID: "W1", Channel: gridscore.ChannelPC, At: cst(2023, 7, 3, 8, 1, 2)},
		},
		Patrols: []gridscore.Patrol{
			{ID: "P1", WorkerID: "W1", StartedAt: cst(2023, 7, 3, 8, 0, 0), EndedAt: cst(2023, 7, 3, 11, 0, 0), DistanceM: 4200},
			{ID: "P2", WorkerID: "W1", StartedAt: cst(2023, 7, 3, 14, 0, 0)},
		},
		Leaves: []gridscore.Leave{{WorkerID: "W1", From: d(2023, 7, 10), To: d(2023, 7, 12), Reason: "病假"}},
		Register: []gridscore.Person{
			{PersonID: "R1", Category: gridscore.CategoryDrug, GridCode: "G1", EnteredAt: cst(2023, 1, 2, 9, 0, 0), Name: "赵六", IDNumber: "330102199001011234"},
			{PersonID: "R2", Category: gridscore.CategoryCorrection, GridCode: "G1", EnteredAt: cst(2023, 1, 2, 9, 0, 0), LeftAt: cst(2023, 8, 1, 0, 0, 0)},
			{PersonID: "R3", Category: gridscore.CategoryReleased, GridCode: "G2", EnteredAt: cst(2023, 1, 2, 9, 0, 0)},
			{PersonID: "R4", Category: gridscore.CategoryMental, GridCode: "G2", EnteredAt: cst(2023, 1, 2, 9, 0, 0)},
		},
		Rosters: []gridscore.RosterRow{{PersonID: "R9", Category: gridscore.CategoryDrug, GridCode: "G1", ListedOn: d(2023, 7, 1), Department: "公安"}},
		Visits: []gridscore.Visit{
			{ID: "V1", PersonID: "R1", WorkerID: "W1", VisitedAt: cst(2023, 7, 5, 10, 0, 0), Note: "情况稳定，\"按时\"报到\n下次 8 月"},
		},
		Meetings: []gridscore.Meeting{{ID: "M1", HeldOn: d(2023, 7, 7), Title: "7月例会, 全体", Kind: "例会"}},
		Attendance: []gridscore.Attendance{
			{MeetingID: "M1", WorkerID: "W1", Status: gridscore.StatusPresent},
			{MeetingID: "M1", WorkerID: "W2", Status: gridscore.StatusLeave},
			{MeetingID: "M2", WorkerID: "W2", Status: gridscore.StatusAbsent},
		},
		Findings: []gridscore.Finding{
			{ID: "F1", WorkerID: "W1", Kind: gridscore.FindingPhone, OccurredOn: d(2023, 7, 8), Count: 2, Note: "未带手机", Evidence: "照片1.jpg"},
			{ID: "F2", WorkerID: "W2", Kind: gridscore.FindingInfoIncomplete, OccurredOn: d(2023, 7, 8), Count: 1},
		},
		Quizzes: []gridscore.Quiz{{ID: "Q1", WorkerID: "W1", TakenOn: d(2023, 7, 9), WrongAnswers: 3}, {ID: "Q2", WorkerID: "W2", TakenOn: d(2023, 7, 9)}},
		Ballots: []gridscore.Ballot{
			{ID: "B1", WorkerID: "W1", RaterGroup: gridscore.RaterCadre, Rating: gridscore.RatingSatisfied, CastAt: cst(2023, 9, 1, 10, 0, 0)},
			{ID: "B2", WorkerID: "W1", RaterGroup: gridscore.RaterResident, Rating: gridscore.RatingBasic, CastAt: cst(2023, 9, 1, 10, 0, 0)},
			{ID: "B3", WorkerID: "W2", RaterGroup: gridscore.RaterResident, Rating: gridscore.RatingUnsatisfied, CastAt: cst(2023, 9, 1, 10, 0, 0)},
		},
		Calendar: []gridscore.CalendarDay{
			{Date: d(2023, 10, 7), Kind: gridscore.DayWorkday, Name: "国庆调休"},
			{Date: d(2023, 9, 29), Kind: gridscore.DayHoliday},
		},
	}
}

func TestWriteThenReadGivesBackTheRecords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		write func(string, *gridscore.Records) error
	}{
		{"UTF-8", csvfile.WriteCSV},
		{"GB18030", csvfile.WriteCSVGB18030},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := fullRecords()
			dir := t.TempDir()
			if err := tc.write(dir, want); err != nil {
				t.Fatal(err)
			}
			b := mustRead(t, dir)
			if !reflect.DeepEqual(&b.Records, want) {
				t.Errorf("read back:\n%+v\nwant:\n%+v", b.Records, *want)
			}
		})
	}
}

func TestWriteCSVIsForPeople(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	recs := fullRecords()
	recs.Calendar = nil
	if err := csvfile.WriteCSV(dir, recs); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "calendar.csv")); !os.IsNotExist(err) {
		t.Errorf("an empty kind was written: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "workers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFF工号,姓名,类型,居委会驻地,网格编码,入职日期,离职日期,手机号,月绩效金额,季度补助金额\r\n" +
		"W1,张三,专职,是,G1,2022-01-05,,13800000000,200.00,\r\n" +
		"W2,李四,兼职,否,G2,2021-03-01,2023-09-30,,,1500.50\r\n"
	if string(data) != want {
		t.Errorf("workers.csv =\n%q\nwant\n%q", data, want)
	}

	var buf bytes.Buffer
	if err := csvfile.WriteKind(&buf, "events", recs, csvfile.UTF8); err != nil {
		t.Fatal(err)
	}
	if line := strings.Split(buf.String(), "\r\n")[2]; line != "E2,W1,上报,较大,,2023-07-04 08:00:00,2023-07-04 08:00:00,2023-07-05 08:00:00,2023-07-06 08:00:00.5,黄牌,是" {
		t.Errorf("event line = %q", line)
	}
}
