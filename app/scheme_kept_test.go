package app_test

import (
	"context"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestSchemeKeptWithResults: stored results keep the scheme they were
// computed under. Once the configured scheme changes, a deduction is not
// voided under the new rules until the quarter is computed again, and the
// finalized quarter's filing and result still name the scheme it was
// computed under.
func TestSchemeKeptWithResults(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := app.WithActor(context.Background(), "admin")
		town, q := demo.TownName, demo.Quarter()
		old := s.Scheme
		later := &app.Service{DB: s.DB, Scheme: s.Scheme, Now: s.Now}
		later.Scheme.ID, later.Scheme.Name = "xx-town-2024", "某镇2024年网格员考核方案"
		if old.ID == later.Scheme.ID || old.Name == "" {
			t.Fatalf("the default scheme %q (%q) is no different", old.ID, old.Name)
		}
		if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		d := workerOf(t, s, "QS013").Deductions[0]
		wantCode(t, "void under another scheme", later.VoidDeduction(ctx, qStaff, town, q, gs.RefOf("QS013", d), "核实有误"),
			gs.ECONFLICT, "请先重新计算")
		if vs, err := s.Voided(ctx, town, q); err != nil || len(vs) != 0 {
			t.Fatalf("voided = %v (%v) after a refusal", vs, err)
		}
		if err := s.Publish(ctx, qStaff, town, q); err != nil {
			t.Fatal(err)
		}
		qs013 := &gs.User{Username: "QS013", Role: gs.RoleWorker, Town: town, WorkerID: "QS013"}
		a, err := s.Appeal(ctx, qs013, q, gs.RefOf("QS013", d), "当天在社区值班")
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, "uphold under another scheme", later.Decide(ctx, qStaff, town, q, a.ID, true, "属实"),
			gs.ECONFLICT, "请管理员先重新打开并重新计算")
		if err := s.Decide(ctx, qStaff, town, q, a.ID, false, "不属实"); err != nil {
			t.Fatal(err)
		}
		*now = now.AddDate(0, 0, 30)
		if err := s.Finalize(ctx, qAdmin, town, q); err != nil {
			t.Fatal(err)
		}
		fl, err := later.Filing(ctx, qAdmin, town, q)
		if err != nil {
			t.Fatal(err)
		}
		if fl.Result.Scheme != old.ID || fl.Result.SchemeName != old.Name {
			t.Errorf("the filing names scheme %q (%q), want the one computed under, %q (%q)", fl.Result.Scheme, fl.Result.SchemeName, old.ID, old.Name)
		}
		st, err := later.QuarterState(ctx, town, q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := later.StoredResult(ctx, town, q, st)
		if err != nil {
			t.Fatal(err)
		}
		if res.Scheme != old.ID || res.SchemeName != old.Name {
			t.Errorf("the stored result names scheme %q (%q), want %q (%q)", res.Scheme, res.SchemeName, old.ID, old.Name)
		}

		// Reopened and computed again under the new scheme: voiding works,
		// and the results name it.
		if err := later.Reopen(ctx, qAdmin, town, q, "新方案"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "void after reopening, not computed again", later.VoidDeduction(ctx, qStaff, town, q, gs.RefOf("QS013", d), "核实有误"),
			gs.ECONFLICT, "请先重新计算")
		if err := later.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		if err := later.VoidDeduction(ctx, qStaff, town, q, gs.RefOf("QS013", d), "核实有误"); err != nil {
			t.Fatal(err)
		}
		if st, err = later.QuarterState(ctx, town, q); err != nil || st.Scheme != later.Scheme.ID || st.SchemeName != later.Scheme.Name {
			t.Errorf("state %+v (%v), want the new scheme kept", st, err)
		}
	})
}
