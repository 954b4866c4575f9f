package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestTemplateFilledAndImported writes the import template, fills two of
// its sheets as a town's clerk would (the drop-down's values, date cells)
// and imports the workbook as it is; --dir writes a workbook per kind, and
// an unknown kind is a usage error.
func TestTemplateFilledAndImported(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "模板.xlsx")
	if code, out, errOut := run(t, "", "template", "--out", book, "grids", "网格员"); code != 0 || !strings.Contains(out, "已写入导入模板") {
		t.Fatalf("template: %d %q %q", code, out, errOut)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{"网格", "网格员"}) {
		t.Fatalf("sheets %q", got)
	}
	for sheet, cells := range map[string]map[string]any{
		"网格":  {"A3": "G01", "B3": "青山村第一网格", "D3": "青山镇"},
		"网格员": {"A3": "W001", "B3": "张三", "C3": "专职", "D3": "否", "E3": "G01", "F3": time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), "I3": 800},
	} {
		for ref, v := range cells {
			if err := f.SetCellValue(sheet, ref, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	db := filepath.Join(dir, "gridscore.db")
	if code, out, errOut := run(t, db, "import", book); code != 0 {
		t.Fatalf("import of the filled template: %d %q %q", code, out, errOut)
	}
	code, out, _ := run(t, db, "assess", "--quarter", "2023Q3", "--format", "json")
	if code != 0 || !strings.Contains(out, `"worker_id": "W001"`) || !strings.Contains(out, `"town": "青山镇"`) {
		t.Errorf("assess after the template's import: %d %s", code, out)
	}

	each := filepath.Join(dir, "each")
	if code, _, errOut := run(t, "", "template", "--dir", each); code != 0 {
		t.Fatalf("template --dir: %d %q", code, errOut)
	}
	names, _ := filepath.Glob(filepath.Join(each, "*.xlsx"))
	if len(names) != 15 || !slices.Contains(names, filepath.Join(each, "事件.xlsx")) {
		t.Errorf("template --dir wrote %q", names)
	}
	if code, _, errOut := run(t, "", "template", "--out", filepath.Join(dir, "x.xlsx"), "公文"); code != 2 || !strings.Contains(errOut, "没有名为 “公文” 的数据类别") {
		t.Errorf("unknown kind: %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.xlsx")); err == nil {
		t.Errorf("a file was written for an unknown kind")
	}
}
