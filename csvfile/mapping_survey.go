package csvfile

import (
	"cmp"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gridscore/gridscore"
	"github.com/xuri/excelize/v2"
)

// Before a file is read with a mapping, two looks at it: its header
// (Headers: is it a DATA.md file, or whose mapping has its headers?) and,
// for the page where a mapping is made, what its columns hold (SurveyFile:
// the distinct values of each column, the forms its dates fit). Both read
// the file as the import does (the same decoding of CSV text, the same
// checks of a workbook before it is opened), keeping little: the header,
// and a bounded number of values per column.

// Headed is the header of one file, or one sheet of a workbook.
type Headed struct {
	// File names it as problems do: export.csv, book.xlsx[Sheet1].
	File string
	// Kind is the DATA.md name of the kind its name says, "" for none.
	Kind string
	// Headers are its header cells, trimmed.
	Headers []string
	// DataMD is set when it reads as a DATA.md file: its name says its
	// kind and its header has every required column of the kind.
	DataMD bool
}

// Headers reads the header of the file at path (a .csv or .xlsx file):
// one for a CSV file, one per sheet of a workbook that is not empty. The
// header is the row the import of a mapped file takes for it
// (headerIndex), below any title. A file that cannot be read gives none:
// the import reports why.
func Headers(path string) []Headed {
	label := filepath.Base(path)
	var out []Headed
	eachTable(path, label, func(label, name string, excel bool, rows func(yield func([]string) bool)) {
		headedRows(rows, func(cells []string) bool {
			if h, ok := headedOf(label, name, cells); ok {
				out = append(out, h)
			}
			return false
		}, nil)
	})
	return out
}

// headedRows calls header with the header row of rows, then row with each
// row after it, until either returns false. The header is chosen among
// the first maxTitleRows rows that are not blank by the rule the import of
// a mapped file follows (headerIndex): a title above it (网格E通事件导出,
// 导出时间：…) is passed over.
func headedRows(rows func(yield func([]string) bool), header, row func([]string) bool) {
	var buf [][]string
	decided := false
	decide := func() bool {
		decided = true
		h := headerIndex(buf)
		if h < 0 || !header(buf[h]) {
			return false
		}
		for _, r := range buf[h+1:] {
			if !row(r) {
				return false
			}
		}
		return true
	}
	for cells := range rows {
		if decided {
			if !row(cells) {
				return
			}
			continue
		}
		if strings.TrimSpace(strings.Join(cells, "")) == "" {
			continue
		}
		buf = append(buf, cells)
		if len(buf) == maxTitleRows && !decide() {
			return
		}
	}
	if !decided {
		decide()
	}
}

// headedOf is the header cells of the file or sheet label, whose name
// without extension is name, unless they are all empty.
func headedOf(label, name string, cells []string) (Headed, bool) {
	h := Headed{File: label, Headers: make([]string, len(cells))}
	empty := true
	for i, c := range cells {
		h.Headers[i] = gridscore.TrimText(c)
		empty = empty && h.Headers[i] == ""
	}
	if empty {
		return h, false
	}
	if k := lookupKind(name); k != nil {
		h.Kind = k.name
		b := newBuilder()
		h.DataMD = b.header(b.newSource(label, k), cells)
	}
	return h, true
}

// eachTable calls table with each table of rows of the file at path,
// named label: the CSV file, or each sheet of the workbook (labelled
// book.xlsx[sheet]), with the name its kind would be told by and a
// sequence of its rows (cells as the import reads them: a workbook's raw
// values). Files that cannot be read call nothing.
func eachTable(path, label string, table func(label, name string, excel bool, rows func(yield func([]string) bool))) {
	switch formatOf(label) {
	case "csv":
		f, err := os.Open(path)
		if err != nil {
			return
		}
		defer f.Close()
		table(label, strings.TrimSuffix(label, filepath.Ext(label)), false, func(yield func([]string) bool) {
			cr := csv.NewReader(&recordLimit{r: newDecoder(f)})
			cr.FieldsPerRecord = -1
			cr.LazyQuotes = true
			for {
				rec, err := cr.Read()
				var perr *csv.ParseError
				if errors.As(err, &perr) {
					continue
				}
				if err != nil || !yield(rec) {
					return
				}
			}
		})
	case "xlsx":
		b := newBuilder()
		book, _ := b.openWorkbookFile(label, path)
		if book == nil {
			return
		}
		defer book.Close()
		for _, name := range book.GetSheetList() {
			table(label+"["+name+"]", name, true, func(yield func([]string) bool) {
				rows, err := book.Rows(name)
				if err != nil {
					return
				}
				defer rows.Close()
				for rows.Next() {
					cells, err := rows.Columns(excelize.Options{RawCellValue: true})
					if err != nil || !yield(cells) {
						return
					}
				}
			})
		}
	}
}

// Survey is what the columns of one file (or sheet) hold, for the page
// where a mapping of it is made.
type Survey struct {
	// File names it as problems do; Kind is the DATA.md kind its name
	// says ("" for none).
	File, Kind string
	// Rows counts its data rows that are not blank.
	Rows    int
	Columns []SurveyColumn
}

// SurveyColumn is what one column of a surveyed file holds.
type SurveyColumn struct {
	// Header is its header cell, trimmed.
	Header string
	// Filled counts its non-empty cells.
	Filled int
	// Values are its distinct values with how often each comes, the most
	// frequent first (then in the order met), at most MaxSurveyValues;
	// More is set when it has more.
	Values []ValueCount
	More   bool
	// Dates says, per form of DateFormats, how many of the first values
	// (up to a few thousand: DateValues) it reads.
	Dates      []DateFit
	DateValues int
	// DateCells counts, of those values, a workbook's date cells, which
	// every form reads.
	DateCells int
}

// ValueCount is a distinct value of a column and the number of its cells.
type ValueCount struct {
	Value string
	Count int
}

// DateFit is how well a form of dates reads a column: how many of the
// values looked at it reads, and the first it does not ("" when it reads
// them all).
type DateFit struct {
	Format DateFormat
	Reads  int
	Misfit string
}

// MaxSurveyValues is the most distinct values of a column a survey lists:
// an enumerated column has a handful.
const MaxSurveyValues = 60

// DateFormat returns the form that reads the most of the column's
// values (DATA.md's first on a tie), and whether another reads as many.
func (c *SurveyColumn) DateFormat() (id string, ambiguous bool) {
	d := dateFit{values: c.DateValues, cells: c.DateCells, reads: map[string]int{}}
	for _, f := range c.Dates {
		d.reads[f.Format.ID] = f.Reads
	}
	return d.best()
}

// SurveyFile surveys the file or sheet named label (as Headers names it)
// of the file at path. It returns nil when there is no such table, or
// when it is empty. The summary rows the import would skip (合计：3 件,
// summaryRow) are neither counted nor their values listed.
func SurveyFile(path, label string) *Survey {
	var sv *Survey
	eachTable(path, filepath.Base(path), func(l, name string, excel bool, rows func(yield func([]string) bool)) {
		if l != label || sv != nil {
			return
		}
		var cols []surveyed
		var held [][]string // rows that may be summary rows (see below)
		headedRows(rows, func(cells []string) bool {
			h, ok := headedOf(l, name, cells)
			if !ok {
				return false
			}
			sv = &Survey{File: l, Kind: h.Kind}
			cols = make([]surveyed, len(h.Headers))
			for i := range cols {
				cols[i] = surveyed{SurveyColumn: SurveyColumn{Header: h.Headers[i]}, seen: map[string]int{}}
			}
			return true
		}, func(cells []string) bool {
			switch _, maybe := summaryStart(cells); {
			case summaryRow(cells, nil, nil):
				return true // 合计：3 件
			case maybe && len(held) < maxHeldRows:
				held = append(held, cells) // 总数…: a record, or a total?
				return true
			}
			sv.add(cols, cells, excel)
			return true
		})
		if sv == nil {
			return
		}
		// A row held back is a summary row if it leaves empty most of
		// the cells every other row fills, as the import skips one that
		// leaves empty most of those its mapping requires.
		var need []int
		for i := range cols {
			if sv.Rows > 0 && cols[i].Filled == sv.Rows {
				need = append(need, i)
			}
		}
		for _, cells := range held {
			if !summaryRow(cells, nil, need) {
				sv.add(cols, cells, excel)
			}
		}
		for i := range cols {
			sv.Columns = append(sv.Columns, cols[i].done())
		}
	})
	return sv
}

// maxHeldRows bounds the rows a survey holds back until it can tell
// whether they are summary rows: an export has a few at its end.
const maxHeldRows = 100

// add counts the row cells, not blank, in the columns cols.
func (sv *Survey) add(cols []surveyed, cells []string, excel bool) {
	blank := true
	for i, c := range cells {
		v := gridscore.TrimText(c)
		if v == "" || i >= len(cols) {
			continue
		}
		blank = false
		cols[i].add(v, excel)
	}
	if !blank {
		sv.Rows++
	}
}

// surveyed is a column being surveyed.
type surveyed struct {
	SurveyColumn
	seen  map[string]int // value → index in Values
	dates dateFit
}

func (s *surveyed) add(v string, excel bool) {
	s.Filled++
	s.dates.add(v, excel, false)
	if i, ok := s.seen[v]; ok {
		s.Values[i].Count++
		return
	}
	if len(s.Values) >= MaxSurveyValues {
		s.More = true
		return
	}
	s.seen[v] = len(s.Values)
	s.Values = append(s.Values, ValueCount{Value: clip(v, 200), Count: 1})
}

func (s *surveyed) done() SurveyColumn {
	c := s.SurveyColumn
	slices.SortStableFunc(c.Values, func(a, b ValueCount) int { return cmp.Compare(b.Count, a.Count) })
	c.DateValues, c.DateCells = s.dates.values, s.dates.cells
	for _, f := range dateFormats {
		c.Dates = append(c.Dates, DateFit{Format: f, Reads: s.dates.reads[f.ID], Misfit: s.dates.first[f.ID]})
	}
	return c
}
