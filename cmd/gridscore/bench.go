package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storebench"
	"golang.org/x/mod/modfile"
)

// BenchCommand is `gridscore bench`: the benchmark harness of issue 3. For
// each size and store it generates a quarter as DATA.md files, imports them
// with `gridscore import` and assesses them with `gridscore assess` (child
// processes, so that each one's peak memory is its own), and measures the
// floors on the same store: a bare scan of the columns the engine needs, and
// the store's own bulk load of the same rows into a fresh store
// (storebench.BulkLoader). It writes the table to a Markdown file.
type BenchCommand struct {
	m                       *Main
	sizes, stores, dsn, out string
	quarter                 string
	dir                     string
	bulk, keep, reuse       bool
	runs                    int
	// window is how long watch samples the machine (busyWindowFrom).
	window time.Duration
}

// benchRow is one measured (store, size).
type benchRow struct {
	store                 string
	workers               int
	rows                  int64
	importTime, bulkTime  time.Duration
	bulkRows              int64
	importRSS, assessRSS  int64 // KiB
	floorRows             int64
	floorTime, assessTime time.Duration
	// coldFloorTime is the floor scan in a new process on a new connection
	// (gridscore bench-floor): what any program reading these rows from
	// scratch pays, process start and connection included.
	coldFloorTime time.Duration
	// recomputeTime is `gridscore assess --recompute`: the whole quarter
	// computed from the records, not read from the results the import kept.
	recomputeTime time.Duration
	// coldSteps, assessSteps and recomputeSteps are the medians of the
	// steps the new-process floor and the assessments timed (stepClock):
	// where their time went.
	coldSteps, assessSteps, recomputeSteps []step
	// importRuns are the steps each import timed, importSteps their
	// medians.
	importRuns  [][]step
	importSteps []step
	// server is the database engine and its version.
	server string
	// busy is the most CPU other processes took in the second before one
	// of the row's measurements (machineBusy); busyKnown is false where it
	// could not be told.
	busy      float64
	busyKnown bool
}

// watch samples the machine before or after measurements of row: it keeps
// the highest share other processes took and warns when that is enough to
// slow the measurements.
func (c *BenchCommand) watch(ctx context.Context, row *benchRow, what string) {
	share, ok := machineBusy(ctx, c.window)
	if !ok {
		return
	}
	row.busyKnown = true
	row.busy = max(row.busy, share)
	if share >= busyWarn {
		span := "一秒"
		if c.window != time.Second {
			span = " " + c.window.String() + " "
		}
		fmt.Fprintf(c.m.Stderr, "注意：%s的%s内，其他进程占用了本机 %.0f%% 的 CPU，测得的时间会偏长\n", what, span, 100*share)
	}
}

// Run parses the arguments and runs the benchmarks.
func (c *BenchCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "bench", "gridscore bench [--workers 200,5000,100000] [--stores sqlite,postgres] [--dsn URL] [--out BENCHMARKS.md]")
	fs.StringVar(&c.sizes, "workers", "200,5000,100000", "网格员人数，逗号分隔")
	fs.StringVar(&c.stores, "stores", "sqlite,postgres", "要测试的数据库：sqlite、postgres")
	fs.StringVar(&c.dsn, "dsn", benchDSN(c.m.Getenv), "PostgreSQL 服务器，在其中新建临时 schema（环境变量 GRIDSCORE_BENCH_DSN；不使用 GRIDSCORE_DSN）")
	fs.StringVar(&c.out, "out", "BENCHMARKS.md", "结果写入的 Markdown 文件")
	fs.StringVar(&c.quarter, "quarter", "2023Q3", "生成数据的季度")
	fs.StringVar(&c.dir, "dir", "", "存放生成文件和 SQLite 数据库的文件夹（默认临时文件夹）")
	fs.IntVar(&c.runs, "runs", 3, "基准扫描和考核计算各测几次（交替进行，取中位数；每次的时间都打印出来）")
	fs.BoolVar(&c.bulk, "bulk", true, "同时测量数据库自身的批量装载（--bulk=false 跳过）")
	fs.BoolVar(&c.bulk, "bare", true, "--bulk 的旧名")
	fs.BoolVar(&c.keep, "keep", false, "测量后保留导入的数据库（SQLite 文件在 --dir 中，PostgreSQL 为 gridscore_bench_import_N schema），供 --reuse 再次测量")
	fs.BoolVar(&c.reuse, "reuse", false, "数据库已由 --keep 保留时不再生成和导入，只重新测量基准扫描和考核（导入列记为 —）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	q, err := gs.ParseQuarter(c.quarter)
	if err != nil {
		return usageError{gs.ErrorMessage(err)}
	}
	var sizes []int
	for _, s := range strings.Split(c.sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return usageError{fmt.Sprintf("--workers 应为逗号分隔的正整数：%q", c.sizes)}
		}
		sizes = append(sizes, n)
	}
	if c.runs < 1 {
		return usageError{fmt.Sprintf("--runs 应为正整数：%d", c.runs)}
	}
	if c.window, err = busyWindowFrom(c.m.Getenv); err != nil {
		return usageError{err.Error()}
	}
	if (c.keep || c.reuse) && c.dir == "" {
		return usageError{"--keep 和 --reuse 需要用 --dir 指定保存数据库的文件夹"}
	}
	if c.dir == "" {
		if c.dir, err = os.MkdirTemp("", "gridscore-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(c.dir)
	} else if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if cgoSetting(buildSettings()) == "1" {
		fmt.Fprint(c.m.Stderr, cgoWarning)
	}
	var results []benchRow
	loadBefore := loadAverage()
	for _, n := range sizes {
		files := filepath.Join(c.dir, fmt.Sprintf("data-%d", n))
		if !c.reuse {
			fmt.Fprintf(c.m.Stderr, "生成 %d 名网格员的数据……\n", n)
			if _, _, err := c.child(ctx, self, "demo", "--workers", strconv.Itoa(n), "--quarter", c.quarter, "--seed", "1", "--out", files); err != nil {
				return err
			}
		}
		for _, st := range strings.Split(c.stores, ",") {
			st = strings.TrimSpace(st)
			row, err := c.measure(ctx, self, st, n, q, files)
			if err != nil {
				return fmt.Errorf("%s，%d 人：%w", st, n, err)
			}
			results = append(results, row)
			fmt.Fprintln(c.m.Stderr, formatRow(row))
		}
		os.RemoveAll(files)
	}
	sec := benchSection{rows: results, quarter: c.quarter, runs: c.runs, args: args, loadBefore: loadBefore, loadAfter: loadAverage(), out: c.out}
	if err := addSection(c.out, sec); err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stderr, "结果已加入 %s（放在以前各次结果之前）\n", c.out)
	return nil
}

// localTestDSN is the PostgreSQL server the harness uses when neither
// --dsn nor GRIDSCORE_BENCH_DSN names one: the local test server.
const localTestDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// benchDSN is the default of bench --dsn: GRIDSCORE_BENCH_DSN, else the
// local test server. It is never GRIDSCORE_DSN: that names the product's
// own database (README, 部署), and the harness makes and drops schemas in
// the server it is given.
func benchDSN(getenv func(string) string) string {
	return envOr(getenv, "GRIDSCORE_BENCH_DSN", localTestDSN)
}

// measure runs one (store, size): the import (unless --reuse) and right
// after it the bulk load of the same rows (unless --bulk=false), then the
// floor scan and the assessment.
func (c *BenchCommand) measure(ctx context.Context, self, st string, n int, q gs.Quarter, files string) (benchRow, error) {
	row := benchRow{store: st, workers: n}
	var (
		target  string
		cleanup = func() {}
		err     error
	)
	if c.reuse {
		target, err = c.keptTarget(st, fmt.Sprintf("import_%d", n))
	} else {
		target, cleanup, err = c.freshTarget(ctx, st, fmt.Sprintf("import_%d", n))
	}
	if err != nil {
		return row, err
	}
	if !c.keep {
		defer cleanup()
	}
	flag := "--db"
	if st == "postgres" {
		flag = "--dsn"
	}
	if !c.reuse {
		// The import is measured importTries times, each into a store of
		// its own, taking turns with the bulk load; the last one is the
		// store the reads measure. One such measurement alone moved by a
		// third from run to run (import / bulk 51–75 % at 200 workers).
		tries := importTries(n, c.runs)
		var imports, bulks []time.Duration
		for try := range tries {
			into, done := target, func() {}
			if try < tries-1 {
				if into, done, err = c.freshTarget(ctx, st, fmt.Sprintf("import_%d_try", n)); err != nil {
					return row, err
				}
			}
			d, rss, err := c.measureImport(ctx, &row, self, flag, into, files, try, tries)
			done()
			if err != nil {
				return row, err
			}
			imports, row.importRSS = append(imports, d), max(row.importRSS, rss)
			if c.bulk {
				if err := c.measureBulk(ctx, &row, q); err != nil {
					return row, err
				}
				bulks = append(bulks, row.bulkTime)
			}
		}
		row.importTime, row.importSteps = median(imports), medianSteps(row.importRuns)
		if c.bulk {
			row.bulkTime = median(bulks)
		}
	}
	if err := c.measureReads(ctx, &row, self, flag, target, q); err != nil {
		return row, err
	}
	if row.bulkTime > 0 && row.bulkRows != row.rows {
		return row, fmt.Errorf("批量装载了 %d 行，导入后数据库中有 %d 行：两者测量的不是同样的数据", row.bulkRows, row.rows)
	}
	return row, nil
}

// Sizes whose import and bulk load are measured more than once (medians
// given): up to repeatImportWorkers runs times; up to fewImportWorkers
// fewImportRuns times, as single runs of a 5,000-worker import and bulk
// load on PostgreSQL varied by a third (13.2–19.8 s and 9.2–13.9 s in four
// runs of 2026-12-05), enough to move their ratio by 15 points; above it
// once, each taking minutes.
const (
	repeatImportWorkers = 1000
	fewImportWorkers    = 10000
	fewImportRuns       = 3
)

// importTries is how many times the import and the bulk load of n workers
// are measured when the reads are measured runs times.
func importTries(n, runs int) int {
	switch {
	case n <= repeatImportWorkers:
		return runs
	case n <= fewImportWorkers:
		return min(runs, fewImportRuns)
	}
	return 1
}

// measureImport imports files into the empty store at target (the import
// command's flag names it) in a new process and returns how long it took
// and the process's peak resident memory; try of tries is for the
// terminal.
func (c *BenchCommand) measureImport(ctx context.Context, row *benchRow, self, flag, target, files string, try, tries int) (time.Duration, int64, error) {
	// The store is given its schema first, as the bulk load's is: the
	// import is timed from an empty store with the product's tables.
	if _, _, err := c.child(ctx, self, "migrate", flag, target); err != nil {
		return 0, 0, err
	}
	c.watch(ctx, row, "导入前")
	if tries > 1 {
		fmt.Fprintf(c.m.Stderr, "[%s %d] 导入（第 %d 次）……\n", row.store, row.workers, try+1)
	} else {
		fmt.Fprintf(c.m.Stderr, "[%s %d] 导入……\n", row.store, row.workers)
	}
	start := time.Now()
	r, err := c.timedChild(ctx, self, "import", flag, target, files)
	d := time.Since(start)
	if err == nil {
		row.importRuns = append(row.importRuns, r.steps)
	}
	return d, r.rss, err
}

// measureReads measures the floor scan and the assessment of the store at
// target (the assess command's flag names it) runs times each.
func (c *BenchCommand) measureReads(ctx context.Context, row *benchRow, self, flag, target string, q gs.Quarter) error {
	st, n := row.store, row.workers
	db, err := store.Open(ctx, target)
	if err != nil {
		return err
	}
	defer db.Close()
	counts, err := db.Counts(ctx)
	if err != nil {
		return err
	}
	for _, v := range counts {
		row.rows += v
	}
	row.server = serverVersion(ctx, db)
	// The floors and the assessment are measured runs times each, back to
	// back, the one that goes first turning (on this VM a process started
	// after a second of idling took 5–10 ms longer), and the medians
	// reported: on a shared machine one run can take twice another. The
	// machine is watched before and after the runs.
	from, to := floorWindow(q)
	var floors, colds, assesses, recomputes []time.Duration
	var coldSteps, assessSteps, recomputeSteps [][]step
	floor := func(run int) error {
		fmt.Fprintf(c.m.Stderr, "[%s %d] 基准扫描（第 %d 次）……\n", st, n, run+1)
		start := time.Now()
		var err error
		row.floorRows, err = storebench.FloorScan(ctx, db, from, to, false)
		floors = append(floors, time.Since(start))
		return err
	}
	cold := func(run int) error {
		fmt.Fprintf(c.m.Stderr, "[%s %d] 新进程基准扫描（第 %d 次）……\n", st, n, run+1)
		start := time.Now()
		r, err := c.timedChild(ctx, self, "bench-floor", flag, target, "--quarter", q.String())
		colds = append(colds, time.Since(start))
		coldSteps = append(coldSteps, r.steps)
		if err == nil && strings.TrimSpace(r.out) != strconv.FormatInt(row.floorRows, 10) && row.floorRows > 0 {
			err = fmt.Errorf("新进程基准扫描读了 %s 行，基准扫描 %d 行", strings.TrimSpace(r.out), row.floorRows)
		}
		return err
	}
	assessArgs := []string{"--quarter", q.String(), "--as-of", q.Last().End().Add(7 * 24 * time.Hour).Format("2006-01-02 15:04:05"), "--format", "json", "--out", os.DevNull}
	assess := func(run int) error {
		fmt.Fprintf(c.m.Stderr, "[%s %d] 计算考核（第 %d 次）……\n", st, n, run+1)
		start := time.Now()
		r, err := c.timedChild(ctx, self, append([]string{"assess", flag, target}, assessArgs...)...)
		assesses = append(assesses, time.Since(start))
		assessSteps = append(assessSteps, r.steps)
		row.assessRSS = max(row.assessRSS, r.rss)
		return err
	}
	recompute := func(run int) error {
		fmt.Fprintf(c.m.Stderr, "[%s %d] 重新计算考核（--recompute，第 %d 次）……\n", st, n, run+1)
		start := time.Now()
		r, err := c.timedChild(ctx, self, append([]string{"assess", "--recompute", flag, target}, assessArgs...)...)
		recomputes = append(recomputes, time.Since(start))
		recomputeSteps = append(recomputeSteps, r.steps)
		row.assessRSS = max(row.assessRSS, r.rss)
		return err
	}
	c.watch(ctx, row, "基准扫描和计算考核前")
	// The first assessment after the import goes first in the first run:
	// it is the one the import's kept results must serve.
	steps := []func(int) error{assess, floor, recompute, cold}
	for run := range c.runs {
		for i := range steps {
			if err := steps[(run+i)%len(steps)](run); err != nil {
				return err
			}
		}
		fmt.Fprintf(c.m.Stderr, "[%s %d] 基准扫描 %.3f s，新进程基准扫描 %.3f s（%s），计算考核 %.3f s（%s），重新计算 %.3f s（%s）\n", st, n, floors[run].Seconds(),
			colds[run].Seconds(), stepsText(coldSteps[run]), assesses[run].Seconds(), stepsText(assessSteps[run]),
			recomputes[run].Seconds(), stepsText(recomputeSteps[run]))
	}
	c.watch(ctx, row, "测量结束后")
	row.coldFloorTime = median(colds)
	row.floorTime, row.assessTime, row.recomputeTime = median(floors), median(assesses), median(recomputes)
	row.coldSteps, row.assessSteps, row.recomputeSteps = medianSteps(coldSteps), medianSteps(assessSteps), medianSteps(recomputeSteps)
	return nil
}

// floorWindow is the window of the floor scans of quarter q: from a week
// before it (the assessment reads patrols from then) to its end.
func floorWindow(q gs.Quarter) (from, to time.Time) {
	return q.First().AddDays(-7).Start(), q.Last().End()
}

// measureBulk measures the store's own bulk load of the generated quarter
// (the same rows the import read from files) into a fresh store with the
// product's schema: the floor of the import.
func (c *BenchCommand) measureBulk(ctx context.Context, row *benchRow, q gs.Quarter) error {
	st, n := row.store, row.workers
	target, cleanup, err := c.freshTarget(ctx, st, fmt.Sprintf("bulk_%d", n))
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := store.OpenAndMigrate(ctx, target)
	if err != nil {
		return err
	}
	defer db.Close()
	c.watch(ctx, row, "批量装载前")
	fmt.Fprintf(c.m.Stderr, "[%s %d] 批量装载……\n", st, n)
	bl, err := storebench.NewBulkLoader(ctx, db)
	if err != nil {
		return err
	}
	err = gen.Generate(gen.Options{Workers: n, Quarter: q, Seed: 1}, func(town *gs.Records) error { return bl.Load(ctx, town) })
	if err != nil {
		bl.Rollback()
		return err
	}
	row.bulkRows, row.bulkTime, err = bl.Commit(ctx)
	return err
}

// keptTarget returns the store of kind st kept by an earlier run with
// --keep, refusing one that is missing.
func (c *BenchCommand) keptTarget(st, name string) (string, error) {
	switch st {
	case "sqlite":
		path := filepath.Join(c.dir, name+".db")
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("--reuse：没有保留的数据库 %s（先用 --keep 运行一次）", path)
		}
		return path, nil
	case "postgres":
		return c.schemaDSN("gridscore_bench_" + name)
	default:
		return "", usageError{fmt.Sprintf("未知的数据库 %q：可用 sqlite、postgres", st)}
	}
}

// schemaDSN returns --dsn with its search path set to schema.
func (c *BenchCommand) schemaDSN(schema string) (string, error) {
	u, err := url.Parse(c.dsn)
	if err != nil {
		return "", err
	}
	qv := u.Query()
	qv.Set("search_path", schema)
	u.RawQuery = qv.Encode()
	return u.String(), nil
}

// freshTarget returns an empty store of kind st and a function removing it.
func (c *BenchCommand) freshTarget(ctx context.Context, st, name string) (string, func(), error) {
	switch st {
	case "sqlite":
		path := filepath.Join(c.dir, name+".db")
		remove := func() { os.Remove(path); os.Remove(path + "-wal"); os.Remove(path + "-shm") }
		remove() // one kept by an earlier run with --keep
		return path, remove, nil
	case "postgres":
		schema := "gridscore_bench_" + name
		drop := func(ctx context.Context, then string) error {
			admin, err := sql.Open("pgx", c.dsn)
			if err != nil {
				return err
			}
			defer admin.Close()
			if _, err := admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil || then == "" {
				return err
			}
			_, err = admin.ExecContext(ctx, then)
			return err
		}
		if err := drop(ctx, "CREATE SCHEMA "+schema); err != nil {
			return "", nil, err
		}
		dsn, err := c.schemaDSN(schema)
		if err != nil {
			return "", nil, err
		}
		return dsn, func() { drop(context.Background(), "") }, nil
	default:
		return "", nil, usageError{fmt.Sprintf("未知的数据库 %q：可用 sqlite、postgres", st)}
	}
}

// child runs this program with args and returns its stdout and peak
// resident memory in KiB.
func (c *BenchCommand) child(ctx context.Context, self string, args ...string) (string, int64, error) {
	r, err := c.timedChild(ctx, self, args...)
	return r.out, r.rss, err
}

// childRun is what a child process of the harness gave: its output, its
// peak memory (KiB) and the steps it timed, if any.
type childRun struct {
	out   string
	rss   int64
	steps []step
}

// timedChild runs the child as child does, asking it to time its steps
// (assess and bench-floor do, stepClock) from the moment it is started.
func (c *BenchCommand) timedChild(ctx context.Context, self string, args ...string) (childRun, error) {
	cmd := exec.CommandContext(ctx, self, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(os.Environ(), "GRIDSCORE_DSN=", "GRIDSCORE_DB=")
	cmd.Env = append(cmd.Env, stepsEnv+"="+strconv.FormatInt(time.Now().UnixNano(), 10))
	if err := cmd.Run(); err != nil {
		return childRun{}, fmt.Errorf("gridscore %s：%v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	r := childRun{out: out.String(), steps: parseSteps(errOut.String())}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rss = ru.Maxrss // KiB on Linux
	}
	return r, nil
}

// median returns the middle of ds (the mean of the two middle ones when
// there is an even number).
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func formatRow(r benchRow) string {
	importRate, bulkRate := rate(r.rows, r.importTime), rate(r.bulkRows, r.bulkTime)
	bulk, share := fmt.Sprintf("%.0f", bulkRate), fmt.Sprintf("%.0f%%", 100*importRate/max(bulkRate, 1))
	if r.bulkRows == 0 {
		bulk, share = "—", "—" // not measured (--bulk=false, --reuse)
	}
	imp, impRate, impRSS := fmt.Sprintf("%.1f s", r.importTime.Seconds()), fmt.Sprintf("%.0f", importRate), fmt.Sprintf("%d MiB", r.importRSS/1024)
	if r.importTime == 0 {
		imp, impRate, impRSS, share = "—", "—", "—", "—" // not measured (--reuse)
	}
	return fmt.Sprintf("| %s | %d | %d | %s | %s | %s | %s | %s | %d | %.2f s | %.2f s | %.2f× | %.2f s | %.2f× | %.2f s | %.2f× | %d MiB | %s |",
		r.store, r.workers, r.rows, imp, impRate, bulk, share,
		impRSS, r.floorRows, r.floorTime.Seconds(), r.assessTime.Seconds(),
		r.assessTime.Seconds()/max(r.floorTime.Seconds(), 1e-9),
		r.recomputeTime.Seconds(), r.recomputeTime.Seconds()/max(r.floorTime.Seconds(), 1e-9),
		r.coldFloorTime.Seconds(), r.recomputeTime.Seconds()/max(r.coldFloorTime.Seconds(), 1e-9),
		r.assessRSS/1024, busyText(r.busy, r.busyKnown))
}

// benchSection is one run of the harness: its rows and conditions.
type benchSection struct {
	rows                  []benchRow
	quarter               string
	runs                  int
	args                  []string
	loadBefore, loadAfter string
	out                   string // the report's path
}

// benchHeader begins a new BENCHMARKS.md.
const benchHeader = "# Benchmarks\n\nEach run of `gridscore bench` adds a section, the newest first; the sections before it are kept as they were.\n"

// addSection puts sec into the Markdown file at path before the sections
// already there (BENCHMARKS.md keeps every run), creating the file if
// there is none.
func addSection(path string, sec benchSection) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("无法读取 %s：%w", path, err)
	}
	text := string(old)
	if strings.TrimSpace(text) == "" {
		text = benchHeader
	}
	head, rest := text, ""
	if i := strings.Index(text, "\n## "); i >= 0 {
		head, rest = text[:i+1], text[i+1:]
	}
	return writeFile(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, strings.TrimRight(head, "\n")+"\n\n"); err != nil {
			return err
		}
		if err := writeSection(w, sec); err != nil {
			return err
		}
		if rest == "" {
			return nil
		}
		_, err := io.WriteString(w, "\n"+rest)
		return err
	})
}

// writeSection writes one run of the harness as a Markdown section: its
// conditions, the table of results and where the time of an assessment
// and of the new-process floor went.
func writeSection(w io.Writer, sec benchSection) error {
	servers := map[string]bool{}
	var engines []string
	for _, r := range sec.rows {
		if r.server != "" && !servers[r.server] {
			servers[r.server] = true
			engines = append(engines, r.server)
		}
	}
	fmt.Fprintf(w, "## %s: `gridscore bench %s`%s\n\n", time.Now().Format("2006-01-02 15:04"), strings.Join(sec.args, " "), buildCommit(sec.out))
	fmt.Fprintf(w, "Machine: %s, %d cores, %s, %s/%s, %s, %s; %s. Load average (1, 5, 15 minutes) %s before the run, %s after it. One quarter (%s) of generated records (`gridscore demo --workers N --seed 1`); floor scan, new-process floor and assessment measured %d times each, taking turns to go first, medians given; so are the import and the bulk load up to %d workers (each into a store of its own, taking turns), up to %d workers at most %d times, and once above.\n\n",
		cpuModel(), runtime.NumCPU(), memTotal(), runtime.GOOS, runtime.GOARCH, runtime.Version(), linkingText(buildSettings()), strings.Join(engines, ", "), sec.loadBefore, sec.loadAfter, sec.quarter, sec.runs, repeatImportWorkers, fewImportWorkers, fewImportRuns)
	fmt.Fprintln(w, "| store | workers | rows | import | import rows/s | bulk load rows/s | import / bulk | import peak RSS | floor rows | floor scan | assess | assess / floor | assess --recompute | recompute / floor | floor, new process | recompute / new-process floor | assess peak RSS | busy elsewhere |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range sec.rows {
		fmt.Fprintln(w, formatRow(r))
	}
	fmt.Fprintf(w, "\nWhere the time went, in milliseconds (medians of each step; given only when every run took the same steps, so 读取结果 under assess says that the first run, right after the import, read the kept results too): 启动 from the harness starting the process to the command's first line; 打开 connecting and checking the schema; of the import, 导入 reading, checking and writing the files' records (committed at its end), 计算 computing and keeping the results of the quarter they belong to, 关闭 ending the use of the store; of the assessments, 读取结果 reading the results the import kept; 预留 the table sizes and the memory reservation; 读取 reading the records, the engine assessing alongside; 计算 the rest of the assessment (and keeping its results, when computed without --recompute); 输出 writing the result (JSON).\n\n")
	fmt.Fprintln(w, "| store | workers | import | assess | assess --recompute | floor, new process |")
	fmt.Fprintln(w, "|---|---:|---|---|---|---|")
	for _, r := range sec.rows {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", r.store, r.workers, stepsText(r.importSteps), stepsText(r.assessSteps), stepsText(r.recomputeSteps), stepsText(r.coldSteps))
	}
	_, err := fmt.Fprintf(w, "\nDefinitions: the import is timed from an empty store with the product's schema; its floor, the bulk load, is the store's own fastest way to take the same rows (PostgreSQL: binary COPY straight into each table; SQLite: prepared 500-row INSERTs; secondary indexes dropped and built again inside the floor's time). The import computes the results of the quarter it brought and keeps them (`gridscore import --assess`, the default); assess is `gridscore assess` as a user runs it, the first time right after the import (it reads the kept results when they are current for the records and rules, as of any moment from which the result no longer changes), and assess --recompute computes the whole quarter from the records. The floor scan is a bare full scan reading into Go the columns the engine needs, in the harness's own process on a connection it has used before; the new-process floor is the same scan by a new process on a new connection (`gridscore bench-floor`). Targets: import / bulk ≥ 60 %%, assess / floor ≤ 1.5×. \"Busy elsewhere\" is the most CPU other processes took in a second the harness watched; above %.0f %% the row is slowed by something else.\n", 100*busyWarn)
	return err
}

// buildCommit is " (commit X)" naming the commit the binary was built
// from, as the build recorded it or else as git tells of the current
// folder when that is a checkout of this module (a build with
// -buildvcs=false records none; the harness run elsewhere would name
// another repository's commit), the harness's own report out aside; ""
// when neither says.
func buildCommit(out string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return commitText(nil, ".", "", out)
	}
	return commitText(info.Settings, ".", info.Main.Path, out)
}

// commitText is buildCommit's text from the build's settings and the git
// checkout holding dir.
func commitText(settings []debug.BuildSetting, dir, module, out string) string {
	var rev, modified string
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", with uncommitted changes"
			}
		}
	}
	switch {
	case rev == "":
		rev, modified = gitCommit(dir, module, out)
	case modified != "":
		// The build counts every changed file, the harness's own report
		// too (its earlier runs change it): where the checkout the build
		// came from is here, git tells whether anything else is changed.
		if here, changed := gitCommit(dir, module, out); here == rev {
			modified = changed
		}
	}
	if rev == "" {
		return ""
	}
	return fmt.Sprintf(" (commit %s%s)", rev[:min(len(rev), 7)], modified)
}

// gitCommit returns the commit checked out in the git work tree holding
// dir, and whether files it tracks other than report (the harness's
// BENCHMARKS.md, which its earlier runs change; a path from dir) are
// changed, if that work tree's go.mod names module; "" otherwise.
func gitCommit(dir, module, report string) (rev, modified string) {
	git := func(args ...string) (string, error) {
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
		return strings.TrimSpace(string(out)), err
	}
	top, err := git("rev-parse", "--show-toplevel")
	if err != nil || module == "" {
		return "", ""
	}
	mod, err := os.ReadFile(filepath.Join(top, "go.mod"))
	if err != nil || modfile.ModulePath(mod) != module {
		return "", ""
	}
	if rev, err = git("rev-parse", "HEAD"); err != nil {
		return "", ""
	}
	st, err := git("status", "--porcelain", "--untracked-files=no", "--", ":(top)", ":(exclude)"+report)
	if err != nil { // a report outside the work tree
		st, err = git("status", "--porcelain", "--untracked-files=no")
	}
	if err == nil && st != "" {
		modified = ", with uncommitted changes"
	}
	return rev, modified
}

// buildSettings are the settings the binary was built with.
func buildSettings() []debug.BuildSetting {
	if info, ok := debug.ReadBuildInfo(); ok {
		return info.Settings
	}
	return nil
}

// linkingText says how the binary measured was linked, from its build
// settings: a static binary (CGO_ENABLED=0, as the README builds it for
// deployment) starts about 5 ms sooner on the machines measured than one
// linked against libc, which loads the C library and starts cgo's threads
// in every child process the harness times.
func linkingText(settings []debug.BuildSetting) string {
	switch cgoSetting(settings) {
	case "0":
		return "static binary (CGO_ENABLED=0)"
	case "1":
		return "binary linked against libc (CGO_ENABLED=1)"
	}
	return "binary's linking not recorded"
}

// cgoSetting is the CGO_ENABLED the binary was built with, "" if not
// recorded.
func cgoSetting(settings []debug.BuildSetting) string {
	for _, s := range settings {
		if s.Key == "CGO_ENABLED" {
			return s.Value
		}
	}
	return ""
}

// cgoWarning is the harness's note on the terminal when it was built with
// cgo: each process it times starts slower than the deployed one would.
const cgoWarning = "注意：本程序以 CGO_ENABLED=1 构建（动态链接 C 库），每个计时的子进程启动多约 5 ms；部署用的是静态程序，测量前请用 CGO_ENABLED=0 go build -o gridscore ./cmd/gridscore 构建\n"

// loadAverage is the machine's load average over 1, 5 and 15 minutes, or
// "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], ", ")
	}
	return "unknown"
}

// serverVersion names db's engine and its version.
func serverVersion(ctx context.Context, db *store.DB) string {
	tx, err := db.ReadTx(ctx)
	if err != nil {
		return ""
	}
	defer tx.Rollback()
	q := "SELECT 'SQLite ' || sqlite_version()"
	if db.Postgres() {
		q = "SELECT 'PostgreSQL ' || current_setting('server_version')"
	}
	var v string
	if tx.QueryRowContext(ctx, q).Scan(&v) != nil {
		return ""
	}
	return v
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if _, v, ok := strings.Cut(l, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "memory unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "MemTotal:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return fmt.Sprintf("%d GiB RAM", kb/1024/1024)
			}
		}
	}
	return "memory unknown"
}
