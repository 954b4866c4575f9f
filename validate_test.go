package gridscore_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// validator is any record that checks itself.
type validator interface{ Validate() error }

var (
	jul3  = gs.NewDate(2023, 7, 3)
	jul4  = gs.NewDate(2023, 7, 4)
	at9   = time.Date(2023, 7, 3, 9, 0, 0, 0, gs.CST)
	at10  = time.Date(2023, 7, 3, 10, 0, 0, 0, gs.CST)
	fen   = func(f gs.Fen) *gs.Fen { return &f }
	field = func(f, msg string) gs.FieldError { return gs.FieldError{Field: f, Message: msg} }
)

// TestValidate: each row is a record and what its own rules say of it.
func TestValidate(t *testing.T) {
	t.Parallel()
	worker := func(change func(w *gs.Worker)) *gs.Worker {
		w := &gs.Worker{ID: "W1", Name: "张三", Type: gs.FullTime, GridCode: "G1", HiredOn: jul3}
		change(w)
		return w
	}
	event := func(change func(e *gs.Event)) *gs.Event {
		e := &gs.Event{ID: "E1", WorkerID: "W1", Flow: gs.FlowReported, Severity: gs.SeverityGeneral, OccurredAt: at9, ReportedAt: at10}
		change(e)
		return e
	}
	for _, tc := range []struct {
		name string
		rec  validator
		want gs.FieldErrors
	}{
		{"a complete grid is valid", &gs.Grid{Code: "G1", Name: "一网格", Town: "青山镇"}, nil},
		{"a grid needs a code, a name and a town", &gs.Grid{Community: "村"}, gs.FieldErrors{
			field("grid_code", "必填，不能为空"), field("grid_name", "必填，不能为空"), field("town", "必填，不能为空")}},
		{"a complete worker is valid", worker(func(*gs.Worker) {}), nil},
		{"a worker of no known type", worker(func(w *gs.Worker) { w.Type = "temp" }), gs.FieldErrors{
			field("type", `无法识别的值 "temp"，应为：专职、兼职（或 full_time、part_time）`)}},
		{"a worker who left the day before being hired", worker(func(w *gs.Worker) { w.LeftOn = jul3 - 1 }), gs.FieldErrors{
			{Field: "left_on", Message: "离职日期早于入职日期", Cross: true}}},
		{"a worker who left the day of being hired", worker(func(w *gs.Worker) { w.LeftOn = jul3 }), nil},
		{"a negative subsidy", worker(func(w *gs.Worker) { w.QuarterlySubsidyFen = fen(-150) }), gs.FieldErrors{
			{Field: "quarterly_subsidy_yuan", Message: "金额不能为负数", Value: "-1.50"}}},
		{"a monthly performance pay of a million yuan, a typing error", worker(func(w *gs.Worker) { w.MonthlyPerformanceFen = fen(100_000_000) }), gs.FieldErrors{
			{Field: "monthly_performance_yuan", Message: "金额不能大于 100000.00，请核对", Value: "1000000.00"}}},
		{"a monthly performance pay of 100 000 yuan, the most", worker(func(w *gs.Worker) { w.MonthlyPerformanceFen = fen(10_000_000) }), nil},
		{"a zero subsidy", worker(func(w *gs.Worker) { w.QuarterlySubsidyFen = fen(0) }), nil},
		{"an event reported before it occurred", event(func(e *gs.Event) { e.ReportedAt = at9.Add(-time.Minute) }), gs.FieldErrors{
			{Field: "reported_at", Message: "上报时间早于发生时间", Cross: true}}},
		{"an event closed before it occurred", event(func(e *gs.Event) { e.ClosedAt = at9.Add(-time.Second) }), gs.FieldErrors{
			{Field: "closed_at", Message: "办结时间早于发生时间", Cross: true}}},
		{"an event without flow, with an unknown card", event(func(e *gs.Event) { e.Flow, e.Card = "", "blue" }), gs.FieldErrors{
			field("flow", "必填，不能为空"), field("card", `无法识别的值 "blue"，应为：黄牌、红牌（或 yellow、red）`)}},
		{"a login on an unknown channel", &gs.Login{WorkerID: "W1", Channel: "fax", At: at9}, gs.FieldErrors{
			field("channel", `无法识别的值 "fax"，应为：网格E通、PC端（或 app、pc）`)}},
		{"a patrol that ends before it starts", &gs.Patrol{ID: "P1", WorkerID: "W1", StartedAt: at10, EndedAt: at9}, gs.FieldErrors{
			{Field: "ended_at", Message: "结束时间早于开始时间", Cross: true}}},
		{"a patrol of negative distance", &gs.Patrol{ID: "P1", WorkerID: "W1", StartedAt: at9, DistanceM: -3}, gs.FieldErrors{
			{Field: "distance_m", Message: "不能小于 0", Value: "-3"}}},
		{"a patrol of 100 km, the most", &gs.Patrol{ID: "P1", WorkerID: "W1", StartedAt: at9, DistanceM: 100_000}, nil},
		{"a patrol of 250 km, a typing error", &gs.Patrol{ID: "P1", WorkerID: "W1", StartedAt: at9, DistanceM: 250_000}, gs.FieldErrors{
			{Field: "distance_m", Message: "不能大于 100000，请核对", Value: "250000"}}},
		{"a leave that ends before it starts", &gs.Leave{WorkerID: "W1", From: jul4, To: jul3}, gs.FieldErrors{
			{Field: "to", Message: "结束日期早于开始日期", Cross: true}}},
		{"a one-day leave", &gs.Leave{WorkerID: "W1", From: jul3, To: jul3}, nil},
		{"a person removed before being entered", &gs.Person{PersonID: "R1", Category: gs.CategoryDrug, GridCode: "G1", EnteredAt: at10, LeftAt: at9},
			gs.FieldErrors{{Field: "left_at", Message: "移出时间早于录入时间", Cross: true}}},
		{"a roster row of no category", &gs.RosterRow{PersonID: "R1", GridCode: "G1", ListedOn: jul3}, gs.FieldErrors{
			field("category", "必填，不能为空")}},
		{"a visit of nobody", &gs.Visit{ID: "V1", WorkerID: "W1", VisitedAt: at9}, gs.FieldErrors{field("person_id", "必填，不能为空")}},
		{"a meeting without a title", &gs.Meeting{ID: "M1", HeldOn: jul3}, gs.FieldErrors{field("title", "必填，不能为空")}},
		{"an attendance of an unknown status", &gs.Attendance{MeetingID: "M1", WorkerID: "W1", Status: "late"}, gs.FieldErrors{
			field("status", `无法识别的值 "late"，应为：出席、请假、缺席（或 present、leave、absent）`)}},
		{"a finding counted zero times", &gs.Finding{ID: "F1", WorkerID: "W1", Kind: gs.FindingPhone, OccurredOn: jul3}, gs.FieldErrors{
			{Field: "count", Message: "不能小于 1", Value: "0"}}},
		{"a finding counted 51 times", &gs.Finding{ID: "F1", WorkerID: "W1", Kind: gs.FindingPhone, OccurredOn: jul3, Count: 51}, gs.FieldErrors{
			{Field: "count", Message: "不能大于 50，请核对", Value: "51"}}},
		{"a quiz with no wrong answer", &gs.Quiz{ID: "Q1", WorkerID: "W1", TakenOn: jul3}, nil},
		{"a quiz with negative wrong answers", &gs.Quiz{ID: "Q1", WorkerID: "W1", TakenOn: jul3, WrongAnswers: -1}, gs.FieldErrors{
			{Field: "wrong_answers", Message: "不能小于 0", Value: "-1"}}},
		{"a quiz with 50 wrong answers, the most", &gs.Quiz{ID: "Q1", WorkerID: "W1", TakenOn: jul3, WrongAnswers: 50}, nil},
		{"a quiz with 999 wrong answers (−499.5 points), a typing error", &gs.Quiz{ID: "Q1", WorkerID: "W1", TakenOn: jul3, WrongAnswers: 999}, gs.FieldErrors{
			{Field: "wrong_answers", Message: "不能大于 50，请核对", Value: "999"}}},
		{"a ballot without rater group or rating", &gs.Ballot{ID: "B1", WorkerID: "W1", CastAt: at9}, gs.FieldErrors{
			field("rater_group", "必填，不能为空"), field("rating", "必填，不能为空")}},
		{"a calendar day without a date", &gs.CalendarDay{Kind: gs.DayHoliday}, gs.FieldErrors{field("date", "必填，不能为空")}},
		{"a worker's name that clears the terminal", worker(func(w *gs.Worker) { w.Name = "张三\x1b[2J\x1b[31m" }), gs.FieldErrors{
			field("name", "不能含有控制字符（U+001B）")}},
		{"a worker's name written backwards", worker(func(w *gs.Worker) { w.Name = "张\u202e三" }), gs.FieldErrors{
			field("name", "不能含有改变文字方向的字符（U+202E）")}},
		{"a worker's name of a megabyte", worker(func(w *gs.Worker) { w.Name = strings.Repeat("名", 1<<20) }), gs.FieldErrors{
			field("name", "不能超过 50 个字（现有 1048576 个字）")}},
		{"an event's category of a megabyte", event(func(e *gs.Event) { e.Category = strings.Repeat("x", 1<<20) }), gs.FieldErrors{
			field("category", "不能超过 50 个字（现有 1048576 个字）")}},
		{"an event key with a byte-order mark nobody trimmed", event(func(e *gs.Event) { e.ID = "\ufeffSJ2307-0004" }), gs.FieldErrors{
			field("event_id", "不能含有不可见字符或特殊空格（U+FEFF）")}},
		{"a visit's note of several lines", &gs.Visit{ID: "V1", PersonID: "R1", WorkerID: "W1", VisitedAt: at9, Note: "见到本人。\r\n情况稳定。"}, nil},
		{"a finding's note of 1001 characters", &gs.Finding{ID: "F1", WorkerID: "W1", Kind: gs.FindingPhone, OccurredOn: jul3, Count: 1, Note: strings.Repeat("说", 1001)},
			gs.FieldErrors{field("note", "不能超过 1000 个字（现有 1001 个字）")}},
		{"a meeting's title with a line break", &gs.Meeting{ID: "M1", HeldOn: jul3, Title: "例会\n培训"}, gs.FieldErrors{
			field("title", "不能含有换行符或制表符")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.rec.Validate()
			var got gs.FieldErrors
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("Validate returned %T, want FieldErrors", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

// Field errors are invalid input, whose message names each field.
func TestFieldErrorsAreInvalid(t *testing.T) {
	t.Parallel()
	err := (&gs.Patrol{ID: "P1", StartedAt: at9, DistanceM: -3}).Validate()
	if code := gs.ErrorCode(err); code != gs.EINVALID {
		t.Errorf("code %q, want %q", code, gs.EINVALID)
	}
	want := "worker_id: 必填，不能为空\ndistance_m: 不能小于 0：\"-3\""
	if msg := gs.ErrorMessage(err); msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
}

// A valid record is checked without allocating: the importer checks every
// row of files of millions.
func TestValidateAllocatesNothingWhenValid(t *testing.T) {
	e := &gs.Event{ID: "E1", WorkerID: "W1", Flow: gs.FlowReported, Severity: gs.SeverityGeneral, Category: "治安纠纷排查", OccurredAt: at9, ReportedAt: at10}
	if n := testing.AllocsPerRun(100, func() { _ = e.Validate() }); n != 0 {
		t.Errorf("%v allocations per valid event", n)
	}
}

// BenchmarkValidateEvent checks a valid event with a Chinese category, as
// the importer does for every row (see CheckText).
func BenchmarkValidateEvent(b *testing.B) {
	e := &gs.Event{ID: "E0000001", WorkerID: "W001", Flow: gs.FlowReported, Severity: gs.SeverityGeneral, Category: "治安", OccurredAt: at9, ReportedAt: at10}
	for b.Loop() {
		_ = e.Validate()
	}
}

// TestCampaignCountsOutOfRange: a planned number of ballots out of range
// is told under the rater group's own field, naming the grid, so that the
// form shows it beside the box that holds it.
func TestCampaignCountsOutOfRange(t *testing.T) {
	c := gs.Campaign{Town: "青山镇", Title: "三季度评价", Quarter: gs.Quarter{Year: 2023, Q: 3},
		OpensAt: time.Date(2023, 9, 18, 8, 0, 0, 0, gs.CST), ClosesAt: time.Date(2023, 9, 25, 18, 0, 0, 0, gs.CST),
		Grids: []gs.CampaignGrid{{GridCode: "QS-01", Cadre: 5, Resident: 10}, {GridCode: "QS-02", Cadre: 5, Resident: gs.MaxPlannedBallots + 1}}}
	var fe gs.FieldErrors
	if !errors.As(c.Validate(), &fe) {
		t.Fatalf("a count of %d was accepted", gs.MaxPlannedBallots+1)
	}
	var fields []string
	for _, f := range fe {
		fields = append(fields, f.Field)
		if f.Field == "resident" && !strings.Contains(f.Text(), "QS-02") {
			t.Errorf("the error does not name the grid: %s", f.Text())
		}
	}
	if !reflect.DeepEqual(fields, []string{"resident"}) {
		t.Errorf("errors under %v, want under resident only", fields)
	}
}
