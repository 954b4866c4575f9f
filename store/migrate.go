package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrationFiles holds the schema's migrations, applied in version order.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// versionTable is where goose records the applied migrations.
const versionTable = "goose_db_version"

// newProvider returns a goose provider for db's dialect over the embedded
// migrations. On PostgreSQL an advisory session lock keeps two processes from
// migrating at once; on SQLite the single write connection and IMMEDIATE
// transactions do.
func newProvider(db *DB) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	opts := []goose.ProviderOption{
		goose.WithDisableGlobalRegistry(true),
		goose.WithTableName(versionTable),
	}
	d := goose.DialectSQLite3
	if db.dialect == postgresDialect {
		d = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("store: migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(d, db.write, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Migrate brings the schema up to date by applying every migration not yet
// applied. Running it on an up-to-date schema does nothing.
//
// On SQLite goose has no lock between processes, so two processes opening a
// new file at once may both try to apply a migration; the loser's attempt
// fails (its transaction rolls back) and it then finds the schema applied by
// the winner, or tries again.
func (db *DB) Migrate(ctx context.Context) error {
	// Every command opening a store migrates it first; the schema is
	// almost always current, which one query tells (goose's provider takes
	// a lock and reads its table in several round trips: 2 ms of a 70 ms
	// assessment on PostgreSQL).
	if db.knownCurrent.Swap(false) {
		return nil // found current while connecting (openPostgresPool), just before
	}
	if ok, err := db.SchemaCurrent(ctx); err == nil && ok {
		return nil
	}
	p, err := db.provider()
	if err != nil {
		return err
	}
	// On SQLite another process may be migrating the same new file (two
	// commands started at once): its transactions make ours fail, as busy
	// or as finding a table it just created, so ours is tried again until
	// it finds the schema current or sqliteMigrateWait has passed (eight
	// openers at once, or two on a loaded machine, outlasted the 0.75 s of
	// retries there were). A migration that fails on its own is reported
	// after that wait.
	deadline := time.Now().Add(sqliteMigrateWait)
	for attempt := 1; ; attempt++ {
		if _, err = p.Up(ctx); err == nil {
			return nil
		}
		if db.dialect != sqliteDialect {
			break
		}
		if ok, cerr := db.SchemaCurrent(ctx); cerr == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return db.wrap("migrate", ctx.Err())
		case <-time.After(time.Duration(min(50*attempt, 500)) * time.Millisecond):
		}
	}
	return db.wrap("migrate", err)
}

// sqliteMigrateWait is how long Migrate keeps trying on SQLite while
// another process holds the file.
const sqliteMigrateWait = 10 * time.Second

// provider returns the goose provider of db, made on first use: only a
// store that needs migrating pays for reading the migrations.
func (db *DB) provider() (*goose.Provider, error) {
	db.migrationsMu.Lock()
	defer db.migrationsMu.Unlock()
	if db.migrations == nil {
		p, err := newProvider(db)
		if err != nil {
			return nil, err
		}
		db.migrations = p
	}
	return db.migrations, nil
}

// SchemaCurrent reports whether every migration this program knows has been
// applied and none it does not know, so the server can refuse to start on an
// outdated schema. It changes nothing: on a database never migrated it
// reports false without creating goose's version table.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	return db.schemaCurrentOn(ctx, db.read)
}

// querier is what the schema check reads through: the pool, or one
// connection of it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schemaCurrentOn is SchemaCurrent asked through q.
func (db *DB) schemaCurrentOn(ctx context.Context, q querier) (bool, error) {
	exists, err := db.versionTableExists(ctx, q)
	if err != nil {
		return false, db.wrap("check schema version", err)
	}
	if !exists {
		return false, nil
	}
	applied, err := db.appliedVersions(ctx, q)
	if err != nil {
		return false, db.wrap("check schema version", err)
	}
	return slices.Equal(applied, knownVersions()), nil
}

// appliedVersions returns the versions of the migrations goose's table
// records as applied, ascending, without goose's initial version 0. (Goose
// deletes a version's row when it rolls a migration back.)
func (db *DB) appliedVersions(ctx context.Context, q querier) ([]int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT version_id FROM "+versionTable+" WHERE is_applied AND version_id > 0 ORDER BY version_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var vs []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// knownVersions returns the versions of the embedded migrations, ascending:
// the number each file's name begins with.
var knownVersions = sync.OnceValue(func() []int64 {
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		panic(err) // embedded at build time
	}
	var vs []int64
	for _, e := range entries {
		digits, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			panic(fmt.Sprintf("store: migration %s has no version", e.Name()))
		}
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
})

// versionTableExists reports whether goose's version table exists (in the
// current schema, on PostgreSQL).
func (db *DB) versionTableExists(ctx context.Context, qr querier) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1`
	if db.dialect == postgresDialect {
		// Not information_schema.tables: planning that view costs a new
		// backend 5–7 ms of catalog reads, this lookup under 2 ms, and
		// every command opening a store asks.
		q = `SELECT COUNT(to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1)))`
	}
	var n int
	if err := qr.QueryRowContext(ctx, q, versionTable).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
