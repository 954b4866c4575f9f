package report

import (
	"archive/zip"
	"io"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
)

// MaxSheetRows is how many rows one sheet of Excel or WPS holds.
const MaxSheetRows = 1 << 20

// listSample is how many of a list's first rows its columns' widths are
// taken from, before any row is written.
const listSample = 200

// Widths of a list's columns, in characters: every column is at least
// listMinWidth wide, and a cell wider than listMaxWidth wraps.
const (
	listMinWidth = 6
	listMaxWidth = 40
)

// List writes one of the pages' lists (the records of a kind, the
// workers, the audit log) as a workbook of one sheet, as the other
// workbooks are laid out: a title in row 1, the header in row 2 (frozen on
// screen, repeated on every printed page), the rows from row 3, A4 one page
// wide (landscape when the columns are wide). The rows go through
// excelize's StreamWriter, which keeps them in a temporary file beyond
// 16 MiB, so that a district's hundreds of thousands of events are never
// in memory at once.
//
// A text beginning with = + - @ (or a tab or carriage return) is written,
// as every text is, as a text cell, never as a formula; it also gets the
// Text number format (@), so that a spreadsheet keeps it as text even when
// someone edits the cell and presses Enter (formula injection).
type List struct {
	f             *excelize.File
	sheet, title  string
	header        []string
	sw            *excelize.StreamWriter
	widths        []float64
	pending       [][]any // the first rows, until the widths are known
	row           int     // the next row of the sheet
	n             int     // the rows added
	st            listStyles
	started, done bool
}

// listStyles are the styles of a list's cells: all read from the top of
// their row, which a wrapped neighbour may make taller.
type listStyles struct {
	title, bold, plain, wrap, text, textWrap, num int
}

// NewList starts a list whose sheet is named sheet, with its title and
// column names.
func NewList(sheet, title string, header []string) *List {
	return &List{f: excelize.NewFile(), sheet: sheet, title: title, header: header}
}

// Len is the number of rows added.
func (l *List) Len() int { return l.n }

// Add appends a row: texts (string), whole numbers (int) and points
// (gs.Points, written as numbers with two decimals); nil leaves a cell
// empty.
func (l *List) Add(cells ...any) error {
	l.n++
	if !l.started {
		l.pending = append(l.pending, cells)
		if len(l.pending) < listSample {
			return nil
		}
		return l.start()
	}
	return l.write(cells)
}

// Note appends a line of text after the rows, such as why the list ends
// where it does.
func (l *List) Note(text string) error {
	if err := l.start(); err != nil {
		return err
	}
	err := l.sw.SetRow(cellName(1, l.row), []any{text})
	l.row++
	return err
}

// Write ends the sheet and writes the workbook to w.
//
// excelize's Write makes the whole zip in a bytes.Buffer before copying
// it to w: 67 MB of a district's quarter of events took 128 MB of heap
// (BenchmarkExport5000 in web, with the live heap traced). The zip writer
// given to excelize writes to w instead, so that the workbook is
// compressed straight from the rows' temporary file into w and the buffer
// stays empty. (excelize patches the buffer only for parts beyond 4 GiB,
// which MaxSheetRows rows of a list do not reach.)
func (l *List) Write(w io.Writer) error {
	if err := l.start(); err != nil {
		return err
	}
	if !l.done {
		l.done = true
		if err := l.sw.Flush(); err != nil {
			return err
		}
	}
	l.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	buf, err := l.f.WriteToBuffer()
	if err == nil && buf.Len() > 0 {
		_, err = buf.WriteTo(w) // not expected: the zip went to w
	}
	return err
}

// Close removes the workbook's temporary files.
func (l *List) Close() error { return l.f.Close() }

// start sets the sheet up from the rows held so far and writes the title,
// the header and those rows; it does nothing once started.
func (l *List) start() error {
	if l.started {
		return nil
	}
	l.started = true
	f := l.f
	if err := f.SetSheetName(f.GetSheetName(0), l.sheet); err != nil {
		return err
	}
	l.widths = listWidths(l.header, l.pending)
	total := 0.0
	for _, w := range l.widths {
		total += w
	}
	// Page set-up and frozen rows go into the sheet before streaming.
	if err := pageSetup(f, l.sheet, 2, total > 100); err != nil {
		return err
	}
	var err error
	if l.st, err = newListStyles(f); err != nil {
		return err
	}
	if l.sw, err = f.NewStreamWriter(l.sheet); err != nil {
		return err
	}
	for i, w := range l.widths {
		if err := l.sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := l.sw.SetRow("A1", []any{excelize.Cell{StyleID: l.st.title, Value: l.title}}); err != nil {
		return err
	}
	head := make([]any, len(l.header))
	for i, h := range l.header {
		head[i] = excelize.Cell{StyleID: l.st.bold, Value: h}
	}
	if err := l.sw.SetRow("A2", head); err != nil {
		return err
	}
	l.row = 3
	for _, cells := range l.pending {
		if err := l.write(cells); err != nil {
			return err
		}
	}
	l.pending = nil
	return nil
}

// write streams one row, wrapping a text wider than its column and
// making the row tall enough for it.
func (l *List) write(cells []any) error {
	row := make([]any, len(cells))
	texts := make([]string, len(cells))
	for i, c := range cells {
		switch v := c.(type) {
		case nil:
		case string:
			wide := i < len(l.widths) && float64(DisplayWidth(v)) > l.widths[i]
			if wide {
				texts[i] = v
			}
			row[i] = excelize.Cell{StyleID: l.st.textStyle(v, wide), Value: v}
		case gs.Points:
			row[i] = excelize.Cell{StyleID: l.st.num, Value: points(v)}
		default:
			row[i] = excelize.Cell{StyleID: l.st.plain, Value: v}
		}
	}
	var opts []excelize.RowOpts
	if lines := rowLines(l.widths, texts); lines > 1 {
		opts = append(opts, excelize.RowOpts{Height: float64(15 * lines)})
	}
	err := l.sw.SetRow(cellName(1, l.row), row, opts...)
	l.row++
	return err
}

// textStyle is the style of a text: wrapped when wider than its column,
// with the Text number format when a spreadsheet would take it for a
// formula.
func (st listStyles) textStyle(v string, wide bool) int {
	formula := formulaLike(v)
	switch {
	case formula && wide:
		return st.textWrap
	case formula:
		return st.text
	case wide:
		return st.wrap
	}
	return st.plain
}

// newListStyles makes the styles of a list in f.
func newListStyles(f *excelize.File) (listStyles, error) {
	top := func(wrap bool) *excelize.Alignment {
		return &excelize.Alignment{Vertical: "top", WrapText: wrap}
	}
	var st listStyles
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}},
		{&st.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top(true)}},
		{&st.plain, excelize.Style{Alignment: top(false)}},
		{&st.wrap, excelize.Style{Alignment: top(true)}},
		{&st.text, excelize.Style{NumFmt: textFormat, Alignment: top(false)}},
		{&st.textWrap, excelize.Style{NumFmt: textFormat, Alignment: top(true)}},
		{&st.num, excelize.Style{NumFmt: 2, Alignment: top(false)}}, // 0.00
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// listWidths returns the widths of a list's columns: each as wide as its
// name and the widest of the sample's cells, between listMinWidth and
// listMaxWidth.
func listWidths(header []string, sample [][]any) []float64 {
	widths := make([]float64, len(header))
	for i, h := range header {
		widths[i] = float64(DisplayWidth(h) + 2)
	}
	for _, cells := range sample {
		for i, c := range cells {
			if i >= len(widths) {
				break
			}
			n := 8 // a number
			if s, ok := c.(string); ok {
				n = DisplayWidth(s)
			}
			widths[i] = max(widths[i], float64(n+2))
		}
	}
	for i := range widths {
		widths[i] = min(max(widths[i], listMinWidth), listMaxWidth)
	}
	return widths
}
