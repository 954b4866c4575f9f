package app_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestRecordsScope: each role lists what it may see, filtered in the
// store, on both engines.
func TestRecordsScope(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := context.Background()
		q3 := app.RecordQuery{Kind: "findings", From: demo.Quarter().First(), To: demo.Quarter().Last()}
		count := func(u *gs.User, q app.RecordQuery) int {
			t.Helper()
			page, err := s.Records(ctx, u, q)
			if err != nil {
				t.Fatalf("%s: %v", u.Username, err)
			}
			return page.Matched
		}
		if n := count(qStaff, q3); n != 13 {
			t.Errorf("staff: %d findings in 2023Q3, want the demo's 13", n)
		}
		if n := count(qDist, q3); n != 13 {
			t.Errorf("district: %d findings, want 13", n)
		}
		if n := count(qWorker, q3); n != 3 {
			t.Errorf("QS013: %d findings, want their own 3", n)
		}
		other := &gs.User{Username: "b", Role: gs.RoleTownStaff, Town: "白石镇"}
		if n := count(other, q3); n != 0 {
			t.Errorf("another town's staff: %d findings of 青山镇", n)
		}
		aug := q3
		aug.From, aug.To = gs.NewDate(2023, 8, 1), gs.NewDate(2023, 8, 31)
		page, err := s.Records(ctx, qStaff, aug)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page.Records.Findings {
			if f.OccurredOn.Month() != 8 {
				t.Errorf("August's findings hold %s", f.OccurredOn)
			}
		}
		leaves := app.RecordQuery{Kind: "leaves", From: gs.NewDate(2023, 7, 21), To: gs.NewDate(2023, 7, 21)}
		if n := count(qStaff, leaves); n != 1 {
			t.Errorf("%d leaves overlap 2023-07-21, want QS014's 07-20..07-21", n)
		}
		events := app.RecordQuery{Kind: "events", WorkerID: "QS002", Limit: 10, Offset: 10}
		page, err = s.Records(ctx, qStaff, events)
		if err != nil || len(page.Records.Events) != 10 || page.Matched <= 20 {
			t.Fatalf("a page of QS002's events: %d of %d, %v", len(page.Records.Events), page.Matched, err)
		}
		for i, e := range page.Records.Events[1:] {
			if e.ReportedAt.After(page.Records.Events[i].ReportedAt) {
				t.Errorf("events are not newest first")
			}
		}
		for _, q := range []app.RecordQuery{{Kind: "events", WorkerID: "QS001"}, {Kind: "register", GridCode: "QS-01"}, {Kind: "events", Town: "白石镇"}} {
			_, err := s.Records(ctx, qWorker, q)
			wantCode(t, "QS013 asks for "+q.WorkerID+q.GridCode+q.Town, err, gs.EFORBIDDEN, "只能查看本人")
		}
		_, err = s.Records(ctx, qStaff, app.RecordQuery{Kind: "events", Town: "白石镇"})
		wantCode(t, "staff asks for another town", err, gs.EFORBIDDEN, "本镇街")

		reg := app.RecordQuery{Kind: "register", GridCode: "QS-01"}
		full, _ := s.Records(ctx, qAdmin, reg)
		masked, _ := s.Records(ctx, qStaff, reg)
		if len(full.Records.Register) == 0 || full.Records.Register[0].IDNumber != "439901195211199846" ||
			masked.Records.Register[0].IDNumber != "439901********9846" || masked.Records.Register[0].Name != "董*" {
			t.Errorf("register: admin %+v, staff %+v", full.Records.Register[0], masked.Records.Register[0])
		}
	})
}

// TestSaveRecordFinalized: a record of a finalized quarter may be entered
// (RULES.md §8); the finalized snapshot does not change, the live result
// does, and the audit entry says so.
func TestSaveRecordFinalized(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := app.WithActor(context.Background(), "admin")
		town, q := demo.TownName, demo.Quarter()
		finalizeDemo(t, ctx, s)
		before := workerOf(t, s, "QS001")
		_, err := s.SaveRecord(ctx, qAdmin, &app.RecordEdit{Kind: "findings", Reason: "督查补录",
			Values: map[string]string{"worker_id": "QS001", "kind": "disobey", "occurred_on": "2023-09-12"}})
		if err != nil {
			t.Fatal(err)
		}
		if after := workerOf(t, s, "QS001"); *after.Total != *before.Total || len(after.Deductions) != len(before.Deductions) {
			t.Errorf("the finalized snapshot changed: %v → %v", *before.Total, *after.Total)
		}
		mustState(t, s, gs.StateFinalized)
		live, err := s.AssessTown(ctx, town, q, demo.AsOf())
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range live.Workers {
			if w.WorkerID == "QS001" && (w.Total == nil || *w.Total >= *before.Total) {
				t.Errorf("the live result ignores the new finding: %v", w.Total)
			}
		}
		es, err := s.DB.Audit(ctx, gs.AuditFilter{Action: gs.AuditRecordCreated})
		if err != nil || len(es) != 1 || !strings.Contains(es[0].Detail, "2023Q3 已定稿，定稿结果不随之改变") || !strings.Contains(es[0].Detail, "原因：督查补录") {
			t.Errorf("audit: %+v, %v", es, err)
		}
	})
}

// finalizeDemo computes, publishes and finalizes the demo town's quarter.
func finalizeDemo(t *testing.T, ctx context.Context, s *app.Service) {
	t.Helper()
	town, q := demo.TownName, demo.Quarter()
	for _, step := range []func() error{
		func() error { return s.Compute(ctx, qAdmin, town, q, demo.AsOf()) },
		func() error { return s.Publish(ctx, qAdmin, town, q) },
		func() error { // once the appeal window is over, the clock put back after
			clock := s.Now
			defer func() { s.Now = clock }()
			s.Now = func() time.Time { return clock().AddDate(0, 0, 10) }
			return s.Finalize(ctx, qAdmin, town, q)
		},
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFrozenQuartersLongLeave: a leave from before a finalized quarter to
// after it concerns that quarter too, though neither of its dates is in it.
func TestFrozenQuartersLongLeave(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := app.WithActor(context.Background(), "admin")
		town, q := demo.TownName, demo.Quarter()
		finalizeDemo(t, ctx, s)
		leave := &gs.Records{Leaves: []gs.Leave{{WorkerID: "QS001", From: q.First() - 20, To: q.Last() + 20}}}
		frozen, err := s.FrozenQuarters(ctx, town, app.RecordDates(leave)...)
		if err != nil || len(frozen) != 1 || frozen[0] != q.String() {
			t.Errorf("a leave %s..%s: frozen %v, %v; want [%s]", leave.Leaves[0].From, leave.Leaves[0].To, frozen, err, q)
		}
	})
}

// TestSaveRecordRefused: who may not enter, and what may not be entered,
// writes nothing, audit included.
func TestSaveRecordRefused(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := app.WithActor(context.Background(), "x")
		counts, _ := s.DB.Counts(ctx)
		finding := func(worker string) *app.RecordEdit {
			return &app.RecordEdit{Kind: "findings", Values: map[string]string{"worker_id": worker, "kind": "phone", "occurred_on": "2023-09-12"}}
		}
		_, err := s.SaveRecord(ctx, qWorker, finding("QS013"))
		wantCode(t, "a worker enters", err, gs.EFORBIDDEN, "")
		_, err = s.SaveRecord(ctx, qDist, finding("QS013"))
		wantCode(t, "the district enters", err, gs.EFORBIDDEN, "")
		other := &gs.User{Username: "b", Role: gs.RoleTownAdmin, Town: "白石镇"}
		_, err = s.SaveRecord(ctx, other, finding("QS013"))
		var fe *app.FormError
		if !errors.As(err, &fe) || !strings.Contains(fe.Fields["worker_id"], "不是本镇街的网格员") {
			t.Errorf("another town's worker: %v", err)
		}
		_, err = s.SaveRecord(ctx, other, &app.RecordEdit{Kind: "findings", Key: []string{"HC2023-005"}, Reason: "改",
			Values: map[string]string{"kind": "phone", "occurred_on": "2023-09-12"}})
		wantCode(t, "another town changes a finding", err, gs.EFORBIDDEN, "不属于本镇街")
		wantCode(t, "another town deletes a finding", s.DeleteRecord(ctx, other, "findings", []string{"HC2023-005"}, "删"), gs.EFORBIDDEN, "")
		wantCode(t, "another town changes a meeting", s.DeleteRecord(ctx, other, "meetings", []string{"HY20230703"}, "删"), gs.EFORBIDDEN, "不属于本镇街")
		_, err = s.SaveRecord(ctx, qStaff, &app.RecordEdit{Kind: "quiz", Values: map[string]string{"quiz_id": "CC2023-008", "worker_id": "QS013", "taken_on": "2023-09-21", "wrong_answers": "1"}})
		if !errors.As(err, &fe) || !strings.Contains(fe.Fields["quiz_id"], "已经存在") {
			t.Errorf("a quiz id taken: %v", err)
		}
		err = s.DeleteRecord(ctx, qStaff, "quiz", []string{"CC2023-008"}, " ")
		if !errors.As(err, &fe) || fe.Fields["reason"] == "" {
			t.Errorf("delete without a reason: %v", err)
		}
		wantCode(t, "delete a missing record", s.DeleteRecord(ctx, qStaff, "quiz", []string{"NO"}, "删"), gs.ENOTFOUND, "")
		after, _ := s.DB.Counts(ctx)
		for k, n := range counts {
			if after[k] != n {
				t.Errorf("%s: %d rows, was %d", k, after[k], n)
			}
		}
		if es, _ := s.DB.Audit(ctx, gs.AuditFilter{Username: "x"}); len(es) != 0 {
			t.Errorf("refused changes left %d audit entries", len(es))
		}
	})
}

// TestSaveRecordFieldMessages: a form with mistakes gets, next to each
// field, what the record's own rules and the reader say of it, as an import
// would say it of the same values.
func TestSaveRecordFieldMessages(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, _ *time.Time) {
		ctx := app.WithActor(context.Background(), "x")
		for _, tc := range []struct {
			name   string
			kind   string
			values map[string]string
			want   map[string]string
		}{
			{"an empty finding", "findings", map[string]string{},
				map[string]string{"worker_id": "必填，不能为空", "kind": "必填，不能为空", "occurred_on": "必填，不能为空"}},
			{"a finding counted zero times, typed 00", "findings",
				map[string]string{"worker_id": "QS001", "kind": "phone", "occurred_on": "2023-09-12", "count": "00"},
				map[string]string{"count": `不能小于 1："00"`}},
			{"a leave that ends before it starts", "leaves", map[string]string{"worker_id": "QS001", "from": "2023/9/5", "to": "2023-09-04"},
				map[string]string{"to": "结束日期早于开始日期"}},
			{"a quiz of an unknown worker, wrong answers not a number", "quiz",
				map[string]string{"worker_id": "NOBODY", "taken_on": "2023-09-12", "wrong_answers": "两处"},
				map[string]string{"wrong_answers": `应为整数："两处"`, "worker_id": `工号 "NOBODY" 没有对应的网格员`}},
			{"a calendar day of no known kind", "calendar", map[string]string{"date": "2023-09-30", "kind": "半天"},
				map[string]string{"kind": `无法识别的值 "半天"，应为：休息日、工作日（或 holiday、workday）`}},
		} {
			_, err := s.SaveRecord(ctx, qStaff, &app.RecordEdit{Kind: tc.kind, Values: tc.values})
			var fe *app.FormError
			if !errors.As(err, &fe) || !reflect.DeepEqual(fe.Fields, tc.want) {
				t.Errorf("%s: %v\ngot  %q\nwant %q", tc.name, err, fe.Fields, tc.want)
			}
		}
	})
}
