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
	"slices"
	"strings"
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

// Store is the part of a *store.DB that Indexes reads through.
type Store interface {
	ReadTx(ctx context.Context) (*sql.Tx, error)
	Postgres() bool
}

// Indexes returns the names of the indexes of tables in db, sorted: for a
// test that a write dropping indexes for its duration left them all in
// place.
func Indexes(tb testing.TB, db Store, tables []string) []string {
	tb.Helper()
	tx, err := db.ReadTx(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	in := "('" + strings.Join(tables, "', '") + "')"
	query := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN " + in
	if db.Postgres() {
		query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN " + in
	}
	rows, err := tx.Query(query)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			tb.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	slices.Sort(names)
	return names
}
