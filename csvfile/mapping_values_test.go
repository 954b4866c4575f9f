package csvfile_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// Two values of a column that are one value once trimmed (已上报 and
// " 已上报 ") and mean different things are refused, always with the same
// message, rather than read one way or the other by the order of a map;
// meaning the same thing, they are one value.
func TestCheckMappingRefusesValuesThatCollideWhenTrimmed(t *testing.T) {
	var first string
	for range 30 {
		m := platformMapping()
		m.Columns[2].Values = map[string]string{"自行处置": "self_handled", "已上报": "reported", " 已上报 ": "assigned"}
		err := csvfile.CheckMapping(m)
		if err == nil || !strings.Contains(err.Error(), "去掉首尾空格后是同一个值“已上报”，却对应不同的含义") {
			t.Fatalf("CheckMapping = %v, want the collision refused", err)
		}
		if first == "" {
			first = err.Error()
		} else if err.Error() != first {
			t.Fatalf("CheckMapping said\n%s\nthen\n%s", first, err)
		}
	}
	m := platformMapping()
	m.Columns[2].Values = map[string]string{"自行处置": "self_handled", "已上报": "reported", " 已上报 ": "reported"}
	if err := csvfile.CheckMapping(m); err != nil || !reflect.DeepEqual(m.Columns[2].Values, map[string]string{"自行处置": "self_handled", "已上报": "reported"}) {
		t.Errorf("the same value twice with one meaning: %v, values %v", err, m.Columns[2].Values)
	}
}

// A mapping file may give a value's meaning by its Chinese label (自办),
// as any import file does: it is taken for its code, and the file reads.
func TestMappingValuesMayBeChineseLabels(t *testing.T) {
	data := `{"format":"gridscore-mapping","version":1,"name":"中文含义","kind":"events","columns":[
{"header":"事件ID","key":"event_id"},
{"header":"办理状态","key":"flow","values":{"自行处置":"自办","上报":"上报","转办":"assigned"}},
{"header":"上报人工号","key":"worker_id"},
{"header":"上报日期","key":"reported_at","date_format":"y.m.d"},
{"header":"事件级别","key":"severity","values":{"一般":"一般","较大":"较大"}}
]}`
	m, err := csvfile.DecodeMapping([]byte(data))
	if err != nil {
		t.Fatalf("DecodeMapping: %v", err)
	}
	if got := m.Column("flow").Values; !reflect.DeepEqual(got, map[string]string{"自行处置": "self_handled", "上报": "reported", "转办": "assigned"}) {
		t.Errorf("values of 办理状态: %v, want codes", got)
	}
	path := writeFile(t, t.TempDir(), "export.csv", gb(t, platformEvents))
	got, _, err := scanMapped(t, map[string]*gridscore.Mapping{"export.csv": m}, path)
	if err != nil || len(got.Events) != 3 || got.Events[0].Flow != gridscore.FlowSelfHandled || got.Events[1].Severity != gridscore.SeverityMajor {
		t.Errorf("export read with Chinese meanings: %v, %+v", err, got.Events)
	}

	// A meaning that is none of the column's is still refused.
	m = platformMapping()
	m.Columns[2].Values["转办"] = "退回"
	if err := csvfile.CheckMapping(m); err == nil || !strings.Contains(err.Error(), `取值“转办”的含义 "退回" 不是 办理方式（flow）的取值`) {
		t.Errorf("an unknown meaning: %v", err)
	}
}

// A workbook's date cell (2023-07-03 09:15, stored as 45110.385…) is
// read as its date whatever form of text dates the mapping names (日/月/年
// here), and a date cell refused says the date, never its serial number.
func TestMappedDateCellsWhateverTheForm(t *testing.T) {
	at := time.Date(2023, 7, 3, 9, 15, 0, 0, time.UTC)
	events := writeRows(t,
		[]any{"事件单号", "事件标题", "办理状态", "上报人工号", "上报日期"},
		[]any{"D-1", "路灯", "已上报", "W1", at},
		[]any{"D-2", "井盖", "自行处置", "W2", "13/07/2023 10:00"},
	)
	m := &gridscore.Mapping{Name: "日月年", Kind: "events", Columns: []gridscore.MappedColumn{
		{Header: "事件单号", Key: "event_id"},
		{Header: "事件标题"},
		{Header: "办理状态", Key: "flow", Values: map[string]string{"自行处置": "self_handled", "已上报": "reported"}},
		{Header: "上报人工号", Key: "worker_id"},
		{Header: "上报日期", Key: "reported_at", DateFormat: "d/m/y"},
	}}
	got, _, err := scanMapped(t, map[string]*gridscore.Mapping{"导出.xlsx[Sheet1]": m}, events)
	if err != nil || len(got.Events) != 2 {
		t.Fatalf("workbook with a date cell, read as 日/月/年: %v, %+v", err, got.Events)
	}
	for i, want := range []string{"2023-07-03 09:15", "2023-07-13 10:00"} {
		if s := got.Events[i].ReportedAt.In(gridscore.CST).Format("2006-01-02 15:04"); s != want {
			t.Errorf("%s reported at %s, want %s", got.Events[i].ID, s, want)
		}
	}
	if sv := csvfile.SurveyFile(events, "导出.xlsx[Sheet1]"); sv == nil {
		t.Error("no survey of the workbook")
	} else if id, ambiguous := sv.Columns[4].DateFormat(); id != "d/m/y" || ambiguous {
		t.Errorf("上报日期 of a date cell and 13/07/2023 10:00: form %q (ambiguous %v), want d/m/y, as the text tells", id, ambiguous)
	}

	// A date-time cell where a date alone is wanted.
	leaves := writeRows(t, []any{"人员工号", "起", "止"}, []any{"W1", at, "05/07/2023"})
	lm := &gridscore.Mapping{Name: "请假", Kind: "leaves", Columns: []gridscore.MappedColumn{
		{Header: "人员工号", Key: "worker_id"},
		{Header: "起", Key: "from", DateFormat: "d/m/y"},
		{Header: "止", Key: "to", DateFormat: "d/m/y"},
	}}
	_, _, err = scanMapped(t, map[string]*gridscore.Mapping{"导出.xlsx[Sheet1]": lm}, leaves)
	if err == nil || !strings.Contains(err.Error(), "2023-07-03 09:15") || strings.Contains(err.Error(), "45110") {
		t.Errorf("a date-time cell as a date: %v, want the date and time named, not the serial", err)
	}
}

// writeRows writes rows to the sheet Sheet1 of a new workbook 导出.xlsx
// and returns its path.
func writeRows(t *testing.T, rows ...[]any) string {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "导出.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}
