package store_test

import (
	"context"
	"testing"

	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// The conformance suite runs every test against SQLite, always, and against
// PostgreSQL when GRIDSCORE_TEST_DSN names a server, for example
//
//	GRIDSCORE_TEST_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./store/
//
// Each test gets a fresh database: a new SQLite file, or a new PostgreSQL
// schema dropped when the test ends.

// backend makes fresh, empty databases of one engine.
type backend = storetest.Backend

// backends returns the engines to test against.
func backends() []backend { return storetest.Backends() }

// forEachBackend runs test once per engine, as a subtest named after it.
func forEachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, b)
		})
	}
}

// MustOpenDB opens a fresh, migrated database of backend b, closed when the
// test ends.
func MustOpenDB(tb testing.TB, b backend) *store.DB {
	tb.Helper()
	return MustOpenTarget(tb, b.Target(tb), store.WithMigrate())
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
