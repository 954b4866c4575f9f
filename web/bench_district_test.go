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
// in (and, for newBenchDistrictLive, the first worker's own account).
// GRIDSCORE_BENCH_DSN puts it on PostgreSQL, in a schema of its own,
// instead of a SQLite file.
type benchDistrict struct {
	db      *store.DB
	h       http.Handler
	srv     *web.Server
	quarter gs.Quarter
	clock   time.Time
	// Town and Worker are the first town and its first worker.
	Town, Worker string
	// tokens are the session tokens of "district", "admin" and "worker".
	tokens map[string]string
}

// newBenchDistrict is the district seen a week after the quarter, every
// page computed as of that moment.
func newBenchDistrict(b *testing.B) *benchDistrict {
	q := gs.Quarter{Year: 2023, Q: 3}
	return openBenchDistrict(b, q.Last().AddDays(8).Start().Add(9*time.Hour), false)
}

// newBenchDistrictLive is the district with the clock stopped at clock and
// the server's default moment left to follow it (the last whole five
// minutes, as a server runs), with the first worker's own account.
func newBenchDistrictLive(b *testing.B, clock time.Time) *benchDistrict {
	return openBenchDistrict(b, clock, true)
}

func openBenchDistrict(b *testing.B, clock time.Time, live bool) *benchDistrict {
	b.Helper()
	ctx := context.Background()
	db := openBenchStore(b)
	b.Cleanup(func() { db.Close() })
	d := &benchDistrict{db: db, quarter: gs.Quarter{Year: 2023, Q: 3}, tokens: map[string]string{}}
	err := gen.Generate(gen.Options{Workers: 5000, Quarter: d.quarter, Seed: 1}, func(recs *gs.Records) error {
		if d.Town == "" {
			d.Town, d.Worker = recs.Grids[0].Town, recs.Workers[0].ID
		}
		_, err := db.Import(ctx, recs, nil)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	d.clock = clock
	now := func() time.Time { return d.clock }
	auth := &app.Auth{DB: db, Now: now}
	if live {
		auth.IdleTimeout = 90 * 24 * time.Hour // the clock may be moved on by hours
	}
	users := []gs.User{
		{Username: "district", DisplayName: "区中心", Role: gs.RoleDistrict},
		{Username: "admin", DisplayName: "管理员", Role: gs.RoleTownAdmin, Town: d.Town},
	}
	if live {
		users = append(users, gs.User{Username: "worker", DisplayName: "网格员", Role: gs.RoleWorker, Town: d.Town, WorkerID: d.Worker})
	}
	for _, u := range users {
		if err := auth.CreateUser(ctx, &u, password); err != nil {
			b.Fatal(err)
		}
		if d.tokens[u.Username], err = auth.CreateSession(ctx, u.ID, d.clock); err != nil {
			b.Fatal(err)
		}
	}
	srv := &web.Server{Service: &app.Service{DB: db, Scheme: scheme.Default(), Now: now}, Auth: auth,
		Logger: slog.New(slog.DiscardHandler), Quarter: d.quarter}
	if !live {
		srv.AsOf = d.clock
	}
	d.h, d.srv = srv.Handler(), srv
	return d
}

// openBenchStore opens a new empty store: a SQLite file, or with
// GRIDSCORE_BENCH_DSN a schema of its own on that PostgreSQL server.
func openBenchStore(b *testing.B) *store.DB {
	b.Helper()
	target := filepath.Join(b.TempDir(), "gridscore.db")
	if dsn := os.Getenv("GRIDSCORE_BENCH_DSN"); dsn != "" {
		target = storetest.PostgresTarget(b, dsn)
	}
	db, err := store.OpenAndMigrate(context.Background(), target)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// call sends a request as user ("district", "admin" or "worker"), a form when form is
// not nil, fails on any status but 200 and 303, and returns the status.
func (d *benchDistrict) call(b *testing.B, method, path, user string, form url.Values) int {
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
	return rec.Code
}

// page is a sub-benchmark that opens path as user.
func (d *benchDistrict) page(b *testing.B, name, path, user string) {
	b.Run(name, func(b *testing.B) {
		for b.Loop() {
			d.call(b, http.MethodGet, path, user, nil)
		}
	})
}
