package csvfile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/xuri/excelize/v2"
)

// template writes the import template of the named kinds to a file and
// opens it.
func template(t *testing.T, names ...string) (*excelize.File, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := csvfile.WriteTemplate(&buf, names...); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "模板.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, path
}

// TestTemplateHasEveryKind checks the whole template: a sheet per kind of
// DATA.md §1 named in Chinese, the Chinese headers in the first row, a
// note for every column in the second, and that the untouched template
// imports as nothing, without a problem.
func TestTemplateHasEveryKind(t *testing.T) {
	t.Parallel()
	f, path := template(t)
	var titles []string
	for _, k := range csvfile.TemplateKinds() {
		titles = append(titles, k.Title)
	}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, titles) {
		t.Fatalf("sheets %q, want %q", got, titles)
	}
	for _, title := range titles {
		rows, err := f.GetRows(title)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || len(rows[0]) == 0 || len(rows[0]) != len(rows[1]) {
			t.Fatalf("%s: rows %q, want a header and a note per column", title, rows)
		}
		for i, note := range rows[1] {
			if !strings.HasPrefix(note, "必填。") && !strings.HasPrefix(note, "选填。") || len([]rune(note)) < 8 {
				t.Errorf("%s %s: note %q says too little", title, rows[0][i], note)
			}
		}
	}
	// The explanations are not read as data: each sheet has none.
	_, err := csvfile.Read(path)
	lines := reportLines(t, err)
	if len(lines) != len(titles) {
		t.Fatalf("problems %q, want one per sheet", lines)
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, ": 只有表头，没有数据行：这次导入没有任何数据可以导入") {
			t.Errorf("problem %q, want only that the sheet has no data", l)
		}
	}
}

// TestTemplateNotes checks some notes and formats a user relies on: the
// values of an enumerated column, the form of a date-time, a drop-down list
// and text format for codes.
func TestTemplateNotes(t *testing.T) {
	t.Parallel()
	f, _ := template(t, "events")
	rows, err := f.GetRows("事件")
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{}
	for i, h := range rows[0] {
		notes[h] = rows[1][i]
	}
	for header, want := range map[string]string{
		"办理方式":  "必填。事件的办理方式。填：自办、上报、转办",
		"上报时间":  "必填。在平台上上报的时间。日期时间，如 2023-07-03 09:15",
		"录入不规范": "选填。事件录入是否不规范。填 是 或 否，留空为否",
		"警告":    "选填。平台对该事件的黄牌、红牌警告；没有的留空。填：黄牌、红牌",
	} {
		if notes[header] != want {
			t.Errorf("%s: note %q, want %q", header, notes[header], want)
		}
	}
	dvs, err := f.GetDataValidations("事件")
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[dv.Sqref] = dv.Formula1
	}
	if got := lists["C3:C100000"]; !strings.Contains(got, "自办,上报,转办") {
		t.Errorf("办理方式 drop-down %q (all %v)", got, lists)
	}
	style, err := f.GetCellStyle("事件", "A3")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.GetStyle(style); err != nil || s.NumFmt != 49 {
		t.Errorf("事件编号 cells: number format %v, %v; want text (49)", s, err)
	}
}

// TestFilledTemplateImports fills the events template as a user would,
// with Excel date-time cells and the drop-down's values, and imports it.
func TestFilledTemplateImports(t *testing.T) {
	t.Parallel()
	f, path := template(t, "事件")
	for ref, v := range map[string]any{
		"A3": "E-1", "B3": "W001", "C3": "上报", "G3": wall(2023, 7, 3, 9, 15), "I3": wall(2023, 7, 4, 16, 0), "K3": "否",
		"A4": "E-2", "B4": "W002", "C4": "自办", "D4": "较大", "G4": "2023-07-05 10:00", "J4": "黄牌", "K4": "是",
	} {
		if err := f.SetCellValue("事件", ref, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	b, err := csvfile.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []gridscore.Event{
		{ID: "E-1", WorkerID: "W001", Flow: gridscore.FlowReported, Severity: gridscore.SeverityGeneral,
			OccurredAt: cst(2023, 7, 3, 9, 15, 0), ReportedAt: cst(2023, 7, 3, 9, 15, 0), ClosedAt: cst(2023, 7, 4, 16, 0, 0)},
		{ID: "E-2", WorkerID: "W002", Flow: gridscore.FlowSelfHandled, Severity: gridscore.SeverityMajor,
			OccurredAt: cst(2023, 7, 5, 10, 0, 0), ReportedAt: cst(2023, 7, 5, 10, 0, 0), Card: gridscore.CardYellow, Irregular: true},
	}
	got := b.Records.Events
	if len(got) != len(want) {
		t.Fatalf("events %+v, want %+v", got, want)
	}
	for i := range want {
		if !eventsEqual(got[i], want[i]) {
			t.Errorf("event %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if rows := []int{b.Origins.Events[0].Row, b.Origins.Events[1].Row}; !slices.Equal(rows, []int{3, 4}) {
		t.Errorf("rows %v, want 3 and 4 (as the sheet shows them)", rows)
	}
}

// eventsEqual compares events, times by instant.
func eventsEqual(a, b gridscore.Event) bool {
	return a.ID == b.ID && a.WorkerID == b.WorkerID && a.Flow == b.Flow && a.Severity == b.Severity &&
		a.Category == b.Category && a.OccurredAt.Equal(b.OccurredAt) && a.ReportedAt.Equal(b.ReportedAt) &&
		a.Deadline.Equal(b.Deadline) && a.ClosedAt.Equal(b.ClosedAt) && a.Card == b.Card && a.Irregular == b.Irregular
}

// TestEditedTemplateNotesAreData checks that only the template's own second
// row is skipped: a row that differs from it in one cell is read as data,
// and its problems are reported.
func TestEditedTemplateNotesAreData(t *testing.T) {
	t.Parallel()
	f, path := template(t, "logins")
	if err := f.SetCellValue("登录", "A2", "W001"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	_, err := csvfile.Read(path)
	lines := reportLines(t, err)
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "模板.xlsx[登录]:2: 登录端（channel）") {
		t.Errorf("problems %q, want row 2 read as data", lines)
	}
}

func TestTemplateUnknownKind(t *testing.T) {
	t.Parallel()
	err := csvfile.WriteTemplate(&bytes.Buffer{}, "events", "公文")
	if err == nil || !strings.Contains(err.Error(), "没有名为 “公文” 的数据类别") {
		t.Errorf("error %v", err)
	}
}
