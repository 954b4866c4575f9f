package app_test

import (
	"context"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestVoidOneLoginChannel: the demo's QS001, full-time and stationed, with
// no login at all on Tuesday 2023-07-04 loses 3 points for the app and 3
// for the pc. Voiding the pc deduction, by the center or by upholding an
// appeal against it, gives back those 3 points only (RULES.md §0 and §8: a
// single deduction), and the app one still counts.
func TestVoidOneLoginChannel(t *testing.T) {
	town, q := demo.TownName, demo.Quarter()
	cases := []struct {
		name string
		void func(ctx context.Context, s *app.Service, ref gs.DeductionRef) error
	}{
		{name: "voided by the center", void: func(ctx context.Context, s *app.Service, ref gs.DeductionRef) error {
			return s.VoidDeduction(ctx, qStaff, town, q, ref, "PC端当天停机维护")
		}},
		{name: "an upheld appeal", void: func(ctx context.Context, s *app.Service, ref gs.DeductionRef) error {
			if err := s.Publish(ctx, qStaff, town, q); err != nil {
				return err
			}
			a, err := s.Appeal(ctx, qOther, q, ref, "PC端当天停机维护")
			if err != nil {
				return err
			}
			return s.Decide(ctx, qAdmin, town, q, a.ID, true, "经核实，PC端当天停机")
		}},
	}
	recs := func() *gs.Records { return demo.WithoutLogins("QS001", gs.NewDate(2023, 7, 4)) }
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			forEachQuarterServiceOf(t, recs, func(t *testing.T, s *app.Service, now *time.Time) {
				ctx := app.WithActor(context.Background(), "admin")
				if err := s.Compute(ctx, qStaff, town, q, demo.AsOf()); err != nil {
					t.Fatal(err)
				}
				before := workerOf(t, s, "QS001")
				refs := loginRefs(before, "2023-07-04")
				if len(refs) != 2 || refs["app"] == refs["pc"] {
					t.Fatalf("QS001's login deductions of 2023-07-04 = %+v, want one app and one pc with different refs", refs)
				}
				if err := c.void(ctx, s, refs["pc"]); err != nil {
					t.Fatal(err)
				}
				after := workerOf(t, s, "QS001")
				if got := loginRefs(after, "2023-07-04"); len(got) != 1 || got["app"] != refs["app"] {
					t.Errorf("login deductions left = %+v, want the app one only", got)
				}
				three := gs.Points(300) // hundredths
				if got, want := after.Categories.Discipline, before.Categories.Discipline+three; got != want {
					t.Errorf("discipline %v → %v, want %v (3 points back, not 6)", before.Categories.Discipline, got, want)
				}
				if got, want := *after.Total, *before.Total+three; got != want {
					t.Errorf("total %v → %v, want %v", *before.Total, got, want)
				}
				if after.Pay <= before.Pay {
					t.Errorf("pay %s → %s, want more", before.Pay, after.Pay)
				}
			})
		})
	}
}

// loginRefs returns w's discipline.login deductions of day by item.
func loginRefs(w gs.WorkerResult, day string) map[string]gs.DeductionRef {
	out := map[string]gs.DeductionRef{}
	for _, d := range w.Deductions {
		if d.Rule == gs.RuleDisciplineLogin && d.Period == day {
			out[d.Item] = gs.RefOf(w.WorkerID, d)
		}
	}
	return out
}
