package csvfile_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// titledEvents reads an export whose event id is its second column,
// after the title of the event (事件标题).
func titledEvents() *gridscore.Mapping {
	return &gridscore.Mapping{Name: "平台事件", Kind: "events", Columns: []gridscore.MappedColumn{
		{Header: "事件标题"},
		{Header: "事件单号", Key: "event_id"},
		{Header: "办理状态", Key: "flow", Values: map[string]string{"自行处置": "self_handled", "已上报": "reported"}},
		{Header: "上报人工号", Key: "worker_id"},
		{Header: "上报日期", Key: "reported_at"},
	}}
}

// A record whose first cell begins with a summary word (总数核查台账缺失)
// and that fills its key and its required columns is a record: it is
// imported, never skipped as a total. A row whose first cell is only the
// word and a count (合计，合计：2 件), or that leaves the key or most
// required columns empty (总计有效事件), is a summary row and is skipped.
func TestMappedFileKeepsRecordsThatBeginWithASummaryWord(t *testing.T) {
	export := "事件标题,事件单号,办理状态,上报人工号,上报日期\n" +
		"路灯坏了,Z-1,自行处置,W1,2023/7/3\n" +
		"总数核查台账缺失,Z-2,已上报,W2,2023/7/4 9:15\n" +
		"合计,2件,,,\n" +
		"合计：2 件,,,,\n" +
		"总计有效事件,,,,2\n" +
		"小计说明,Z-9,,,\n"
	got, sc, err := scanMapped(t, map[string]*gridscore.Mapping{"ev4.csv": titledEvents()}, writeFile(t, t.TempDir(), "ev4.csv", export))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var ids []string
	for _, e := range got.Events {
		ids = append(ids, e.ID)
	}
	if !reflect.DeepEqual(ids, []string{"Z-1", "Z-2"}) {
		t.Errorf("imported events %v, want Z-1 and Z-2 (总数核查台账缺失 is a record)", ids)
	}
	if len(sc.Sources) != 1 || !reflect.DeepEqual(sc.Sources[0].Totals, []int{4, 5, 6, 7}) {
		t.Errorf("sources = %+v, want the summary rows 4 to 7 skipped, not row 3", sc.Sources)
	}

	// A record of the kind that begins with a summary word and lacks a
	// required cell is a bad record, said so, not a total passed over.
	bad := "事件标题,事件单号,办理状态,上报人工号,上报日期\n" +
		"总数核查台账缺失,Z-2,,W2,2023/7/4 9:15\n"
	_, _, err = scanMapped(t, map[string]*gridscore.Mapping{"ev5.csv": titledEvents()}, writeFile(t, t.TempDir(), "ev5.csv", bad))
	if err == nil || !strings.Contains(err.Error(), "ev5.csv:2: 办理状态（办理方式，flow）") {
		t.Errorf("a record lacking its flow: %v", err)
	}
}

// The survey of an export, for the page where its mapping is made, skips
// the summary rows the import skips: they are not counted, and 合计 is
// none of a column's values; a record beginning with a summary word is
// counted.
func TestSurveySkipsSummaryRows(t *testing.T) {
	dir := t.TempDir()
	sum := writeFile(t, dir, "sum.csv", "办理状态,事件单号,上报人工号,上报日期\n"+
		"自行处置,S-1,QS001,2023/7/3\n"+
		"已上报,S-2,QS002,2023/7/4\n"+
		"合计,2件,,\n")
	sv := csvfile.SurveyFile(sum, "sum.csv")
	if sv == nil || sv.Rows != 2 {
		t.Fatalf("survey of sum.csv = %+v, want 2 rows", sv)
	}
	for _, c := range sv.Columns {
		for _, v := range c.Values {
			if strings.Contains(v.Value, "合计") || v.Value == "2件" {
				t.Errorf("column %s lists %q of the summary row: %+v", c.Header, v.Value, c.Values)
			}
		}
	}

	ev4 := writeFile(t, dir, "ev4.csv", "事件标题,事件单号,办理状态,上报人工号,上报日期\n"+
		"路灯坏了,Z-1,自行处置,QS001,2023/7/3\n"+
		"总数核查台账缺失,Z-2,已上报,QS002,2023/7/4 9:15\n"+
		"总计有效事件,,,,2\n")
	sv = csvfile.SurveyFile(ev4, "ev4.csv")
	if sv == nil || sv.Rows != 2 || !slices.ContainsFunc(sv.Columns[0].Values, func(v csvfile.ValueCount) bool { return v.Value == "总数核查台账缺失" }) {
		t.Errorf("survey of ev4.csv = %+v, want 2 rows, the record 总数核查台账缺失 among them", sv)
	}
}

// A narrow export (four columns) with a title row of two cells above its
// header: Headers and SurveyFile take the real header, as the import does,
// and the import reads it.
func TestNarrowExportWithATitle(t *testing.T) {
	path := writeFile(t, t.TempDir(), "narrow.csv", "网格E通事件导出,导出时间：2023-10-08,,\n"+
		"事件单号,办理状态,上报人工号,上报日期\n"+
		"H-1,自行处置,W1,2023/7/3\n")
	want := []string{"事件单号", "办理状态", "上报人工号", "上报日期"}
	hs := csvfile.Headers(path)
	if len(hs) != 1 || !reflect.DeepEqual(hs[0].Headers, want) {
		t.Errorf("Headers(narrow.csv) = %+v, want %v", hs, want)
	}
	if sv := csvfile.SurveyFile(path, "narrow.csv"); sv == nil || sv.Rows != 1 || len(sv.Columns) != 4 || sv.Columns[0].Header != "事件单号" {
		t.Errorf("SurveyFile(narrow.csv) = %+v", sv)
	}
	m := &gridscore.Mapping{Name: "窄", Kind: "events", Columns: []gridscore.MappedColumn{
		{Header: "事件单号", Key: "event_id"},
		{Header: "办理状态", Key: "flow", Values: map[string]string{"自行处置": "self_handled"}},
		{Header: "上报人工号", Key: "worker_id"},
		{Header: "上报日期", Key: "reported_at"},
	}}
	got, _, err := scanMapped(t, map[string]*gridscore.Mapping{"narrow.csv": m}, path)
	if err != nil || len(got.Events) != 1 || got.Events[0].ID != "H-1" {
		t.Errorf("import of narrow.csv: %v, %+v", err, got.Events)
	}
}
