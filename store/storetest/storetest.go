// Package storetest gives tests fresh stores of every engine: a new SQLite
// file always, and a new PostgreSQL schema when GRIDSCORE_TEST_DSN names a
// server (CI sets it), so that one suite runs against both.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Backend makes fresh, empty databases of one engine.
type Backend struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Target returns the store.Open target of a new empty database, removed
	// when the test ends.
	Target func(tb testing.TB) string
}

// Postgres reports whether PostgreSQL tests are enabled, and the server.
func Postgres() (string, bool) {
	dsn := os.Getenv("GRIDSCORE_TEST_DSN")
	return dsn, dsn != ""
}

// Backends returns the engines to test against.
func Backends() []Backend {
	bs := []Backend{{"sqlite", SQLiteTarget}}
	if dsn, ok := Postgres(); ok {
		bs = append(bs, Backend{"postgres", func(tb testing.TB) string { return PostgresTarget(tb, dsn) }})
	}
	return bs
}

// SQLiteTarget returns the path of a new SQLite file in a temporary folder.
func SQLiteTarget(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(tb.TempDir(), "gridscore.db")
}

// PostgresTarget creates a schema of its own on the server at dsn, dropped
// at the end of the test, and returns dsn with that schema as search_path.
func PostgresTarget(tb testing.TB, dsn string) string {
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
