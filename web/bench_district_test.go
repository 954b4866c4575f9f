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
	"github.com/gridscore/gridscore/store/storetest"
	"github.com/gridscore/gridscore/web"
)

// benchDistrict is the application on a generated district of 5,000
// workers (about twenty towns) in 2023Q3, seen a week after the quarter,
// with a district account and the administrator of its first town signed
// in. GRIDSCORE_BENCH_DSN puts it on PostgreSQL, in a schema of its own,
// instead of a SQLite file.
type benchDistrict struct {
	db      *store.DB
	h       http.Handler
	quarter gs.Quarter
	clock   time.Time
	// Town and Worker are the first town and its first worker.
	Town, Worker string
	// tokens are the session tokens of "district" and "admin".
	tokens map[string]string
}

func newBenchDistrict(b *testing.B) *benchDistrict {
	b.Helper()
	ctx := context.Background()
	target := filepath.Join(b.TempDir(), "gridscore.db")
	if dsn := os.Getenv("GRIDSCORE_BENCH_DSN"); dsn != "" {
		target = storetest.PostgresTarget(b, dsn)
	}
	db, err := store.OpenAndMigrate(ctx, target)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	d := &benchDistrict{db: db, quarter: gs.Quarter{Year: 2023, Q: 3}, tokens: map[string]string{}}
	err = gen.Generate(gen.Options{Workers: 5000, Quarter: d.quarter, Seed: 1}, func(recs *gs.Records) error {
		if d.Town == "" {
			d.Town, d.Worker = recs.Grids[0].Town, recs.Workers[0].ID
		}
		_, err := db.Import(ctx, recs, nil)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	d.clock = d.quarter.Last().AddDays(8).Start().Add(9 * time.Hour)
	now := func() time.Time { return d.clock }
	auth := &app.Auth{DB: db, Now: now}
	for _, u := range []gs.User{
		{Username: "district", DisplayName: "区中心", Role: gs.RoleDistrict},
		{Username: "admin", DisplayName: "管理员", Role: gs.RoleTownAdmin, Town: d.Town},
	} {
		if err := auth.CreateUser(ctx, &u, password); err != nil {
			b.Fatal(err)
		}
		if d.tokens[u.Username], err = auth.CreateSession(ctx, u.ID, d.clock); err != nil {
			b.Fatal(err)
		}
	}
	srv := &web.Server{Service: &app.Service{DB: db, Scheme: scheme.Default(), Now: now}, Auth: auth,
		Logger: slog.New(slog.DiscardHandler), Quarter: d.quarter, AsOf: d.clock}
	d.h = srv.Handler()
	return d
}

// call sends a request as user ("district" or "admin"), a form when form is
// not nil, and fails on any status but 200 and 303.
func (d *benchDistrict) call(b *testing.B, method, path, user string, form url.Values) {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	withSession(req, d.tokens[user])
	rec := httptest.NewRecorder()
	d.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK && rec.Code != http.StatusSeeOther {
		b.Fatalf("%s %s: status %d\n%.500s", method, path, rec.Code, rec.Body.String())
	}
}

// page is a sub-benchmark that opens path as user.
func (d *benchDistrict) page(b *testing.B, name, path, user string) {
	b.Run(name, func(b *testing.B) {
		for b.Loop() {
			d.call(b, http.MethodGet, path, user, nil)
		}
	})
}
