package report

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
)

// Helpers of the workbooks written row by row (the pay sheet, the filing
// package).

// sheetWriter writes rows into one sheet of a workbook, keeping the first
// error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

// newSheet adds sheet to f (or renames the first one when rename is set)
// and returns a writer at its first row.
func newSheet(f *excelize.File, sheet string, rename bool) *sheetWriter {
	sw := &sheetWriter{f: f, sheet: sheet, row: 1}
	if rename {
		sw.err = f.SetSheetName(f.GetSheetName(0), sheet)
	} else {
		_, sw.err = f.NewSheet(sheet)
	}
	return sw
}

// add writes one row; header rows are bold.
func (sw *sheetWriter) add(cells ...any) {
	if sw.err != nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(1, sw.row)
	sw.err = sw.f.SetSheetRow(sw.sheet, cell, &cells)
	sw.row++
}

// style applies style id to the cells from..to ("A2", "C9").
func (sw *sheetWriter) style(from, to string, id int) {
	if sw.err == nil {
		sw.err = sw.f.SetCellStyle(sw.sheet, from, to, id)
	}
}

// widths sets the widths of the first columns.
func (sw *sheetWriter) widths(ws ...float64) {
	for i, w := range ws {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if sw.err == nil {
			sw.err = sw.f.SetColWidth(sw.sheet, col, col, w)
		}
	}
}

// fit sets the height of the row just written so that every wrapped cell
// shows all its lines when printed: widths are the columns' widths in
// characters (as given to widths), cells the row's texts by column
// (empty for a column that does not wrap). Spreadsheets do not grow a row
// written by a program on their own, and LibreOffice prints such a row
// one line high, its text over the next rows.
func (sw *sheetWriter) fit(widths []float64, cells ...string) {
	if sw.err == nil {
		sw.err = fitRow(sw.f, sw.sheet, sw.row-1, widths, cells...)
	}
}

// fitRow sets the height of row of sheet as fit says.
func fitRow(f *excelize.File, sheet string, row int, widths []float64, cells ...string) error {
	if lines := rowLines(widths, cells); lines > 1 {
		return f.SetRowHeight(sheet, row, float64(15*lines))
	}
	return nil
}

// rowLines is how many lines a row of cells takes when the text of each
// wraps within its column's width in characters (a width of 0: does not
// wrap).
func rowLines(widths []float64, cells []string) int {
	lines := 1
	for i, c := range cells {
		if c == "" || i >= len(widths) || widths[i] <= 0 {
			continue
		}
		// A display column (DisplayWidth) is about one character of the
		// column's width; Chinese characters take two. A line breaks only
		// where the text allows (between ids, at a hyphen), so a quarter
		// more is allowed for what is left at the ends of lines.
		w := int(widths[i])
		lines = max(lines, (DisplayWidth(c)*5/4+w-1)/w)
	}
	return lines
}

// topStyles are the styles of the cells beside wrapped text, read from a
// row's top line: plain, and a number with two decimals.
func topStyles(f *excelize.File) (top, topNum int, err error) {
	if top, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return 0, 0, err
	}
	topNum, err = f.NewStyle(&excelize.Style{NumFmt: 2, Alignment: &excelize.Alignment{Vertical: "top"}})
	return top, topNum, err
}

// styles are the number and header styles of a workbook.
func styles(f *excelize.File) (num, bold int, err error) {
	if num, err = f.NewStyle(&excelize.Style{NumFmt: 2}); err != nil { // 0.00
		return 0, 0, err
	}
	bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	return num, bold, err
}

// cst writes an instant in CST to the minute, "" for the zero time.
func cst(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(gs.CST).Format("2006-01-02 15:04")
}

// evidence writes an evidence key (ids joined with ",") for people.
func evidence(key string) string { return strings.ReplaceAll(key, ",", "、") }

// cellName is the name of the cell at column col and row (1-based).
func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// pageSetup sets sheet up for printing on A4, landscape when landscape is
// set (a sheet wider than a portrait page), scaled to one page wide and as
// many tall as it needs. The first header rows (title and column names)
// are repeated on every printed page and frozen on screen; 0 freezes none.
func pageSetup(f *excelize.File, sheet string, header int, landscape bool) error {
	a4, orientation, one, zero, fit := 9, "portrait", 1, 0, true
	if landscape {
		orientation = "landscape"
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if header == 0 {
		return nil
	}
	rows := "$1:$" + strconv.Itoa(header)
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!" + rows, Scope: sheet}); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: header, TopLeftCell: cellName(1, header+1), ActivePane: "bottomLeft"})
}

// wrapColumns wraps the text of the columns from..to ("I", "J") of the rows
// from first to last, so that long sentences stay inside their columns: a
// sentence spilling over empty cells to the right widens what a printer
// must fit on the page, shrinking the whole sheet to unreadable.
func wrapColumns(f *excelize.File, sheet, from, to string, first, last int) error {
	if last < first {
		return nil
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	return f.SetCellStyle(sheet, from+strconv.Itoa(first), to+strconv.Itoa(last), wrap)
}

// textFormat is the Text number format (@).
const textFormat = 49

// formulaLike reports whether a spreadsheet would take text v for a
// formula: it begins with = + - @, a tab or a carriage return.
func formulaLike(v string) bool {
	return v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0]))
}

// writeBook writes workbook f to w, its texts that a spreadsheet would
// take for formulas guarded (guardFormulas). Every workbook of the
// package but the streamed List (which guards each text as it streams it)
// is written through it.
func writeBook(w io.Writer, f *excelize.File) error {
	if err := guardFormulas(f); err != nil {
		return err
	}
	return f.Write(w)
}

// guardFormulas gives every text cell of f that formulaLike (a worker's
// name, a finding's note, an appeal's reason…) the Text number format,
// keeping the rest of its style. excelize writes a string as a text cell,
// never as a formula, but a spreadsheet turns it into one when someone
// edits the cell and presses Enter (formula injection); with the Text
// format it stays text. It runs once the sheets are filled and styled,
// so that no later style takes the format away, and leaves numbers (-3)
// alone.
func guardFormulas(f *excelize.File) error {
	guarded := map[int]int{} // style id → the same with the Text format
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		for r, row := range rows {
			for c, v := range row {
				if !formulaLike(v) {
					continue
				}
				cell := cellName(c+1, r+1)
				typ, err := f.GetCellType(sheet, cell)
				if err != nil {
					return err
				}
				if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					continue
				}
				id, err := f.GetCellStyle(sheet, cell)
				if err != nil {
					return err
				}
				text, ok := guarded[id]
				if !ok {
					st, err := f.GetStyle(id)
					if err != nil {
						return err
					}
					st.NumFmt, st.CustomNumFmt = textFormat, nil
					if text, err = f.NewStyle(st); err != nil {
						return err
					}
					guarded[id] = text
				}
				if err := f.SetCellStyle(sheet, cell, cell, text); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
