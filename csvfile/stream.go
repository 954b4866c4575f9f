package csvfile

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gridscore/gridscore"
	"github.com/xuri/excelize/v2"
)

// Scanner reads import files of any size in bounded memory and hands their
// records on in chunks, for an import that writes while it reads.
//
// It validates every row as Read does and checks references as
// CheckReferences does, against Known (what the store holds, loaded in the
// transaction that will write) and the records read so far. For that the
// files are read by kind, in streamOrder: grids, workers, the register and
// meetings come before the kinds that name them, so that when a chunk is
// handed on every record it may name has been read. Files of one kind are
// read in the order given.
//
// What it keeps grows with the grids, workers, meetings and registered
// persons, not with the rows: each chunk is dropped once handed on, and
// duplicate keys are found with a table of about 36 bytes a row of the kind
// being read (24-byte slots, see dupTable), kept outside the Go heap and
// freed when the next kind begins: 17 million events take some 600 MB. The
// problems found are kept, to be reported together.
//
// Each call of Scan reads afresh.
type Scanner struct {
	// Known is what the store holds that rows may name.
	Known Known
	// ChunkRows is the most records of one kind handed on at once; zero
	// means DefaultChunkRows.
	ChunkRows int
	// Check, if not nil, is called with each chunk of records of one kind
	// (named as in DATA.md, such as "events") and their origins once their
	// references are checked, whether or not problems were found before;
	// the problems it returns are reported with the others. An import uses
	// it for rules of its own, such as the town a user may write. It is
	// called on the goroutine that calls Scan.
	Check func(kind string, recs *gridscore.Records, orgs *Origins) []Problem

	// MaxNamedRows, if above zero, bounds the rows of each kind that
	// other rows name (grids, workers, register, meetings) that Scan reads:
	// they are kept in memory to check the references to them, the
	// workers in full (some 600 bytes each with the Go heap's room to grow:
	// 2.3 million grids and workers of a 158 MB upload took a server to
	// 2.8 GB). A file beyond it is reported and not read further. Zero
	// means no bound (the command line, whose memory then grows with them).
	MaxNamedRows int

	// Mappings, if not nil, gives the mapping a file or sheet is read
	// with, by its name as problems name it (export.csv,
	// book.xlsx[Sheet1]): a file another system exported, whose headers
	// and values are not DATA.md's (see mapping.go). A file mapped is of
	// the mapping's kind, whatever its name.
	Mappings map[string]*gridscore.Mapping

	// Sources is set by Scan: each file or sheet read, in the order read,
	// with its rows.
	Sources []Source
}

// Source is what a Scan read from one file, or one sheet of a workbook.
type Source struct {
	// File names it as problems do: events.csv, book.xlsx[事件].
	File string
	// Kind is the DATA.md name of its records, such as "events".
	Kind string
	// Rows is the number of its rows that are not blank; Valid the number
	// of its records read without any problem (a row given twice alike
	// counts once).
	Rows, Valid int
	// Stopped is set when it was not read to its end (a problem says why).
	Stopped bool
	// Mapping names the mapping it was read with, "" for a DATA.md file.
	Mapping string
	// Totals are the numbers of the summary rows (合计, 总计, …) of a file
	// read with a mapping, skipped rather than read as records.
	Totals []int
}

// Empty reports whether the file had a header and no data rows.
func (s Source) Empty() bool { return s.Rows == 0 && !s.Stopped }

// DefaultChunkRows is the chunk size of a Scanner that sets none.
const DefaultChunkRows = 8192

// streamOrder is the order in which a Scanner reads the kinds: the kinds
// that other rows name (grids, workers, register, meetings) first, then the
// others in the order of DATA.md.
var streamOrder = []*kind{
	gridsKind, workersKind, registerKind, meetingsKind,
	eventsKind, loginsKind, patrolsKind, leavesKind, rostersKind, visitsKind,
	attendanceKind, findingsKind, quizKind, ballotsKind, calendarKind,
}

// stream is the state of a Scanner's read: where chunks go, the reference
// sets, and the first error of emit, which stops the read.
type stream struct {
	ctx        context.Context
	chunk      int
	emit       func(*gridscore.Records) error
	refs       *refSets
	check      func(kind string, recs *gridscore.Records, orgs *Origins) []Problem
	bytesAhead int64 // bytes of the CSV files of the kind not yet started
	maxNamed   int   // Scanner.MaxNamedRows
	err        error
}

// planned is one source to read: a CSV file, or a sheet of an open workbook.
type planned struct {
	src  *source
	path string         // CSV file
	size int64          // CSV file size
	book *excelize.File // workbook of a sheet
	name string         // sheet name
}

// Scan reads the DATA.md files or folders at paths (as Read does) and calls
// emit with the records read, a chunk at a time: each call has records of
// one kind only (at most ChunkRows), which emit may keep. Once a problem is
// found, emit is no longer called, but the reading goes on so that every
// problem is reported.
//
// Scan returns nil when every row of every file is good and every reference
// resolves; a *Report listing every problem (the chunks already handed on
// must then be discarded: the import is all or nothing); or the error of
// emit or of ctx, which stops the reading at once.
func (sc *Scanner) Scan(ctx context.Context, paths []string, emit func(*gridscore.Records) error) error {
	b := newBuilder()
	b.mappings = sc.Mappings
	st := &stream{ctx: ctx, chunk: sc.ChunkRows, emit: emit, refs: newRefSets(sc.Known, b.unreadable), check: sc.Check,
		maxNamed: sc.MaxNamedRows}
	if st.chunk <= 0 {
		st.chunk = DefaultChunkRows
	}
	b.stream = st

	plan, books := b.plan(paths)
	defer func() {
		for _, f := range books {
			f.Close()
		}
		for _, t := range b.keys {
			if t != nil {
				t.Free()
			}
		}
	}()
	rank := make(map[*kind]int, len(streamOrder))
	for i, k := range streamOrder {
		rank[k] = i
	}
	slices.SortStableFunc(plan, func(a, b planned) int { return rank[a.src.kind] - rank[b.src.kind] })

	sc.Sources = nil
	defer func() {
		for _, p := range plan {
			if p.src.headed {
				s := Source{File: p.src.label, Kind: p.src.kind.name, Rows: p.src.data, Valid: p.src.valid, Stopped: p.src.gaveUp}
				if p.src.mapping != nil {
					s.Mapping, s.Totals = p.src.mapping.m.Name, p.src.totals
				}
				sc.Sources = append(sc.Sources, s)
			}
		}
	}()
	for i, p := range plan {
		k := p.src.kind
		if i == 0 || plan[i-1].src.kind != k {
			st.bytesAhead = 0
			for _, q := range plan[i:] {
				if q.src.kind == k {
					st.bytesAhead += q.size
				}
			}
		}
		st.bytesAhead -= p.size
		if p.book != nil {
			b.readSheet(p.book, p.name, p.src)
		} else {
			b.readPlannedCSV(p)
		}
		if b.stopped() {
			return st.err
		}
		if i == len(plan)-1 || plan[i+1].src.kind != k {
			b.endKind(k)
		}
		if b.stopped() {
			return st.err
		}
	}
	b.nothingToImport()
	b.mappedEnd()
	return b.report.err()
}

// plan lists the sources of the files at paths, opening workbooks to list
// their sheets (the workbooks returned stay open for reading), and reports
// every path that cannot be read.
func (b *builder) plan(paths []string) ([]planned, []*excelize.File) {
	var (
		plan  []planned
		books []*excelize.File
		seen  = map[string]bool{}
	)
	for _, path := range paths {
		b.expandPath(path, func(file string) {
			if abs, err := filepath.Abs(file); err == nil {
				if seen[abs] {
					return
				}
				seen[abs] = true
			}
			label := filepath.Base(file)
			switch formatOf(label) {
			case "csv":
				src := b.sourceOf(label, strings.TrimSuffix(label, filepath.Ext(label)))
				if src == nil {
					return
				}
				info, err := os.Stat(file)
				if err != nil {
					b.fileProblem(label, 0, nil, "无法读取："+ioMessage(err))
					return
				}
				plan = append(plan, planned{src: src, path: file, size: info.Size()})
			case "xlsx":
				book, sheets := b.openWorkbookFile(label, file)
				if book == nil {
					return
				}
				books = append(books, book)
				for _, sh := range sheets {
					plan = append(plan, planned{src: sh.src, book: book, name: sh.name})
				}
			default:
				b.fileProblem(label, 0, nil, "不支持的文件类型：只接受 .csv 文件或 .xlsx 工作簿")
			}
		})
	}
	return plan, books
}

// readPlannedCSV opens and reads a planned CSV file.
func (b *builder) readPlannedCSV(p planned) {
	f, err := os.Open(p.path)
	if err != nil {
		b.fileProblem(p.src.label, 0, nil, "无法读取："+ioMessage(err))
		return
	}
	defer f.Close()
	b.readCSV(p.src, f, p.size)
}

// flush checks the references of the chunk of kind k, learns what later
// kinds may name, and hands the chunk on unless a problem was found.
func (b *builder) flush(k *kind) {
	st := b.stream
	recs, orgs := &b.batch.Records, &b.batch.Origins
	if k.count(recs) == 0 {
		return
	}
	found := b.chunkProblems()
	st.refs.check(found, k, recs, orgs)
	if st.check != nil {
		for _, p := range st.check(k.name, recs, orgs) {
			found(p)
		}
	}
	st.refs.learn(k, recs, orgs)
	chunk := b.batch.Records
	b.batch.Records, b.batch.Origins = gridscore.Records{}, Origins{}
	if st.err == nil {
		st.err = st.ctx.Err()
	}
	if st.err == nil && b.report.empty() {
		st.err = st.emit(&chunk)
	}
}

// chunkProblems returns a function that reports problems of rows read
// already (handed on, or about to be): each row it names is counted once,
// as bad instead of valid, in its source.
func (b *builder) chunkProblems() func(Problem) {
	bad := map[Origin]bool{}
	return func(p Problem) {
		b.report.add(p)
		o := Origin{File: p.File, Row: p.Row}
		if bad[o] {
			return
		}
		bad[o] = true
		if src := b.sources[p.File]; src != nil {
			src.valid--
			src.bad++
		}
	}
}

// endKind finishes kind k once its last file is read: the last chunk goes,
// the one-worker-per-grid rule is checked when workers were read, and the
// kind's key table is freed.
func (b *builder) endKind(k *kind) {
	b.flush(k)
	if k == workersKind {
		checkOverlaps(b.chunkProblems(), b.report.addUnlisted, b.stream.refs.workers, false)
	}
	if t := b.keys[k.id]; t != nil {
		t.Free()
		b.keys[k.id] = nil
	}
}

// KindTitle returns the Chinese name of the kind named name in DATA.md
// (such as 事件 for "events"), or "" for no kind.
func KindTitle(name string) string {
	if k := lookupKind(name); k != nil {
		return k.zh
	}
	return ""
}
