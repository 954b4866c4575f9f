package csvfile

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/gridscore/gridscore"
)

// Origin says where a record came from: the file's base name (for a workbook,
// "book.xlsx[sheet]") and the row as a spreadsheet numbers it (header = 1).
type Origin struct {
	File string
	Row  int
}

// String formats the origin as file:row.
func (o Origin) String() string { return o.File + ":" + strconv.Itoa(o.Row) }

// Problem is one thing wrong with the import, in words for the person who
// prepared the files. Row is 0 for a problem with a whole file (an unknown
// file name, a binary file); Column is empty when no single column is at
// fault. Column names the column by both its names, as the command line
// prints it (工号（worker_id）); Title by its Chinese header alone (工号),
// as a page shows it; Key by DATA.md's name (worker_id), empty for a cell
// beyond the header. The columns of a key of several are joined by "+".
type Problem struct {
	File    string
	Row     int
	Column  string
	Title   string
	Key     string
	Message string
}

// ColumnProblem is a problem with column key (DATA.md's English name) of a
// record of kind found at o, its column named as the reader names it; a
// column csvfile does not know is named by key.
func ColumnProblem(o Origin, kind, key, msg string) Problem {
	if k := lookupKind(kind); k != nil {
		for _, c := range k.cols {
			if c.key == key {
				return c.problem(o.File, o.Row, msg)
			}
		}
	}
	return Problem{File: o.File, Row: o.Row, Column: key, Title: key, Key: key, Message: msg}
}

// String formats the problem as "file:row: column: message", leaving out the
// parts that are empty.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Row > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(p.Row))
	}
	b.WriteString(": ")
	if p.Column != "" {
		b.WriteString(p.Column)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Report is every problem found in an import. An import is all or nothing, so
// the reader and the reference check collect all problems instead of stopping
// at the first; a non-empty Report is returned as the error.
type Report struct {
	Problems []Problem
}

// Error lists the problems one per line, sorted by file, then row.
func (r *Report) Error() string {
	lines := make([]string, len(r.Problems))
	for i, p := range r.sorted() {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// As lets gridscore.ErrorCode and gridscore.ErrorMessage treat a Report as an
// invalid-input error whose message is the list of problems, so the HTTP
// layer shows it to the user instead of a generic internal error.
func (r *Report) As(target any) bool {
	if t, ok := target.(**gridscore.Error); ok {
		*t = &gridscore.Error{Code: gridscore.EINVALID, Message: r.Error()}
		return true
	}
	return false
}

// add records a problem.
func (r *Report) add(p Problem) { r.Problems = append(r.Problems, p) }

// sorted returns the problems ordered by file, then row; problems of one row
// keep the order they were found in (the order of the columns).
func (r *Report) sorted() []Problem {
	ps := slices.Clone(r.Problems)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		return cmp.Compare(a.Row, b.Row)
	})
	return ps
}

// err returns the report sorted as an error, or nil when it is empty.
func (r *Report) err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return &Report{Problems: r.sorted()}
}

// JoinReports combines the problems of several reports (nil ones are
// skipped) into one sorted report, or returns nil when there are none.
func JoinReports(reports ...*Report) error {
	var all Report
	for _, r := range reports {
		if r != nil {
			all.Problems = append(all.Problems, r.Problems...)
		}
	}
	return all.err()
}
