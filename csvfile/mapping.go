package csvfile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gridscore/gridscore"
)

// A file another system exported is read through a mapping
// (gridscore.Mapping): the mapping says which of the file's columns fills
// each column of its kind, what each value of an enumerated column means,
// and the form of its dates. The mapping is applied before anything else
// reads the row: the header is matched by the mapping's headers instead of
// DATA.md's names (mappedHeader), and each cell it converts is replaced by
// the value DATA.md would write (convert). From there the row is read by
// its kind's parse like any DATA.md row — the same accessors, the same
// Validate, the same duplicate and reference checks, the same all or
// nothing — and problems name the file's own header beside DATA.md's
// (nameMappedColumns).

// mappedSource is a mapping bound to the source it reads.
type mappedSource struct {
	m *gridscore.Mapping
	// cols holds, per kind column position, how its cell is converted
	// (nil when the mapping does not fill the column).
	cols []*mappedCell
	// buf is the row's converted cells (reused from row to row).
	buf []string
	// headers are the mapping's headers.
	headers []string
	// pending is set until the header is found: the rows read until then
	// (title, nums) are kept to choose it from (see titleRow).
	pending bool
	title   [][]string
	nums    []int
	// keyCells and needCells are the positions of the cells every record
	// fills, for summaryRow: its key columns and its required columns
	// the mapping reads.
	keyCells, needCells []int
}

// mappedCell is a column of the file the mapping converts.
type mappedCell struct {
	header string
	values map[string]string // file value → DATA.md code, for enumerated columns
	date   *DateFormat       // for date and timestamp columns
	// timestamp is set for a timestamp column: a date alone is its 00:00.
	timestamp bool
}

// newMappedSource returns the source label read with m, whose kind is
// m's. m is taken as checked (CheckMapping).
func (b *builder) newMappedSource(label string, m *gridscore.Mapping) *source {
	k := lookupKind(m.Kind)
	if k == nil {
		b.fileProblem(label, 0, nil, "映射“"+m.Name+"”的数据类别 "+quote(m.Kind)+" 不存在")
		return nil
	}
	described := describedKinds()[k]
	ms := &mappedSource{m: m, cols: make([]*mappedCell, len(k.cols))}
	for _, mc := range m.Columns {
		c := k.find(mc.Key)
		if c == nil {
			continue
		}
		cell := &mappedCell{header: gridscore.TrimText(mc.Header)}
		switch v := described[c]; v.kind {
		case valueEnum, valueBool:
			cell.values = mc.Values
		case valueDate, valueTimestamp:
			cell.date = dateFormatOf(mc.DateFormat)
			cell.timestamp = v.kind == valueTimestamp
		}
		ms.cols[c.pos] = cell
	}
	for _, h := range m.Headers() {
		if h = gridscore.TrimText(h); h != "" {
			ms.headers = append(ms.headers, h)
		}
	}
	ms.pending = true
	src := b.newSource(label, k)
	src.mapping = ms
	return src
}

// maxTitleRows bounds the rows above the header of another system's
// export: the title, the date of the export, that it writes there.
const maxTitleRows = 10

// headerIndex returns which of rows, the first rows of a table that are
// not blank (maxTitleRows at most), is its header: the first of those
// that has the most non-empty cells. A title above the header (网格E通事件导出,
// 导出时间：2023-10-08) fills fewer cells than the header, even in a
// narrow file, and the rows below it no more than it. The import of a
// mapped file (titleRow) and the looks at a file before (Headers,
// SurveyFile) take the same row for the header by it. It returns -1 when
// every row is blank.
func headerIndex(rows [][]string) int {
	h, most := -1, 0
	for i, r := range rows {
		n := 0
		for _, c := range r {
			if gridscore.TrimText(c) != "" {
				n++
			}
		}
		if n > most {
			h, most = i, n
		}
	}
	return h
}

// shared counts the cells that are headers of the mapping.
func (ms *mappedSource) shared(cells []string) int {
	n := 0
	for _, c := range cells {
		if c = gridscore.TrimText(c); c != "" && slices.Contains(ms.headers, c) {
			n++
		}
	}
	return n
}

// titleRow keeps the row num of src, read with a mapping, while its
// header is not known: other systems often write a title above it. Once
// maxTitleRows rows that are not blank are kept, or the table ends
// (endTitle), the header is chosen among them (headerIndex), and the rows
// after it are read.
func (b *builder) titleRow(src *source, num int, cells []string) {
	ms := src.mapping
	if strings.TrimSpace(strings.Join(cells, "")) == "" {
		return
	}
	ms.title = append(ms.title, slices.Clone(cells)) // a CSV reader reuses its rows
	ms.nums = append(ms.nums, num)
	if len(ms.title) == maxTitleRows {
		b.endTitle(src)
	}
}

// endTitle chooses the header of src, read with a mapping, among the rows
// titleRow kept, and reads the rows after it. It does nothing once the
// header was chosen, or when no row was kept (mappedEnd reports it).
func (b *builder) endTitle(src *source) {
	ms := src.mapping
	if ms == nil || !ms.pending || len(ms.title) == 0 || b.stopped() {
		return
	}
	rows, nums := ms.title, ms.nums
	ms.pending, ms.title, ms.nums = false, nil, nil
	h := headerIndex(rows)
	if !b.mappedHeader(src, rows[h], nums[h], len(rows) == maxTitleRows) {
		return
	}
	for i := h + 1; i < len(rows); i++ {
		b.row(src, nums[i], rows[i])
		if b.stopped() || src.gaveUp {
			return
		}
	}
}

// find returns the kind's column named key, or nil.
func (k *kind) find(key string) *column {
	for _, c := range k.cols {
		if c.key == key && key != "" {
			return c
		}
	}
	return nil
}

// mappedHeader maps the header cells of src (row num), read with a
// mapping, to the kind's columns by the mapping's headers. Every header
// the mapping reads must be there once; the file's other columns are not
// read. It returns false when one is missing or repeated, or when the row
// holds less than half of the mapping's headers: then the file is not one
// the mapping reads (or, when full, its header is below the first
// maxTitleRows rows).
func (b *builder) mappedHeader(src *source, cells []string, num int, full bool) bool {
	ms := src.mapping
	src.index = make([]int, len(src.kind.cols))
	for i := range src.index {
		src.index[i] = -1
	}
	if n := ms.shared(cells); 2*n < len(ms.headers) {
		src.gaveUp = true
		if full {
			b.fileProblem(src.label, 0, nil, fmt.Sprintf("前 %d 行中%s，或表头写在了更下面", maxTitleRows, ms.noHeader()))
		} else {
			b.fileProblem(src.label, 0, nil, "文件中"+ms.noHeader())
		}
		return false
	}
	src.width = len(cells)
	ok := true
	for _, c := range src.kind.cols {
		cell := ms.cols[c.pos]
		if cell == nil {
			continue
		}
		for i, h := range cells {
			if gridscore.TrimText(h) != cell.header {
				continue
			}
			if j := src.index[c.pos]; j >= 0 {
				b.fileProblem(src.label, num, c, "列“"+cell.header+"”出现了两次（第 "+columnName(j)+" 列和第 "+columnName(i)+" 列），不知道按哪一列读取")
				ok = false
				break
			}
			src.index[c.pos] = i
		}
		if src.index[c.pos] < 0 {
			b.fileProblem(src.label, num, c, "文件中没有映射“"+ms.m.Name+"”所需的列“"+cell.header+"”")
			ok = false
		}
	}
	ms.keyCells, ms.needCells = nil, nil
	for _, c := range src.kind.keyCols {
		if i := src.index[c.pos]; i >= 0 {
			ms.keyCells = append(ms.keyCells, i)
		}
	}
	for _, c := range src.kind.cols {
		if i := src.index[c.pos]; i >= 0 && c.required {
			ms.needCells = append(ms.needCells, i)
		}
	}
	src.headed, src.gaveUp = ok, !ok
	return ok
}

// convert replaces, in the row r of a mapped source, each cell the
// mapping converts by the value DATA.md writes: an enumerated value by
// its code, a date by 2023-07-03 (with its time, 2023-07-03 09:15:00). A
// value the mapping does not know, or a date not in its form, is a
// problem of the row's column, and the cell is left empty so that no
// other problem is told of it.
func (ms *mappedSource) convert(r *row) {
	ms.buf = append(ms.buf[:0], r.fields...)
	r.fields = ms.buf
	for _, c := range r.src.kind.cols {
		cell := ms.cols[c.pos]
		i := r.src.index[c.pos]
		if cell == nil || i < 0 || i >= len(r.fields) {
			continue
		}
		v := gridscore.TrimText(r.fields[i])
		if v == "" {
			continue
		}
		switch {
		case cell.values != nil:
			code, ok := cell.values[v]
			if !ok {
				r.fields[i] = ""
				r.fail(c, "值 "+quoted(v)+" 不在映射“"+ms.m.Name+"”中（该列已有的值："+knownValues(cell.values)+
					"）：请在导入页面为这个值选择含义，或改正文件")
				continue
			}
			r.fields[i] = code
		case cell.date != nil:
			r.fields[i] = ms.date(r, c, cell, v)
		}
	}
}

// date converts the date v of column c, reporting a value not in the
// mapping's form; a column of dates (not timestamps) takes no time of day.
func (ms *mappedSource) date(r *row, c *column, cell *mappedCell, v string) string {
	st, msg := cell.date.read(v, r.src.excel, r.src.date1904)
	switch {
	case msg == msgBadStamp:
		r.fail(c, "日期 "+quoted(v)+" 不是映射“"+ms.m.Name+"”所定的写法 "+cell.date.label())
		return ""
	case msg != "":
		r.fail(c, msg+"："+quoted(v))
		return ""
	case !cell.timestamp && !st.midnight():
		r.fail(c, "应为日期，不带时间："+st.display(v))
		return ""
	case cell.date.ID == "" && (st.hasTime || !cell.timestamp):
		return v // DATA.md's form already: read as any DATA.md cell
	}
	return st.text(cell.timestamp)
}

// knownValues lists the values a mapped column knows, for a message.
func knownValues(values map[string]string) string {
	var vs []string
	for v := range values {
		vs = append(vs, quoted(v))
	}
	slices.Sort(vs)
	if len(vs) > 10 {
		vs = append(vs[:10], "…")
	}
	return strings.Join(vs, "、")
}

// noHeader says that a file has not the mapping's header.
func (ms *mappedSource) noHeader() string {
	hs := ms.headers
	if len(hs) > 5 {
		hs = append(hs[:5:5], "…")
	}
	return "没有映射“" + ms.m.Name + "”的表头（" + strings.Join(hs, "、") + "）：文件不是这个映射所读的文件"
}

// mappedEnd finishes the reading of the files read with a mapping: a
// file whose header was never found (every row blank) is reported, and
// the problems name the files' own columns (nameMappedColumns).
func (b *builder) mappedEnd() {
	for _, src := range b.sources {
		if ms := src.mapping; ms != nil && ms.pending {
			ms.pending = false
			b.fileProblem(src.label, 0, nil, "文件中"+ms.noHeader())
		}
	}
	b.nameMappedColumns()
}

// nameMappedColumns names, in the problems of the files read with a
// mapping, each column by the file's own header beside DATA.md's:
// 上报人工号（工号，worker_id）, and 上报人工号（工号） on a page.
func (b *builder) nameMappedColumns() {
problems:
	for i := range b.report.Problems {
		p := &b.report.Problems[i]
		src := b.sources[p.File]
		if src == nil || src.mapping == nil || p.Key == "" {
			continue
		}
		var column, title []string
		for _, key := range strings.Split(p.Key, "+") {
			c := src.kind.find(key)
			if c == nil {
				continue problems
			}
			if cell := src.mapping.cols[c.pos]; cell != nil {
				column = append(column, cell.header+"（"+c.zh+"，"+c.key+"）")
				title = append(title, cell.header+"（"+c.zh+"）")
			} else {
				column, title = append(column, c.label()), append(title, c.zh)
			}
		}
		p.Column, p.Title = strings.Join(column, "+"), strings.Join(title, "+")
	}
}
