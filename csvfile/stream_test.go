package csvfile_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// scan runs a Scanner with tiny chunks over paths and returns the records
// handed on, appended kind by kind, and the error of Scan.
func scan(tb testing.TB, known csvfile.Known, paths ...string) (*gridscore.Records, error) {
	tb.Helper()
	var got gridscore.Records
	sc := &csvfile.Scanner{Known: known, ChunkRows: 2}
	err := sc.Scan(context.Background(), paths, func(c *gridscore.Records) error {
		kinds := 0
		for _, n := range []int{len(c.Grids), len(c.Workers), len(c.Events), len(c.Logins), len(c.Patrols),
			len(c.Leaves), len(c.Register), len(c.Rosters), len(c.Visits), len(c.Meetings), len(c.Attendance),
			len(c.Findings), len(c.Quizzes), len(c.Ballots), len(c.Calendar)} {
			if n > 2 {
				tb.Errorf("a chunk of %d records, want at most 2", n)
			}
			if n > 0 {
				kinds++
			}
		}
		if kinds != 1 {
			tb.Errorf("a chunk with %d kinds, want 1", kinds)
		}
		appendRecords(&got, c)
		return nil
	})
	return &got, err
}

// appendRecords appends every record of c to r.
func appendRecords(r, c *gridscore.Records) {
	r.Grids = append(r.Grids, c.Grids...)
	r.Workers = append(r.Workers, c.Workers...)
	r.Events = append(r.Events, c.Events...)
	r.Logins = append(r.Logins, c.Logins...)
	r.Patrols = append(r.Patrols, c.Patrols...)
	r.Leaves = append(r.Leaves, c.Leaves...)
	r.Register = append(r.Register, c.Register...)
	r.Rosters = append(r.Rosters, c.Rosters...)
	r.Visits = append(r.Visits, c.Visits...)
	r.Meetings = append(r.Meetings, c.Meetings...)
	r.Attendance = append(r.Attendance, c.Attendance...)
	r.Findings = append(r.Findings, c.Findings...)
	r.Quizzes = append(r.Quizzes, c.Quizzes...)
	r.Ballots = append(r.Ballots, c.Ballots...)
	r.Calendar = append(r.Calendar, c.Calendar...)
}

// scanAgrees checks that streaming the files at paths reports exactly what
// Read followed by CheckReferences reports, in the same order, and, when
// nothing is wrong, hands on the records Read returns.
func scanAgrees(tb testing.TB, known csvfile.Known, paths ...string) {
	tb.Helper()
	batch, readErr := csvfile.Read(paths...)
	var readRep, refRep *csvfile.Report
	if readErr != nil && !errors.As(readErr, &readRep) {
		tb.Fatalf("Read: %v", readErr)
	}
	if err := batch.CheckReferences(known); err != nil && !errors.As(err, &refRep) {
		tb.Fatalf("CheckReferences: %v", err)
	}
	want := csvfile.JoinReports(readRep, refRep)

	got, err := scan(tb, known, paths...)
	switch {
	case want == nil && err != nil:
		tb.Errorf("Scan: %v\nRead and CheckReferences found nothing wrong", err)
	case want != nil && err == nil:
		tb.Errorf("Scan found nothing wrong; Read and CheckReferences found:\n%v", want)
	case want != nil:
		if g, w := reportLines(tb, err), reportLines(tb, want); !reflect.DeepEqual(g, w) {
			tb.Errorf("Scan reports\n%q\nRead and CheckReferences report\n%q", g, w)
		}
	case !reflect.DeepEqual(got, &batch.Records):
		tb.Errorf("Scan handed on\n%+v\nRead returned\n%+v", *got, batch.Records)
	}
}

func TestScanGivesTheRecordsOfReadInKindOrder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	recs := fullRecords()
	recs.Attendance = recs.Attendance[:2] // the third names a meeting not given
	if err := csvfile.WriteCSV(dir, recs); err != nil {
		t.Fatal(err)
	}
	var order []string
	sc := &csvfile.Scanner{ChunkRows: 1}
	err := sc.Scan(context.Background(), []string{dir}, func(c *gridscore.Records) error {
		var kind string
		switch {
		case len(c.Grids) > 0:
			kind = "grids"
		case len(c.Workers) > 0:
			kind = "workers"
		case len(c.Register) > 0:
			kind = "register"
		case len(c.Meetings) > 0:
			kind = "meetings"
		case len(c.Visits) > 0:
			kind = "visits"
		case len(c.Attendance) > 0:
			kind = "attendance"
		default:
			kind = "other"
		}
		if len(order) == 0 || order[len(order)-1] != kind {
			order = append(order, kind)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Named kinds come first; visits and attendance name them.
	if want := []string{"grids", "workers", "register", "meetings", "other", "visits", "attendance", "other"}; !reflect.DeepEqual(order, want) {
		t.Errorf("kinds handed on in order %v, want %v", order, want)
	}
	scanAgrees(t, csvfile.Known{}, dir)

	// The demo town, a realistic quarter.
	scanAgrees(t, csvfile.Known{}, filepath.Join("..", "demo", "qingshan"))
}

func TestScanStopsHandingOnAtTheFirstProblem(t *testing.T) {
	t.Parallel()
	var rows strings.Builder
	rows.WriteString("grid_code,grid_name,town\n")
	for i := range 100 {
		rows.WriteString("G" + string(rune('A'+i%26)) + strings.Repeat("x", i/26) + ",网格,镇\n")
	}
	dir := writeFiles(t, map[string]string{
		"grids.csv":    rows.String(),
		"calendar.csv": "date,kind\n2023-10-07,工作日\n2023-10-08,放假\n",
	})
	handed := 0
	sc := &csvfile.Scanner{ChunkRows: 10}
	err := sc.Scan(context.Background(), []string{dir}, func(c *gridscore.Records) error {
		handed += len(c.Grids) + len(c.Calendar)
		return nil
	})
	if got := reportLines(t, err); len(got) != 1 || !strings.HasPrefix(got[0], "calendar.csv:3: 类型（kind）") {
		t.Errorf("problems = %q", got)
	}
	if handed != 100 {
		t.Errorf("%d records handed on, want the 100 grids read before the problem and nothing after", handed)
	}
}

func TestScanStopsWhenTheReceiverFails(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"grids.csv":    "grid_code,grid_name,town\nG1,一,镇\nG2,二,镇\nG3,三,镇\n",
		"calendar.csv": "date,kind\n2023-10-07,工作日\n",
	})
	full := errors.New("disk full")
	calls := 0
	sc := &csvfile.Scanner{ChunkRows: 1}
	err := sc.Scan(context.Background(), []string{dir}, func(*gridscore.Records) error {
		calls++
		return full
	})
	if !errors.Is(err, full) || calls != 1 {
		t.Errorf("Scan = %v after %d calls, want the receiver's error after 1", err, calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sc.Scan(ctx, []string{dir}, func(*gridscore.Records) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with an ended context = %v", err)
	}
}

func TestScanReportsDuplicatesAcrossFilesWithBothRows(t *testing.T) {
	t.Parallel()
	hdr := "event_id,worker_id,flow,reported_at\n"
	a := writeFiles(t, map[string]string{"events.csv": hdr + "E1,W1,上报,2023-07-05 09:00\nE2,W1,上报,2023-07-05 10:00\n"})
	b := writeFiles(t, map[string]string{
		"事件.csv":      "事件编号,工号,办理方式,上报时间\nE0,W1,自办,2023-07-05 08:00\nE2,W1,上报,2023/7/5 10:00\nE1,W1,自办,2023-07-05 09:00\n",
		"workers.csv": "worker_id,name,type,grid_code,hired_on\nW1,张三,专职,G1,2023-01-01\n",
		"grids.csv":   "grid_code,grid_name,town\nG1,一,镇\n",
	})
	_, err := scan(t, csvfile.Known{}, a, b)
	want := []string{`事件.csv:4: 事件编号（event_id）: 与 events.csv:2 重复（"E1"），但两行内容不同`}
	if got := reportLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	scanAgrees(t, csvfile.Known{}, a, b)
}

// TestScanDecodesAsItReads covers files whose encoding shows only after the
// first megabyte: read once, they still decode as a whole-file look decides.
func TestScanDecodesAsItReads(t *testing.T) {
	t.Parallel()
	hdr := "grid_code,grid_name,town\n"
	var ascii strings.Builder
	ascii.WriteString(hdr)
	for i := 0; ascii.Len() < 1<<21; i++ {
		ascii.WriteString("G" + strings.Repeat("0", 8) + itoa(i) + ",grid,town\n")
	}
	for _, tc := range []struct {
		name, content string
		want          []string // problems; nil: the last grid is named 青山
	}{
		{"ASCII, then GB18030", ascii.String() + gb(t, "Z1,青山,青山镇\n"), nil},
		{"ASCII, then UTF-8", ascii.String() + "Z1,青山,青山镇\n", nil},
		{"UTF-8 Chinese, then bytes of no encoding", hdr + "Z0,青山,青山镇\n" + ascii.String()[len(hdr):] + "Z1,\xFF\xFE,镇\n",
			[]string{"grids.csv: 编码无法识别：既不是 UTF-8 也不是 GB18030，请另存为 CSV（UTF-8 或 GB18030 编码）"}},
		{"ASCII, then bytes of no encoding", ascii.String() + "Z1,\xFF\xFF,镇\n",
			[]string{"grids.csv: 编码无法识别：既不是 UTF-8 也不是 GB18030，请另存为 CSV（UTF-8 或 GB18030 编码）"}},
		{"ASCII, then a NUL", ascii.String() + "Z1,\x00,镇\n",
			[]string{"grids.csv: 不是 CSV 文本文件（含有二进制内容），请另存为 CSV（UTF-8 或 GB18030 编码）"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeFiles(t, map[string]string{"grids.csv": tc.content})
			got, err := scan(t, csvfile.Known{}, dir)
			if tc.want != nil {
				if lines := reportLines(t, err); !reflect.DeepEqual(lines, tc.want) {
					t.Errorf("got  %q\nwant %q", lines, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if last := got.Grids[len(got.Grids)-1]; last.Code != "Z1" || last.Name != "青山" || last.Town != "青山镇" {
				t.Errorf("last grid = %+v", last)
			}
			scanAgrees(t, csvfile.Known{}, dir)
		})
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestScanReadsWorkbooksByKind(t *testing.T) {
	t.Parallel()
	book := writeBook(t, false, map[string]sheet{
		"events": {"A1": "事件编号", "B1": "工号", "C1": "办理方式", "D1": "上报时间",
			"A2": "E1", "B2": "W001", "C2": "自办", "D2": wall(2023, 7, 3, 9, 0)},
		"网格员": workerSheet(),
		"网格":  {"A1": "网格编码", "B1": "网格名称", "C1": "镇街", "A2": "G01", "B2": "一网格", "C2": "XX镇"},
	})
	got, err := scan(t, csvfile.Known{}, book)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Grids) != 1 || len(got.Workers) != 1 || len(got.Events) != 1 {
		t.Errorf("records = %+v", got)
	}
	scanAgrees(t, csvfile.Known{}, book)
	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	os.WriteFile(bad, []byte("not a zip"), 0o644)
	scanAgrees(t, csvfile.Known{}, bad, book)
}
