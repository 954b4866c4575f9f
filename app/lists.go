package app

import (
	"errors"
	"io"
	"strconv"

	"github.com/gridscore/gridscore/report"
)

// The downloads of the pages' lists (the records of a kind, the workers,
// the audit log): every row the page's filters keep, not only the page
// shown, in the page's order, written as they are read (report.List).

// MaxExportRows is the most rows a list's download holds: a sheet of Excel
// or WPS holds 1,048,576 rows, and a quarter of a 5,000-worker district's
// events is about 850,000. A longer list ends with a note saying so.
const MaxExportRows = 1_000_000

// exportBatch is how many records a download of records reads at a time.
const exportBatch = 1000

// ListFile is a list's download: the name of its sheet, its title (what
// the list is, with its filters and the moment it was made) and its
// columns.
type ListFile struct {
	Sheet, Title string
	Header       []string
}

// errListFull ends the reading of a list whose download is full.
var errListFull = errors.New("app: the download holds the most rows it may")

// exportRows is the most rows of a download.
func (s *Service) exportRows() int {
	if s.ExportRows > 0 {
		return s.ExportRows
	}
	return MaxExportRows
}

// WriteList writes a list as an XLSX workbook to w: rows calls add for
// each row in order, cells as report.List.Add takes them. Once the
// download is full add returns an error, which rows returns (stopping its
// reading); the list then ends with a note that more rows match, and an
// empty list with a note that none does.
func (s *Service) WriteList(w io.Writer, lf ListFile, rows func(add func(cells ...any) error) error) error {
	l := report.NewList(lf.Sheet, lf.Title, lf.Header)
	defer l.Close()
	most, full := s.exportRows(), false
	err := rows(func(cells ...any) error {
		if l.Len() == most {
			full = true
			return errListFull
		}
		return l.Add(cells...)
	})
	if err != nil && !errors.Is(err, errListFull) {
		return err
	}
	switch {
	case full:
		err = l.Note("只导出了前 " + strconv.Itoa(most) + " 条，还有更多符合条件的记录未导出，请缩小范围后分批导出。")
	case l.Len() == 0:
		err = l.Note("没有符合条件的记录。")
	}
	if err != nil {
		return err
	}
	return l.Write(w)
}
