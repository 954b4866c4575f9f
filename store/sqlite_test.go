package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestSQLitePragmas checks that every connection of both pools is set up as
// PocketBase sets SQLite up.
func TestSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "gridscore.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.write.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("write pool has %d connections at most, want 1", got)
	}
	want := map[string]string{
		"busy_timeout": "10000",
		"journal_mode": "wal",
		"foreign_keys": "1",
		"synchronous":  "1", // NORMAL
	}
	for name, pool := range map[string]queryer{"read": db.read, "write": db.write} {
		for pragma, w := range want {
			var got string
			if err := pool.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("%s pool: PRAGMA %s: %v", name, pragma, err)
			}
			if got != w {
				t.Errorf("%s pool: PRAGMA %s = %s, want %s", name, pragma, got, w)
			}
		}
	}
}
