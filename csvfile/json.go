package csvfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The records of a JSON request (the API's, DATA.md: "the JSON API that
// the grid app or platform pushes to"): an array of objects, one record
// each, keyed by the kind's column keys. Each object is read exactly as a
// row of the kind's file (the same values, spellings, messages and the
// record's own Validate), with the JSON types kept honest first: text,
// values of a closed set, dates and timestamps are strings; whole numbers
// and amounts are numbers; yes/no columns are true or false; null is a
// value left out. A key the kind does not have, a key given twice and a
// value of another type are problems of the item, named by its key.
//
// Problems name the item by its index in the array (ItemIndex), and a
// record given twice with different values names the other item (第 3 项).

// ErrTooManyItems is the error of a JSON request of more items than its
// bound.
var ErrTooManyItems = errors.New("csvfile: too many items")

// firstItemRow is the row of a source the item of index 0 is read as: rows
// 0 and 1 mean the whole file and its header.
const firstItemRow = 2

// ItemIndex returns the index, in the array of a JSON request, of the item
// a problem of ReadJSON is about; -1 for a problem of the whole request.
func ItemIndex(p Problem) int {
	if p.Row < firstItemRow {
		return -1
	}
	return p.Row - firstItemRow
}

// ReadJSON reads the JSON array of records of the kind named name (in
// English) from r, at most maxItems of them (ErrTooManyItems past that). It
// returns the records read with their origins and, when anything is wrong,
// a *Report of every problem (items named by ItemIndex), as Loader.Batch
// does; an array that is not JSON stops the reading at the first mistake,
// which the report names. References to stored rows are the caller's to
// check (Batch.CheckReferences).
func ReadJSON(name string, r io.Reader, maxItems int) (*Batch, error) {
	k := lookupKind(name)
	if k == nil || k.name != name {
		return nil, errors.New("csvfile: no kind " + strconv.Quote(name))
	}
	b := newBuilder()
	b.items = true
	src := b.newSource(name, k)
	src.width = len(k.cols)
	src.index = make([]int, len(k.cols))
	for i := range src.index {
		src.index[i] = i
	}
	b.start(src)
	dec := json.NewDecoder(r)
	whole := func(msg string) { b.report.add(Problem{File: name, Message: msg}) }
	item := func(i int, msg string) { b.report.add(Problem{File: name, Row: i + firstItemRow, Message: msg}) }
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		if err != nil && !jsonMistake(err) {
			return nil, err
		}
		whole("请求体应为 JSON 数组，每项是一条记录：[{…}, {…}]" + syntaxNote(err))
		return b.jsonBatch()
	}
	n := 0
	for ; dec.More(); n++ {
		if n == maxItems {
			return nil, ErrTooManyItems
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); !jsonMistake(err) {
			return nil, err
		} else if err != nil {
			item(n, "不是正确的 JSON"+syntaxNote(err)+"，其后的内容没有读取")
			return b.jsonBatch()
		}
		b.jsonItem(src, n, raw)
	}
	if _, err := dec.Token(); !jsonMistake(err) { // the closing bracket
		return nil, err
	} else if err != nil {
		item(n, "不是正确的 JSON"+syntaxNote(err)+"，其后的内容没有读取")
		return b.jsonBatch()
	}
	if _, err := dec.Token(); err != nil && err != io.EOF && !jsonMistake(err) {
		return nil, err
	} else if err != io.EOF {
		whole("JSON 数组之后还有内容：请求体应只是一个数组")
	} else if n == 0 {
		whole("数组是空的：请求中没有任何记录")
	}
	return b.jsonBatch()
}

// jsonBatch is the batch read and its report.
func (b *builder) jsonBatch() (*Batch, error) {
	batch := b.batch
	batch.unreadable = b.unreadable
	batch.items = true
	return &batch, b.report.err()
}

// jsonMistake reports whether err, of reading JSON, is a mistake of the
// JSON (or nil), rather than a failure to read it at all (a bound on its
// size, a connection gone), which is returned as it is.
func jsonMistake(err error) bool {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	return err == nil || errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// syntaxNote words where a JSON mistake is, for a message.
func syntaxNote(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "（第 " + strconv.FormatInt(se.Offset, 10) + " 个字节附近：" + se.Error() + "）"
	case errors.As(err, &te):
		return "（第 " + strconv.FormatInt(te.Offset, 10) + " 个字节附近）"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "（内容不完整）"
	case err != nil:
		return "（" + err.Error() + "）"
	}
	return ""
}

// jsonItem reads item i, raw, of src: its keys and the types of its values
// here, the rest as the row of a file (parseItem).
func (b *builder) jsonItem(src *source, i int, raw json.RawMessage) {
	k, num := src.kind, i+firstItemRow
	fields := make([]string, len(k.cols))
	wrong := map[*column]bool{}
	var problems []Problem
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		b.report.add(Problem{File: src.label, Row: num, Message: "每项应为一个 JSON 对象（{\"" + k.cols[0].key + "\": …}），不是" + jsonKind(raw)})
		return
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, _ := dec.Token()
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			b.report.add(Problem{File: src.label, Row: num, Message: "不是正确的 JSON" + syntaxNote(err)})
			return
		}
		c := k.byKey(key)
		switch {
		case c == nil:
			problems = append(problems, Problem{File: src.label, Row: num, Column: key, Title: key, Key: key,
				Message: "没有这个字段：" + k.zh + "的字段为 " + k.keyList()})
		case seen[key]:
			wrong[c] = true
			problems = append(problems, c.problem(src.label, num, "字段重复：同一项中只能出现一次"))
		default:
			seen[key] = true
			cell, msg := jsonCell(describedKinds()[k][c].kind, value)
			if msg != "" {
				wrong[c] = true
				problems = append(problems, c.problem(src.label, num, msg))
			}
			fields[c.pos] = cell
		}
	}
	b.parseItem(src, num, fields, wrong, problems)
}

// jsonCell returns the cell a JSON value of a column holding values of
// kind v stands for, or why the value's type is not the column's.
func jsonCell(v valueKind, raw json.RawMessage) (string, string) {
	switch raw[0] {
	case 'n':
		return "", ""
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", "不是正确的 JSON 字符串"
		}
		switch v {
		case valueBool:
			return "", "应为 true 或 false，不是字符串 " + quoted(s)
		case valueInteger, valueMoney:
			return "", "应为 JSON 数值（如 " + numberExample(v) + "），不是字符串 " + quoted(s)
		}
		return s, ""
	case 't', 'f':
		if v == valueBool {
			return string(raw), ""
		}
	default:
		if raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9' {
			if v == valueInteger || v == valueMoney {
				return string(raw), ""
			}
		}
	}
	switch v {
	case valueBool:
		return "", "应为 true 或 false，不是" + jsonKind(raw)
	case valueInteger, valueMoney:
		return "", "应为 JSON 数值（如 " + numberExample(v) + "），不是" + jsonKind(raw)
	}
	return "", "应为 JSON 字符串，不是" + jsonKind(raw)
}

// numberExample is a number of the kind of value v, for a message.
func numberExample(v valueKind) string {
	if v == valueMoney {
		return "525.50"
	}
	return "1200"
}

// jsonKind names the type of a JSON value in Chinese, with the value when
// it is short.
func jsonKind(raw json.RawMessage) string {
	switch raw[0] {
	case '{':
		return "对象"
	case '[':
		return "数组"
	case '"':
		return "字符串"
	case 't', 'f':
		return "布尔值 " + string(raw)
	case 'n':
		return "null"
	}
	return "数值 " + clip(string(raw), 30)
}

// byKey returns the kind's column named key exactly (DATA.md's English
// name), nil when it has none.
func (k *kind) byKey(key string) *column {
	for _, c := range k.cols {
		if c.key == key {
			return c
		}
	}
	return nil
}

// keyList lists the kind's column keys for a message.
func (k *kind) keyList() string {
	keys := make([]string, len(k.cols))
	for i, c := range k.cols {
		keys[i] = c.key
	}
	return strings.Join(keys, "、")
}

// parseItem reads an item as parseRow reads a row, the problems found in
// its JSON (problems, and the columns whose value was of the wrong type,
// wrong) reported first: the reader says nothing more of those columns.
func (b *builder) parseItem(src *source, num int, fields []string, wrong map[*column]bool, problems []Problem) {
	if end := src.base + uint32(num) + 1; end > b.next[src.kind.id] {
		b.next[src.kind.id] = end
	}
	src.rows++
	r := row{src: src, b: b, fields: fields, num: num, ok: len(problems) == 0, problems: problems, wrong: wrong}
	src.kind.parse(&r)
	slices.SortStableFunc(r.problems, func(a, b Problem) int { return src.kind.keyOrder(a.Key) - src.kind.keyOrder(b.Key) })
	for _, p := range r.problems {
		b.report.add(p)
	}
}

// keyOrder is the position of the column named key among the kind's, for
// ordering an item's problems; a key the kind does not have comes last.
func (k *kind) keyOrder(key string) int {
	first, _, _ := strings.Cut(key, "+")
	if c := k.byKey(first); c != nil {
		return c.pos
	}
	return len(k.cols)
}
