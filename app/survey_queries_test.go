package app_test

import (
	"context"
	"io"
	"reflect"
	"sync"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
)

// surveyCalls is a real store that counts the calls of the survey's
// reads a page makes per campaign or per request.
type surveyCalls struct {
	app.Store
	mu    sync.Mutex
	calls map[string]int
}

func (c *surveyCalls) count(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[name]++
}

// take returns the calls counted since the last take, and forgets them.
func (c *surveyCalls) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = map[string]int{}
	return out
}

func (c *surveyCalls) Campaigns(ctx context.Context, town string) ([]gs.Campaign, error) {
	c.count("Campaigns")
	return c.Store.Campaigns(ctx, town)
}

func (c *surveyCalls) TokenCounts(ctx context.Context, id int64) ([]store.TokenCount, error) {
	c.count("TokenCounts")
	return c.Store.TokenCounts(ctx, id)
}

func (c *surveyCalls) BallotCounts(ctx context.Context, f store.BallotFilter) ([]store.BallotCount, error) {
	c.count("BallotCounts")
	return c.Store.BallotCounts(ctx, f)
}

func (c *surveyCalls) CampaignTotals(ctx context.Context, town string) (map[int64]store.CampaignTotal, error) {
	c.count("CampaignTotals")
	return c.Store.CampaignTotals(ctx, town)
}

func (c *surveyCalls) SurveyWorkers(ctx context.Context, town string) ([]gs.TownWorker, error) {
	c.count("SurveyWorkers")
	return c.Store.SurveyWorkers(ctx, town)
}

// otherTown adds a second town, 别的镇, with grid OT-01 and its worker
// OT001, and returns its center.
func otherTown(t *testing.T, s *app.Service) *gs.User {
	t.Helper()
	w := demo.Town(1).Workers[0]
	w.ID, w.Name, w.GridCode = "OT001", "孙别", "OT-01"
	recs := &gs.Records{Grids: []gs.Grid{{Code: "OT-01", Name: "别一网格", Community: "别村", Town: "别的镇"}}, Workers: []gs.Worker{w}}
	if _, err := s.DB.Import(context.Background(), recs, nil); err != nil {
		t.Fatal(err)
	}
	return &gs.User{Username: "ot-staff", Role: gs.RoleTownStaff, Town: "别的镇"}
}

// TestCampaignListsCountAllCampaignsAtOnce: the lists of campaigns (the
// survey page, a town's dashboard, the district's list) give every
// campaign the grids, ballots issued and ballots answered its own reads
// give — over campaigns with and without ballots, of two towns, with
// phones, paper and a closed campaign — while asking the store for the
// totals once, not per campaign.
func TestCampaignListsCountAllCampaignsAtOnce(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		other := otherTown(t, s)
		a := openSurvey(t, s)
		b := openSurvey(t, s)
		openSurvey(t, s) // nothing printed nor counted
		for i, code := range printFor(t, s, a.ID, "QS-13", 4) {
			if i < 3 {
				if _, err := s.CastBallot(ctx, code, "c", gs.Ratings[i], ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		printFor(t, s, a.ID, "QS-01", 2)
		printFor(t, s, b.ID, "", 1)
		if _, err := s.EnterTally(ctx, qStaff, b.ID, app.TallyInput{WorkerID: "QS001", Group: gs.RaterCadre, Counts: [3]int{2, 1, 1}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CloseCampaign(ctx, qStaff, b.ID); err != nil {
			t.Fatal(err)
		}
		o, err := s.OpenCampaign(ctx, other, app.CampaignInput{Title: "别的镇测评", Quarter: demo.Quarter(),
			OpensAt: time.Date(2023, 9, 18, 8, 0, 0, 0, gs.CST), ClosesAt: time.Date(2023, 10, 1, 0, 0, 0, 0, gs.CST),
			Grids: []string{"OT-01"}, Cadre: 1, Resident: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PrintBallots(ctx, other, o.ID, app.PrintInput{Cadre: 3}); err != nil {
			t.Fatal(err)
		}

		// What each campaign's own reads give, as the lists counted before.
		want := func(c gs.Campaign) app.CampaignSummary {
			one, err := s.DB.Campaign(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			sum := app.CampaignSummary{Campaign: *one, State: one.StateAt(surveyNow)}
			tcs, err := s.DB.TokenCounts(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range tcs {
				sum.Issued += tc.N
			}
			bcs, err := s.DB.BallotCounts(ctx, store.BallotFilter{CampaignID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, bc := range bcs {
				sum.Answered += bc.N
			}
			return sum
		}
		counting := &surveyCalls{Store: s.DB, calls: map[string]int{}}
		s.DB = counting
		cases := []struct {
			name string
			list func() ([]app.CampaignSummary, error)
			ids  int // campaigns listed
		}{
			{"the town's list", func() ([]app.CampaignSummary, error) { return s.Campaigns(ctx, qStaff) }, 3},
			{"the dashboard", func() ([]app.CampaignSummary, error) {
				return s.QuarterCampaigns(ctx, qStaff, demo.TownName, demo.Quarter())
			}, 3},
			{"the district's list", func() ([]app.CampaignSummary, error) { return s.Campaigns(ctx, qDist) }, 4},
			{"the other town's list", func() ([]app.CampaignSummary, error) { return s.Campaigns(ctx, other) }, 1},
		}
		for _, tc := range cases {
			got, err := tc.list()
			if err != nil {
				t.Fatal(err)
			}
			calls := counting.take()
			if len(got) != tc.ids {
				t.Errorf("%s lists %d campaigns, want %d", tc.name, len(got), tc.ids)
			}
			for _, g := range got {
				if w := want(g.Campaign); !reflect.DeepEqual(g, w) {
					t.Errorf("%s: campaign %d is\n%+v, its own reads give\n%+v", tc.name, g.ID, g, w)
				}
			}
			if calls["Campaigns"] != 1 || calls["CampaignTotals"] != 1 || calls["TokenCounts"]+calls["BallotCounts"] != 0 {
				t.Errorf("%s asked the store %v; want Campaigns and CampaignTotals once each", tc.name, calls)
			}
			counting.take()
		}
		// The counts are not all zero: the test tells campaigns apart.
		all, _ := s.Campaigns(ctx, qDist)
		var issued, answered []int
		for _, c := range all {
			issued, answered = append(issued, c.Issued), append(answered, c.Answered)
		}
		if !reflect.DeepEqual(issued, []int{3, 0, 2, 6}) || !reflect.DeepEqual(answered, []int{0, 0, 4, 3}) {
			t.Errorf("issued %v, answered %v (newest first); want [3 0 2 6] and [0 0 4 3]", issued, answered)
		}
	})
}

// TestSurveyPagesReadTheTownsWorkersOnce: the campaign's dashboard, the
// survey's results and the campaign's report each read the town's workers
// once per request.
func TestSurveyPagesReadTheTownsWorkersOnce(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		c := openSurvey(t, s)
		if _, err := s.EnterTally(ctx, qStaff, c.ID, app.TallyInput{WorkerID: "QS013", Group: gs.RaterResident, Counts: [3]int{1, 1, 0}}); err != nil {
			t.Fatal(err)
		}
		counting := &surveyCalls{Store: s.DB, calls: map[string]int{}}
		s.DB = counting
		requests := []struct {
			name string
			run  func() error
		}{
			{"campaign", func() error { _, err := s.Campaign(ctx, qStaff, c.ID); return err }},
			{"results", func() error { _, err := s.SurveyResults(ctx, qStaff, demo.TownName, demo.Quarter()); return err }},
			{"report", func() error {
				return s.WriteCampaignReport(ctx, io.Discard, qStaff, c.ID, func(*gs.Campaign) (*gs.Result, error) { return nil, nil })
			}},
		}
		for _, r := range requests {
			if err := r.run(); err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			if n := counting.take()["SurveyWorkers"]; n != 1 {
				t.Errorf("%s read the town's workers %d times, want once", r.name, n)
			}
		}
	})
}
