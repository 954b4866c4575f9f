// Package csvfile reads and writes the import files of DATA.md §1: one CSV
// file per record kind (UTF-8 with or without BOM, or GB18030) or one XLSX
// workbook with a sheet per kind.
//
// Reading validates every row and collects every problem of every file
// before returning, since an import is all or nothing: the person who
// prepared the files gets one list of everything to fix, each line in the
// form "file:row: column: problem" with rows numbered as a spreadsheet shows
// them. What cannot be checked without the database (do the workers, grids,
// meetings and persons named exist?) is checked against what the store
// holds, loaded inside the transaction that will write.
//
// There are two ways to read. Read (and Loader, for uploads) returns every
// record in memory as a Batch, whose CheckReferences then checks the
// references: for small imports and tests. A Scanner reads files of any size
// once, row by row, checking references as it goes and handing the records
// on in chunks to be written while it reads; it keeps only what references
// need and a compact table of the keys read. Both validate every row alike
// and report the same problems.
package csvfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/gridscore/gridscore"
)

// Loader collects import files one by one (from paths on disk or from
// uploads) and returns the batch they make. Problems are collected, not
// returned one by one: Batch reports them all at the end. A Loader is not
// safe for concurrent use.
type Loader struct {
	b     *builder
	paths map[string]bool   // absolute paths already read
	forms map[*kind]*source // the records added by AddValues, per kind
}

// NewLoader returns an empty Loader.
func NewLoader() *Loader {
	return &Loader{b: newBuilder(), paths: map[string]bool{}}
}

// Read reads the import files at paths (files, or folders whose .csv and
// .xlsx files are read, not descending into subfolders) and returns the
// records with their origins. If anything is wrong, the error is a *Report
// listing every problem, and the batch holds only the rows that could be
// read: enough to check their references too, never to be written.
func Read(paths ...string) (*Batch, error) {
	l := NewLoader()
	for _, p := range paths {
		l.AddPath(p)
	}
	return l.Batch()
}

// Batch returns what was read and, if anything was wrong, a *Report with
// every problem found; the batch then holds only the rows that could be read.
func (l *Loader) Batch() (*Batch, error) {
	l.b.nothingToImport()
	b := l.b.batch
	b.unreadable = l.b.unreadable
	return &b, l.b.report.err()
}

// AddPath reads a file, or every .csv and .xlsx file of a folder (in name
// order; hidden files and Excel's "~$" lock files are skipped).
func (l *Loader) AddPath(path string) {
	l.b.expandPath(path, func(file string) {
		if abs, err := filepath.Abs(file); err == nil {
			if l.paths[abs] {
				return
			}
			l.paths[abs] = true
		}
		name := filepath.Base(file)
		if formatOf(name) == "xlsx" {
			l.addXLSX(l.b.openWorkbookFile(name, file))
			return
		}
		f, err := os.Open(file)
		if err != nil {
			l.b.fileProblem(name, 0, nil, "无法读取："+ioMessage(err))
			return
		}
		defer f.Close()
		l.AddFile(name, f)
	})
}

// expandPath calls found with path if it is a file, or with each .csv and
// .xlsx file of the folder path (in name order; hidden files and Excel's
// "~$" lock files are skipped), reporting a path that cannot be read.
func (b *builder) expandPath(path string, found func(file string)) {
	info, err := os.Stat(path)
	if err != nil {
		b.fileProblem(path, 0, nil, "无法读取："+ioMessage(err))
		return
	}
	if !info.IsDir() {
		found(path)
		return
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		b.fileProblem(path, 0, nil, "无法读取文件夹："+ioMessage(err))
		return
	}
	some := false
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || formatOf(name) == "" {
			continue
		}
		some = true
		found(filepath.Join(path, name))
	}
	if !some {
		b.fileProblem(path, 0, nil, "文件夹中没有 .csv 或 .xlsx 文件")
	}
}

// AddFile reads one file from data: a CSV file named <kind>.csv or a
// workbook named *.xlsx, as the name says (an upload's file name, say).
// Messages name the file by the base name of name.
func (l *Loader) AddFile(name string, data io.ReadSeeker) {
	name = filepath.Base(name)
	switch formatOf(name) {
	case "csv":
		l.addCSV(name, data)
	case "xlsx":
		l.addXLSX(l.b.openWorkbookReader(name, data))
	default:
		l.b.fileProblem(name, 0, nil, "不支持的文件类型：只接受 .csv 文件或 .xlsx 工作簿")
	}
}

// formatOf returns "csv" or "xlsx" by the file's extension (in any case), or
// "" for any other file.
func formatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return "csv"
	case ".xlsx":
		return "xlsx"
	}
	return ""
}

// ioMessage words an I/O error for people.
func ioMessage(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "文件或文件夹不存在"
	case errors.Is(err, os.ErrPermission):
		return "没有读取权限"
	}
	return err.Error()
}

// source is one file or sheet being read: the name used in messages, its
// kind, and where each of the kind's columns is in its rows.
type source struct {
	label    string
	kind     *kind
	base     uint32 // ordinal of row 0 (see builder.spans)
	index    []int  // per kind column position: index of the cell, -1 if absent
	width    int    // number of header cells
	excel    bool   // cells come from a workbook (serial dates allowed)
	date1904 bool   // the workbook counts dates from 1904
	rows     int    // records added to it by AddValues
	// data and bad count its rows that are not blank and those found
	// wrong; gaveUp is set when it is no longer read (see giveUp).
	data, bad int
	gaveUp    bool
	// totals are the numbers of the summary rows (合计, 总计, …) of a
	// mapped file, skipped (summaryRow).
	totals []int
	// valid counts its records read without a problem (see Source).
	valid int
	// headed is set once its header was read without a missing column.
	headed bool
	// mapping, when set, is the mapping the source is read with (see
	// mapping.go); nil for a DATA.md file.
	mapping *mappedSource
}

// header maps the header cells to the kind's columns, reporting duplicated
// and missing columns. It returns false when a required column is missing:
// the rows of such a file are not read (every one would fail the same way).
func (b *builder) header(src *source, cells []string) bool {
	if src.mapping != nil {
		b.titleRow(src, 1, cells) // the header may be below a title
		return true
	}
	k := src.kind
	if strings.TrimSpace(strings.Join(cells, "")) == "" {
		b.fileProblem(src.label, 1, nil, "第 1 行应为表头，但它是空行")
		return false
	}
	src.width = len(cells)
	src.index = make([]int, len(k.cols))
	for i := range src.index {
		src.index[i] = -1
	}
	for i, cell := range cells {
		name := strings.TrimSpace(strings.TrimPrefix(cell, "\uFEFF"))
		for _, c := range k.cols {
			if name != c.zh && !strings.EqualFold(name, c.key) {
				continue
			}
			if j := src.index[c.pos]; j >= 0 {
				b.fileProblem(src.label, 1, c, "列重复（第 "+columnName(j)+" 列和第 "+columnName(i)+" 列）")
			} else {
				src.index[c.pos] = i
			}
			break
		}
	}
	ok := true
	for _, c := range k.cols {
		if c.required && src.index[c.pos] < 0 {
			b.fileProblem(src.label, 1, c, "缺少必填列")
			ok = false
		}
	}
	src.headed = ok
	return ok
}

// columnName returns the spreadsheet name of the 0-based column i: A, B, …
// Z, AA, …
func columnName(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append(b, byte('A'+(i-1)%26))
	}
	slices.Reverse(b)
	return string(b)
}

// row reads one data row of src numbered num. Blank rows (every cell empty)
// are skipped, and so is the second row of an import template, which
// explains the columns (see WriteTemplate); cells beyond the header must be
// empty.
//
// A file that is mostly wrong is not read to its end (see giveUp): its
// first problems tell what to fix, and the rest would cost time for
// nothing.
func (b *builder) row(src *source, num int, fields []string) {
	blank := true
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			blank = false
			break
		}
	}
	if blank || num == 2 && src.mapping == nil && templateNotes(src, fields) {
		return
	}
	if ms := src.mapping; ms != nil {
		if ms.pending {
			b.titleRow(src, num, fields) // the header may be below
			return
		}
		if summaryRow(fields, ms.keyCells, ms.needCells) {
			src.totals = append(src.totals, num)
			return
		}
	}
	if b.tooManyNamed(src) {
		return
	}
	src.data++
	if !b.parseRow(src, num, fields) {
		src.bad++
	}
	b.giveUp(src)
}

// summaryWords begin the first cell of the summary rows other systems
// write under their exports (合计：12 件; 总计; 小计).
var summaryWords = []string{"合计", "总计", "小计", "共计", "总数"}

// summaryLabel is a first cell that is a summary word alone or followed
// by a count, spaces removed: 合计, 合计：3件, 总计(12条), 共计共5项.
var summaryLabel = regexp.MustCompile(`^(?:合计|总计|小计|共计|总数)[:：]?共?(?:[(（]?[0-9][0-9,.]*(?:件|条|人次|人|次|个|项|行|名|户|笔)?[)）]?)?$`)

// summaryRow reports whether fields, a row of another system's export, is
// a summary row rather than a record. Its first cell that is not empty
// (spaces inside it ignored: 合 计) must begin with a summary word, and
// the row must not be a record: that cell is nothing but the word and
// perhaps a count (合计：3 件), or the row leaves empty every cell of keys,
// or more than half of the cells of need. keys and need are the
// positions of the cells every record fills: its key columns and its
// required columns (the columns of them a mapping reads, for the import;
// the columns every other row fills, for a survey). A row that fills
// them is a record whatever its first cell says (总数核查台账缺失), so
// that no record is ever passed over for a total.
//
// The import and the survey of a file (SurveyFile) skip the same rows
// with it; such rows are reported (Source.Totals), not taken for bad
// records. A DATA.md file has none.
func summaryRow(fields []string, keys, need []int) bool {
	first, ok := summaryStart(fields)
	switch {
	case !ok:
		return false
	case summaryLabel.MatchString(first):
		return true
	}
	filled := func(i int) bool { return i < len(fields) && gridscore.TrimText(fields[i]) != "" }
	if len(keys) > 0 && !slices.ContainsFunc(keys, filled) {
		return true
	}
	empty := 0
	for _, i := range need {
		if !filled(i) {
			empty++
		}
	}
	return 2*empty > len(need)
}

// summaryStart returns the first non-empty cell of fields, spaces
// removed, and whether it begins with a summary word.
func summaryStart(fields []string) (string, bool) {
	for _, f := range fields {
		v := strings.Join(strings.Fields(gridscore.TrimText(f)), "")
		if v == "" {
			continue
		}
		for _, w := range summaryWords {
			if strings.HasPrefix(v, w) {
				return v, true
			}
		}
		return v, false
	}
	return "", false
}

// tooManyNamed stops the reading of src, reporting why, when it would read
// more rows of a kind other rows name than the stream's maxNamed.
func (b *builder) tooManyNamed(src *source) bool {
	st := b.stream
	if st == nil || st.maxNamed <= 0 || !named[src.kind.name] {
		return false
	}
	if b.namedRows[src.kind.id]++; b.namedRows[src.kind.id] <= st.maxNamed {
		return false
	}
	src.gaveUp = true
	b.fileProblem(src.label, 0, nil, fmt.Sprintf("%s超过 %d 行，超出了一次导入的上限，没有再读下去：请分几次导入，或由管理员用命令行 gridscore import 导入",
		src.kind.zh, st.maxNamed))
	return true
}

// giveUpAfter is the number of bad rows of a file from which the file is
// no longer read if they are more than half of its rows read.
const giveUpAfter = 1000

// giveUp stops the reading of src, reporting why, once it has
// giveUpAfter bad rows and they are more than half of its rows.
func (b *builder) giveUp(src *source) {
	if src.gaveUp || src.bad < giveUpAfter || src.bad*2 <= src.data {
		return
	}
	src.gaveUp = true
	b.fileProblem(src.label, 0, nil, fmt.Sprintf("已读的 %d 行数据中有 %d 行有问题，其余的行没有再检查：请先改正已列出的问题，再重新导入", src.data, src.bad))
}

// parseRow reads the data row num of src, which is not blank, and reports
// whether it was read without a problem.
func (b *builder) parseRow(src *source, num int, fields []string) bool {
	if end := src.base + uint32(num) + 1; end > b.next[src.kind.id] {
		b.next[src.kind.id] = end
	}
	for i := src.width; i < len(fields); i++ {
		if strings.TrimSpace(fields[i]) != "" {
			at := "第 " + columnName(i) + " 列"
			b.report.add(Problem{File: src.label, Row: num, Column: at, Title: at,
				Message: "表头之外的列有内容（该行可能多了逗号或错位）"})
			return false
		}
	}
	r := row{src: src, b: b, fields: fields, num: num, ok: true}
	if src.mapping != nil {
		src.mapping.convert(&r)
	}
	src.kind.parse(&r)
	for _, p := range r.problems {
		b.report.add(p)
	}
	return r.ok && len(r.problems) == 0
}

// kindOf returns the kind a file or sheet named name (without extension)
// holds, reporting a problem when it is none.
func (b *builder) kindOf(label, name string) *kind {
	k := lookupKind(name)
	if k == nil {
		b.fileProblem(label, 0, nil, "无法从名称 "+quote(name)+" 看出数据类别；应为以下之一："+kindNames())
	}
	return k
}

// quote wraps s in Chinese quotation marks for a message.
func quote(s string) string { return "“" + s + "”" }
