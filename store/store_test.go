package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridscore/gridscore/store"
)

// The conformance suite runs every test against SQLite, always, and against
// PostgreSQL when GRIDSCORE_TEST_DSN names a server, for example
//
//	GRIDSCORE_TEST_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./store/
//
// Each test gets a fresh database: a new SQLite file, or a new PostgreSQL
// schema dropped when the test ends.

// backend makes fresh, empty databases of one engine.
type backend struct {
	name string
	// target returns the Open target of a new empty database.
	target func(tb testing.TB) string
}

// backends returns the engines to test against.
func backends() []backend {
	bs := []backend{{"sqlite", sqliteTarget}}
	if dsn := os.Getenv("GRIDSCORE_TEST_DSN"); dsn != "" {
		bs = append(bs, backend{"postgres", func(tb testing.TB) string { return postgresTarget(tb, dsn) }})
	}
	return bs
}

// forEachBackend runs test once per engine, as a subtest named after it.
func forEachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			test(t, b)
		})
	}
}

// sqliteTarget returns the path of a new SQLite file in a temporary folder.
func sqliteTarget(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(tb.TempDir(), "gridscore.db")
}

// postgresTarget creates a schema of its own on the server at dsn, dropped
// at the end of the test, and returns dsn with that schema as search_path.
func postgresTarget(tb testing.TB, dsn string) string {
	tb.Helper()
	var buf [6]byte
	if _, err := rand.Read(buf[:]); err != nil {
		tb.Fatal(err)
	}
	schema := "gs_test_" + hex.EncodeToString(buf[:])

	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("parse %s: %v", dsn, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MustOpenDB opens a fresh, migrated database of backend b, closed when the
// test ends.
func MustOpenDB(tb testing.TB, b backend) *store.DB {
	tb.Helper()
	return MustOpenTarget(tb, b.target(tb), store.WithMigrate())
}

// MustOpenTarget opens the store at target with opts, closed when the test
// ends.
func MustOpenTarget(tb testing.TB, target string, opts ...store.Option) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), target, opts...)
	if err != nil {
		tb.Fatalf("open %s: %v", target, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return db
}

// mustCounts returns the row counts of db.
func mustCounts(tb testing.TB, db *store.DB) map[string]int64 {
	tb.Helper()
	c, err := db.Counts(context.Background())
	if err != nil {
		tb.Fatalf("counts: %v", err)
	}
	return c
}
