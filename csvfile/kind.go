package csvfile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gridscore/gridscore"
)

// column is one column of a kind: its English key and Chinese header (either
// names it in a file's header), whether a row must fill it, and its position
// in the kind's column list. Each kind has its own column values.
type column struct {
	key      string
	zh       string
	required bool
	pos      int
}

// label names the column in messages by both names, the Chinese header
// first: 工号（worker_id）.
func (c *column) label() string { return c.zh + "（" + c.key + "）" }

// problem is a problem with this column at file:row.
func (c *column) problem(file string, row int, msg string) Problem {
	return Problem{File: file, Row: row, Column: c.label(), Title: c.zh, Key: c.key, Message: msg}
}

// kind is one record kind of DATA.md §1: its names (file or sheet), its
// columns in DATA.md order (the order the writer uses), the columns that make
// a row unique, and the functions that turn a row into a record and a record
// back into cells.
type kind struct {
	id      int
	name    string
	zh      string
	cols    []*column
	keyCols []*column
	// parse reads r and, if r.ok, adds the record to the batch.
	parse func(r *row)
	// count is the number of records of the kind in recs.
	count func(recs *gridscore.Records) int
	// format writes record i of recs as Chinese cells into out (len(cols)).
	format func(recs *gridscore.Records, i int, out []string)
}

// kinds lists every kind in DATA.md order, each with its columns'
// positions set; kindByName maps an English kind name (lower case) or a
// Chinese one to its kind.
var (
	kinds = numbered(
		gridsKind, workersKind, eventsKind, loginsKind, patrolsKind, leavesKind,
		registerKind, rostersKind, visitsKind, meetingsKind, attendanceKind,
		findingsKind, quizKind, ballotsKind, calendarKind,
	)
	kindByName = byName(kinds)
)

// numbered sets each kind's id and its columns' positions, and returns the
// kinds. It panics on a column shared between kinds, a programming error.
func numbered(ks ...*kind) []*kind {
	for id, k := range ks {
		for i, c := range k.cols {
			if c.pos != 0 || slices.ContainsFunc(ks[:id], func(o *kind) bool { return slices.Contains(o.cols, c) }) {
				panic(fmt.Sprintf("csvfile: column %s of %s is not the kind's own", c.key, k.name))
			}
			c.pos = i
		}
		k.id = id
	}
	return ks
}

// byName maps each kind's English and Chinese names to it.
func byName(ks []*kind) map[string]*kind {
	m := make(map[string]*kind, 2*len(ks))
	for _, k := range ks {
		m[k.name] = k
		m[k.zh] = k
	}
	return m
}

// lookupKind returns the kind a file or sheet name stands for: its English
// name in any case, or its Chinese name, with surrounding spaces ignored.
func lookupKind(name string) *kind {
	name = strings.TrimSpace(name)
	if k, ok := kindByName[name]; ok {
		return k
	}
	return kindByName[strings.ToLower(name)]
}

// kindNames lists the accepted names for an error message.
func kindNames() string {
	var names []string
	for _, k := range kinds {
		names = append(names, k.zh+"（"+k.name+"）")
	}
	return strings.Join(names, "、")
}

// column returns the kind's column named key (DATA.md's name). It panics
// on a key the kind does not have: the records and the kinds name their
// fields alike.
func (k *kind) column(key string) *column {
	for _, c := range k.cols {
		if c.key == key {
			return c
		}
	}
	panic("csvfile: " + k.name + " has no column " + key)
}

// keyProblem is a problem with the key columns at file:row, named as
// label, title and key each join them: 工号（worker_id）+开始日期（from）,
// 工号+开始日期, worker_id+from.
func (k *kind) keyProblem(file string, row int, msg string) Problem {
	p := Problem{File: file, Row: row, Message: msg}
	for i, c := range k.keyCols {
		sep := ""
		if i > 0 {
			sep = "+"
		}
		p.Column += sep + c.label()
		p.Title += sep + c.zh
		p.Key += sep + c.key
	}
	return p
}

// req and opt build the columns of a kind.
func req(key, zh string) *column { return &column{key: key, zh: zh, required: true} }
func opt(key, zh string) *column { return &column{key: key, zh: zh} }

// keyOf joins the values of a composite key.
func keyOf(parts ...string) string { return strings.Join(parts, "\x1f") }
