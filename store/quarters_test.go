package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

func TestQuarterLife(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		ctx := context.Background()
		now := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)

		st, err := db.QuarterState(ctx, "青山镇", "2023Q3")
		if err != nil || st.State != gs.StateOpen {
			t.Fatalf("missing row: %+v, %v; want open", st, err)
		}
		total := gs.Points(9900)
		row := store.SnapshotRow{Base: 60000, Result: gs.WorkerResult{WorkerID: "QS001", Town: "青山镇", Eligible: true, Total: &total,
			Deductions: []gs.Deduction{{Rule: gs.RuleDisciplineLogin, Period: "2023-07", Points: 100}}, Flags: []string{}}}
		err = db.InQuarter(ctx, "青山镇", "2023Q3", func(qt *store.QuarterTx) error {
			if err := qt.SaveSnapshot([]store.SnapshotRow{row}); err != nil {
				return err
			}
			if err := qt.Void(gs.Voided{DeductionRef: gs.RefOf("QS001", row.Result.Deductions[0]), Reason: "系统故障", By: "staff", At: now}); err != nil {
				return err
			}
			a := gs.Appeal{DeductionRef: gs.RefOf("QS001", row.Result.Deductions[0]), Reason: "当天请假", Status: gs.AppealPending, CreatedAt: now}
			if err := qt.CreateAppeal(&a); err != nil {
				return err
			}
			if a.ID != 1 {
				t.Errorf("appeal id = %d, want 1", a.ID)
			}
			if err := qt.Audit(gs.AuditEntry{At: now, Username: "staff", Action: "quarter_computed", Object: "quarter:青山镇/2023Q3"}); err != nil {
				return err
			}
			return qt.SetState(gs.QuarterState{State: gs.StateComputed, AsOf: now, ComputedAt: now, UpdatedBy: "staff"})
		})
		if err != nil {
			t.Fatal(err)
		}
		st, _ = db.QuarterState(ctx, "青山镇", "2023Q3")
		if st.State != gs.StateComputed || !st.AsOf.Equal(now) || st.UpdatedBy != "staff" || !st.PublishedAt.IsZero() {
			t.Errorf("state = %+v", st)
		}
		snap, err := db.Snapshot(ctx, "青山镇", "2023Q3")
		if err != nil || len(snap) != 1 || snap[0].Base != 60000 || *snap[0].Result.Total != 9900 || len(snap[0].Result.Deductions) != 1 {
			t.Fatalf("snapshot = %+v, %v", snap, err)
		}
		v, err := db.Voided(ctx, "青山镇", "2023Q3")
		if err != nil || len(v) != 1 || v[0].EvidenceKey != "" || v[0].Reason != "系统故障" {
			t.Fatalf("voided = %+v, %v", v, err)
		}
		as, err := db.Appeals(ctx, gs.AppealFilter{WorkerID: "QS001", Status: gs.AppealPending})
		if err != nil || len(as) != 1 || as[0].Town != "青山镇" || as[0].Rule != gs.RuleDisciplineLogin {
			t.Fatalf("appeals = %+v, %v", as, err)
		}

		// A failed change leaves nothing behind.
		boom := errors.New("boom")
		err = db.InQuarter(ctx, "青山镇", "2023Q3", func(qt *store.QuarterTx) error {
			if err := qt.SaveSnapshot(nil); err != nil {
				return err
			}
			if err := qt.Unvoid(v[0].DeductionRef); err != nil {
				return err
			}
			as[0].Status, as[0].DecidedAt, as[0].DecidedBy = gs.AppealUpheld, now, "admin"
			if err := qt.DecideAppeal(&as[0]); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if snap, _ := db.Snapshot(ctx, "青山镇", "2023Q3"); len(snap) != 1 {
			t.Errorf("rolled-back change emptied the snapshot")
		}
		if as, _ := db.Appeals(ctx, gs.AppealFilter{Status: gs.AppealPending}); len(as) != 1 {
			t.Errorf("rolled-back decision stayed")
		}
		err = db.InQuarter(ctx, "青山镇", "2023Q3", func(qt *store.QuarterTx) error {
			return qt.DecideAppeal(&gs.Appeal{ID: 99, Status: gs.AppealRejected})
		})
		if gs.ErrorCode(err) != gs.ENOTFOUND {
			t.Errorf("deciding a missing appeal: %v, want not found", err)
		}
	})
}

// TestQuarterLock: concurrent changes of one town-quarter run one after
// the other, each seeing the state the one before left.
func TestQuarterLock(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		ctx := context.Background()
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.InQuarter(ctx, "青山镇", "2023Q3", func(qt *store.QuarterTx) error {
					st := qt.State
					time.Sleep(5 * time.Millisecond)
					// A counter kept in updated_by: lost updates would show.
					st.UpdatedBy += "x"
					return qt.SetState(st)
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		st, _ := db.QuarterState(ctx, "青山镇", "2023Q3")
		if len(st.UpdatedBy) != n {
			t.Errorf("updated_by = %q, want %d changes", st.UpdatedBy, n)
		}
	})
}
