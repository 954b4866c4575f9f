package csvfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// writeFiles creates a temporary folder with the given files (name →
// content, written as is) and returns its path.
func writeFiles(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// gb encodes s in GB18030.
func gb(tb testing.TB, s string) string {
	tb.Helper()
	out, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// mustRead reads paths and fails the test on any problem.
func mustRead(tb testing.TB, paths ...string) *csvfile.Batch {
	tb.Helper()
	b, err := csvfile.Read(paths...)
	if err != nil {
		tb.Fatalf("Read: %v", err)
	}
	scanAgrees(tb, csvfile.Known{}, paths...)
	return b
}

// problems reads paths and returns the report's lines, failing the test when
// the read succeeds or fails with something else than a *Report.
func problems(tb testing.TB, paths ...string) []string {
	tb.Helper()
	_, err := csvfile.Read(paths...)
	scanAgrees(tb, csvfile.Known{}, paths...)
	return reportLines(tb, err)
}

func reportLines(tb testing.TB, err error) []string {
	tb.Helper()
	var rep *csvfile.Report
	if !errors.As(err, &rep) {
		tb.Fatalf("want a *csvfile.Report, got %v", err)
	}
	return strings.Split(rep.Error(), "\n")
}

func cst(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, gridscore.CST)
}

func TestDateForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want gridscore.Date
	}{
		{"2023-07-03", gridscore.NewDate(2023, 7, 3)},
		{"2023-7-3", gridscore.NewDate(2023, 7, 3)},
		{"2023/7/3", gridscore.NewDate(2023, 7, 3)},
		{"2023/07/03", gridscore.NewDate(2023, 7, 3)},
		{"2023年7月3日", gridscore.NewDate(2023, 7, 3)},
		{"2023年07月03日", gridscore.NewDate(2023, 7, 3)},
		{"  2023-12-31 ", gridscore.NewDate(2023, 12, 31)},
		{"2024/2/29", gridscore.NewDate(2024, 2, 29)},
		{"2023/7/3 0:00", gridscore.NewDate(2023, 7, 3)}, // Excel adds 0:00 to dates
	} {
		t.Run(tc.in, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"calendar.csv": "date,kind\n\"" + tc.in + "\",holiday\n"})
			b := mustRead(t, dir)
			if got := b.Records.Calendar[0].Date; got != tc.want {
				t.Errorf("date %q = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestTimestampForms(t *testing.T) {
	t.Parallel()
	want := cst(2023, 7, 3, 9, 15, 0)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2023-07-03 09:15", want},
		{"2023-07-03 09:15:00", want},
		{"2023/7/3 9:15", want},
		{"2023/7/3 9:15:00", want},
		{"2023-7-3 9:15", want},
		{"2023年7月3日 9:15", want},
		{"2023-07-03T09:15:00+08:00", want},
		{"2023-07-03T01:15:00Z", want},      // converted to CST
		{"2023-07-02T20:15:00-05:00", want}, // converted to CST
		{"2023-07-03 09:15:30", want.Add(30 * time.Second)},
		{"2023-07-03T09:15:00.25+08:00", want.Add(250 * time.Millisecond)},
	} {
		t.Run(tc.in, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"logins.csv": "worker_id,channel,at\nW1,app," + tc.in + "\n"})
			b := mustRead(t, dir)
			got := b.Records.Logins[0].At
			if !got.Equal(tc.want) || got.Location() != gridscore.CST {
				t.Errorf("timestamp %q = %v, want %v in CST", tc.in, got, tc.want)
			}
		})
	}
}

func TestBadDatesAndTimes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file, content, want string
	}{
		{"calendar.csv", "date,kind\n2023-02-30,holiday\n", `calendar.csv:2: 日期（date）: 日期不存在："2023-02-30"`},
		{"calendar.csv", "date,kind\n2023-13-01,holiday\n", `calendar.csv:2: 日期（date）: 日期不存在："2023-13-01"`},
		{"calendar.csv", "date,kind\n07/03/2023,holiday\n", `calendar.csv:2: 日期（date）: 日期格式无法识别："07/03/2023"（应为 2023-07-03、2023/7/3 或 2023年7月3日）`},
		{"calendar.csv", "date,kind\n2023-07-03 09:15,holiday\n", `calendar.csv:2: 日期（date）: 应为日期，不带时间："2023-07-03 09:15"`},
		{"calendar.csv", "date,kind\n0023-07-03,holiday\n", `calendar.csv:2: 日期（date）: 年份超出合理范围："0023-07-03"`},
		{"logins.csv", "worker_id,channel,at\nW1,app,2023-07-03\n", `logins.csv:2: 登录时间（at）: 缺少时间（应为 2023-07-03 09:15 这样的日期时间）："2023-07-03"`},
		{"logins.csv", "worker_id,channel,at\nW1,app,2023-07-03 24:00\n", `logins.csv:2: 登录时间（at）: 时间不存在："2023-07-03 24:00"`},
		{"logins.csv", "worker_id,channel,at\nW1,app,2023-07-03 9:5\n", `logins.csv:2: 登录时间（at）: 日期时间格式无法识别："2023-07-03 9:5"（应为 2023-07-03 09:15、2023/7/3 9:15:00 或 2023-07-03T09:15:00+08:00 等）`},
	} {
		t.Run(tc.content, func(t *testing.T) {
			got := problems(t, writeFiles(t, map[string]string{tc.file: tc.content}))
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// wantWorker is the worker the encoding tests describe.
func wantWorker() gridscore.Worker {
	fen := gridscore.Fen(25050)
	return gridscore.Worker{
		ID: "W001", Name: "张三", Type: gridscore.FullTime, Stationed: true, GridCode: "G01",
		HiredOn: gridscore.NewDate(2022, 1, 5), Phone: "13800000000", MonthlyPerformanceFen: &fen,
	}
}

func TestEncodings(t *testing.T) {
	t.Parallel()
	const text = "工号,姓名,类型,居委会驻地,网格编码,入职日期,离职日期,手机号,月绩效金额\n" +
		"W001,张三,专职,是,G01,2022年1月5日,,13800000000,250.5\n"
	for _, tc := range []struct {
		name, content string
	}{
		{"UTF-8", text},
		{"UTF-8 with BOM", "\uFEFF" + text},
		{"GB18030", gb(t, text)},
		{"GB18030 CRLF", gb(t, strings.ReplaceAll(text, "\n", "\r\n"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mustRead(t, writeFiles(t, map[string]string{"网格员.csv": tc.content}))
			if len(b.Records.Workers) != 1 || !reflect.DeepEqual(b.Records.Workers[0], wantWorker()) {
				t.Errorf("workers = %+v, want %+v", b.Records.Workers, wantWorker())
			}
			if o := b.Origins.Workers[0]; o != (csvfile.Origin{File: "网格员.csv", Row: 2}) {
				t.Errorf("origin = %v", o)
			}
		})
	}
}

func TestColumnsAnyOrderAnyName(t *testing.T) {
	t.Parallel()
	// English and Chinese names mixed, shuffled, spaced, in any case, with a
	// column the importer does not know; file name in upper case.
	dir := writeFiles(t, map[string]string{"WORKERS.CSV": " Monthly_Performance_Yuan ,备注, 入职日期 ,GRID_CODE,stationed,类型,name,Worker_ID,phone\n" +
		"250.50,随便,2022/1/5,G01,true,full_time,张三,W001,13800000000\n"})
	b := mustRead(t, dir)
	if !reflect.DeepEqual(b.Records.Workers, []gridscore.Worker{wantWorker()}) {
		t.Errorf("workers = %+v", b.Records.Workers)
	}
}

func TestHeaderProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"missing required", "event_id,worker_id,flow\nE1,W1,自办\n", []string{
			"events.csv:1: 上报时间（reported_at）: 缺少必填列",
		}},
		{"duplicated", "event_id,工号,flow,reported_at,WORKER_ID\nE1,W1,自办,2023-07-03 09:00,W1\n", []string{
			"events.csv:1: 工号（worker_id）: 列重复（第 B 列和第 E 列）",
		}},
		{"empty file", "", []string{"events.csv: 文件为空：第 1 行应为表头"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, writeFiles(t, map[string]string{"events.csv": tc.content}))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
