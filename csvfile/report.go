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

// text names the origin for a message: as String, or for the item of a
// JSON request (items) by its index, 第 3 项.
func (o Origin) text(items bool) string {
	if items {
		return "第 " + strconv.Itoa(o.Row-firstItemRow) + " 项"
	}
	return o.String()
}

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
//
// A Report lists every problem up to a bound (MaxFileProblems of a file or
// sheet, MaxProblems in all, far more than a file with some bad rows has)
// and counts the others, per file, in Unlisted: a file of millions of bad
// rows costs a counter, not millions of problems (a 392 KB workbook of 2.7
// million bad rows made 8 million problems, which took the server past 8
// GB). A problem with a whole file (row 0) is always listed: there are
// only a few a file.
type Report struct {
	Problems []Problem
	// Unlisted counts, file by file in name order, the problems found but
	// not listed.
	Unlisted []Unlisted

	// listed and unlisted count, per file, the problems listed and not
	// listed so far, while the report is being built.
	listed, unlisted map[string]int
}

// Unlisted is the number of problems of a file found beyond the listing
// limits of a Report.
type Unlisted struct {
	File  string
	Count int
}

// Listing limits of a Report.
const (
	// MaxFileProblems is the most problems listed for one file or sheet:
	// DATA.md has the report list every bad row, and a file read to its
	// end has at most half its rows bad (a file more than half bad is not
	// read past its first giveUpAfter bad rows), so that only a file of
	// some 20,000 rows or more, half of them bad, reaches it. A problem
	// takes about 200 bytes.
	MaxFileProblems = 10_000
	// MaxProblems is the most problems listed for one import (about 10
	// MB).
	MaxProblems = 50_000
)

// Total is the number of problems found, listed or not.
func (r *Report) Total() int {
	n := len(r.Problems)
	for _, u := range r.Unlisted {
		n += u.Count
	}
	for _, c := range r.unlisted {
		n += c
	}
	return n
}

// Error lists the problems one per line, sorted by file, then row, and
// then, for each file with problems not listed, how many there are.
func (r *Report) Error() string {
	lines := make([]string, 0, len(r.Problems)+len(r.Unlisted))
	for _, p := range r.sorted() {
		lines = append(lines, p.String())
	}
	for _, u := range r.unlistedByFile() {
		lines = append(lines, u.String())
	}
	return strings.Join(lines, "\n")
}

// String says how many problems of the file are not listed.
func (u Unlisted) String() string {
	return u.File + ": …还有 " + strconv.Itoa(u.Count) + " 处问题未列出"
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

// maxMessageBytes bounds the message of a problem kept: a message quoting
// a huge cell is cut (the cell is shown in part already, see shown).
const maxMessageBytes = 2000

// add records a problem: it lists it while within the limits, else counts
// it.
func (r *Report) add(p Problem) {
	if p.Row > 0 && (r.listed[p.File] >= MaxFileProblems || len(r.Problems) >= MaxProblems) {
		r.addUnlisted(p.File, 1)
		return
	}
	if len(p.Message) > maxMessageBytes {
		p.Message = clip(p.Message, maxMessageBytes/3)
	}
	if r.listed == nil {
		r.listed = map[string]int{}
	}
	r.listed[p.File]++
	r.Problems = append(r.Problems, p)
}

// addUnlisted counts n problems of file without listing them.
func (r *Report) addUnlisted(file string, n int) {
	if r.unlisted == nil {
		r.unlisted = map[string]int{}
	}
	r.unlisted[file] += n
}

// empty reports whether no problem was found.
func (r *Report) empty() bool { return r.Total() == 0 }

// unlistedByFile returns the counts of problems not listed, in file order.
func (r *Report) unlistedByFile() []Unlisted {
	out := slices.Clone(r.Unlisted)
	for f, n := range r.unlisted {
		out = append(out, Unlisted{File: f, Count: n})
	}
	slices.SortFunc(out, func(a, b Unlisted) int { return cmp.Compare(a.File, b.File) })
	return out
}

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
	if r.empty() {
		return nil
	}
	return &Report{Problems: r.sorted(), Unlisted: r.unlistedByFile()}
}

// JoinReports combines the problems of several reports (nil ones are
// skipped) into one sorted report, listing as one report would, or
// returns nil when there are none.
func JoinReports(reports ...*Report) error {
	var all Report
	for _, r := range reports {
		if r == nil {
			continue
		}
		for _, p := range r.Problems {
			all.add(p)
		}
		for _, u := range r.unlistedByFile() {
			all.addUnlisted(u.File, u.Count)
		}
	}
	return all.err()
}

// clip returns s cut to at most n characters, "…" marking the cut.
func clip(s string, n int) string {
	i := 0
	for at := range s {
		if i == n {
			return s[:at] + "…"
		}
		i++
	}
	return s
}
