package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/gridscore/gridscore"
)

// dialect names the database engine behind a DB.
type dialect int

// sqliteMmapSize is how much of the database file SQLite maps into memory
// (the operating system pages it in and out as needed); the rest is read
// into each connection's page cache, a system call a page. A district's
// quarter (5,000 workers, about 360 MB) fits, and is assessed 0.5 s faster
// than through the page cache; a province's file (several GB) would
// otherwise be counted, page after page as the assessment reads it, in the
// process's resident memory (3.6 GB at 100,000 workers).
const sqliteMmapSize = 384 << 20

// MappedBytes is how much of the store's file the process may map into
// memory (SQLite's mapping; none on PostgreSQL): memory a batch counts
// against its budget besides its heap.
func (db *DB) MappedBytes() int64 {
	if db.dialect == sqliteDialect {
		return sqliteMmapSize
	}
	return 0
}

const (
	sqliteDialect dialect = iota
	postgresDialect
)

// String returns the engine's name, as printed in messages.
func (d dialect) String() string {
	if d == postgresDialect {
		return "postgres"
	}
	return "sqlite"
}

// sqliteBusyTimeout is how long a SQLite connection waits for a lock held by
// another connection or process before giving up with SQLITE_BUSY.
const sqliteBusyTimeout = 10 * time.Second

// DB is the records store. It is safe for concurrent use.
type DB struct {
	dialect dialect
	// read serves queries; write serves transactions that change rows. On
	// SQLite write is a separate pool of exactly one connection, so writers
	// queue in Go instead of fighting over the file lock; on PostgreSQL both
	// are the same pool.
	read  *sql.DB
	write *sql.DB
	// migrations is the goose provider for the embedded migrations, bound to
	// the write pool; nil until a migration must be applied (provider).
	migrationsMu sync.Mutex
	migrations   *goose.Provider
	// knownCurrent is set when the schema was found current while the
	// store's connections were being made (openPostgresPool), so that
	// Migrate need not ask again.
	knownCurrent atomic.Bool
	// sized holds the table sizes ExpectedRows asked for, until the load
	// that follows takes them (takeSizes): one query, not two.
	sizedMu sync.Mutex
	sized   map[string]int64
	sizedAt time.Time
	// warmReads: LoadChunked reads a town on one connection (PreferWarmReads).
	warmReads atomic.Bool
}

// PreferWarmReads makes the assessment's reads (LoadChunked) on
// PostgreSQL go through one connection, one the process has used already,
// instead of sharing a snapshot with a second, new one: for a command that
// has worked on its connection (an import computing the results of the
// quarter it brought), a new backend's connecting and first reads cost
// more than a second reader saves (a 200-worker town's computation in the
// import took 68–86 ms instead of 83–128 ms). From warmReadRows rows on it
// takes the second connection all the same. On SQLite it changes nothing.
func (db *DB) PreferWarmReads() { db.warmReads.Store(true) }

// Option changes how Open sets a store up.
type Option func(*options)

type options struct {
	migrate  bool
	maxConns int
	connect  int
}

// WithConnections makes Open connect n connections at once, side by side,
// instead of one (PostgreSQL): for a command that will read on that many
// (an assessment reads a store on two), so that the second is not
// connected later while the first waits. On SQLite it changes nothing.
func WithConnections(n int) Option { return func(o *options) { o.connect = n } }

// WithMigrate makes Open bring the schema up to date before it returns, as
// the command line does; the server instead checks SchemaCurrent and refuses
// an outdated schema.
func WithMigrate() Option { return func(o *options) { o.migrate = true } }

// WithMaxConns sets the size of the read pool (on PostgreSQL, of the only
// pool). Zero or less keeps the default.
func WithMaxConns(n int) Option { return func(o *options) { o.maxConns = n } }

// Open opens the store at target: a PostgreSQL URL (postgres:// or
// postgresql://) or else the path of a SQLite file, created if missing. It
// checks that the database answers but does not touch the schema unless
// WithMigrate is given.
func Open(ctx context.Context, target string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var db *DB
	var err error
	if isPostgresURL(target) {
		db, err = openPostgres(ctx, target, o)
	} else {
		db, err = openSQLite(ctx, target, o)
	}
	if err != nil {
		return nil, err
	}
	if o.migrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// OpenAndMigrate opens the store at target and brings its schema up to date,
// for the command line.
func OpenAndMigrate(ctx context.Context, target string, opts ...Option) (*DB, error) {
	return Open(ctx, target, append(opts, WithMigrate())...)
}

// isPostgresURL reports whether target names a PostgreSQL server.
func isPostgresURL(target string) bool {
	t := strings.ToLower(target)
	return strings.HasPrefix(t, "postgres://") || strings.HasPrefix(t, "postgresql://")
}

// openPostgres opens one pool used for reads and writes. Each connection
// asks in its startup message for the session settings of sessionSettings
// (those the URL does not set itself), which costs no round trip; a server
// that does not know them (an engine speaking PostgreSQL's protocol) refuses
// such a connection, and is then connected to without them and set up by
// noJIT, which changes nothing where the settings do not exist.
func openPostgres(ctx context.Context, url string, o options) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, gridscore.Errorf(gridscore.EINVALID, "数据库地址无效：%v", err)
	}
	tuned := cfg.Copy()
	for name, value := range sessionSettings {
		if _, set := tuned.RuntimeParams[name]; !set {
			tuned.RuntimeParams[name] = value
		}
	}
	db, err := openPostgresPool(ctx, tuned, o)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42704" /* undefined_object: unrecognized configuration parameter */ {
		db, err = openPostgresPool(ctx, cfg, o, stdlib.OptionAfterConnect(noJIT))
	}
	return db, err
}

// openPostgresPool opens the pool of openPostgres and connects once.
func openPostgresPool(ctx context.Context, cfg *pgx.ConnConfig, o options, opts ...stdlib.OptionOpenDB) (*DB, error) {
	pool := stdlib.OpenDB(*cfg, opts...)
	n := o.maxConns
	if n <= 0 {
		n = 10
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{dialect: postgresDialect, read: pool, write: pool}
	// With several connections to make, the first made checks the schema
	// for Migrate while the others are still being made (a new backend
	// takes 15–20 ms to start on the machines measured).
	var first func(*sql.Conn) error
	if o.migrate {
		first = func(c *sql.Conn) error {
			if ok, err := db.schemaCurrentOn(ctx, c); err == nil && ok {
				db.knownCurrent.Store(true)
			}
			return nil // Migrate asks again
		}
	}
	if err := connectAtOnce(ctx, pool, min(max(o.connect, 1), n), first); err != nil {
		pool.Close()
		return nil, db.wrap("connect to postgres", err)
	}
	return db, nil
}

// pingSQLite connects to the SQLite file of pool. Several processes
// opening one new file at once race to switch it to WAL, and SQLite may
// answer that switch SQLITE_BUSY at once, without waiting (seen with eight
// openers: TestManyOpenersMigrateOneNewFile); such a refusal is tried again
// for up to sqliteMigrateWait, as migrating is.
func pingSQLite(ctx context.Context, pool *sql.DB) error {
	deadline := time.Now().Add(sqliteMigrateWait)
	for attempt := 1; ; attempt++ {
		err := pool.PingContext(ctx)
		if !isSQLiteBusy(err) || !time.Now().Before(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(min(10*attempt, 200)) * time.Millisecond):
		}
	}
}

// connectAtOnce connects n connections of pool side by side, checks each
// answers, and leaves them idle in the pool.
//
// When first is given and there are several to make, the first connection
// made is handed to first instead of being checked, while the others are
// still being made.
func connectAtOnce(ctx context.Context, pool *sql.DB, n int, first func(*sql.Conn) error) error {
	if n <= 1 {
		return pool.PingContext(ctx)
	}
	conns := make([]*sql.Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	var handed atomic.Bool
	for i := range n {
		wg.Go(func() {
			if conns[i], errs[i] = pool.Conn(ctx); errs[i] != nil {
				return
			}
			if first != nil && handed.CompareAndSwap(false, true) {
				errs[i] = first(conns[i])
			} else {
				errs[i] = conns[i].PingContext(ctx)
			}
		})
	}
	wg.Wait()
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
	for _, err := range errs {
		if err != nil {
			return err // the same refusal for each connection: say it once
		}
	}
	return nil
}

// sessionSettings are the PostgreSQL session settings for gridscore's
// queries: no just-in-time compilation (on a province's tables the planner
// judges a range's read costly enough to compile, and compiling it took
// 0.8 s of its 0.9 s), and no parallel workers for one query (gridscore
// already reads on several connections and computes on every core; a
// range's read took 110 ms alone against 160 ms with two workers gathered).
var sessionSettings = map[string]string{"jit": "off", "max_parallel_workers_per_gather": "0"}

// noJIT sets sessionSettings in the PostgreSQL session of c where the
// server has them (the statement changes nothing on an engine without
// them), for a server that refused them at connection.
func noJIT(ctx context.Context, c *pgx.Conn) error {
	_, err := c.Exec(ctx, "SELECT set_config(name, CASE name WHEN 'jit' THEN 'off' ELSE '0' END, false) FROM pg_settings WHERE name IN ('jit', 'max_parallel_workers_per_gather')")
	return err
}

// openSQLite opens the file at path as PocketBase does: every connection
// sets busy_timeout first, then WAL, foreign keys and synchronous=NORMAL;
// writes go through a pool of one connection that begins its transactions
// IMMEDIATE, reads through a larger pool.
func openSQLite(ctx context.Context, path string, o options) (*DB, error) {
	if path == "" {
		return nil, gridscore.Errorf(gridscore.EINVALID, "未指定数据库文件")
	}
	if strings.ContainsRune(path, '?') {
		return nil, gridscore.Errorf(gridscore.EINVALID, "数据库文件名不能包含“?”：%s", path)
	}
	// Without a "file:" prefix the driver takes everything before '?' as the
	// path verbatim, so spaces and Chinese characters need no escaping.
	params := []string{
		"_pragma=busy_timeout(" + strconv.FormatInt(sqliteBusyTimeout.Milliseconds(), 10) + ")",
		"_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		// Reads of a large store go through memory maps and a larger page
		// cache instead of a system call per page.
		"_pragma=mmap_size(" + strconv.FormatInt(sqliteMmapSize, 10) + ")",
		"_pragma=cache_size(-65536)",
	}
	dsn := path + "?" + strings.Join(params, "&")
	// A new file is created readable by its owner alone: it holds personal
	// data, password hashes and the town's signing key. SQLite gives its
	// -wal and -shm files the database file's permissions.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}

	// The writer is opened and pinged first, so a new file is switched to WAL
	// by the connection that will write it.
	write, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, gridscore.Errorf(gridscore.EINVALID, "无法打开数据库文件 %s：%v", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	db := &DB{dialect: sqliteDialect, write: write}
	if err := pingSQLite(ctx, write); err != nil {
		write.Close()
		return nil, db.wrap("open sqlite "+path, err)
	}

	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, gridscore.Errorf(gridscore.EINVALID, "无法打开数据库文件 %s：%v", path, err)
	}
	n := o.maxConns
	if n <= 0 {
		n = max(4, runtime.GOMAXPROCS(0))
	}
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(5 * time.Minute)
	db.read = read
	if err := pingSQLite(ctx, read); err != nil {
		db.Close()
		return nil, db.wrap("open sqlite "+path, err)
	}
	return db, nil
}

// Close closes the provider and both pools, returning the first error.
func (db *DB) Close() error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	if db.migrations != nil {
		keep(db.migrations.Close())
	}
	if db.read != nil {
		keep(db.read.Close())
	}
	if db.write != nil && db.write != db.read {
		keep(db.write.Close())
	}
	if first != nil {
		return fmt.Errorf("store: close: %w", first)
	}
	return nil
}

// CloseAtExit ends the use of the store by a process that exits next (a
// command of the command line): on PostgreSQL it is Close; on SQLite it
// copies the write-ahead log into the database file (a checkpoint, which
// syncs both files), and leaves the connections and their page caches to
// the process's end instead of closing them. Closing frees the page cache
// a page at a time, each handed back to the system with its own call
// (modernc.org/memory): after a 200-worker town's import that was 60 ms
// of its 0.8 s on the virtual machines of BENCHMARKS.md. When the
// checkpoint cannot copy the whole log (a reader of another program still
// needs part of it) or fails, the store is closed as Close closes it. The
// -wal and -shm files stay beside the database file, as while a server
// has it open; the next program to open it takes them as they are. The
// store must not be used after it; a cancelled ctx does not stop it.
func (db *DB) CloseAtExit(ctx context.Context) error {
	if db.dialect != sqliteDialect {
		return db.Close()
	}
	var busy, logged, copied int64
	err := db.write.QueryRowContext(context.WithoutCancel(ctx), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logged, &copied)
	if err != nil || busy != 0 || copied < logged {
		return db.Close()
	}
	return nil
}

// readTx begins a read-only transaction that sees one snapshot of the data:
// on PostgreSQL REPEATABLE READ, since the default READ COMMITTED takes a new
// snapshot for each statement; on SQLite in WAL mode a deferred transaction
// keeps the snapshot of its first read.
func (db *DB) readTx(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == postgresDialect {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, db.wrap("begin read", err)
	}
	return tx, nil
}

// Counts returns the number of stored rows of each kind, keyed by the kind's
// name of DATA.md §1 (see Kinds), read in one snapshot.
func (db *DB) Counts(ctx context.Context) (map[string]int64, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	counts := make(map[string]int64, len(tables))
	for _, t := range tables {
		n, err := countRows(ctx, tx, t.name)
		if err != nil {
			return nil, db.wrap("count "+t.name, err)
		}
		counts[t.name] = n
	}
	if err := tx.Commit(); err != nil {
		return nil, db.wrap("count", err)
	}
	return counts, nil
}

// countRows returns the number of rows of one table.
func countRows(ctx context.Context, q queryer, table string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	return n, err
}

// queryer is what the read helpers need: a transaction or a pool.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
