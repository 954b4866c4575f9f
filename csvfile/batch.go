package csvfile

import (
	"sort"
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
	// unreadable holds, per kind name (of the kinds other rows name, see
	// named), the keys of rows that were named but could not be read (a
	// bad value in another column). Reference checks
	// treat them as present, so that one bad worker row does not also report
	// every event of that worker as naming an unknown worker.
	unreadable map[string]map[string]bool
	// items is set for the items of a JSON request (ReadJSON).
	items bool
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

// builder accumulates the records and the problems of the files read. A
// Loader's builder keeps every record in batch; a Scanner's keeps only the
// current chunk there and hands each full chunk on (see stream).
type builder struct {
	batch  Batch
	report Report
	// keys, per kind id, holds the keys read so far (nil until the first).
	keys []*dupTable
	// spans, per kind id, lists the sources of the kind in the order they
	// were started, with the first ordinal of each; next is the ordinal
	// after the last row seen. A row's ordinal is its source's base plus
	// its row number: one uint32 names any row of the import.
	spans [][]span
	next  []uint32
	// unreadable is Batch.unreadable, for the whole import.
	unreadable map[string]map[string]bool
	// stream is the state of a streaming read, nil when reading into memory.
	stream *stream
	// namedRows counts, per kind id, the rows read of the kinds other
	// rows name (see Scanner.MaxNamedRows).
	namedRows []int
	// sources are the files and sheets begun, by label.
	sources map[string]*source
	// emptyChecked is set once nothingToImport has run.
	emptyChecked bool
	// items is set when the records are the items of a JSON request
	// (ReadJSON), which messages name by their index.
	items bool
	// mappings are the mappings files and sheets are read with, by
	// label (see Scanner.Mappings).
	mappings map[string]*gridscore.Mapping
}

// span is where a source's rows start in the ordinals of its kind.
type span struct {
	base  uint32
	label string
}

func newBuilder() *builder {
	return &builder{
		keys:       make([]*dupTable, len(kinds)),
		spans:      make([][]span, len(kinds)),
		next:       make([]uint32, len(kinds)),
		unreadable: map[string]map[string]bool{},
		sources:    map[string]*source{},
		namedRows:  make([]int, len(kinds)),
	}
}

// sourceOf returns the source of the file or sheet label, whose name
// without extension is name: read with its mapping when the import has
// one for it, else of the kind its name says; nil (reported) when it is
// neither.
func (b *builder) sourceOf(label, name string) *source {
	if m := b.mappings[label]; m != nil {
		return b.newMappedSource(label, m)
	}
	if k := b.kindOf(label, name); k != nil {
		return b.newSource(label, k)
	}
	return nil
}

// newSource returns a file or sheet of kind k named label in messages.
func (b *builder) newSource(label string, k *kind) *source {
	src := &source{label: label, kind: k}
	b.sources[label] = src
	return src
}

// msgNoRows is the problem of each file of an import none of whose files
// has a data row.
const msgNoRows = "只有表头，没有数据行：这次导入没有任何数据可以导入"

// nothingToImport reports every file read when none has a data row: an
// import that would import nothing is refused, so that an empty export is
// not taken for a successful import. (An empty file beside others that
// have rows is a remark, not a problem: see Source.Empty.)
func (b *builder) nothingToImport() {
	if b.emptyChecked {
		return
	}
	b.emptyChecked = true
	var empty []*source
	for _, src := range b.sources {
		if src.data > 0 || src.rows > 0 {
			return
		}
		if src.headed {
			empty = append(empty, src)
		}
	}
	for _, src := range empty {
		b.fileProblem(src.label, 0, nil, msgNoRows)
	}
}

// start gives src the ordinals after those of every source of its kind read
// so far; it is called when src begins to be read.
func (b *builder) start(src *source) {
	k := src.kind
	src.base = b.next[k.id]
	b.spans[k.id] = append(b.spans[k.id], span{base: src.base, label: src.label})
}

// originAt returns the file and row of the row of kind k with ordinal ord.
func (b *builder) originAt(k *kind, ord uint32) Origin {
	ss := b.spans[k.id]
	i := sort.Search(len(ss), func(i int) bool { return ss[i].base > ord }) - 1
	return Origin{File: ss[i].label, Row: int(ord - ss[i].base)}
}

// keyTable returns the table of the keys of kind k.
func (b *builder) keyTable(k *kind) *dupTable {
	if b.keys[k.id] == nil {
		b.keys[k.id] = &dupTable{OffHeap: b.stream != nil}
	}
	return b.keys[k.id]
}

// presizeAfter is the number of valid rows of a file after which its key
// table is sized for the whole file (and the files of the kind still to
// come), by the bytes those rows took. Bad rows are not counted: millions
// of short bad rows would size it for millions of keys never added.
const presizeAfter = 20_000

// presize sizes the key table of kind k for the rest of its rows, estimated
// from rows records read in offset bytes of a file of size bytes.
func (b *builder) presize(k *kind, rows int, offset, size int64) {
	t := b.keyTable(k)
	if t.Sized() || offset <= 0 {
		return
	}
	total := size
	if b.stream != nil {
		total += b.stream.bytesAhead
	}
	t.Reserve(int(float64(rows) * float64(total) / float64(offset)))
}

// stopped reports whether reading should stop: a streaming read whose
// receiver failed or whose context ended.
func (b *builder) stopped() bool { return b.stream != nil && b.stream.err != nil }

// fileProblem reports a problem with a whole file (or with its header row
// when row is 1, then naming column c if one is at fault).
func (b *builder) fileProblem(file string, row int, c *column, msg string) {
	if c != nil {
		b.report.add(c.problem(file, row, msg))
		return
	}
	b.report.add(Problem{File: file, Row: row, Message: msg})
}

// named are the kinds whose keys rows of other kinds name (see
// refSets.check): only their unreadable keys are kept, so that the keys of
// millions of bad events are not.
var named = map[string]bool{"grids": true, "workers": true, "register": true, "meetings": true}

// add appends rec with its origin unless a record with the same key was
// already read: an identical one is dropped, a different one is a problem
// naming both rows. A streaming read hands the chunk on when it is full.
func add[T any](r *row, recs *[]T, origins *[]Origin, key string, rec T) {
	b, k := r.b, r.src.kind
	if r.seen != nil { // described, not read
		return
	}
	if !r.ok {
		if key != "" && named[k.name] {
			u := b.unreadable[k.name]
			if u == nil {
				u = map[string]bool{}
				b.unreadable[k.name] = u
			}
			u[key] = true
		}
		return
	}
	sum := digest(&rec)
	if first, dup := b.keyTable(k).Insert(hashDupKey(key), dupEntry{Sum: sum, Ord: r.src.base + uint32(r.num)}); dup {
		if first.Sum != sum {
			r.ok = false
			r.problems = append(r.problems, k.keyProblem(r.src.label, r.num,
				"与 "+b.originAt(k, first.Ord).text(b.items)+" 重复（"+quoted(strings.ReplaceAll(key, "\x1f", " "))+"），但两行内容不同"))
		}
		return
	}
	if b.stream != nil && cap(*recs) == 0 {
		*recs = make([]T, 0, b.stream.chunk)
		*origins = make([]Origin, 0, b.stream.chunk)
	}
	*recs = append(*recs, rec)
	*origins = append(*origins, r.origin())
	r.src.valid++
	if b.stream != nil && len(*recs) >= b.stream.chunk {
		b.flush(k)
	}
}
