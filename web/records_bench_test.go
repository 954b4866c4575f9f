package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
	"github.com/gridscore/gridscore/web"
)

// BenchmarkRecords5000 measures the records pages on a district of 5,000
// generated workers, one sub-benchmark per page: each kind listed by the
// district (every town), by a town's administrator and filtered to one
// worker, deep pages, and a form. The target is 200 ms a page.
// GRIDSCORE_BENCH_DSN runs it on PostgreSQL (in a schema of its own)
// instead of a SQLite file.
//
//	go test -run XXX -bench Records5000 -benchtime 5x ./web/
func BenchmarkRecords5000(b *testing.B) {
	ctx := context.Background()
	target := filepath.Join(b.TempDir(), "gridscore.db")
	if dsn := os.Getenv("GRIDSCORE_BENCH_DSN"); dsn != "" {
		target = storetest.PostgresTarget(b, dsn)
	}
	db, err := store.OpenAndMigrate(ctx, target)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	q := gs.Quarter{Year: 2023, Q: 3}
	var town, worker string
	err = gen.Generate(gen.Options{Workers: 5000, Quarter: q, Seed: 1}, func(recs *gs.Records) error {
		if town == "" {
			town, worker = recs.Grids[0].Town, recs.Workers[0].ID
		}
		_, err := db.Import(ctx, recs, nil)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	clock := q.Last().AddDays(8).Start()
	auth := &app.Auth{DB: db, Now: func() time.Time { return clock }}
	users := []gs.User{{Username: "district", Role: gs.RoleDistrict}, {Username: "admin", Role: gs.RoleTownAdmin, Town: town}}
	tokens := map[string]string{}
	for _, u := range users {
		if err := auth.CreateUser(ctx, &u, password); err != nil {
			b.Fatal(err)
		}
		if tokens[u.Username], err = auth.CreateSession(ctx, u.ID, clock); err != nil {
			b.Fatal(err)
		}
	}
	srv := &web.Server{Service: &app.Service{DB: db, Scheme: scheme.Default()}, Auth: auth,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return clock }, Quarter: q, AsOf: clock}
	h := srv.Handler()
	page := func(name, path, user string) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				withSession(req, tokens[user])
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d\n%.500s", path, rec.Code, rec.Body.String())
				}
			}
		})
	}
	for _, kind := range store.ListedKinds() {
		page(kind+"-district", "/records/"+kind, "district")
		page(kind+"-town", "/records/"+kind, "admin")
		page(kind+"-worker", "/records/"+kind+"?worker="+url.QueryEscape(worker), "admin")
	}
	page("events-district-all-dates", "/records/events?from=&to=&page=150", "district")
	page("events-town-grid", "/records/events?grid="+url.QueryEscape(worker[:len(worker)-1]), "admin")
	page("meeting-form", "/records/meetings/new", "admin")
}
