package csvfile

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/gridscore/gridscore"
)

// Batch is what an import read: the records, and where each came from, so
// that problems found later (the reference checks, which need the database)
// can still name the file and row.
//
// Origins mirrors Records field by field: Origins.Events[i] is where
// Records.Events[i] was read. A row repeated identically within the import is
// kept once, with the origin of its first occurrence.
type Batch struct {
	Records gridscore.Records
	Origins Origins
	// unreadable holds, per kind name, the keys of rows that were named but
	// could not be read (a bad value in another column). Reference checks
	// treat them as present, so that one bad worker row does not also report
	// every event of that worker as naming an unknown worker.
	unreadable map[string]map[string]bool
}

// Origins holds, for each kind, the origin of each record of that kind in
// the same order as gridscore.Records.
type Origins struct {
	Grids      []Origin
	Workers    []Origin
	Events     []Origin
	Logins     []Origin
	Patrols    []Origin
	Leaves     []Origin
	Register   []Origin
	Rosters    []Origin
	Visits     []Origin
	Meetings   []Origin
	Attendance []Origin
	Findings   []Origin
	Quizzes    []Origin
	Ballots    []Origin
	Calendar   []Origin
}

// builder accumulates a batch and its problems while files are read.
type builder struct {
	batch  Batch
	report Report
	seen   []map[string]int // per kind id: key → index of the record
}

func newBuilder() *builder {
	b := &builder{seen: make([]map[string]int, len(kinds))}
	for i := range b.seen {
		b.seen[i] = map[string]int{}
	}
	return b
}

// fileProblem reports a problem with a whole file (or with its header row
// when row is 1).
func (b *builder) fileProblem(file string, row int, column, msg string) {
	b.report.add(Problem{File: file, Row: row, Column: column, Message: msg})
}

// add appends rec with its origin unless a record with the same key was
// already read: an identical one is dropped, a different one is a problem
// naming both rows.
func add[T any](r *row, recs *[]T, origins *[]Origin, key string, rec T) {
	if !r.ok {
		if key != "" {
			u := r.b.batch.unreadable
			if u == nil {
				u = map[string]map[string]bool{}
				r.b.batch.unreadable = u
			}
			if u[r.src.kind.name] == nil {
				u[r.src.kind.name] = map[string]bool{}
			}
			u[r.src.kind.name][key] = true
		}
		return
	}
	seen := r.b.seen[r.src.kind.id]
	if i, dup := seen[key]; dup {
		if !reflect.DeepEqual((*recs)[i], rec) {
			r.ok = false
			r.b.report.add(Problem{
				File: r.src.label, Row: r.num, Column: r.src.kind.keyLabel(),
				Message: "与 " + (*origins)[i].String() + " 重复（" + strconv.Quote(strings.ReplaceAll(key, "\x1f", " ")) + "），但两行内容不同",
			})
		}
		return
	}
	seen[key] = len(*recs)
	*recs = append(*recs, rec)
	*origins = append(*origins, r.origin())
}
