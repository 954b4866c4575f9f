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

// formulaName is a worker's name that a spreadsheet would run as a formula
// once someone edits its cell.
const formulaName = `=HYPERLINK("http://x","a")`

// TestRecordTextIsNeverAFormula: a name, a finding's note, an appeal's
// reason and reply, a void's reason beginning with = + - or @ stay text in
// every workbook, with the Text number format (@) so that editing the cell
// does not turn it into a formula (formula injection), and read as written.
func TestRecordTextIsNeverAFormula(t *testing.T) {
	t.Parallel()
	res := sample()
	res.Workers[0].Name = formulaName
	res.Workers[1].Name = "@李四"
	res.Workers[0].Deductions[0].Detail = "+3 导入的核查备注"
	ref := gs.RefOf("W001", res.Workers[0].Deductions[0])
	filing := &gs.Filing{Result: res, State: gs.QuarterState{State: gs.StateFinalized},
		Appeals: []gs.Appeal{{ID: 1, DeductionRef: ref, Reason: "+1 当天在医院", Reply: "-驳回", Status: gs.AppealRejected, DecidedBy: "staff"}},
		Voided:  []gs.Voided{{DeductionRef: ref, Reason: "@系统故障", By: "staff"}},
		People:  map[string]string{"staff": "=李娜"}}
	warned := midQuarter()
	warned.Workers[1].Name = formulaName
	(*warned.Workers[1].Warnings)[0].Detail = "-今天还需巡查 2 次"
	survey := &report.SurveyReport{Title: "XX镇",
		Grids:    [][]any{{"G01", "=网格", formulaName, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, "", ""}},
		Results:  [][]any{{"W001", formulaName, "G01", "群众", "扫码", 1, 0, 0, 1, "100%", 20.0}},
		Comments: [][]any{{"G01", formulaName, "群众", "满意", "=1+1"}},
		Tallies:  [][]any{{1, "W001", formulaName, "群众", 1, 0, 0, "+备注", "=李娜", "2023-09-01 10:00"}}}
	books := map[string]func(io.Writer) error{
		"result":   func(w io.Writer) error { return report.WriteXLSX(w, res) },
		"pay":      func(w io.Writer) error { return report.WritePaySheet(w, "XX镇", "已定稿", res) },
		"filing":   func(w io.Writer) error { return report.WriteFiling(w, "XX镇", filing) },
		"warnings": func(w io.Writer) error { return report.WriteWarningsXLSX(w, "XX镇", warned) },
		"survey":   func(w io.Writer) error { return report.WriteSurvey(w, survey) },
	}
	// The cells that must be found as text, as written.
	want := map[string][]struct{ sheet, cell, text string }{
		"result": {{"考核结果", "D3", formulaName}, {"考核结果", "D4", "@李四"}, {"扣分明细", "B3", formulaName}, {"扣分明细", "I3", "+3 导入的核查备注"}},
		"pay":    {{"工资表", "C3", formulaName}, {"工资表", "C4", "@李四"}},
		"filing": {{"考核结果", "D3", formulaName}, {"扣分明细", "I3", "+3 导入的核查备注"},
			{"申诉", "C3", formulaName}, {"申诉", "H3", "+1 当天在医院"}, {"申诉", "K3", "-驳回"}, {"申诉", "L3", "=李娜（staff）"},
			{"撤销的扣分", "B3", formulaName}, {"撤销的扣分", "G3", "@系统故障"}, {"撤销的扣分", "H3", "=李娜（staff）"}},
		"warnings": {{"预警清单", "C3", formulaName}, {"预警清单", "H3", "-今天还需巡查 2 次"}},
		"survey": {{"进度", "B3", "=网格"}, {"进度", "C3", formulaName}, {"结果", "B3", formulaName}, {"意见", "B3", formulaName}, {"意见", "E3", "=1+1"},
			{"纸质录入", "C3", formulaName}, {"纸质录入", "H3", "+备注"}, {"纸质录入", "I3", "=李娜"}},
	}
	for book, write := range books {
		x := openBook(t, write)
		for _, c := range want[book] {
			if got, _ := x.GetCellValue(c.sheet, c.cell); got != c.text {
				t.Errorf("%s %s!%s is %q, want %q", book, c.sheet, c.cell, got, c.text)
			}
		}
		// Every text of every sheet that a spreadsheet would take for a
		// formula is a text cell with the Text format.
		for _, sheet := range x.GetSheetList() {
			rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for r, row := range rows {
				for c, v := range row {
					if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
						continue
					}
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					if typ, _ := x.GetCellType(sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						continue // a negative number
					}
					if f, _ := x.GetCellFormula(sheet, cell); f != "" {
						t.Errorf("%s %s!%s is the formula %q", book, sheet, cell, f)
					}
					id, _ := x.GetCellStyle(sheet, cell)
					st, err := x.GetStyle(id)
					if err != nil || st.NumFmt != 49 {
						t.Errorf("%s %s!%s (%q) is not formatted as text", book, sheet, cell, v)
						continue
					}
					// The format is added to the cell's style: a long
					// reason still wraps, read from the top.
					if book == "filing" && sheet == "申诉" && cell == "H3" && (st.Alignment == nil || !st.Alignment.WrapText || st.Alignment.Vertical != "top") {
						t.Errorf("%s %s!%s lost its alignment: %+v", book, sheet, cell, st.Alignment)
					}
				}
			}
		}
	}
}
