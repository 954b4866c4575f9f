package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/web"
)

// liveServer is a second server on f's store whose pages follow the clock
// (no fixed quarter or moment, as a real server runs), its clock at now.
func liveServer(t *testing.T, f *fixture, now *time.Time) (*web.Server, http.Handler) {
	t.Helper()
	srv := &web.Server{
		Service: &app.Service{DB: f.db, Scheme: scheme.Default(), Now: func() time.Time { return *now }},
		Auth:    f.auth,
		Logger:  slog.New(slog.DiscardHandler),
	}
	h := srv.Handler()
	t.Cleanup(srv.Wait)
	return srv, h
}

// TestNextMomentComputedAhead: once a town's dashboard was shown live, the
// town's result of the next five-minute moment is computed ahead, and the
// moment the pages show now stays kept beside it.
func TestNextMomentComputedAhead(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2023, 8, 15, 9, 3, 30, 0, gs.CST)
	srv, h := liveServer(t, f, &now)
	q := gs.Quarter{Year: 2023, Q: 3}
	current, next := now.Truncate(5*time.Minute), now.Truncate(5*time.Minute).Add(5*time.Minute)
	kept := func(at time.Time) bool {
		t.Helper()
		res, err := srv.Service.CachedTown(ctx, demo.TownName, q, at)
		if err != nil {
			t.Fatal(err)
		}
		return res != nil
	}

	srv.ComputeAhead(ctx, next)
	if kept(next) {
		t.Fatal("a town no page showed was computed ahead")
	}
	req := httptest.NewRequest(http.MethodGet, "/towns/"+url.PathEscape(demo.TownName), nil)
	withSession(req, f.login("admin"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !kept(current) {
		t.Fatalf("the live dashboard: status %d, kept %v", rec.Code, kept(current))
	}
	srv.ComputeAhead(ctx, next)
	if !kept(next) {
		t.Error("the next moment was not computed ahead")
	}
	if !kept(current) {
		t.Error("computing the next moment pushed out the one the pages show")
	}
}

// TestStartAheadComputesEveryTown: a server that starts computes every
// town's current quarter as of now in the background, so that the first
// pages find it kept; it stops when told.
func TestStartAheadComputesEveryTown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	now := time.Date(2023, 8, 15, 9, 3, 30, 0, gs.CST)
	srv, _ := liveServer(t, f, &now)
	ctx, cancel := context.WithCancel(context.Background())
	srv.StartAhead(ctx)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := srv.Service.CachedTown(context.Background(), demo.TownName, gs.Quarter{Year: 2023, Q: 3}, now.Truncate(5*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if res != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the town's live result was not computed after the start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	srv.Wait()
}

// TestDistrictChangeWarmsTownsShownLately: after the district enters a
// record by hand (a day off for all its towns), the towns shown live lately
// are computed again in the background from the records as changed, so
// their next pages find the new result kept.
func TestDistrictChangeWarmsTownsShownLately(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2023, 8, 15, 9, 3, 30, 0, gs.CST)
	f.server, f.handler = liveServer(t, f, &now)
	district := f.login("district")
	if res, _ := f.get("/towns/"+url.PathEscape(demo.TownName), district); res.StatusCode != http.StatusOK {
		t.Fatalf("the town's dashboard: %d", res.StatusCode)
	}
	f.mustSave(district, "/records/calendar", url.Values{"date": {"2023-08-14"}, "kind": {"holiday"}, "name": {"防汛停工"}})
	f.server.Wait()
	kept, err := f.server.Service.CachedTown(ctx, demo.TownName, gs.Quarter{Year: 2023, Q: 3}, now.Truncate(5*time.Minute))
	if err != nil || kept == nil {
		t.Fatalf("the town shown lately was not computed again after the district's change (err %v)", err)
	}
}
