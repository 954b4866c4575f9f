package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/web"
)

// BenchmarkPages5000 measures the pages a person opens on a district of
// 5,000 generated workers (about twenty towns), one sub-benchmark per page:
// the district's overview, a town's dashboard before the quarter is
// computed (live, with the records just changed and as usually found) and
// after, the workers list, a worker's quarter and the appeals list.
// The target is 200 ms a page. Set GRIDSCORE_BENCH_DSN to run it on
// PostgreSQL (a schema of its own is made there) instead of a SQLite file.
//
//	go test -run XXX -bench Pages5000 -benchtime 10x ./web/
func BenchmarkPages5000(b *testing.B) {
	ctx := context.Background()
	target := filepath.Join(b.TempDir(), "gridscore.db")
	if dsn := os.Getenv("GRIDSCORE_BENCH_DSN"); dsn != "" {
		target = dsn
	}
	db, err := store.OpenAndMigrate(ctx, target)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()

	q := gs.Quarter{Year: 2023, Q: 3}
	var firstTown, firstWorker string
	err = gen.Generate(gen.Options{Workers: 5000, Quarter: q, Seed: 1}, func(town *gs.Records) error {
		if firstTown == "" {
			firstTown = town.Grids[0].Town
			firstWorker = town.Workers[0].ID
		}
		_, err := db.Import(ctx, town, nil)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	clock := q.Last().AddDays(8).Start().Add(9 * time.Hour)
	now := func() time.Time { return clock }
	auth := &app.Auth{DB: db, Now: now}
	for _, u := range []gs.User{
		{Username: "district", DisplayName: "区中心", Role: gs.RoleDistrict},
		{Username: "admin", DisplayName: "管理员", Role: gs.RoleTownAdmin, Town: firstTown},
	} {
		if err := auth.CreateUser(ctx, &u, password); err != nil {
			b.Fatal(err)
		}
	}
	srv := &web.Server{
		Service: &app.Service{DB: db, Scheme: scheme.Default()},
		Auth:    auth,
		Logger:  slog.New(slog.DiscardHandler),
		Now:     now,
		Quarter: q,
		AsOf:    clock,
	}
	h := srv.Handler()
	login := func(user string) string {
		form := url.Values{"username": {user}, "password": {password}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		c := sessionCookie(rec.Result())
		if c == nil {
			b.Fatalf("login %s: status %d", user, rec.Code)
		}
		return c.Value
	}
	district, admin := login("district"), login("admin")
	call := func(b *testing.B, method, path, token string, form url.Values) {
		var req *http.Request
		if form != nil {
			req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, path, nil)
		}
		withSession(req, token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusSeeOther {
			b.Fatalf("%s %s: status %d\n%.500s", method, path, rec.Code, rec.Body.String())
		}
	}
	townPath := "/towns/" + url.PathEscape(firstTown)
	page := func(name, path, token string) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				call(b, http.MethodGet, path, token, nil)
			}
		})
	}
	page("district", "/", district)
	// A town computed live: first with the records changed before every
	// request (nothing kept can be used), then as pages usually find it.
	b.Run("town-live-changed", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if _, err := db.Import(ctx, &gs.Records{}, nil); err != nil { // raises the records' version
				b.Fatal(err)
			}
			b.StartTimer()
			call(b, http.MethodGet, townPath, admin, nil)
		}
	})
	page("town-live", townPath, admin)
	page("workers", "/workers", district)
	page("workers-search", "/workers?q="+url.QueryEscape(firstWorker), district)
	page("worker-live", "/workers/"+firstWorker, admin)
	call(b, http.MethodPost, townPath+"/quarter/compute", admin, url.Values{"as_of": {clock.In(gs.CST).Format("2006-01-02T15:04")}})
	page("town-computed", townPath, admin)
	page("worker-computed", "/workers/"+firstWorker, admin)
	page("appeals", "/appeals", admin)
}
