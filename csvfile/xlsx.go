package csvfile

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// addXLSX reads the sheets of workbook f (opened by openWorkbookFile or
// openWorkbookReader, nil if it could not be) and closes it. Each sheet is
// named after its kind (English or Chinese); an empty sheet with another
// name (the "Sheet1" a new workbook has) is ignored. Messages name a sheet
// as book.xlsx[sheet].
func (l *Loader) addXLSX(f *excelize.File, sheets []sheet) {
	if f == nil {
		return
	}
	defer f.Close()
	for _, sh := range sheets {
		l.b.readSheet(f, sh.name, sh.src)
	}
}

// sheet is a sheet of a workbook to read, with its source.
type sheet struct {
	name string
	src  *source
}

// xlsxOptions are excelize's options for opening a workbook: its own
// bounds agree with checkWorkbook's, which come first.
var xlsxOptions = excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: xlsxXMLInMemory}

// openWorkbookFile opens the workbook at path named label, checked first
// (see checkWorkbook); excelize reads its parts from the file, not holding
// the file whole.
func (b *builder) openWorkbookFile(label, path string) (*excelize.File, []sheet) {
	f, err := os.Open(path)
	if err != nil {
		b.fileProblem(label, 0, nil, "无法读取："+ioMessage(err))
		return nil, nil
	}
	info, err := f.Stat()
	if err == nil {
		err = checkWorkbook(f, info.Size())
	}
	f.Close()
	if !b.workbookChecked(label, err) {
		return nil, nil
	}
	book, err := excelize.OpenFile(path, xlsxOptions)
	return b.openedWorkbook(label, book, err)
}

// openWorkbookReader opens the workbook data named label, checked first.
// excelize holds it whole in memory (data that is no io.ReaderAt is read
// whole first, to be checked).
func (b *builder) openWorkbookReader(label string, data io.ReadSeeker) (*excelize.File, []sheet) {
	ra, ok := data.(io.ReaderAt)
	size, err := data.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = data.Seek(0, io.SeekStart)
	}
	if err == nil && !ok {
		var all []byte
		all, err = io.ReadAll(data)
		ra, size = bytes.NewReader(all), int64(len(all))
	}
	if err == nil {
		err = checkWorkbook(ra, size)
	}
	if !b.workbookChecked(label, err) {
		return nil, nil
	}
	book, err := excelize.OpenReader(io.NewSectionReader(ra, 0, size), xlsxOptions)
	return b.openedWorkbook(label, book, err)
}

// workbookChecked reports whether the check of a workbook (err) let it
// be read, reporting why not.
func (b *builder) workbookChecked(label string, err error) bool {
	var refused *workbookError
	switch {
	case errors.As(err, &refused):
		b.fileProblem(label, 0, nil, refused.msg)
	case err != nil:
		b.fileProblem(label, 0, nil, "无法读取："+ioMessage(err))
	}
	return err == nil
}

// openedWorkbook returns the workbook opened (f, err) named label with the
// sheets that hold a kind, reporting a workbook that cannot be opened (nil
// is then returned) and non-empty sheets named after no kind. The caller
// closes the workbook.
func (b *builder) openedWorkbook(label string, f *excelize.File, err error) (*excelize.File, []sheet) {
	if err != nil {
		if f != nil {
			f.Close()
		}
		b.fileProblem(label, 0, nil, msgNotWorkbook)
		return nil, nil
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	var sheets []sheet
	for _, name := range f.GetSheetList() {
		sheetLabel := label + "[" + name + "]"
		if m := b.mappings[sheetLabel]; m != nil {
			if src := b.newMappedSource(sheetLabel, m); src != nil {
				src.excel, src.date1904 = true, date1904
				sheets = append(sheets, sheet{name: name, src: src})
			}
			continue
		}
		k := lookupKind(name)
		if k == nil {
			if !sheetEmpty(f, name) {
				b.kindOf(sheetLabel, name)
			}
			continue
		}
		src := b.newSource(sheetLabel, k)
		src.excel, src.date1904 = true, date1904
		sheets = append(sheets, sheet{name: name, src: src})
	}
	return f, sheets
}

// readSheet reads the header and the rows of one sheet. Cells are read raw,
// so a date cell gives its serial number, converted by the row accessors.
func (b *builder) readSheet(f *excelize.File, sheet string, src *source) {
	b.start(src)
	defer b.endTitle(src) // a short mapped sheet: its header is among its rows
	rows, err := f.Rows(sheet)
	if err != nil {
		b.fileProblem(src.label, 0, nil, "无法读取工作表："+err.Error())
		return
	}
	defer rows.Close()
	raw := excelize.Options{RawCellValue: true}
	num := 0
	for rows.Next() {
		num++ // Next visits every row number, including rows absent from the file
		cells, err := rows.Columns(raw)
		if err != nil {
			b.fileProblem(src.label, num, nil, "无法读取该行："+err.Error())
			return
		}
		if num == 1 {
			if !b.header(src, cells) {
				return
			}
			continue
		}
		b.row(src, num, cells)
		if b.stopped() || src.gaveUp {
			return
		}
	}
	if num == 0 {
		b.fileProblem(src.label, 0, nil, "工作表为空：第 1 行应为表头")
	}
	if err := rows.Error(); err != nil {
		b.fileProblem(src.label, 0, nil, "无法读取工作表："+err.Error())
	}
}

// sheetEmpty reports whether a sheet has no non-empty cell.
func sheetEmpty(f *excelize.File, sheet string) bool {
	rows, err := f.Rows(sheet)
	if err != nil {
		return false
	}
	defer rows.Close()
	for rows.Next() {
		cells, _ := rows.Columns()
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				return false
			}
		}
	}
	return true
}

// Serial numbers read as dates must fall in 1950–2099, so that a number typed
// into a date column (a year, say) is not taken for a day of 1905.
var (
	serialMin = float64(excelDays(time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), false))
	serialMax = float64(excelDays(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), false))
)

// excelBase returns the day an Excel serial number counts from: 1899-12-30
// in the 1900 date system (which makes serials from 1900-03-01 on right), or
// 1904-01-01 in the 1904 system.
func excelBase(date1904 bool) time.Time {
	if date1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
}

func excelDays(t time.Time, date1904 bool) int {
	return int(t.Sub(excelBase(date1904)).Hours() / 24)
}

// excelSerial reads a workbook's date or date-time cell, given as its serial
// number (days since the base, the fraction being the time of day, which is
// CST like every zoneless time), rounded to the second. A whole number reads
// as midnight, which date columns accept and timestamp columns take as 00:00.
func excelSerial(s string, date1904 bool) (stamp, bool) {
	if s == "" || (s[0] < '0' || s[0] > '9') {
		return stamp{}, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return stamp{}, false
	}
	if date1904 {
		v += float64(excelDays(excelBase(true), false))
	}
	if v < serialMin || v >= serialMax {
		return stamp{}, false
	}
	days := math.Floor(v)
	secs := int(math.Round((v - days) * 86400))
	t := excelBase(false).AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
	return stamp{
		year: t.Year(), month: int(t.Month()), day: t.Day(),
		hasTime: true, hour: t.Hour(), min: t.Minute(), sec: t.Second(), serial: true,
	}, true
}

// excelInteger reads a numeric cell holding a whole number in a form
// strconv.ParseInt does not take (1.2E3, 1200.0).
func excelInteger(s string) (int64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		return 0, false
	}
	return int64(v), true
}

// excelHundredths reads a numeric money cell whose stored binary value has
// more digits than it shows (199.99 stored as 199.99000000000001): the value
// must be within a billionth of a whole number of hundredths. Only cells of
// a workbook get here; CSV text is read exactly by gridscore.ParseHundredths.
func excelHundredths(s string) (int64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.Abs(v) > 1e13 {
		return 0, false
	}
	h := math.Round(v * 100)
	if math.Abs(v*100-h) > 1e-9*math.Max(1, math.Abs(h)) {
		return 0, false
	}
	return int64(h), true
}
