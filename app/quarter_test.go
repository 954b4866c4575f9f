package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store/storetest"
)

var (
	qAdmin  = &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: demo.TownName}
	qStaff  = &gs.User{Username: "staff", Role: gs.RoleTownStaff, Town: demo.TownName}
	qWorker = &gs.User{Username: "QS013", Role: gs.RoleWorker, Town: demo.TownName, WorkerID: "QS013"}
	qOther  = &gs.User{Username: "QS001", Role: gs.RoleWorker, Town: demo.TownName, WorkerID: "QS001"}
	qDist   = &gs.User{Username: "district", Role: gs.RoleDistrict}
)

// forEachQuarterService runs test with the service on a fresh store of
// each engine holding the demo town, its clock at the demo's as-of moment
// (publication day).
func forEachQuarterService(t *testing.T, test func(t *testing.T, s *app.Service, now *time.Time)) {
	forEachQuarterServiceOf(t, func() *gs.Records { return demo.Town(1) }, test)
}

// forEachQuarterServiceOf is forEachQuarterService with the store holding
// the records recs returns (the demo town, changed) instead.
func forEachQuarterServiceOf(t *testing.T, recs func() *gs.Records, test func(t *testing.T, s *app.Service, now *time.Time)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			db := mustOpen(t, b.Target(t))
			if _, err := db.Import(context.Background(), recs(), nil); err != nil {
				t.Fatal(err)
			}
			now := demo.AsOf()
			s := &app.Service{DB: db, Scheme: scheme.Default(), Now: func() time.Time { return now }}
			test(t, s, &now)
		})
	}
}

// workerOf returns worker id's result in the town's snapshot.
func workerOf(t *testing.T, s *app.Service, id string) gs.WorkerResult {
	t.Helper()
	rows, err := s.DB.Snapshot(context.Background(), demo.TownName, demo.Quarter().String())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Result.WorkerID == id {
			return r.Result
		}
	}
	t.Fatalf("%s not in the snapshot (%d rows)", id, len(rows))
	return gs.WorkerResult{}
}

// computeAndPublish computes the demo quarter as of the demo's moment and
// publishes it.
func computeAndPublish(t *testing.T, s *app.Service) {
	t.Helper()
	ctx, town, q := context.Background(), demo.TownName, demo.Quarter()
	if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, qStaff, town, q); err != nil {
		t.Fatal(err)
	}
}

func mustState(t *testing.T, s *app.Service, want gs.State) {
	t.Helper()
	st, err := s.QuarterState(context.Background(), demo.TownName, demo.Quarter())
	if err != nil || st.State != want {
		t.Fatalf("state = %q (%v), want %q", st.State, err, want)
	}
}

func TestQuarterLife(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := app.WithActor(context.Background(), "admin")
		town, q := demo.TownName, demo.Quarter()
		mustState(t, s, gs.StateOpen)

		wantCode(t, "worker computes", s.Compute(ctx, qWorker, town, q, demo.AsOf()), gs.EFORBIDDEN, "")
		wantCode(t, "district computes", s.Compute(ctx, qDist, town, q, demo.AsOf()), gs.EFORBIDDEN, "")
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		mustState(t, s, gs.StateComputed)
		before := workerOf(t, s, "QS013")
		if len(before.Deductions) == 0 || before.Total == nil {
			t.Fatalf("QS013 has no deduction to appeal: %+v", before)
		}
		d := before.Deductions[0]
		ref := gs.RefOf("QS013", d)

		_, err := s.Appeal(ctx, qWorker, q, ref, "理由")
		wantCode(t, "appeal before publication", err, gs.ECONFLICT, "")
		wantCode(t, "worker publishes", s.Publish(ctx, qWorker, town, q), gs.EFORBIDDEN, "")
		if err := s.Publish(ctx, qStaff, town, q); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "compute while published", s.Compute(ctx, qStaff, town, q, demo.AsOf()), gs.ECONFLICT, "")

		_, err = s.Appeal(ctx, qOther, q, ref, "替别人申诉")
		wantCode(t, "appeal for another worker", err, gs.EFORBIDDEN, "")
		_, err = s.Appeal(ctx, qWorker, q, ref, "  ")
		wantCode(t, "appeal without a reason", err, gs.EINVALID, "请填写申诉理由")
		a, err := s.Appeal(ctx, qWorker, q, ref, "当天系统故障，无法登录")
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Appeal(ctx, qWorker, q, ref, "再申诉一次")
		wantCode(t, "second appeal of one deduction", err, gs.ECONFLICT, "")

		wantCode(t, "staff finalizes", s.Finalize(ctx, qStaff, town, q), gs.EFORBIDDEN, "")
		err = s.Finalize(ctx, qAdmin, town, q)
		wantCode(t, "finalize with a pending appeal", err, gs.ECONFLICT, "QS013")
		blocks, pending, _ := s.FinalizeBlockers(ctx, town, q)
		if len(blocks) != 2 || pending != 1 {
			t.Errorf("blockers = %q (%d pending), want the window and the one appeal", blocks, pending)
		}
		*now = time.Date(2023, 10, 16, 9, 0, 0, 0, gs.CST) // the appeal window is over

		wantCode(t, "worker decides", s.Decide(ctx, qWorker, town, q, a.ID, true, "好"), gs.EFORBIDDEN, "")
		if err := s.Decide(ctx, qAdmin, town, q, a.ID, true, "经核实，情况属实"); err != nil {
			t.Fatal(err)
		}
		after := workerOf(t, s, "QS013")
		for _, x := range after.Deductions {
			if gs.RefOf("QS013", x) == ref {
				t.Errorf("upheld deduction still counts")
			}
		}
		if *after.Total != *before.Total+d.Points { // the demo's QS013 is far from any floor
			t.Errorf("total %v → %v after voiding %v", *before.Total, *after.Total, d.Points)
		}
		wantCode(t, "decide twice", s.Decide(ctx, qAdmin, town, q, a.ID, false, "驳回"), gs.ENOTFOUND, "")

		if err := s.Finalize(ctx, qAdmin, town, q); err != nil {
			t.Fatal(err)
		}
		mustState(t, s, gs.StateFinalized)

		// A record imported after finalizing leaves the snapshot as it was.
		recs := &gs.Records{Findings: []gs.Finding{{ID: "F-LATE-1", WorkerID: "QS013", Kind: gs.FindingPhone,
			OccurredOn: gs.NewDate(2023, 8, 1), Count: 1}}}
		if _, err := s.DB.Import(context.Background(), recs, nil); err != nil {
			t.Fatal(err)
		}
		live, err := s.Assess(context.Background(), q, demo.AsOf())
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range live.Workers {
			if w.WorkerID == "QS013" && len(w.Deductions) == len(before.Deductions) {
				t.Fatalf("the late record changes nothing live either: the test proves nothing")
			}
		}
		frozen := workerOf(t, s, "QS013")
		if *frozen.Total != *after.Total || len(frozen.Deductions) != len(after.Deductions) {
			t.Errorf("finalized snapshot changed: total %v → %v", *after.Total, *frozen.Total)
		}
		wantCode(t, "compute while finalized", s.Compute(ctx, qAdmin, town, q, demo.AsOf()), gs.ECONFLICT, "")

		wantCode(t, "reopen without a reason", s.Reopen(ctx, qAdmin, town, q, ""), gs.EINVALID, "")
		wantCode(t, "staff reopens", s.Reopen(ctx, qStaff, town, q, "原因"), gs.EFORBIDDEN, "")
		wantCode(t, "staff files", s.File(ctx, qStaff, town, q), gs.EFORBIDDEN, "")
		if err := s.File(ctx, qAdmin, town, q); err != nil {
			t.Fatal(err)
		}
		mustState(t, s, gs.StateFiled)
		if err := s.Reopen(ctx, qAdmin, town, q, "区中心要求更正"); err != nil {
			t.Fatal(err)
		}
		mustState(t, s, gs.StateComputed)
		// Recomputed, the late record counts, and the upheld appeal stays voided.
		if err := s.Compute(ctx, qAdmin, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		again := workerOf(t, s, "QS013")
		for _, x := range again.Deductions {
			if gs.RefOf("QS013", x) == ref {
				t.Errorf("recomputing brought the voided deduction back")
			}
		}
		if len(again.Deductions) != len(after.Deductions)+1 {
			t.Errorf("recomputed deductions = %d, want %d", len(again.Deductions), len(after.Deductions)+1)
		}

		acts := auditActions(t, s.DB)
		joined := strings.Join(acts, ",")
		for _, want := range []string{gs.AuditQuarterComputed, gs.AuditQuarterPublished, gs.AuditAppealCreated,
			gs.AuditAppealUpheld, gs.AuditQuarterFinalized, gs.AuditQuarterFiled, gs.AuditQuarterReopened} {
			if !strings.Contains(joined, want) {
				t.Errorf("audit log lacks %s: %s", want, joined)
			}
		}
	})
}

// TestFinalizeWaitsForAppeals: a published quarter cannot be finalized
// while its workers may still appeal (RULES.md §8), and the refusal says
// from which day it can; nor while an appeal is pending.
func TestFinalizeWaitsForAppeals(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := context.Background()
		town, q := demo.TownName, demo.Quarter()
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, qStaff, town, q); err != nil { // Sunday 2023-10-08; appeals until 10-13
			t.Fatal(err)
		}
		wantCode(t, "finalize a minute after publishing", s.Finalize(ctx, qAdmin, town, q), gs.ECONFLICT, "2023-10-14 起才能定稿")
		*now = time.Date(2023, 10, 13, 17, 0, 0, 0, gs.CST)
		wantCode(t, "finalize on the last day of appeals", s.Finalize(ctx, qAdmin, town, q), gs.ECONFLICT, "申诉期到 2023-10-13 结束")
		ref := gs.RefOf("QS013", workerOf(t, s, "QS013").Deductions[0])
		a, err := s.Appeal(ctx, qWorker, q, ref, "最后一天申诉")
		if err != nil {
			t.Fatal(err)
		}
		*now = time.Date(2023, 10, 14, 9, 0, 0, 0, gs.CST)
		err = s.Finalize(ctx, qAdmin, town, q)
		wantCode(t, "finalize with an appeal pending", err, gs.ECONFLICT, "QS013")
		if strings.Contains(gs.ErrorMessage(err), "申诉期") {
			t.Errorf("the window is over, yet: %v", err)
		}
		if err := s.Decide(ctx, qStaff, town, q, a.ID, false, "记录无误"); err != nil {
			t.Fatal(err)
		}
		if blocks, _, _ := s.FinalizeBlockers(ctx, town, q); len(blocks) != 0 {
			t.Errorf("blockers %q once the window closed and the appeal was decided", blocks)
		}
		if err := s.Finalize(ctx, qAdmin, town, q); err != nil {
			t.Fatal(err)
		}
		mustState(t, s, gs.StateFinalized)
	})
}

func TestAppealPeriodEnds(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := context.Background()
		town, q := demo.TownName, demo.Quarter()
		computeAndPublish(t, s)
		ref := gs.RefOf("QS013", workerOf(t, s, "QS013").Deductions[0])
		// Published Sunday 2023-10-08 (a make-up workday of the National Day
		// holiday): five workdays after it end on Friday 10-13.
		last, err := s.AppealDeadline(ctx, town, demo.AsOf())
		if err != nil || last != gs.NewDate(2023, 10, 13) {
			t.Fatalf("deadline = %v, %v; want 2023-10-13", last, err)
		}
		*now = time.Date(2023, 10, 14, 9, 0, 0, 0, gs.CST)
		_, err = s.Appeal(ctx, qWorker, q, ref, "晚了")
		wantCode(t, "appeal after the period", err, gs.ECONFLICT, "申诉期已于 2023-10-13 结束")
		*now = time.Date(2023, 10, 13, 17, 0, 0, 0, gs.CST)
		if _, err := s.Appeal(ctx, qWorker, q, ref, "最后一天"); err != nil {
			t.Errorf("appeal on the last day: %v", err)
		}
	})
}

func TestVoidDeduction(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := context.Background()
		town, q := demo.TownName, demo.Quarter()
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		before := workerOf(t, s, "QS013")
		ref := gs.RefOf("QS013", before.Deductions[0])
		wantCode(t, "worker voids", s.VoidDeduction(ctx, qWorker, town, q, ref, "自己撤销"), gs.EFORBIDDEN, "")
		wantCode(t, "void without a reason", s.VoidDeduction(ctx, qStaff, town, q, ref, ""), gs.EINVALID, "")
		if err := s.VoidDeduction(ctx, qStaff, town, q, ref, "数据错误"); err != nil {
			t.Fatal(err)
		}
		if got := len(workerOf(t, s, "QS013").Deductions); got != len(before.Deductions)-1 {
			t.Errorf("deductions %d → %d, want one fewer", len(before.Deductions), got)
		}
		wantCode(t, "void twice", s.VoidDeduction(ctx, qStaff, town, q, ref, "再来"), gs.ENOTFOUND, "")
		// A new computation keeps it voided.
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		if got := len(workerOf(t, s, "QS013").Deductions); got != len(before.Deductions)-1 {
			t.Errorf("after recomputing: %d deductions, want %d", got, len(before.Deductions)-1)
		}
	})
}

// wantCode checks an error's code and that its message contains part.
func wantCode(t *testing.T, what string, err error, code, part string) {
	t.Helper()
	if gs.ErrorCode(err) != code || !strings.Contains(gs.ErrorMessage(err), part) {
		t.Errorf("%s: %v (code %q); want %s containing %q", what, err, gs.ErrorCode(err), code, part)
	}
}

// TestComputeBeforeTheQuarter: a quarter cannot be computed as of a moment
// before its first day (everyone would stand at the floor, and the state
// would say computed).
func TestComputeBeforeTheQuarter(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := context.Background()
		next := gs.Quarter{Year: 2024, Q: 1}
		err := s.Compute(ctx, qStaff, demo.TownName, next, demo.AsOf())
		wantCode(t, "compute 2024Q1 as of 2023-10-08", err, gs.EINVALID, "早于本季度的第一天 2024-01-01")
		st, err := s.QuarterState(ctx, demo.TownName, next)
		if err != nil || st.State != gs.StateOpen {
			t.Errorf("2024Q1 is %q (%v) after the refusal, want open", st.State, err)
		}
		*now = time.Date(2024, 1, 1, 0, 0, 0, 0, gs.CST)
		if err := s.Compute(ctx, qStaff, demo.TownName, next, time.Date(2024, 1, 1, 0, 0, 0, 0, gs.CST)); err != nil {
			t.Errorf("compute 2024Q1 as of its first moment: %v", err)
		}
	})
}

// TestComputeInTheFuture: a quarter cannot be computed as of a moment
// still to come by the service's clock. On 2023-09-15 a computation of
// 2023Q3 as of 2023-10-01 00:00 would judge 09-15…09-30 as elapsed and
// pass PublishBlocker, so the quarter could be published, finalized and
// paid before it ends.
func TestComputeInTheFuture(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := context.Background()
		town, q := demo.TownName, demo.Quarter() // 2023Q3
		*now = time.Date(2023, 9, 15, 10, 0, 0, 0, gs.CST)
		end := time.Date(2023, 10, 1, 0, 0, 0, 0, gs.CST)
		err := s.Compute(ctx, qStaff, town, q, end)
		wantCode(t, "compute as of 10-01 on 09-15", err, gs.EINVALID, "计算时点 2023-10-01 00:00 晚于现在（2023-09-15 10:00）")
		mustState(t, s, gs.StateOpen)
		wantCode(t, "publish after the refusal", s.Publish(ctx, qStaff, town, q), gs.ECONFLICT, "")
		if err := s.Compute(ctx, qStaff, town, q, *now); err != nil {
			t.Errorf("compute as of now: %v", err)
		}
		*now = end
		if err := s.Compute(ctx, qStaff, town, q, end); err != nil {
			t.Errorf("compute as of the quarter's end once it has come: %v", err)
		}
	})
}

// TestPublishNeedsTheQuarterEnded: results computed as of a moment inside
// the quarter are a standing, reviewed but never published (they would be
// finalized and paid with the rest of the quarter unjudged); computed again
// as of the quarter's end they are.
func TestPublishNeedsTheQuarterEnded(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := context.Background()
		town, q := demo.TownName, demo.Quarter() // 2023Q3
		mid := time.Date(2023, 8, 15, 10, 0, 0, 0, gs.CST)
		if err := s.Compute(ctx, qStaff, town, q, mid); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "publish as of 08-15", s.Publish(ctx, qStaff, town, q), gs.ECONFLICT,
			"计算时点 2023-08-15 10:00 在本季度结束（2023-09-30 24:00）之前")
		mustState(t, s, gs.StateComputed)
		last := time.Date(2023, 9, 30, 23, 59, 59, 0, gs.CST)
		if err := s.Compute(ctx, qStaff, town, q, last); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "publish as of the quarter's last second", s.Publish(ctx, qStaff, town, q), gs.ECONFLICT, "2023-10-01 00:00 或更晚")
		if err := s.Compute(ctx, qStaff, town, q, time.Date(2023, 10, 1, 0, 0, 0, 0, gs.CST)); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, qStaff, town, q); err != nil {
			t.Errorf("publish as of the quarter's end: %v", err)
		}
		mustState(t, s, gs.StatePublished)
	})
}

// TestWithdraw: the center sets a computed quarter never published back
// to open, with a reason; its stored results are gone and the audit log
// keeps the reason. A quarter once published is not withdrawn.
func TestWithdraw(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := app.WithActor(context.Background(), "staff")
		town, q := demo.TownName, demo.Quarter()
		wantCode(t, "withdraw an open quarter", s.Withdraw(ctx, qStaff, town, q, "算错了"), gs.ECONFLICT, "进行中")
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "worker withdraws", s.Withdraw(ctx, qWorker, town, q, "算错了"), gs.EFORBIDDEN, "")
		wantCode(t, "withdraw without a reason", s.Withdraw(ctx, qStaff, town, q, " "), gs.EINVALID, "请填写撤销计算的原因")
		if err := s.Withdraw(ctx, qStaff, town, q, "计算时点选错了"); err != nil {
			t.Fatal(err)
		}
		mustState(t, s, gs.StateOpen)
		if rows, err := s.DB.Snapshot(context.Background(), town, q.String()); err != nil || len(rows) != 0 {
			t.Errorf("%d stored results left (%v), want none", len(rows), err)
		}
		if !strings.Contains(strings.Join(auditActions(t, s.DB), ","), gs.AuditQuarterWithdrawn) {
			t.Errorf("the audit log lacks the withdrawal")
		}

		for _, step := range []func() error{
			func() error { return s.Compute(ctx, qStaff, town, q, demo.AsOf()) },
			func() error { return s.Publish(ctx, qStaff, town, q) },
			func() error { return s.Reopen(ctx, qAdmin, town, q, "更正") },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, "withdraw a quarter once published", s.Withdraw(ctx, qStaff, town, q, "撤回"), gs.ECONFLICT, "已经公示过")
		// Computed again after reopening, it is still one once published.
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "withdraw a quarter published, reopened and computed again", s.Withdraw(ctx, qStaff, town, q, "撤回"),
			gs.ECONFLICT, "已经公示过")
		mustState(t, s, gs.StateComputed)
	})
}

// TestUpholdGoneDeduction: an appeal pending from the first publication
// whose deduction is gone once the quarter was reopened and computed again
// cannot be upheld (it would void nothing and read as points won back); it
// can be rejected.
func TestUpholdGoneDeduction(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := context.Background()
		town, q := demo.TownName, demo.Quarter()
		computeAndPublish(t, s)
		var ref gs.DeductionRef
		for _, d := range workerOf(t, s, "QS013").Deductions {
			if d.Rule == gs.RuleKeyVisits && d.Period == "2023-08" {
				ref = gs.RefOf("QS013", d)
			}
		}
		if ref.EvidenceKey != "TS0040" {
			t.Fatalf("the demo's QS013 lacks the key.visits 2023-08 deduction for TS0040: %+v", ref)
		}
		a, err := s.Appeal(ctx, qWorker, q, ref, "八月已走访")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Reopen(ctx, qAdmin, town, q, "补录走访记录"); err != nil {
			t.Fatal(err)
		}
		var visits []gs.Visit
		for day := 1; day <= 4; day++ {
			visits = append(visits, gs.Visit{ID: fmt.Sprintf("ZF-LATE-%d", day), PersonID: "TS0040", WorkerID: "QS013",
				VisitedAt: time.Date(2023, 8, day, 10, 0, 0, 0, gs.CST)})
		}
		if _, err := s.DB.Import(ctx, &gs.Records{Visits: visits}, nil); err != nil {
			t.Fatal(err)
		}
		computeAndPublish(t, s)
		for _, d := range workerOf(t, s, "QS013").Deductions {
			if d.Rule == gs.RuleKeyVisits && d.Period == "2023-08" {
				t.Fatalf("the visits imported leave the deduction: %+v", d)
			}
		}
		wantCode(t, "uphold an appeal of a deduction gone", s.Decide(ctx, qStaff, town, q, a.ID, true, "属实"),
			gs.ECONFLICT, "不能支持这项申诉，只能驳回")
		if vs, err := s.Voided(ctx, town, q); err != nil || len(vs) != 0 {
			t.Errorf("voided after the refusal: %+v (%v)", vs, err)
		}
		if err := s.Decide(ctx, qStaff, town, q, a.ID, false, "补录走访后已不再扣分"); err != nil {
			t.Errorf("reject it: %v", err)
		}
	})
}

// TestVoidFollowsItsDeduction: a void, or an upheld appeal, of a deduction
// that rests on every record of its month (events.quota, events.batch)
// still applies once an event of that month comes in after the first
// computation and the deduction's records change: the total leaves it out,
// the voided deductions name its records as they now are, and the audit
// log tells the center.
func TestVoidFollowsItsDeduction(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := app.WithActor(context.Background(), "staff")
		town, q := demo.TownName, demo.Quarter()
		find := func(id string, rule gs.RuleID, period string) *gs.Deduction {
			for _, d := range workerOf(t, s, id).Deductions {
				if d.Rule == rule && d.Period == period {
					return &d
				}
			}
			return nil
		}
		clone := func(id, newID string) gs.Event {
			for _, e := range demo.Town(1).Events {
				if e.ID == id {
					e.ID = newID
					return e
				}
			}
			t.Fatalf("the demo has no event %s", id)
			return gs.Event{}
		}
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		quota, batch := find("QS003", gs.RuleEventsQuota, "2023-07"), find("QS011", gs.RuleEventsBatch, "2023-08")
		if quota == nil || batch == nil {
			t.Fatalf("the demo lacks QS003's quota of 2023-07 (%v) or QS011's batch of 2023-08 (%v)", quota, batch)
		}
		if err := s.VoidDeduction(ctx, qStaff, town, q, gs.RefOf("QS003", *quota), "七月借调区里"); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, qStaff, town, q); err != nil {
			t.Fatal(err)
		}
		qs011 := &gs.User{Username: "QS011", Role: gs.RoleWorker, Town: town, WorkerID: "QS011"}
		a, err := s.Appeal(ctx, qs011, q, gs.RefOf("QS011", *batch), "八月上旬在外培训")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Decide(ctx, qStaff, town, q, a.ID, true, "属实"); err != nil {
			t.Fatal(err)
		}
		total3, total11 := *workerOf(t, s, "QS003").Total, *workerOf(t, s, "QS011").Total

		if err := s.Reopen(ctx, qAdmin, town, q, "补录事件"); err != nil {
			t.Fatal(err)
		}
		late := []gs.Event{clone(quota.Evidence[0], "SJ-LATE-3"), clone(batch.Evidence[0], "SJ-LATE-11")}
		if _, err := s.DB.Import(ctx, &gs.Records{Events: late}, nil); err != nil {
			t.Fatal(err)
		}
		live, err := s.Assess(ctx, q, demo.AsOf())
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range live.Workers {
			for _, d := range w.Deductions {
				if (w.WorkerID == "QS003" && d.Rule == gs.RuleEventsQuota && d.Period == "2023-07" && !slices.Contains(d.Evidence, "SJ-LATE-3")) ||
					(w.WorkerID == "QS011" && d.Rule == gs.RuleEventsBatch && d.Period == "2023-08" && !slices.Contains(d.Evidence, "SJ-LATE-11")) {
					t.Fatalf("the event imported does not change %s's %s: the test proves nothing", w.WorkerID, d.Rule)
				}
			}
		}
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		if d := find("QS003", gs.RuleEventsQuota, "2023-07"); d != nil {
			t.Errorf("the voided quota counts again once its records changed: %+v", *d)
		}
		if d := find("QS011", gs.RuleEventsBatch, "2023-08"); d != nil {
			t.Errorf("the batch of the upheld appeal counts again once its records changed: %+v", *d)
		}
		// The cloned events may cost points of their own, never the quota's or the batch's.
		if got := *workerOf(t, s, "QS003").Total; got < total3-quota.Points {
			t.Errorf("QS003's total %v → %v", total3, got)
		}
		if got := *workerOf(t, s, "QS011").Total; got < total11-batch.Points {
			t.Errorf("QS011's total %v → %v", total11, got)
		}
		vs, err := s.Voided(ctx, town, q)
		if err != nil || len(vs) != 2 {
			t.Fatalf("voided = %+v (%v), want the quota and the batch", vs, err)
		}
		for _, v := range vs {
			if !strings.Contains(v.EvidenceKey, "SJ-LATE-") {
				t.Errorf("the void of %s %s names the records it was voided on, not the deduction's now: %s", v.WorkerID, v.Rule, v.EvidenceKey)
			}
		}
		entries, err := s.DB.Audit(context.Background(), gs.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		told := 0
		for _, e := range entries {
			if strings.Contains(e.Detail, "撤销继续有效") {
				told++
			}
		}
		if told != 2 {
			t.Errorf("%d audit entries tell of a void kept on changed records, want 2", told)
		}
		// Computed again, nothing changed: nothing more to tell.
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		if vs2, _ := s.Voided(ctx, town, q); !slices.Equal(vs, vs2) {
			t.Errorf("voided changed on computing again: %+v → %+v", vs, vs2)
		}
	})
}
