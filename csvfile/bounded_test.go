package csvfile_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// The tests of this file measure the heap: they do not run in parallel
// with the others (which wait until they are done).

// peakHeapGrowth runs f and returns how far the heap's objects grew above
// what they were before, at the most, sampled every millisecond.
func peakHeapGrowth(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var (
		peak uint64
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if h := read(); h > peak {
				peak = h
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	if h := read(); h > peak {
		peak = h
	}
	if peak < base {
		return 0
	}
	return peak - base
}

// scanReport runs a Scanner over paths, with known workers W1 and W2, and
// returns its report, failing the test for any other outcome.
func scanReport(tb testing.TB, paths ...string) *csvfile.Report {
	tb.Helper()
	known := csvfile.Known{GridCodes: []string{"G1", "G2"}, Workers: []gridscore.Worker{
		{ID: "W1", Name: "甲", Type: gridscore.FullTime, GridCode: "G1", HiredOn: gridscore.NewDate(2020, 1, 1)},
		{ID: "W2", Name: "乙", Type: gridscore.FullTime, GridCode: "G2", HiredOn: gridscore.NewDate(2020, 1, 1)},
	}}
	sc := &csvfile.Scanner{Known: known}
	err := sc.Scan(context.Background(), paths, func(*gridscore.Records) error { return nil })
	var rep *csvfile.Report
	if !errors.As(err, &rep) {
		tb.Fatalf("Scan = %v, want a report", err)
	}
	return rep
}

// A file of a million lines of "x" under a good header (2 MB) reports a few
// hundred problems and says why it stopped reading, instead of three
// problems a line (the 200 MB such file took the command line past 8 GB).
func TestMostlyBadFileIsNotReadToItsEnd(t *testing.T) {
	const lines = 1_000_000
	dir := t.TempDir()
	path := filepath.Join(dir, "events.csv")
	content := "event_id,worker_id,flow,reported_at\n" + strings.Repeat("x\n", lines)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	gaveUpOnXRows(t, "events.csv", path)
}

// gaveUpOnXRows scans the file at path, whose rows of events hold "x"
// alone, and checks that the reading of file (its label) gave up after
// 1,000 rows, listing every problem of those rows and the reason, and
// that the heap grew by under 32 MB.
func gaveUpOnXRows(t *testing.T, file, path string) {
	t.Helper()
	var rep *csvfile.Report
	grew := peakHeapGrowth(func() { rep = scanReport(t, path) })
	// Each "x" row lacks worker_id, flow and reported_at.
	if n, want := len(rep.Problems), 3*1000+1; n != want {
		t.Errorf("%d problems listed, want %d: three for each of the rows read and the reason the reading stopped", n, want)
	}
	if got := rep.Total(); got != len(rep.Problems) {
		t.Errorf("%d problems counted, %d listed: want every one listed", got, len(rep.Problems))
	}
	text := rep.Error()
	if want := file + ": 已读的 1000 行数据中有 1000 行有问题，其余的行没有再检查"; !strings.Contains(text, want) {
		t.Errorf("the report does not say %q:\n…%s", want, tail(text, 300))
	}
	if want := file + ":1000: "; !strings.Contains(text, want) {
		t.Errorf("the report does not name row 1000, the last row read:\n…%s", tail(text, 300))
	}
	if grew > 32<<20 {
		t.Errorf("the heap grew by %d MB reading the file, want under 32 MB", grew>>20)
	}
}

// A file with some bad rows among good ones is read to its end and every
// bad row is listed (DATA.md).
func TestEveryBadRowIsListed(t *testing.T) {
	var b strings.Builder
	b.WriteString("event_id,worker_id,flow,reported_at\n")
	const bad = 3000 // of 10,000 rows: more than the 1,000 a mostly bad file is read to
	for i := range 10_000 {
		if i%3 == 1 && i < 3*bad {
			fmt.Fprintf(&b, "E%d,W1,转交,2023-07-05 09:00\n", i)
			continue
		}
		fmt.Fprintf(&b, "E%d,W1,上报,2023-07-05 09:00\n", i)
	}
	dir := writeFiles(t, map[string]string{"events.csv": b.String()})
	rep := scanReport(t, dir)
	if got := len(rep.Problems); got != bad || rep.Total() != bad || len(rep.Unlisted) > 0 {
		t.Fatalf("%d problems listed, %d counted, unlisted %v; want all %d listed", got, rep.Total(), rep.Unlisted, bad)
	}
	if first, last := rep.Problems[0], rep.Problems[bad-1]; first.Row != 3 || last.Row != 3*bad {
		t.Errorf("problems listed from row %d to row %d, want 3 to %d (the first and last bad rows)", first.Row, last.Row, 3*bad)
	}
}

// A file with very many bad rows among good ones is read to its end; the
// problems beyond the first MaxFileProblems are counted, not listed.
func TestProblemsBeyondTheLimitAreCounted(t *testing.T) {
	var b strings.Builder
	b.WriteString("event_id,worker_id,flow,reported_at\n")
	bad := 0
	rows := 2*csvfile.MaxFileProblems + 5000
	for i := range rows {
		if i%2 == 1 && i < rows-2000 { // bad rows, never more than half
			fmt.Fprintf(&b, "E%d,W1,转交,2023-07-05 09:00\n", i)
			bad++
			continue
		}
		fmt.Fprintf(&b, "E%d,W1,上报,2023-07-05 09:00\n", i)
	}
	dir := writeFiles(t, map[string]string{"events.csv": b.String()})
	var rep *csvfile.Report
	peakHeapGrowth(func() { rep = scanReport(t, dir) })
	if got := rep.Total(); got != bad {
		t.Errorf("%d problems counted, want %d", got, bad)
	}
	if got := len(rep.Problems); got != csvfile.MaxFileProblems {
		t.Errorf("%d problems listed, want %d", got, csvfile.MaxFileProblems)
	}
	if want := []csvfile.Unlisted{{File: "events.csv", Count: bad - csvfile.MaxFileProblems}}; fmt.Sprint(rep.Unlisted) != fmt.Sprint(want) {
		t.Errorf("unlisted %v, want %v", rep.Unlisted, want)
	}
	if first := rep.Problems[0]; first.Row != 3 {
		t.Errorf("the first problem listed is at row %d, want 3 (the first bad row)", first.Row)
	}
}

// Many files with many problems list at most MaxProblems in all, and at
// most MaxFileProblems of each; every problem is counted.
func TestProblemsOfManyFilesAreListedUpToALimit(t *testing.T) {
	files := map[string]string{}
	want := 0
	for _, name := range []string{"events.csv", "事件.csv", "patrols.csv", "巡查.csv", "findings.csv", "督查.csv", "quiz.csv"} {
		var b strings.Builder
		var good string // the values of a good row after its id and worker
		switch {
		case name == "events.csv" || name == "事件.csv":
			b.WriteString("event_id,worker_id,flow,reported_at\n")
			good = "上报,2023-07-05 09:00"
		case name == "patrols.csv" || name == "巡查.csv":
			b.WriteString("patrol_id,worker_id,started_at\n")
			good = "2023-07-05 09:00"
		case name == "findings.csv" || name == "督查.csv":
			b.WriteString("finding_id,worker_id,kind,occurred_on\n")
			good = "info_stale,2023-07-05"
		default:
			b.WriteString("quiz_id,worker_id,taken_on,wrong_answers\n")
			good = "2023-07-05,1"
		}
		// A bad value or two in every second row (a file more than half
		// bad would not be read to its end), up to MaxFileProblems rows
		// each: the seven files have more problems than MaxProblems.
		for i := range 2 * csvfile.MaxFileProblems {
			if i%2 == 1 {
				fmt.Fprintf(&b, "%s-%d,W1,x,x\n", name, i)
			} else {
				fmt.Fprintf(&b, "%s-%d,W1,%s\n", name, i, good)
			}
		}
		files[name] = b.String()
	}
	dir := writeFiles(t, files)
	rep := scanReport(t, dir)
	if len(rep.Problems) != csvfile.MaxProblems {
		t.Errorf("%d problems listed, want %d", len(rep.Problems), csvfile.MaxProblems)
	}
	perFile := map[string]int{}
	for _, p := range rep.Problems {
		perFile[p.File]++
	}
	for f, n := range perFile {
		if n > csvfile.MaxFileProblems {
			t.Errorf("%d problems of %s listed, want at most %d", n, f, csvfile.MaxFileProblems)
		}
	}
	_, err := csvfile.Read(dir)
	var all *csvfile.Report
	if !errors.As(err, &all) || all.Total() != rep.Total() {
		t.Fatalf("Read counts %v problems, Scan %d", err, rep.Total())
	}
	want = all.Total()
	if want < 7*csvfile.MaxFileProblems {
		t.Errorf("%d problems counted, want at least one a row", want)
	}
}

// tail returns the last n bytes of s or so.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// A value opened with a quote and never closed would make the rest of the
// file one value, held whole: the row is refused once past 4 MB.
func TestUnclosedQuoteStopsAtFourMegabytes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events.csv")
	content := "event_id,worker_id,flow,reported_at\nE1,W1,上报,2023-07-05 09:00\nE2,W1,\"上报,2023-07-05 09:00\n" +
		strings.Repeat("E3,W1,上报,2023-07-05 09:00\n", 1_000_000) // 30 MB
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var rep *csvfile.Report
	grew := peakHeapGrowth(func() { rep = scanReport(t, path) })
	lines := strings.Split(rep.Error(), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "events.csv:3: 这一行超过 4 MB，没有再读下去：多半是某个值以双引号开头却缺少结束引号") {
		t.Errorf("problems %q, want one saying row 3 is over 4 MB", lines)
	}
	if grew > 32<<20 {
		t.Errorf("the heap grew by %d MB reading the file, want under 32 MB", grew>>20)
	}
}

// Twenty thousand workers in post in one grid make some 200 million pairs
// of overlapping workers: the first are worded, the others counted, in
// well under the minutes wording them all would take.
func TestManyOverlappingWorkersAreCounted(t *testing.T) {
	const n = 20_000
	var b strings.Builder
	b.WriteString("worker_id,name,type,grid_code,hired_on\n")
	for i := range n {
		fmt.Fprintf(&b, "X%d,甲,专职,G1,2023-01-01\n", i)
	}
	dir := writeFiles(t, map[string]string{"workers.csv": b.String()})
	start := time.Now()
	rep := scanReport(t, dir)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the check took %v", d)
	}
	// W1 is stored in grid G1 too, hired in 2020.
	pairs := n*(n-1)/2 + n
	if got := rep.Total(); got != pairs {
		t.Errorf("%d problems counted, want %d (every pair)", got, pairs)
	}
	if len(rep.Problems) != csvfile.MaxFileProblems || !strings.Contains(rep.Problems[0].Message, "同一天有两名网格员在岗") {
		t.Errorf("%d problems listed (first %v), want %d overlaps", len(rep.Problems), rep.Problems[0], csvfile.MaxFileProblems)
	}
}

// A Scanner bounded in the rows of the kinds other rows name stops reading
// them past the bound, saying so, file by file.
func TestNamedRowsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("grid_code,grid_name,town\n")
	for i := range 150 {
		fmt.Fprintf(&b, "G%d,网格,镇\n", i)
	}
	dir := writeFiles(t, map[string]string{"grids.csv": b.String(), "网格.csv": "grid_code,grid_name,town\nH1,网格,镇\n",
		"events.csv": "event_id,worker_id,flow,reported_at\nE1,W1,上报,2023-07-05 09:00\nE2,W1,上报,2023-07-05 09:00\n"})
	sc := &csvfile.Scanner{MaxNamedRows: 100, Known: csvfile.Known{Workers: []gridscore.Worker{{ID: "W1"}}}}
	err := sc.Scan(context.Background(), []string{dir}, func(*gridscore.Records) error { return nil })
	want := []string{
		"grids.csv: 网格超过 100 行，超出了一次导入的上限，没有再读下去：请分几次导入，或由管理员用命令行 gridscore import 导入",
		"网格.csv: 网格超过 100 行，超出了一次导入的上限，没有再读下去：请分几次导入，或由管理员用命令行 gridscore import 导入",
	}
	if got := reportLines(t, err); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := fmt.Sprint(sc.Sources); got != "[{grids.csv grids 100 100 true  []} {网格.csv grids 0 0 true  []} {events.csv events 2 2 false  []}]" || sc.Sources[1].Empty() {
		t.Errorf("sources %s, want the grids stopped, none empty", got)
	}
}
