package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBenchCommand runs the harness as a user would, on a small generated
// district: a fresh run that keeps its SQLite store, a --reuse run on that
// store, and (when GRIDSCORE_TEST_DSN is set) a fresh run on PostgreSQL. Each
// report must hold a measured row per store: rows, the import's rate and
// its floor's (the bulk load of the same rows, which the harness checks
// are as many as the import stored), floor scan, assess time (reading the
// results the import kept) and memory, the assessment computed again, and
// how busy the machine was.
func TestBenchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("generates, imports and assesses in child processes")
	}
	// The harness idles a second before each measurement to see how busy
	// the machine is; a tenth of one still tells (the busy column).
	t.Setenv(busyWindowEnv, "100ms")
	dir := t.TempDir()
	cells := func(row string) []string {
		f := strings.Split(strings.Trim(row, "| "), "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		return f
	}
	// The steps of the import, of the assessment (which reads the results
	// the import kept), of the assessment computed again and of the
	// new-process floor, each timed; an import not measured (--reuse) has
	// none.
	checkSteps := func(row string, imported bool) {
		t.Helper()
		c := cells(row)
		want := map[int][]string{3: {"启动", "打开", "读取结果", "输出"}, 4: {"启动", "打开", "预留", "读取", "计算", "输出"}, 5: {"启动", "打开", "读取"}}
		if imported {
			want[2] = []string{"启动", "打开", "导入", "计算", "关闭"}
		} else if c[2] != "—" {
			t.Errorf("steps of an import not measured: %s", row)
		}
		for i, want := range want {
			var got []string
			for _, part := range strings.Split(c[i], " · ") {
				name, ms, _ := strings.Cut(part, " ")
				if v, err := strconv.ParseFloat(ms, 64); err != nil || v < 0 {
					t.Errorf("step %q not timed: %s", part, row)
				}
				got = append(got, name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("steps %v, want %v: %s", got, want, row)
			}
		}
	}
	runs := 0
	var terminal string // what the last run printed
	bench := func(imported bool, args ...string) []string {
		t.Helper()
		out := filepath.Join(dir, "report.md")
		cmd := process(t, append([]string{"bench", "--workers", "40", "--out", out}, args...)...)
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("bench %v: %v\n%s", args, err, errOut.String())
		}
		terminal = errOut.String()
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		// Each run adds a section before the earlier ones, which stay.
		sections := strings.Split(string(b), "\n## ")
		if runs++; len(sections)-1 != runs {
			t.Fatalf("after %d runs the report holds %d sections, want one per run:\n%s", runs, len(sections)-1, b)
		}
		if !strings.HasPrefix(sections[0], "# Benchmarks") {
			t.Errorf("the report does not begin with its title:\n%s", sections[0])
		}
		// The conditions say how the binary timed was linked, and the
		// terminal warns when it was not built static as for deployment.
		if link := linkingText(buildSettings()); !strings.Contains(sections[1], "Machine: ") || !strings.Contains(sections[1], link) {
			t.Errorf("the section does not say the binary is a %s:\n%s", link, sections[1])
		}
		if warned, cgo := strings.Contains(errOut.String(), "CGO_ENABLED=1"), cgoSetting(buildSettings()) == "1"; warned != cgo {
			t.Errorf("built with cgo: %v, warned: %v:\n%s", cgo, warned, errOut.String())
		}
		var rows []string
		for _, l := range strings.Split(sections[1], "\n") {
			if strings.HasPrefix(l, "| sqlite |") || strings.HasPrefix(l, "| postgres |") {
				if len(cells(l)) == 6 { // where the time went
					checkSteps(l, imported)
					continue
				}
				rows = append(rows, l)
			}
		}
		return rows
	}
	// Columns: store, workers, rows, import, import rows/s, bulk load
	// rows/s, import / bulk, import RSS, floor rows, floor scan, assess,
	// assess / floor, assess --recompute, recompute / floor, floor in a new
	// process, recompute / that floor, assess RSS, busy elsewhere.
	check := func(row string, imported, bulk bool) {
		t.Helper()
		c := cells(row)
		if len(c) != 18 || c[1] != "40" || c[2] == "0" || c[8] == "0" || !strings.HasSuffix(c[10], " s") ||
			!strings.HasSuffix(c[11], "×") || !strings.HasSuffix(c[12], " s") || c[12] == "0.00 s" || !strings.HasSuffix(c[13], "×") ||
			!strings.HasSuffix(c[14], " s") || c[14] == "0.00 s" || !strings.HasSuffix(c[15], "×") ||
			!strings.HasSuffix(c[16], "MiB") || c[16] == "0 MiB" || !strings.HasSuffix(c[17], "%") {
			t.Errorf("row not measured in full: %s", row)
		}
		if imported != (c[3] != "—") {
			t.Errorf("import measured: %v, row: %s", imported, row)
		}
		if rate, err := strconv.Atoi(c[5]); bulk != (err == nil && rate > 0) || bulk != strings.HasSuffix(c[6], "%") {
			t.Errorf("bulk load measured: %v, row: %s", bulk, row)
		}
	}

	keptDir := filepath.Join(dir, "kept")
	rows := bench(true, "--stores", "sqlite", "--keep", "--dir", keptDir, "--runs", "2")
	if len(rows) != 1 {
		t.Fatalf("fresh run: %q", rows)
	}
	check(rows[0], true, true)
	if _, err := os.Stat(filepath.Join(keptDir, "import_40.db")); err != nil {
		t.Errorf("--keep kept no store: %v", err)
	}
	// A small import is measured each run, each into a store of its own,
	// taking turns with the bulk load; only the last store is kept.
	if strings.Count(terminal, "导入（第 ") != 2 || strings.Count(terminal, "批量装载……") != 2 {
		t.Errorf("2 runs of a 40-worker store did not import and bulk load twice each:\n%s", terminal)
	}
	if _, err := os.Stat(filepath.Join(keptDir, "import_40_try.db")); !os.IsNotExist(err) {
		t.Errorf("the store of an earlier import was left behind: %v", err)
	}
	again := bench(false, "--stores", "sqlite", "--reuse", "--dir", keptDir, "--runs", "1")
	if len(again) != 1 {
		t.Fatalf("--reuse run: %q", again)
	}
	check(again[0], false, false)
	if cells(again[0])[2] != cells(rows[0])[2] || cells(again[0])[8] != cells(rows[0])[8] {
		t.Errorf("--reuse measured other records:\n%s\n%s", rows[0], again[0])
	}

	optOut := bench(true, "--stores", "sqlite", "--bulk=false", "--runs", "1")
	if len(optOut) != 1 {
		t.Fatalf("--bulk=false run: %q", optOut)
	}
	check(optOut[0], true, false)

	if dsn := os.Getenv("GRIDSCORE_TEST_DSN"); dsn != "" {
		pg := bench(true, "--stores", "postgres", "--dsn", dsn, "--runs", "1")
		if len(pg) != 1 {
			t.Fatalf("postgres run: %q", pg)
		}
		check(pg[0], true, true)
		if cells(pg[0])[2] != cells(rows[0])[2] {
			t.Errorf("the stores hold different records:\n%s\n%s", rows[0], pg[0])
		}
	}
}

func TestLinkingText(t *testing.T) {
	for _, c := range []struct {
		settings []debug.BuildSetting
		want     string
	}{
		{[]debug.BuildSetting{{Key: "-buildmode", Value: "exe"}, {Key: "CGO_ENABLED", Value: "0"}}, "static binary (CGO_ENABLED=0)"},
		{[]debug.BuildSetting{{Key: "CGO_ENABLED", Value: "1"}, {Key: "CGO_CFLAGS", Value: ""}}, "binary linked against libc (CGO_ENABLED=1)"},
		{nil, "binary's linking not recorded"},
	} {
		if got := linkingText(c.settings); got != c.want {
			t.Errorf("linkingText(%v) = %q, want %q", c.settings, got, c.want)
		}
	}
}

func TestMedian(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var ds []time.Duration
		for _, n := range v {
			ds = append(ds, time.Duration(n)*time.Millisecond)
		}
		return ds
	}
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{ms(90), 90 * time.Millisecond},
		{ms(120, 70, 80), 80 * time.Millisecond},
		{ms(70, 120, 90, 80), 85 * time.Millisecond},
	} {
		in := slices.Clone(c.in)
		if got := median(c.in); got != c.want || !slices.Equal(in, c.in) {
			t.Errorf("median(%v) = %v, want %v and the runs left in order", in, got, c.want)
		}
	}
}

// TestGitCommit: the harness names the commit of the checkout it runs in
// only when that checkout is of this module; in another repository it
// names none rather than that repository's commit.
func TestGitCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/other\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "go.mod")
	git("commit", "-q", "-m", "other")
	head := git("rev-parse", "HEAD")
	if rev, _ := gitCommit(dir, "github.com/gridscore/gridscore", "BENCHMARKS.md"); rev != "" {
		t.Errorf("another module's checkout gives the commit %q, want none", rev)
	}
	if err := os.WriteFile(filepath.Join(dir, "BENCHMARKS.md"), []byte("# Benchmarks\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "BENCHMARKS.md")
	git("commit", "-q", "-m", "report")
	head = git("rev-parse", "HEAD")
	// The harness's own report, changed by its earlier runs, is no change
	// to the code measured, named from the folder or in full.
	if err := os.WriteFile(filepath.Join(dir, "BENCHMARKS.md"), []byte("# Benchmarks\n\n## a run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, report := range []string{"BENCHMARKS.md", filepath.Join(dir, "BENCHMARKS.md")} {
		if rev, modified := gitCommit(dir, "example.com/other", report); rev != head || modified != "" {
			t.Errorf("the module's own checkout, its report %s changed, gives %q%q, want %q unchanged", report, rev, modified, head)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/other\n\ngo 1.27\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rev, modified := gitCommit(dir, "example.com/other", "BENCHMARKS.md"); rev != head || modified == "" {
		t.Errorf("a changed checkout gives %q%q, want %q with uncommitted changes", rev, modified, head)
	}
	if rev, modified := gitCommit(dir, "example.com/other", filepath.Join(t.TempDir(), "BENCHMARKS.md")); rev != head || modified == "" {
		t.Errorf("a changed checkout, the report elsewhere, gives %q%q, want %q with uncommitted changes", rev, modified, head)
	}
	// A build made with the report changed says it was changed; here only
	// the report was, which is no change to the code measured.
	built := []debug.BuildSetting{{Key: "vcs.revision", Value: head}, {Key: "vcs.modified", Value: "true"}}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/other\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := commitText(built, dir, "example.com/other", "BENCHMARKS.md"), " (commit "+head[:7]+")"; got != want {
		t.Errorf("a build with only the report changed: %q, want %q", got, want)
	}
	if got := commitText(built, t.TempDir(), "example.com/other", "BENCHMARKS.md"); !strings.HasSuffix(got, ", with uncommitted changes)") {
		t.Errorf("a build's changes, its checkout not here: %q, want them kept", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/other\n\ngo 1.27\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := commitText(built, dir, "example.com/other", "BENCHMARKS.md"); !strings.HasSuffix(got, ", with uncommitted changes)") {
		t.Errorf("a build with go.mod changed: %q, want it marked changed", got)
	}
	// A change anywhere in the work tree counts, asked from a folder in it.
	sub := filepath.Join(dir, "cmd")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if rev, modified := gitCommit(sub, "example.com/other", "../BENCHMARKS.md"); rev != head || modified == "" {
		t.Errorf("asked from a subfolder, a changed checkout gives %q%q, want %q with uncommitted changes", rev, modified, head)
	}
	if rev, _ := gitCommit(t.TempDir(), "example.com/other", "BENCHMARKS.md"); rev != "" {
		t.Errorf("a folder outside any repository gives the commit %q", rev)
	}
}

// TestBenchDSN: the harness makes and drops schemas in the PostgreSQL
// server it uses, so a GRIDSCORE_DSN set for the product (README, 部署)
// must never be that server: its default is GRIDSCORE_BENCH_DSN, else the
// local test server.
func TestBenchDSN(t *testing.T) {
	const product = "postgres://prod@127.0.0.1:2/production"
	const benchServer = "postgres://bench@127.0.0.1:1/benchdb"
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, localTestDSN},
		{map[string]string{"GRIDSCORE_DSN": product}, localTestDSN},
		{map[string]string{"GRIDSCORE_DSN": product, "GRIDSCORE_BENCH_DSN": benchServer}, benchServer},
	} {
		getenv := func(k string) string { return c.env[k] }
		if got := benchDSN(getenv); got != c.want {
			t.Errorf("env %v: bench --dsn defaults to %q, want %q", c.env, got, c.want)
		}
		// The help shows the default the command would use.
		var errOut bytes.Buffer
		m := &Main{Stdout: &errOut, Stderr: &errOut, Getenv: getenv, Now: time.Now}
		if code := m.Run(t.Context(), []string{"bench", "-h"}); code != 0 {
			t.Fatalf("bench -h: exit %d\n%s", code, errOut.String())
		}
		if help := errOut.String(); !strings.Contains(help, c.want) || strings.Contains(help, "production") {
			t.Errorf("env %v: bench -h does not give %q as the default of --dsn:\n%s", c.env, c.want, help)
		}
	}
	if testing.Short() {
		return
	}
	// A run on PostgreSQL connects to the bench's server (here one that
	// refuses at once), not to the product's.
	cmd := process(t, "bench", "--workers", "1", "--stores", "postgres", "--out", filepath.Join(t.TempDir(), "report.md"))
	cmd.Env = append(cmd.Env, busyWindowEnv+"=10ms", "GRIDSCORE_DSN="+product, "GRIDSCORE_BENCH_DSN="+benchServer)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Run(); err == nil {
		t.Fatalf("bench on a server that refuses connections succeeded:\n%s", errOut.String())
	}
	if msg := errOut.String(); !strings.Contains(msg, "benchdb") || strings.Contains(msg, "production") {
		t.Errorf("bench did not use GRIDSCORE_BENCH_DSN (and only it):\n%s", msg)
	}
}
