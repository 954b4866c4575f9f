package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
)

// TestDormantVoid: a void whose deduction a later computation no longer
// has (its record deleted) is kept but marked dormant, with an audit entry,
// and the filing leaves it out; once the deduction is back the void applies
// again.
func TestDormantVoid(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := app.WithActor(context.Background(), "admin")
		town, q := demo.TownName, demo.Quarter()
		finding := gs.Finding{ID: "F-DORM-1", WorkerID: "QS013", Kind: gs.FindingPhone, OccurredOn: gs.NewDate(2023, 8, 1), Count: 1}
		put := func() {
			t.Helper()
			if _, err := s.DB.Import(context.Background(), &gs.Records{Findings: []gs.Finding{finding}}, nil); err != nil {
				t.Fatal(err)
			}
		}
		compute := func() {
			t.Helper()
			if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
				t.Fatal(err)
			}
		}
		voids := func() []gs.Voided {
			t.Helper()
			vs, err := s.Voided(ctx, town, q)
			if err != nil || len(vs) != 1 {
				t.Fatalf("voided = %+v (%v), want the finding's", vs, err)
			}
			return vs
		}
		told := func(part string) int {
			t.Helper()
			entries, err := s.DB.Audit(context.Background(), gs.AuditFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range entries {
				if strings.Contains(e.Detail, part) {
					n++
				}
			}
			return n
		}

		put()
		compute()
		var ref gs.DeductionRef
		for _, d := range workerOf(t, s, "QS013").Deductions {
			if slices.Contains(d.Evidence, finding.ID) {
				ref = gs.RefOf("QS013", d)
			}
		}
		if ref.Rule == "" {
			t.Fatal("the finding costs QS013 nothing: the test proves nothing")
		}
		if err := s.VoidDeduction(ctx, qStaff, town, q, ref, "当天在区里开会"); err != nil {
			t.Fatal(err)
		}
		total := *workerOf(t, s, "QS013").Total
		if v := voids()[0]; !v.DormantSince.IsZero() {
			t.Fatalf("a void just made is dormant since %v", v.DormantSince)
		}

		// The finding is deleted: the deduction is gone, the void kept, dormant.
		*now = now.Add(time.Hour)
		if err := s.DB.ChangeRecords(context.Background(), store.RecordChange{
			Delete: []store.RecordKey{{Kind: "findings", Key: []string{finding.ID}}}}); err != nil {
			t.Fatal(err)
		}
		compute()
		if v := voids()[0]; !v.DormantSince.Equal(*now) {
			t.Errorf("the void of a deduction no longer computed: dormant since %v, want %v", v.DormantSince, *now)
		}
		if got := *workerOf(t, s, "QS013").Total; got != total {
			t.Errorf("total %v → %v once the voided deduction's record is deleted", total, got)
		}
		if n := told("撤销暂不起作用"); n != 1 {
			t.Errorf("%d audit entries tell the void went dormant, want 1", n)
		}
		compute() // nothing changed: nothing more to tell, the moment kept
		if n := told("撤销暂不起作用"); n != 1 {
			t.Errorf("computing again told the dormant void %d times", n)
		}

		// Finalized so: the filing does not list a void that changed nothing.
		if err := s.Publish(ctx, qStaff, town, q); err != nil {
			t.Fatal(err)
		}
		*now = now.AddDate(0, 0, 30)
		if err := s.Finalize(ctx, qAdmin, town, q); err != nil {
			t.Fatal(err)
		}
		fl, err := s.Filing(ctx, qAdmin, town, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(fl.Voided) != 0 {
			t.Errorf("the filing lists a dormant void: %+v", fl.Voided)
		}

		// Reopened, the finding back: the void applies again.
		if err := s.Reopen(ctx, qAdmin, town, q, "补录通报"); err != nil {
			t.Fatal(err)
		}
		put()
		compute()
		if v := voids()[0]; !v.DormantSince.IsZero() {
			t.Errorf("the void of a deduction computed again is still dormant since %v", v.DormantSince)
		}
		if got := *workerOf(t, s, "QS013").Total; got != total {
			t.Errorf("total %v → %v once the voided deduction is back: the void no longer applies", total, got)
		}
		if n := told("撤销重新起作用"); n != 1 {
			t.Errorf("%d audit entries tell the void applies again, want 1", n)
		}
	})
}
