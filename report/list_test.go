package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

// TestListRows: a list's rows come after the title and the header as
// given, more rows than the sample its widths are taken from; numbers and
// points are numbers; a text a spreadsheet would take for a formula stays
// text, even on editing (Text format); a long text wraps in a taller row;
// a note ends the list.
func TestListRows(t *testing.T) {
	t.Parallel()
	var rows [][]any
	for i := range 450 {
		rows = append(rows, []any{fmt.Sprintf("R%03d", i), i, gs.Points(1050 + i)})
	}
	rows[0] = []any{"=HYPERLINK(\"http://x\",\"点我\")", -5, gs.Points(-250)}
	rows[1] = []any{"@SUM(A1:A9)", nil, nil}
	rows[2] = []any{"+86 138", "-3", strings.Repeat("一段很长的说明，", 20)}
	var b bytes.Buffer
	l := report.NewList("记录", "XX镇 记录（测试）", []string{"编号", "数", "分"})
	for _, r := range rows {
		if err := l.Add(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Note("只导出了前 450 条。"); err != nil {
		t.Fatal(err)
	}
	if l.Len() != 450 {
		t.Errorf("Len %d, want 450", l.Len())
	}
	if err := l.Write(&b); err != nil {
		t.Fatal(err)
	}
	l.Close()
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	got, err := x.GetRows("记录")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2+450+1 || got[0][0] != "XX镇 记录（测试）" || strings.Join(got[1], ",") != "编号,数,分" {
		t.Fatalf("%d rows, title %q, header %q", len(got), got[0], got[1])
	}
	if g := strings.Join(got[2+300], ","); g != "R300,300,13.50" {
		t.Errorf("row of R300 reads %q", g)
	}
	if got[len(got)-1][0] != "只导出了前 450 条。" {
		t.Errorf("last row %q, want the note", got[len(got)-1])
	}
	for _, c := range []struct {
		cell    string
		value   string
		textFmt bool
	}{
		{"A3", "=HYPERLINK(\"http://x\",\"点我\")", true}, {"A4", "@SUM(A1:A9)", true},
		{"A5", "+86 138", true}, {"B5", "-3", true}, {"A6", "R003", false},
	} {
		v, _ := x.GetCellValue("记录", c.cell)
		f, _ := x.GetCellFormula("记录", c.cell)
		typ, _ := x.GetCellType("记录", c.cell)
		if v != c.value || f != "" || typ != excelize.CellTypeInlineString {
			t.Errorf("%s: value %q, formula %q, type %v; want the text %q and no formula", c.cell, v, f, typ, c.value)
		}
		id, _ := x.GetCellStyle("记录", c.cell)
		st, _ := x.GetStyle(id)
		if (st != nil && st.NumFmt == 49) != c.textFmt {
			t.Errorf("%s: Text format %v, want %v", c.cell, st != nil && st.NumFmt == 49, c.textFmt)
		}
	}
	for cell, want := range map[string]excelize.CellType{"B3": excelize.CellTypeNumber, "C3": excelize.CellTypeNumber} {
		if typ, _ := x.GetCellType("记录", cell); typ != want && typ != excelize.CellTypeUnset {
			t.Errorf("%s: type %v, want a number", cell, typ)
		}
	}
	if v, _ := x.GetCellValue("记录", "C3"); v != "-2.50" {
		t.Errorf("points -2.50 read %q", v)
	}
	if h, _ := x.GetRowHeight("记录", 5); h <= 15 {
		t.Errorf("the row of a long text is %v high, one line", h)
	}
	id, _ := x.GetCellStyle("记录", "C5")
	if st, _ := x.GetStyle(id); st == nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Error("a long text does not wrap")
	}
}

// TestEmptyList: a list without rows still has its title and header.
func TestEmptyList(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := writeList(&b, "空", "没有记录", []string{"甲", "乙"}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got, _ := x.GetRows("空"); len(got) != 2 || got[1][1] != "乙" {
		t.Errorf("empty list: %q", got)
	}
}
