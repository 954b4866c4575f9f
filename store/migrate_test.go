package store_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

func TestSchemaCurrent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenTarget(t, b.Target(t)) // not migrated

		for range 2 { // asking twice: the first question must not change the answer
			if ok, err := db.SchemaCurrent(ctx); err != nil || ok {
				t.Fatalf("SchemaCurrent on an empty database = %v, %v; want false, nil", ok, err)
			}
		}
		if _, err := db.Counts(ctx); err == nil {
			t.Errorf("Counts works on an empty database, want an error: the tables should not exist yet")
		}

		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		if ok, err := db.SchemaCurrent(ctx); err != nil || !ok {
			t.Fatalf("SchemaCurrent after Migrate = %v, %v; want true, nil", ok, err)
		}
	})
}

func TestMigrateTwiceIsHarmless(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustImport(t, db, fullRecords())
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if ok, err := db.SchemaCurrent(ctx); err != nil || !ok {
			t.Fatalf("SchemaCurrent after migrating twice = %v, %v; want true, nil", ok, err)
		}
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), fullRecords()); d != "" {
			t.Errorf("records changed by a second migrate:\n%s", d)
		}
	})
}

func TestOpenAndMigrateReopensExistingStore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		target := b.Target(t)
		db, err := store.OpenAndMigrate(ctx, target)
		if err != nil {
			t.Fatalf("open and migrate: %v", err)
		}
		mustImport(t, db, fullRecords())
		if err := db.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}

		again := MustOpenTarget(t, target)
		if ok, err := again.SchemaCurrent(ctx); err != nil || !ok {
			t.Fatalf("SchemaCurrent after reopening = %v, %v; want true, nil", ok, err)
		}
		if d := diffRecords(mustLoad(t, again, everythingFrom, everythingTo), fullRecords()); d != "" {
			t.Errorf("records after reopening:\n%s", d)
		}
	})
}

func TestOpenRefusesBadSQLitePath(t *testing.T) {
	_, err := store.Open(context.Background(), t.TempDir()+"/what?.db")
	if code := gridscore.ErrorCode(err); code != gridscore.EINVALID {
		t.Errorf("Open of a path with '?' = %v (code %q), want code %q", err, code, gridscore.EINVALID)
	}
}

func TestKindsMatchRecords(t *testing.T) {
	// kindsOf pairs Kinds with the fields of Records by position.
	want := []string{"grids", "workers", "events", "logins", "patrols", "leaves", "register",
		"rosters", "visits", "meetings", "attendance", "findings", "quiz", "ballots", "calendar"}
	got := store.Kinds()
	if len(got) != len(want) {
		t.Fatalf("Kinds() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Kinds() = %v, want %v", got, want)
		}
	}
}

func TestOpenSQLitePathWithSpacesAndChinese(t *testing.T) {
	// Staff keep files in folders such as "网格 考核" on their desktops.
	target := filepath.Join(t.TempDir(), "网格 考核", "考核 数据.db")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	db := MustOpenTarget(t, target, store.WithMigrate())
	mustImport(t, db, fullRecords())
	if _, err := os.Stat(target); err != nil {
		t.Errorf("the database is not at the path given: %v", err)
	}
}

// TestManyOpenersMigrateOneNewFile: commands started at once on a new
// SQLite file (each with its own connections, as separate processes have)
// all find it migrated; none fails because another holds the file.
func TestManyOpenersMigrateOneNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	const openers = 8
	errs := make(chan error, openers)
	for range openers {
		go func() {
			db, err := store.OpenAndMigrate(context.Background(), path)
			if err == nil {
				var ok bool
				ok, err = db.SchemaCurrent(context.Background())
				if err == nil && !ok {
					err = fmt.Errorf("opened, schema not current")
				}
				db.Close()
			}
			errs <- err
		}()
	}
	for range openers {
		if err := <-errs; err != nil {
			t.Errorf("an opener failed: %v", err)
		}
	}
}

// TestSchemaCurrentLooksInTheCurrentSchemaOnly: on PostgreSQL a store whose
// search path names a new schema first and a migrated one after it is not
// current (the new schema has no tables of its own yet), and migrating it
// makes its own tables.
func TestSchemaCurrentLooksInTheCurrentSchemaOnly(t *testing.T) {
	for _, b := range backends() {
		if b.Name != "postgres" {
			continue
		}
		ctx := context.Background()
		older := b.Target(t)
		mustImport(t, MustOpenTarget(t, older, store.WithMigrate()), fullRecords())
		u, err := url.Parse(b.Target(t))
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", q.Get("search_path")+","+searchPath(t, older))
		u.RawQuery = q.Encode()
		db := MustOpenTarget(t, u.String())
		if ok, err := db.SchemaCurrent(ctx); err != nil || ok {
			t.Fatalf("SchemaCurrent with a new schema first on the search path = %v, %v; want false, nil", ok, err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		if n := mustCounts(t, db)["events"]; n != 0 {
			t.Errorf("after migrating the new schema its events table holds %d rows, want its own, empty table", n)
		}
	}
}

// searchPath returns the search_path of a PostgreSQL target URL.
func searchPath(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("search_path")
}
