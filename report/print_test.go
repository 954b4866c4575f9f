package report_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

// TestWorkbooksPrintOnA4: every sheet of the exports (result, pay sheet,
// filing) prints on A4 one page wide, landscape where it is wide, with a
// title row above the header, and the title and header repeated on each
// printed page and frozen on screen (they printed on Letter, cut across
// pages, with no title on the lists).
func TestWorkbooksPrintOnA4(t *testing.T) {
	t.Parallel()
	filing := &gs.Filing{Result: sample(), State: gs.QuarterState{State: gs.StateFinalized}}
	books := map[string]func(io.Writer) error{
		"result": func(w io.Writer) error { return report.WriteXLSX(w, sample()) },
		"pay":    func(w io.Writer) error { return report.WritePaySheet(w, "XX镇", "已定稿", sample()) },
		"filing": func(w io.Writer) error { return report.WriteFiling(w, "XX镇", filing) },
		"list": func(w io.Writer) error {
			long := strings.Repeat("很长的说明", 30)
			return writeList(w, "事件", "XX镇 事件记录", []string{"事件编号", "说明", "备注", "依据"}, []any{"SJ-1", long, long, long})
		},
		"short list": func(w io.Writer) error {
			return writeList(w, "网格员", "XX镇 网格员", []string{"工号", "姓名"}, []any{"W001", "张三"})
		},
	}
	for _, c := range []struct {
		book, sheet string
		landscape   bool
		// header is how many rows are frozen and repeated: the title and
		// the column names, or none on the cover.
		header int
		// title is a word of the title row, first in column A.
		title string
	}{
		{"result", "考核结果", true, 2, "考核结果"},
		{"result", "扣分明细", true, 2, "扣分明细"},
		{"pay", "工资表", true, 2, "绩效工资表"},
		{"filing", "考核结果", true, 2, "考核结果"},
		{"filing", "扣分明细", true, 2, "扣分明细"},
		{"filing", "申诉", true, 2, "申诉"},
		{"filing", "撤销的扣分", true, 2, "撤销的扣分"},
		{"filing", "报备说明", false, 0, "报备材料"},
		{"list", "事件", true, 2, "事件记录"},
		{"short list", "网格员", false, 2, "网格员"},
	} {
		var b bytes.Buffer
		if err := books[c.book](&b); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		what := c.book + "/" + c.sheet
		lay, err := x.GetPageLayout(c.sheet)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		orientation := "portrait"
		if c.landscape {
			orientation = "landscape"
		}
		if lay.Size == nil || *lay.Size != 9 || lay.FitToWidth == nil || *lay.FitToWidth != 1 ||
			(lay.Orientation == nil && c.landscape) || (lay.Orientation != nil && *lay.Orientation != orientation) {
			t.Errorf("%s: page size %v, %v pages wide, orientation %v; want A4 (9), 1, %s", what, deref(lay.Size), deref(lay.FitToWidth), deref(lay.Orientation), orientation)
		}
		props, err := x.GetSheetProps(c.sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not scaled to fit the page (%v)", what, err)
		}
		if title, _ := x.GetCellValue(c.sheet, "A1"); !strings.Contains(title, c.title) {
			t.Errorf("%s: A1 is %q, want a title with %q", what, title, c.title)
		}
		panes, err := x.GetPanes(c.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if c.header > 0 && (!panes.Freeze || panes.YSplit != c.header) {
			t.Errorf("%s: panes %+v, want the first %d rows frozen", what, panes, c.header)
		}
		var titles bool
		for _, d := range x.GetDefinedName() {
			titles = titles || (d.Name == "_xlnm.Print_Titles" && d.Scope == c.sheet && strings.HasSuffix(d.RefersTo, "!$1:$2"))
		}
		if titles != (c.header > 0) {
			t.Errorf("%s: repeated header rows %v, want %v", what, titles, c.header > 0)
		}
		x.Close()
	}
}

// deref shows what p points to, or nil.
func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestFilingRowsGrowToTheirText: in the filing's 申诉 and 撤销的扣分 sheets
// a row with a long reason or reply is as tall as its wrapped lines, its
// other cells read from the top, and the person who decided is named
// (LibreOffice printed such rows one line high, their text over the next
// rows, and the login alone).
func TestFilingRowsGrowToTheirText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("当天在医院输液，有病假条和医院的缴费单据，", 6)
	ref := gs.DeductionRef{WorkerID: "W1", Rule: gs.RuleEventsYellow, Period: "2023-07-03", EvidenceKey: "SJ-1"}
	filing := &gs.Filing{Result: sample(), State: gs.QuarterState{State: gs.StateFinalized},
		Appeals: []gs.Appeal{{ID: 1, DeductionRef: ref, Reason: long, Reply: "病假未按规定报备", Status: gs.AppealRejected, DecidedBy: "staff"},
			{ID: 2, DeductionRef: ref, Reason: "短", Status: gs.AppealPending}},
		Voided: []gs.Voided{{DeductionRef: ref, Reason: long, By: "admin"}},
		People: map[string]string{"staff": "李娜", "admin": "admin"}}
	x := filingWorkbook(t, filing)
	for _, c := range []struct {
		sheet, by, byCell string
		tall, short       int // rows
	}{{"申诉", "李娜（staff）", "L3", 3, 4}, {"撤销的扣分", "admin", "H3", 3, 0}} {
		h, err := x.GetRowHeight(c.sheet, c.tall)
		if err != nil || h < 45 {
			t.Errorf("%s: the row with a long text is %.0f points high (%v), want its wrapped lines", c.sheet, h, err)
		}
		if c.short > 0 {
			if h, _ := x.GetRowHeight(c.sheet, c.short); h > 20 {
				t.Errorf("%s: a short row is %.0f points high", c.sheet, h)
			}
		}
		style, _ := x.GetCellStyle(c.sheet, "A3")
		st, err := x.GetStyle(style)
		if err != nil || st.Alignment == nil || st.Alignment.Vertical != "top" {
			t.Errorf("%s: the cells beside the long text are not read from the top", c.sheet)
		}
		if got, _ := x.GetCellValue(c.sheet, c.byCell); got != c.by {
			t.Errorf("%s: decided by %q, want %q", c.sheet, got, c.by)
		}
	}
}

// TestFilingNamesTheLoginChannel: a login deduction appealed or voided is
// one channel's of its day, and the filing's 期间 says which.
func TestFilingNamesTheLoginChannel(t *testing.T) {
	t.Parallel()
	ref := gs.DeductionRef{WorkerID: "W1", Rule: gs.RuleDisciplineLogin, Period: "2023-07-04", Item: "app"}
	pc := ref
	pc.Item = "pc"
	filing := &gs.Filing{Result: sample(), State: gs.QuarterState{State: gs.StateFinalized},
		Appeals: []gs.Appeal{{ID: 1, DeductionRef: ref, Reason: "故障", Status: gs.AppealPending}},
		Voided:  []gs.Voided{{DeductionRef: pc, Reason: "停机", By: "admin"}}}
	x := filingWorkbook(t, filing)
	for _, c := range []struct{ sheet, cell, want string }{
		{"申诉", "F3", "2023-07-04 网格E通"},
		{"撤销的扣分", "E3", "2023-07-04 PC端"},
	} {
		if got, _ := x.GetCellValue(c.sheet, c.cell); got != c.want {
			t.Errorf("%s: 期间 %q, want %q", c.sheet, got, c.want)
		}
	}
}

// filingWorkbook is the filing workbook of town XX镇 written from fl, closed
// when the test ends.
func filingWorkbook(t *testing.T, fl *gs.Filing) *excelize.File {
	t.Helper()
	return openBook(t, func(w io.Writer) error { return report.WriteFiling(w, "XX镇", fl) })
}

// writeList writes a List of rows to w.
func writeList(w io.Writer, sheet, title string, header []string, rows ...[]any) error {
	l := report.NewList(sheet, title, header)
	defer l.Close()
	for _, r := range rows {
		if err := l.Add(r...); err != nil {
			return err
		}
	}
	return l.Write(w)
}
