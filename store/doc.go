// Package store keeps the records of every kind of DATA.md §1, and the
// quarters, accounts and uploads, in SQLite (the default, one file next to
// the program) or PostgreSQL, through database/sql and portable SQL
// (tables.go, migrations/), so that PostgreSQL-compatible engines accept it
// too; values are stored alike on both (codec.go).
//
// Writes go through one connection and reads through a pool; each method is
// one transaction. Errors carry a gridscore error code where the database
// says something a person can act on (a conflict, a bad value, a busy
// database) and wrap the driver's error for the logs.
//
// # Reading records
//
// Every read of records goes through one table, kinds (load_kinds.go),
// which says for each record kind its window (the time columns that put a
// row in a quarter), how a row becomes a record (scan), whether the
// assessment reads it the fast way (fast) and how LoadChunked shares it
// out. Adding a kind, or a field of a kind, is one entry there and its
// columns in tables. There are five read paths, all in one snapshot:
//
//   - Load (load.go) reads every kind of a window through database/sql in
//     one read-only transaction (readTx), each kind sorted by key. It is
//     the plain path: `gridscore serve` reads the reference tables with it
//     at start, and the tests use it as the reference the other paths are
//     compared with.
//   - LoadTown (town.go) reads one town's records (scope.go) for the
//     server's pages: a town's live results and the snapshot a center
//     computes (app.Service.AssessTown, LiveTown, Compute). The reference
//     kinds are read as Load does, events, logins and patrols the fast way.
//   - LoadTownSince (town_since.go) reads what bringing a town's live
//     result kept at an older version up to date takes: the workers whose
//     results rest on records changed since (versions.go), the town's
//     workers, grids, meetings and calendar, and those workers' records
//     (scope.ids), the heavy kinds the fast way (app.Service.LiveTown).
//   - LoadChunked (chunks.go) is the path of a whole district or province
//     (app.Service.Assess, `gridscore assess`): the shared kinds once, then
//     the other kinds per range of workers (a chunk), so that a province is
//     never in memory at once. Each chunk's kinds are tasks that two
//     connections take as they come free, a chunk ahead of the one being
//     assessed.
//   - The fast path (load_heavy.go, load_snapshot.go) under LoadChunked and
//     LoadTown: read transactions begun with plain SQL on connections of the
//     read pool (readConn), several of them sharing one snapshot
//     (readSnapshot), and rows read from the driver itself (rawQuery): only
//     the columns the engine looks at, destinations made once per query,
//     repeated strings shared (interner), slices sized from the table's size
//     (tableSizes, growing).
//
// The record pages read single kinds with Load's scanners (scanKind in
// records_query.go), and Persons, CalendarDays and TownWorkers read what a
// page names.
//
// # SQLite and PostgreSQL
//
// SQLite has one write connection and a pool of readers (WAL, busy_timeout
// first, 384 MiB of the file mapped); PostgreSQL a pool whose size comes
// from configuration. Where they differ on the read paths:
//
//   - Sharing a snapshot: PostgreSQL exports the first transaction's
//     snapshot (pg_export_snapshot) and the second connection adopts it;
//     SQLite begins both transactions' first reads while a third connection
//     holds the write lock. Either falls back to one transaction. A
//     PostgreSQL store of under parallelReadRows rows (a town) is read on
//     one connection: there connecting again costs what it saves.
//   - Reading rows: on PostgreSQL rawQuery reads through pgx itself, each
//     column's bytes as sent, with no value boxed per column; on SQLite,
//     the driver's values.
//   - Scopes: on PostgreSQL the register entries of persons listed in a
//     scope but entered elsewhere are read by id; SQLite keeps a subquery
//     (scope.byID).
//
// # Writing records
//
// An import (bulk.go, ImportTx) writes while the files are still being
// read, in one transaction; the reading goroutine also turns the records
// into rows (PrepareRows). On SQLite, prepared multi-row INSERT OR FAIL …
// ON CONFLICT statements on the write connection (FAIL spares a statement
// journal; the import rolls back whole on any error). On PostgreSQL the
// rows are copied (COPY) straight into the table under a savepoint; once a
// key is found stored, that part is undone and the table's rows go through
// a temporary staging table and one upsert statement. A table empty at the
// import's first write has its secondary indexes dropped and built again
// before Commit (deferIndexes; on PostgreSQL readers of that table wait
// for the import); on SQLite so does a large import's table (LargeImport)
// once more rows were written than it held, the temporary storage then in
// files.
// Hand changes to single records go through records_write.go and Import
// (import.go), each with its audit entry in the same transaction. Every
// change raises the version of the records and notes what it concerns
// (versions.go): the workers, grids and towns whose live results it
// outdates, or every town.
//
// # Why the unusual pieces, and how to measure them again
//
// The fast path, the shared snapshot, the chunks' tasks, the deferred
// indexes and COPY were each kept because they measured faster in
// `gridscore bench` (BENCHMARKS.md, which records the runs and the
// machine), whose floors are the bare scan and the bulk load of package
// storebench:
//
//	go build -o /tmp/gridscore ./cmd/gridscore
//	/tmp/gridscore bench --workers 200,5000 --stores sqlite,postgres --runs 3 --bulk=false --out /tmp/bench.md
//
// Reading through pgx's raw values and interning strings made the
// assessment 17 % faster at 100,000 workers (the collector scans less);
// reading a town's heavy kinds the fast way took its first live view from
// 0.31 s to 0.21 s at 5,000 workers; reading a town through the worker_id
// indexes rather than the time indexes took its dashboard from 0.95 s to
// 0.42 s (BenchmarkPages5000 in web); two connections for a 200-worker
// PostgreSQL town gave 67 ms against 75 ms. In-process profiles of a kept
// store:
//
//	GRIDSCORE_BENCH_TARGET=… go test -run XXX -bench AssessStore -benchtime 1x -cpuprofile cpu.out ./app/
//
// and of an import: `go test -run XXX -bench Import -benchtime 1x ./app/`.
package store
