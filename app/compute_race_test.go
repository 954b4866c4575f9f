package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// hookedStore is the store with a function run once right after a town's
// records are read (afterLoad) or a quarter's state is (afterState): a
// change landing between a service's read and its write.
type hookedStore struct {
	app.Store
	afterLoad, afterState func()
	loadOnce, stateOnce   sync.Once
}

func (h *hookedStore) LoadTown(ctx context.Context, town string, from, to time.Time) (*gs.Records, error) {
	recs, err := h.Store.LoadTown(ctx, town, from, to)
	if h.afterLoad != nil {
		h.loadOnce.Do(h.afterLoad)
	}
	return recs, err
}

func (h *hookedStore) QuarterState(ctx context.Context, town, q string) (gs.QuarterState, error) {
	st, err := h.Store.QuarterState(ctx, town, q)
	if h.afterState != nil {
		h.stateOnce.Do(h.afterState)
	}
	return st, err
}

// TestComputeMeetsConcurrentChanges: a ballot or a paper tally that lands
// while a quarter is being computed (after its records were read) is in
// the results stored, not accepted and left out; and a tally or a survey
// campaign whose check of the quarter came just before a computation
// committed is refused, not stored after it.
func TestComputeMeetsConcurrentChanges(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, now *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		town, q := demo.TownName, demo.Quarter()
		c := openSurvey(t, s)
		codes := printFor(t, s, c.ID, "QS-13", 2)
		hooked := &hookedStore{Store: s.DB}
		racing := &app.Service{DB: hooked, Scheme: s.Scheme, Now: s.Now}
		// QS013's ballots in the snapshot against those stored.
		agree := func(what string) {
			t.Helper()
			live, err := s.Assess(context.Background(), q, *now)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, w := range live.Workers {
				if w.WorkerID != "QS013" {
					continue
				}
				found = true
				stored := workerOf(t, s, "QS013")
				if *stored.Categories != *w.Categories || len(stored.Deductions) != len(w.Deductions) {
					t.Errorf("%s: the snapshot's QS013 %+v, the records' %+v", what, *stored.Categories, *w.Categories)
				}
			}
			if !found {
				t.Fatalf("%s: QS013 is not in the town's result", what)
			}
		}

		hooked.afterLoad = func() {
			if _, err := s.CastBallot(context.Background(), codes[0], "c", gs.RatingUnsatisfied, ""); err != nil {
				t.Errorf("a ballot cast while the quarter is read: %v", err)
			}
			if _, err := s.EnterTally(ctx, qStaff, c.ID, app.TallyInput{WorkerID: "QS013", Group: gs.RaterCadre, Counts: [3]int{0, 0, 2}}); err != nil {
				t.Errorf("a tally entered while the quarter is read: %v", err)
			}
		}
		if err := racing.Compute(ctx, qStaff, town, q, *now); err != nil {
			t.Fatal(err)
		}
		agree("a ballot and a tally landed while computing")

		// Back to open; a computation commits between the checks of a
		// tally and of a campaign and their writes.
		if err := s.Withdraw(ctx, qStaff, town, q, "测试撤销"); err != nil {
			t.Fatal(err)
		}
		computeNow := func() {
			if err := s.Compute(ctx, qStaff, town, q, *now); err != nil {
				t.Errorf("compute: %v", err)
			}
		}
		hooked.afterState, hooked.stateOnce = computeNow, sync.Once{}
		_, err := racing.EnterTally(ctx, qStaff, c.ID, app.TallyInput{WorkerID: "QS013", Group: gs.RaterCadre, Counts: [3]int{1, 0, 0}})
		wantCode(t, "a tally checked before a computation committed", err, gs.ECONFLICT, "已经计算")
		agree("a tally after computing")

		if err := s.Withdraw(ctx, qStaff, town, q, "测试撤销"); err != nil {
			t.Fatal(err)
		}
		hooked.afterState, hooked.stateOnce = computeNow, sync.Once{}
		_, err = racing.OpenCampaign(ctx, qStaff, app.CampaignInput{
			Title: "补充测评", Quarter: q,
			OpensAt:  time.Date(2023, 9, 21, 8, 0, 0, 0, gs.CST),
			ClosesAt: time.Date(2023, 10, 1, 0, 0, 0, 0, gs.CST),
			Grids:    []string{"QS-13"}, Cadre: 1, Resident: 1,
		})
		if gs.ErrorMessage(err) == "" || err == nil {
			t.Errorf("a campaign checked before a computation committed: opened (%v)", err)
		}
		cs, err := s.Campaigns(ctx, qStaff)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 {
			t.Errorf("%d campaigns after one refused, want 1", len(cs))
		}
	})
}
