package csvfile

import (
	"strconv"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// row is one data row being read: its cells, where it is, and whether a
// problem was found in it. The accessors below read one column each, report a
// problem in Chinese when the value is wrong, and return the zero value then;
// the kind's parse function adds the record only if the row stayed ok.
type row struct {
	src    *source
	b      *builder
	fields []string
	num    int
	ok     bool
	// problems are the row's, reported once it is read (see parseRow).
	problems []Problem
	// seen, when not nil, records how each column is read, and nothing is
	// added or checked (see kind.describe).
	seen map[*column]columnValue
	// wrong holds the columns of a JSON item whose value had the wrong
	// type, reported already (see parseItem): nothing more is said of them.
	wrong map[*column]bool
}

// read records, when the row is being described, that column c holds
// values of kind v (of e, for an enumerated column); the first accessor
// called for a column names its kind (boolean reads through enum).
func (r *row) read(c *column, v valueKind, e *enum) {
	if _, ok := r.seen[c]; r.seen != nil && !ok {
		r.seen[c] = columnValue{kind: v, enum: e}
	}
}

// origin returns where the row is.
func (r *row) origin() Origin { return Origin{File: r.src.label, Row: r.num} }

// raw returns the cell of column c trimmed of spaces and invisible
// characters (gridscore.TrimText: a byte-order mark glued to a key is not
// part of it), or "" when the file has no such column or the row is short.
func (r *row) raw(c *column) string {
	i := r.src.index[c.pos]
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	return gridscore.TrimText(r.fields[i])
}

// fail reports a problem with column c of this row.
func (r *row) fail(c *column, msg string) {
	r.ok = false
	if r.wrong[c] {
		return
	}
	r.problems = append(r.problems, c.problem(r.src.label, r.num, msg))
}

// quoted quotes a cell's value for a message, cut to 100 characters: a
// message need not repeat a huge cell.
func quoted(s string) string { return strconv.Quote(clip(s, 100)) }

// present returns the cell of c and whether it is non-empty. An empty cell
// is no problem of the reader's: the record's Validate says which fields it
// requires.
func (r *row) present(c *column) (string, bool) {
	s := r.raw(c)
	return s, s != ""
}

// text reads a free-text or identifier column. A value Excel turned into
// scientific notation (an ID number or a long code typed into a number cell:
// 3.30102E+17) has lost its digits and is refused.
func (r *row) text(c *column) string {
	r.read(c, valueText, nil)
	s, _ := r.present(c)
	if scientific(s) {
		r.fail(c, "数字被 Excel 改成了科学计数法（"+s+"），原来的数字已丢失：请把该列设为文本格式后重新填写")
		return ""
	}
	return s
}

// scientific reports whether s has the form 1.23E+17.
func scientific(s string) bool {
	p := scanner{s: s}
	if _, ok := p.digits(1, 1); !ok {
		return false
	}
	if p.lit(".") {
		if _, ok := p.digits(1, 30); !ok {
			return false
		}
	}
	if !p.lit("E") && !p.lit("e") {
		return false
	}
	p.lit("+")
	_, ok := p.digits(1, 3)
	return ok && p.done()
}

// enum reads a column with a closed set of values and returns its code.
func (r *row) enum(c *column, e *enum) string {
	r.read(c, valueEnum, e)
	s, ok := r.present(c)
	if !ok {
		return ""
	}
	code, ok := e.parse(s)
	if !ok {
		r.fail(c, "无法识别的值 "+quoted(s)+"，应为："+e.hint())
	}
	return code
}

// boolean reads 是/否, true/false or 1/0; empty is false.
func (r *row) boolean(c *column) bool {
	r.read(c, valueBool, booleans)
	return r.enum(c, booleans) == "true"
}

// stamp parses the cell of c as a date or timestamp; an Excel serial number
// is accepted in a workbook. what names the expected value and hint shows
// its forms, for a message about a value in no known form.
func (r *row) stamp(c *column, what, hint string) (stamp, bool) {
	s, ok := r.present(c)
	if !ok {
		return stamp{}, false
	}
	if r.src.excel {
		if st, ok := excelSerial(s, r.src.date1904); ok {
			return st, true
		}
	}
	st, msg := parseStamp(s)
	if msg != "" {
		if strings.HasPrefix(msg, "格式") {
			r.fail(c, what+msg+"："+quoted(s)+hint)
		} else {
			r.fail(c, msg+"："+quoted(s))
		}
		return stamp{}, false
	}
	return st, true
}

// date reads a date (2023-07-03, 2023/7/3, 2023年7月3日). A time of exactly
// 00:00 is tolerated, since spreadsheets like to add one to dates.
func (r *row) date(c *column) gridscore.Date {
	r.read(c, valueDate, nil)
	st, ok := r.stamp(c, "日期", "（应为 2023-07-03、2023/7/3 或 2023年7月3日）")
	if !ok {
		return 0
	}
	if !st.midnight() {
		r.fail(c, "应为日期，不带时间："+st.display(r.raw(c)))
		return 0
	}
	return st.date()
}

// timestamp reads a date and time; without a zone it is CST.
func (r *row) timestamp(c *column) time.Time {
	r.read(c, valueTimestamp, nil)
	st, ok := r.stamp(c, "日期时间", "（应为 2023-07-03 09:15、2023/7/3 9:15:00 或 2023-07-03T09:15:00+08:00 等）")
	if !ok {
		return time.Time{}
	}
	if !st.hasTime {
		r.fail(c, "缺少时间（应为 2023-07-03 09:15 这样的日期时间）："+strconv.Quote(r.raw(c)))
		return time.Time{}
	}
	return st.time()
}

// integer reads a whole number; an empty optional cell gives def. An empty
// required cell is reported here: a number cannot be seen to be missing on
// the record (0 is a number). Its range is the record's rule.
func (r *row) integer(c *column, def int64) int64 {
	r.read(c, valueInteger, nil)
	s, ok := r.present(c)
	if !ok {
		if c.required {
			r.fail(c, msgRequired)
		}
		return def
	}
	v, ok := parseInt(s)
	if !ok && r.src.excel {
		v, ok = excelInteger(s)
	}
	if !ok {
		r.fail(c, "应为整数："+quoted(s))
		return def
	}
	return v
}

// msgRequired is what the reader says of an empty required number, as the
// records say it of their other required fields.
const msgRequired = "必填，不能为空"

// money reads an optional amount in yuan with at most two decimals, exactly
// (no floating point), into fen; empty gives nil.
func (r *row) money(c *column) *gridscore.Fen {
	r.read(c, valueMoney, nil)
	s, ok := r.present(c)
	if !ok {
		return nil
	}
	v, ok := gridscore.ParseHundredths(s)
	if !ok && r.src.excel {
		v, ok = excelHundredths(s)
	}
	if !ok {
		r.fail(c, "金额应为元，最多两位小数："+quoted(s))
		return nil
	}
	f := gridscore.Fen(v)
	return &f
}

// check turns what the record's Validate found (err) into problems of this
// row. A field whose cell the reader already found wrong is not reported
// again; the others take their column's place among the row's problems,
// and the rules between fields come last, so a row's problems read in the
// order of its columns. A value is shown as it was typed.
func (r *row) check(err error) {
	if err == nil || r.seen != nil {
		return
	}
	es, ok := err.(gridscore.FieldErrors)
	if !ok {
		panic("csvfile: Validate returned " + err.Error())
	}
	r.ok = false
	k := r.src.kind
	read := r.problems // the reader's, in column order
	var out []Problem
	for _, c := range k.cols {
		found := false
		for _, p := range read {
			if p.Key == c.key {
				out, found = append(out, p), true
			}
		}
		for _, e := range es {
			if e.Field == c.key && !e.Cross && !found {
				out = append(out, r.fieldProblem(c, e))
			}
		}
	}
	for _, e := range es {
		if e.Cross {
			out = append(out, r.fieldProblem(k.column(e.Field), e))
		}
	}
	for _, p := range read { // of no column: a JSON item's unknown key
		if k.byKey(p.Key) == nil {
			out = append(out, p)
		}
	}
	r.problems = out
}

// fieldProblem is the problem of a field error e on column c of this row.
func (r *row) fieldProblem(c *column, e gridscore.FieldError) Problem {
	if e.Value != "" {
		e.Value = clip(r.raw(c), 100)
	}
	return c.problem(r.src.label, r.num, e.Text())
}
