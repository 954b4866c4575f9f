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

// platformEvents is an event export of a grid platform: its own headers
// in its own order, columns DATA.md does not have, the flow and severity
// spelled its way, dates written 2023.07.03.
const platformEvents = "事件ID,事件标题,办理状态,上报人工号,上报人姓名,上报日期,事件级别,办结日期,备注\n" +
	"SJ-1,路灯损坏,自行处置,W1,甲,2023.07.03 09:15,一般,2023.07.03 17:00,\n" +
	"SJ-2,占道经营,上报,W1,甲,2023.07.04 10:00,较大,,已上报城管\n" +
	"SJ-3,垃圾堆放,转办,W2,乙,2023.7.5 8:30,一般,2023.07.06 09:00:30,\n"

// dataMDEvents are the same events as DATA.md writes them.
const dataMDEvents = "事件编号,工号,办理方式,事件等级,上报时间,办结时间\n" +
	"SJ-1,W1,自办,一般,2023-07-03 09:15,2023-07-03 17:00\n" +
	"SJ-2,W1,上报,较大,2023-07-04 10:00,\n" +
	"SJ-3,W2,转办,一般,2023-07-05 08:30,2023-07-06 09:00:30\n"

// platformMapping reads platformEvents.
func platformMapping() *gridscore.Mapping {
	return &gridscore.Mapping{Name: "网格E通事件导出", Kind: "events", Columns: []gridscore.MappedColumn{
		{Header: "事件ID", Key: "event_id"},
		{Header: "事件标题"},
		{Header: "办理状态", Key: "flow", Values: map[string]string{"自行处置": "self_handled", "上报": "reported", "转办": "assigned"}},
		{Header: "上报人工号", Key: "worker_id"},
		{Header: "上报人姓名"},
		{Header: "上报日期", Key: "reported_at", DateFormat: "y.m.d"},
		{Header: "事件级别", Key: "severity", Values: map[string]string{"一般": "general", "较大": "major"}},
		{Header: "办结日期", Key: "closed_at", DateFormat: "y.m.d"},
		{Header: "备注"},
	}}
}

var twoWorkers = csvfile.Known{GridCodes: []string{"G1", "G2"}, Workers: []gridscore.Worker{
	{ID: "W1", Name: "甲", Type: gridscore.FullTime, GridCode: "G1", HiredOn: gridscore.NewDate(2020, 1, 1)},
	{ID: "W2", Name: "乙", Type: gridscore.FullTime, GridCode: "G2", HiredOn: gridscore.NewDate(2020, 1, 1)},
}}

// scanMapped scans the files at paths, those named in mappings read with
// theirs, and returns the records and the error.
func scanMapped(t *testing.T, mappings map[string]*gridscore.Mapping, paths ...string) (*gridscore.Records, *csvfile.Scanner, error) {
	t.Helper()
	var got gridscore.Records
	sc := &csvfile.Scanner{Known: twoWorkers, Mappings: mappings}
	err := sc.Scan(context.Background(), paths, func(c *gridscore.Records) error {
		appendRecords(&got, c)
		return nil
	})
	return &got, sc, err
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A platform's export in GB18030, whose name says no kind, read with its
// mapping gives the very records of the same rows written as DATA.md
// says, and the source says which mapping read it.
func TestMappedFileGivesTheRecordsOfDataMD(t *testing.T) {
	dir := t.TempDir()
	foreign := writeFile(t, dir, "网格E通事件导出20231008.csv", gb(t, platformEvents))
	native := writeFile(t, t.TempDir(), "events.csv", dataMDEvents)

	want, _, err := scanMapped(t, nil, native)
	if err != nil {
		t.Fatal(err)
	}
	got, sc, err := scanMapped(t, map[string]*gridscore.Mapping{"网格E通事件导出20231008.csv": platformMapping()}, foreign)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Events) != 3 || !reflect.DeepEqual(got.Events, want.Events) {
		t.Errorf("mapped events:\n%+v\nwant the DATA.md file's:\n%+v", got.Events, want.Events)
	}
	if len(sc.Sources) != 1 || sc.Sources[0].Mapping != "网格E通事件导出" || sc.Sources[0].Kind != "events" || sc.Sources[0].Valid != 3 {
		t.Errorf("sources = %+v, want the export read as events with its mapping", sc.Sources)
	}

	// Without its mapping the file is refused for its name.
	_, _, err = scanMapped(t, nil, foreign)
	if err == nil || !strings.Contains(err.Error(), "无法从名称") {
		t.Errorf("unmapped export: %v", err)
	}
}

// A sheet of a workbook (Sheet1, a name that says nothing) is read with
// its mapping, its date cells as dates and its text dates in the
// mapping's form.
func TestMappedSheetReadsDateCells(t *testing.T) {
	path := writeRows(t,
		[]any{"事件ID", "办理状态", "上报人工号", "上报日期", "办结日期", "事件标题", "事件级别", "上报人姓名", "备注"},
		[]any{"SJ-1", "自行处置", "W1", "2023.07.03 09:15", "2023.07.03 17:00", "路灯损坏", "一般"},
		[]any{"SJ-2", "上报", "W1", "2023.07.04 10:00", "", "", "较大"},
		[]any{"SJ-3", "转办", "W2", "2023.7.5 8:30", "2023.07.06 09:00:30", "", "一般"},
	)
	want, _, err := scanMapped(t, nil, writeFile(t, t.TempDir(), "events.csv", dataMDEvents))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := scanMapped(t, map[string]*gridscore.Mapping{"导出.xlsx[Sheet1]": platformMapping()}, path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Events, want.Events) {
		t.Errorf("mapped sheet:\n%+v\nwant:\n%+v", got.Events, want.Events)
	}
	hs := csvfile.Headers(path)
	if len(hs) != 1 || hs[0].File != "导出.xlsx[Sheet1]" || hs[0].DataMD || gridscore.HeaderSet(hs[0].Headers) != gridscore.HeaderSet(platformMapping().Headers()) {
		t.Errorf("Headers = %+v, want Sheet1 with the mapping's headers in another order", hs)
	}
}

// What is wrong in a mapped file is reported at its row, naming the
// file's own column beside DATA.md's: a value the mapping does not know
// (with the mapping's name, never dropped), a date not in its form, and
// the rules of the record as for any file.
func TestMappedFileProblemsNameTheFilesColumn(t *testing.T) {
	dir := t.TempDir()
	content := strings.Replace(platformEvents, "SJ-2,占道经营,上报,", "SJ-2,占道经营,自行处理,", 1)
	content = strings.Replace(content, "2023.7.5 8:30", "07/05/2023 08:30", 1)
	content += "SJ-4,,上报,W9,丙,2023.07.08 10:00,一般,,\n"
	content += "SJ-5,,上报,W1,甲,2023.07.08 10:00,一般,2023.07.07 10:00,\n"
	path := writeFile(t, dir, "export.csv", content)
	_, _, err := scanMapped(t, map[string]*gridscore.Mapping{"export.csv": platformMapping()}, path)
	var rep *csvfile.Report
	if !errors.As(err, &rep) {
		t.Fatalf("Scan = %v, want a report", err)
	}
	type seen struct {
		row           int
		column, title string
	}
	var got []seen
	for _, p := range rep.Problems {
		got = append(got, seen{p.Row, p.Column, p.Title})
	}
	want := []seen{
		{3, "办理状态（办理方式，flow）", "办理状态（办理方式）"},
		{4, "上报日期（上报时间，reported_at）", "上报日期（上报时间）"},
		{5, "上报人工号（工号，worker_id）", "上报人工号（工号）"},
		{6, "办结日期（办结时间，closed_at）", "办结日期（办结时间）"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("problems:\n%s\nwant rows and columns %+v", rep.Error(), want)
	}
	msgs := rep.Error()
	for _, w := range []string{
		`export.csv:3: 办理状态（办理方式，flow）: 值 "自行处理" 不在映射“网格E通事件导出”中`,
		`export.csv:4: 上报日期（上报时间，reported_at）: 日期 "07/05/2023 08:30" 不是映射“网格E通事件导出”所定的写法 年.月.日（如 2023.07.03）`,
	} {
		if !strings.Contains(msgs, w) {
			t.Errorf("report does not say %q:\n%s", w, msgs)
		}
	}
}

// A file without a header the mapping reads is refused at its header,
// naming the header; a mapped column's header twice too.
func TestMappedFileMissingHeader(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "export.csv", strings.Replace(platformEvents, "上报人工号", "工号 ", 1))
	_, _, err := scanMapped(t, map[string]*gridscore.Mapping{"export.csv": platformMapping()}, path)
	if err == nil || !strings.Contains(err.Error(), "export.csv:1: 上报人工号（工号，worker_id）: 文件中没有映射“网格E通事件导出”所需的列“上报人工号”") {
		t.Errorf("missing header: %v", err)
	}
	path = writeFile(t, dir, "export2.csv", strings.Replace(platformEvents, "备注", "办理状态", 1))
	_, _, err = scanMapped(t, map[string]*gridscore.Mapping{"export2.csv": platformMapping()}, path)
	if err == nil || !strings.Contains(err.Error(), "列“办理状态”出现了两次（第 C 列和第 I 列）") {
		t.Errorf("header twice: %v", err)
	}
}

// The survey of an export tells its columns' values and the form of its
// dates, and the guess from it maps what it can: 上报人工号 fills 工号,
// 办理状态 办理方式 with 自行处置 meaning 自办, 上报日期 上报时间 in
// 年.月.日; 事件标题 fills nothing.
func TestSurveyAndGuess(t *testing.T) {
	path := writeFile(t, t.TempDir(), "export.csv", gb(t, platformEvents))
	sv := csvfile.SurveyFile(path, "export.csv")
	if sv == nil || sv.Rows != 3 || len(sv.Columns) != 9 {
		t.Fatalf("survey = %+v", sv)
	}
	flow := sv.Columns[2]
	if flow.Header != "办理状态" || len(flow.Values) != 3 || flow.More {
		t.Errorf("办理状态 surveyed as %+v", flow)
	}
	if id, ambiguous := sv.Columns[5].DateFormat(); id != "y.m.d" || ambiguous {
		t.Errorf("上报日期 dates: %q (ambiguous %v), want y.m.d", id, ambiguous)
	}
	if got := csvfile.GuessKind(sv); got != "events" {
		t.Errorf("GuessKind = %q, want events", got)
	}
	m := csvfile.GuessMapping("events", sv)
	keys := map[string]string{}
	for _, c := range m.Columns {
		keys[c.Header] = c.Key
	}
	for h, k := range map[string]string{"上报人工号": "worker_id", "办理状态": "flow", "上报日期": "reported_at", "办结日期": "closed_at", "事件标题": "", "上报人姓名": ""} {
		if keys[h] != k {
			t.Errorf("guessed %s → %q, want %q", h, keys[h], k)
		}
	}
	if v := m.Column("flow").Values; v["自行处置"] != "self_handled" || v["上报"] != "reported" || v["转办"] != "assigned" {
		t.Errorf("guessed values of 办理状态: %v", v)
	}
	if f := m.Column("reported_at").DateFormat; f != "y.m.d" {
		t.Errorf("guessed form of 上报日期: %q", f)
	}
}

// The forms of dates read what they say and nothing else.
func TestDateFormsOfMappings(t *testing.T) {
	m := func(key, format string) *gridscore.Mapping {
		return &gridscore.Mapping{Name: "m", Kind: "logins", Columns: []gridscore.MappedColumn{
			{Header: "工号", Key: "worker_id"}, {Header: "端", Key: "channel", Values: map[string]string{"手机": "app"}},
			{Header: "时间", Key: key, DateFormat: format}}}
	}
	for _, tc := range []struct {
		name, format, value, want, problem string
	}{
		{"year.month.day", "y.m.d", "2023.7.3 9:05", "2023-07-03 09:05:00", ""},
		{"digits with a compact time", "ymd", "20230703091500", "2023-07-03 09:15:00", ""},
		{"digits, a space, a time", "ymd", "20230703 09:15", "2023-07-03 09:15:00", ""},
		{"a date alone is 00:00 of a timestamp", "ymd", "20230703", "2023-07-03 00:00:00", ""},
		{"month/day/year", "m/d/y", "07/03/2023 09:15", "2023-07-03 09:15:00", ""},
		{"day/month/year", "d/m/y", "03/07/2023 09:15", "2023-07-03 09:15:00", ""},
		{"DATA.md's form", "", "2023/7/3 9:15", "2023-07-03 09:15:00", ""},
		{"DATA.md's date alone", "", "2023-07-03", "2023-07-03 00:00:00", ""},
		{"not the form", "m/d/y", "2023-07-03 09:15", "", "不是映射“m”所定的写法 月/日/年"},
		{"a day that does not exist", "d/m/y", "31/06/2023 09:15", "", "日期不存在"},
		{"a time that does not exist", "y.m.d", "2023.07.03 25:00", "", "时间不存在"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, "x.csv", "工号,端,时间\nW1,手机,"+tc.value+"\n")
			got, _, err := scanMapped(t, map[string]*gridscore.Mapping{"x.csv": m("at", tc.format)}, p)
			if tc.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tc.problem) {
					t.Errorf("%q: %v, want %q", tc.value, err, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := got.Logins[0].At.In(gridscore.CST).Format("2006-01-02 15:04:05"); s != tc.want {
				t.Errorf("%q read as %s, want %s", tc.value, s, tc.want)
			}
		})
	}
}

// A mapping checks itself against its kind's columns, and says what is
// wrong in words for the person who made it.
func TestCheckMapping(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(m *gridscore.Mapping)
		want   string
	}{
		{"no name", func(m *gridscore.Mapping) { m.Name = " " }, "请给映射起一个名称"},
		{"an unknown kind", func(m *gridscore.Mapping) { m.Kind = "cases" }, "没有名为 “cases” 的数据类别"},
		{"a required column unfilled", func(m *gridscore.Mapping) { m.Columns[3].Key = "" }, "必填列 工号（worker_id）没有对应的列"},
		{"a column filled twice", func(m *gridscore.Mapping) { m.Columns[4].Key = "worker_id" },
			"第 D 列“上报人工号”和第 E 列“上报人姓名”都填入 工号（worker_id）"},
		{"a value meaning nothing of the column", func(m *gridscore.Mapping) { m.Columns[2].Values["转办"] = "red" },
			"取值“转办”的含义 \"red\" 不是 办理方式（flow）的取值"},
		{"a required column's value as empty", func(m *gridscore.Mapping) { m.Columns[2].Values["转办"] = "" },
			"取值“转办”不能当作不填"},
		{"an unknown form of dates", func(m *gridscore.Mapping) { m.Columns[5].DateFormat = "dd.mm.yy" }, "日期写法 \"dd.mm.yy\" 未知"},
		{"a form of dates on a flow", func(m *gridscore.Mapping) { m.Columns[2].DateFormat = "ymd" }, "不是日期，不需要日期写法"},
		{"a header read twice", func(m *gridscore.Mapping) { m.Columns[8].Header = "办理状态" }, "表头“办理状态”出现了不止一次（第 C 列和第 I 列）"},
		{"a key the kind lacks", func(m *gridscore.Mapping) { m.Columns[1].Key = "title" }, "事件没有名为 “title” 的列"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := platformMapping()
			tc.change(m)
			err := csvfile.CheckMapping(m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckMapping = %v, want %q", err, tc.want)
			}
		})
	}
	if err := csvfile.CheckMapping(platformMapping()); err != nil {
		t.Errorf("the platform's mapping: %v", err)
	}
}

// A mapping written to a file reads back the same; a file of another
// version or no mapping at all is refused with a reason.
func TestMappingFile(t *testing.T) {
	m := platformMapping()
	m.Town = "青山镇"
	data := csvfile.EncodeMapping(m)
	if !strings.Contains(string(data), `"format": "gridscore-mapping"`) || !strings.Contains(string(data), `"version": 1`) {
		t.Errorf("mapping file:\n%s", data)
	}
	back, err := csvfile.DecodeMapping(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Name != m.Name || back.Kind != m.Kind || !reflect.DeepEqual(back.Columns, m.Columns) || back.Town != "" {
		t.Errorf("read back %+v\nwant %+v without its town", back, m)
	}
	for _, tc := range []struct{ data, want string }{
		{strings.Replace(string(data), `"version": 1`, `"version": 2`, 1), "版本 2 比本程序能读的（1）新"},
		{`{"name": "x"}`, "不是 gridscore 的导入映射文件"},
		{"事件ID,办理状态", "JSON 格式错误"},
	} {
		if _, err := csvfile.DecodeMapping([]byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DecodeMapping(%.30q) = %v, want %q", tc.data, err, tc.want)
		}
	}
}

// An export with a title and the moment of the export above its header
// is read from its header on, rows numbered as a spreadsheet shows them;
// its header is recognised past the title. A file without the mapping's
// header in its first rows is refused, saying so.
func TestMappedFileWithATitle(t *testing.T) {
	dir := t.TempDir()
	titled := "网格E通事件导出,,,,,,,,\n导出时间：2023-10-08 09:00,,,,,,,,\n\n" +
		strings.Replace(platformEvents, "SJ-2,占道经营,上报,", "SJ-2,占道经营,退回,", 1)
	path := writeFile(t, dir, "export.csv", gb(t, titled))
	_, _, err := scanMapped(t, map[string]*gridscore.Mapping{"export.csv": platformMapping()}, path)
	if err == nil || !strings.Contains(err.Error(), `export.csv:6: 办理状态（办理方式，flow）: 值 "退回" 不在映射`) || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("a titled export with a bad value on row 6: %v", err)
	}
	path = writeFile(t, dir, "export2.csv", gb(t, "网格E通事件导出,,,,,,,,\n"+platformEvents))
	got, _, err := scanMapped(t, map[string]*gridscore.Mapping{"export2.csv": platformMapping()}, path)
	if err != nil || len(got.Events) != 3 {
		t.Errorf("a titled export: %v, %d events", err, len(got.Events))
	}
	hs := csvfile.Headers(path)
	if len(hs) != 1 || gridscore.HeaderSet(hs[0].Headers) != gridscore.HeaderSet(platformMapping().Headers()) {
		t.Errorf("Headers of a titled export: %+v", hs)
	}
	if sv := csvfile.SurveyFile(path, "export2.csv"); sv == nil || sv.Rows != 3 || sv.Columns[0].Header != "事件ID" {
		t.Errorf("survey of a titled export: %+v", sv)
	}
	path = writeFile(t, dir, "other.csv", "工号,端,时间\nW1,手机,2023-07-03 09:00\n")
	_, _, err = scanMapped(t, map[string]*gridscore.Mapping{"other.csv": platformMapping()}, path)
	if err == nil || !strings.Contains(err.Error(), "other.csv: 文件中没有映射“网格E通事件导出”的表头") {
		t.Errorf("a file of other headers: %v", err)
	}
}

// The summary rows another system writes under its export (合计, 合 计,
// 总计：3 件) are skipped and reported by number, not read as bad records;
// a record whose first cell only mentions a total is still a record, and a
// DATA.md file's rows are never taken for summaries.
func TestMappedFileSkipsSummaryRows(t *testing.T) {
	footer := platformEvents + "合计,,,,,,,,\n" + ",合 计,3,,,,,,\n" + "总计：3 件,,,,,,,,\n"
	got, sc, err := scanMapped(t, map[string]*gridscore.Mapping{"导出.csv": platformMapping()}, writeFile(t, t.TempDir(), "导出.csv", gb(t, footer)))
	if err != nil {
		t.Fatalf("export with summary rows: %v", err)
	}
	if len(got.Events) != 3 {
		t.Errorf("read %d events, want 3", len(got.Events))
	}
	if len(sc.Sources) != 1 || sc.Sources[0].Valid != 3 || !reflect.DeepEqual(sc.Sources[0].Totals, []int{5, 6, 7}) {
		t.Errorf("sources = %+v, want 3 valid rows and the summary rows 5, 6, 7", sc.Sources)
	}

	// A long first cell that happens to begin with 合计 is data, and wrong.
	long := platformEvents + "合计事件编号很长的一行不是合计行而是记录,,自行处置,W1,甲,2023.07.03 09:15,一般,,\n"
	if _, _, err := scanMapped(t, map[string]*gridscore.Mapping{"导出.csv": platformMapping()}, writeFile(t, t.TempDir(), "导出.csv", gb(t, long))); err != nil {
		t.Errorf("a record whose id begins with 合计 was refused: %v", err)
	}

	// In a DATA.md file a row beginning with 合计 is a record like any other.
	native := dataMDEvents + "合计,W1,自办,一般,2023-07-03 09:15,\n"
	got, _, err = scanMapped(t, nil, writeFile(t, t.TempDir(), "events.csv", native))
	if err != nil || len(got.Events) != 4 {
		t.Errorf("DATA.md file with an event numbered 合计: %d events, %v", len(got.Events), err)
	}
}
