package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
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
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if _, err = db.migrations.Up(ctx); err == nil {
			return nil
		}
		if db.dialect != sqliteDialect {
			break
		}
		if ok, cerr := db.SchemaCurrent(ctx); cerr == nil && ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return db.wrap("migrate", ctx.Err())
		case <-time.After(time.Duration(50*(attempt+1)) * time.Millisecond):
		}
	}
	return db.wrap("migrate", err)
}

// SchemaCurrent reports whether every migration this program knows has been
// applied and none it does not know, so the server can refuse to start on an
// outdated schema. It changes nothing: on a database never migrated it
// reports false without creating goose's version table.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	exists, err := db.versionTableExists(ctx)
	if err != nil {
		return false, db.wrap("check schema version", err)
	}
	if !exists {
		return false, nil
	}
	pending, err := db.migrations.HasPending(ctx)
	if err != nil {
		return false, db.wrap("check schema version", err)
	}
	if pending {
		return false, nil
	}
	current, target, err := db.migrations.GetVersions(ctx)
	if err != nil {
		return false, db.wrap("check schema version", err)
	}
	return current == target, nil
}

// versionTableExists reports whether goose's version table exists (in the
// current schema, on PostgreSQL).
func (db *DB) versionTableExists(ctx context.Context) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1`
	if db.dialect == postgresDialect {
		q = `SELECT COUNT(*) FROM information_schema.tables
		      WHERE table_schema = current_schema() AND table_name = $1`
	}
	var n int
	if err := db.read.QueryRowContext(ctx, q, versionTable).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
