package csvfile_test

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/xuri/excelize/v2"
)

// sheet is the content of one sheet: cell reference → value (a time.Time
// becomes a date cell, as Excel stores it: wall clock, no zone).
type sheet map[string]any

// writeBook saves a workbook with the given sheets (the default empty
// "Sheet1" stays) and returns its path.
func writeBook(tb testing.TB, date1904 bool, sheets map[string]sheet) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		v := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &v}); err != nil {
			tb.Fatal(err)
		}
	}
	for name, cells := range sheets {
		if _, err := f.NewSheet(name); err != nil {
			tb.Fatal(err)
		}
		for ref, v := range cells {
			if err := f.SetCellValue(name, ref, v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	path := filepath.Join(tb.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// wall is a wall-clock time as a workbook holds it.
func wall(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func workerSheet() sheet {
	return sheet{
		"A1": "工号", "B1": "姓名", "C1": "类型", "D1": "居委会驻地", "E1": "网格编码", "F1": "入职日期", "G1": "手机号", "H1": "月绩效金额",
		"A2": "W001", "B2": "张三", "C2": "专职", "D2": true, "E2": "G01", "F2": wall(2022, 1, 5, 0, 0), "G2": "13800000000", "H2": 250.5,
	}
}

func TestReadXLSX(t *testing.T) {
	t.Parallel()
	for _, date1904 := range []bool{false, true} {
		path := writeBook(t, date1904, map[string]sheet{
			"网格员": workerSheet(),
			"events": {
				"A1": "event_id", "B1": "worker_id", "C1": "flow", "D1": "reported_at", "E1": "deadline",
				"A2": "E1", "B2": "W001", "C2": "上报", "D2": wall(2023, 7, 3, 9, 15), "E2": "2023/7/5 18:00",
				// rows 3 and 4 absent
				"A5": "E2", "B5": 1001, "C5": "自办", "D5": wall(2023, 7, 3, 0, 0),
			},
		})
		b := mustRead(t, path)
		if !reflect.DeepEqual(b.Records.Workers, []gridscore.Worker{wantWorker()}) {
			t.Errorf("1904=%v: workers = %+v", date1904, b.Records.Workers)
		}
		ev := b.Records.Events
		if len(ev) != 2 || !ev[0].ReportedAt.Equal(cst(2023, 7, 3, 9, 15, 0)) || !ev[0].Deadline.Equal(cst(2023, 7, 5, 18, 0, 0)) ||
			ev[1].WorkerID != "1001" || !ev[1].ReportedAt.Equal(cst(2023, 7, 3, 0, 0, 0)) {
			t.Fatalf("1904=%v: events = %+v", date1904, ev)
		}
		if want := []csvfile.Origin{{File: "book.xlsx[events]", Row: 2}, {File: "book.xlsx[events]", Row: 5}}; !reflect.DeepEqual(b.Origins.Events, want) {
			t.Errorf("origins = %v, want %v", b.Origins.Events, want)
		}
	}
}

func TestXLSXProblems(t *testing.T) {
	t.Parallel()
	path := writeBook(t, false, map[string]sheet{
		"事件": {
			"A1": "event_id", "B1": "worker_id", "C1": "flow", "D1": "reported_at",
			"A2": "E1", "B2": "W1", "C2": "上报", "D2": wall(2023, 7, 3, 9, 15),
			"A3": "E2", "B3": "W1", "C3": "上交", "D3": "2023-07-03 9:15",
			"A4": "E3", "B4": "W1", "C4": "上报", "D4": 2023,
		},
		"说明": {"A1": "本工作簿为导入模板"},
		"会议": {"A1": "meeting_id", "B1": "held_on", "C1": "title",
			"A2": "M1", "B2": wall(2023, 7, 3, 9, 30), "C2": "例会"},
	})
	got := problems(t, path)
	want := []string{
		`book.xlsx[事件]:3: 办理方式（flow）: 无法识别的值 "上交"，应为：自办、上报、转办（或 self_handled、reported、assigned）`,
		`book.xlsx[事件]:4: 上报时间（reported_at）: 日期时间格式无法识别："2023"（应为 2023-07-03 09:15、2023/7/3 9:15:00 或 2023-07-03T09:15:00+08:00 等）`,
		`book.xlsx[会议]:2: 会议日期（held_on）: 应为日期，不带时间：2023-07-03 09:30:00`,
		"book.xlsx[说明]: 无法从名称 “说明” 看出数据类别；应为以下之一：网格（grids）、网格员（workers）、事件（events）、登录（logins）、巡查（patrols）、请假（leaves）、特殊人群（register）、部门名单（rosters）、走访（visits）、会议（meetings）、考勤（attendance）、核查记录（findings）、应知应会（quiz）、满意度（ballots）、工作日历（calendar）",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestAddFileFromUpload(t *testing.T) {
	t.Parallel()
	l := csvfile.NewLoader()
	l.AddFile("网格.csv", bytes.NewReader([]byte("grid_code,grid_name,town\nG1,一网格,XX镇\n")))
	l.AddFile("uploads/not-a-book.xlsx", bytes.NewReader([]byte("grid_code\n")))
	_, err := l.Batch()
	got := reportLines(t, err)
	want := []string{"not-a-book.xlsx: 不是有效的 XLSX 工作簿（文件损坏，或是旧版 .xls 改了扩展名）"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
