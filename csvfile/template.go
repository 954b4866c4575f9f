package csvfile

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// valueKind is what a column holds, as its kind's parse reads it.
type valueKind int

const (
	valueText valueKind = iota + 1
	valueEnum
	valueBool
	valueDate
	valueTimestamp
	valueInteger
	valueMoney
)

// columnValue is how a column is read: its kind of value and, for an
// enumerated one, its values.
type columnValue struct {
	kind valueKind
	enum *enum
}

// describe returns how k's parse reads each of its columns, found by
// running the parse on an empty row that records each accessor it calls
// (row.seen): the templates cannot disagree with the reader.
func (k *kind) describe() map[*column]columnValue {
	index := make([]int, len(k.cols))
	for i := range index {
		index[i] = -1
	}
	r := row{src: &source{kind: k, index: index}, b: &builder{}, seen: map[*column]columnValue{}}
	k.parse(&r)
	return r.seen
}

// describedKinds is describe of every kind, made once.
var describedKinds = sync.OnceValue(func() map[*kind]map[*column]columnValue {
	m := make(map[*kind]map[*column]columnValue, len(kinds))
	for _, k := range kinds {
		m[k] = k.describe()
	}
	return m
})

// note is the explanation of column c of k in the second row of k's
// template: required or not, what the column holds and what its values
// look like.
func (k *kind) note(c *column) string {
	var b strings.Builder
	if c.required {
		b.WriteString("必填。")
	} else {
		b.WriteString("选填。")
	}
	b.WriteString(columnMeaning[c])
	b.WriteString("。")
	v := describedKinds()[k][c]
	switch v.kind {
	case valueEnum:
		b.WriteString("填：" + strings.Join(v.enum.choices(), "、"))
	case valueBool:
		b.WriteString("填 是 或 否，留空为否")
	case valueDate:
		b.WriteString("日期，如 2023-07-03")
	case valueTimestamp:
		b.WriteString("日期时间，如 2023-07-03 09:15")
	case valueInteger:
		b.WriteString("整数")
	case valueMoney:
		b.WriteString("金额（元），最多两位小数")
	}
	return strings.TrimSuffix(b.String(), "。")
}

// choices returns the Chinese labels of e's values, in order.
func (e *enum) choices() []string {
	out := make([]string, 0, len(e.values))
	for _, v := range e.values {
		out = append(out, v.zh)
	}
	return out
}

// templateNotes reports whether the data row fields of src is the second
// row of src's kind's template, which the reader skips: every cell is the
// explanation of its column or empty, and one at least is not empty.
func templateNotes(src *source, fields []string) bool {
	k := src.kind
	matched := 0
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		c := src.columnAt(i)
		if c == nil || f != k.note(c) {
			return false
		}
		matched++
	}
	return matched > 0
}

// columnAt returns the kind's column in cell i of src's rows, or nil.
func (src *source) columnAt(i int) *column {
	for _, c := range src.kind.cols {
		if src.index[c.pos] == i {
			return c
		}
	}
	return nil
}

// TemplateKind is a kind of record an import template is made for.
type TemplateKind struct {
	Name  string // English, as in DATA.md: events
	Title string // Chinese: 事件
}

// TemplateKinds lists every kind of DATA.md §1, in its order.
func TemplateKinds() []TemplateKind {
	out := make([]TemplateKind, len(kinds))
	for i, k := range kinds {
		out[i] = TemplateKind{Name: k.name, Title: k.zh}
	}
	return out
}

// IsKind reports whether name (English or Chinese) is a kind of DATA.md §1.
func IsKind(name string) bool { return lookupKind(name) != nil }

// TemplateFileName is the name of the template of the kind named name
// (English or Chinese) alone: its Chinese name, 事件.xlsx.
func TemplateFileName(name string) string {
	if k := lookupKind(name); k != nil {
		return k.zh + ".xlsx"
	}
	return name + ".xlsx"
}

// templateRows is how many rows of a template sheet are prepared (formats
// and drop-down lists): more than a quarter of any one town's records.
const templateRows = 100000

// WriteTemplate writes an import template: a workbook with one sheet per
// named kind (English or Chinese names; every kind when none is named),
// named in Chinese, whose first row has the Chinese headers, whose second
// row explains each column (the reader skips it), whose columns are
// formatted for their values (text for codes and ID numbers, so that Excel
// keeps their digits; dates and date-times as such) and whose enumerated
// columns offer their values in a drop-down list. A filled-in template
// imports as it is.
func WriteTemplate(w io.Writer, names ...string) error {
	ks := kinds
	if len(names) > 0 {
		ks = nil
		for _, n := range names {
			k := lookupKind(n)
			if k == nil {
				return fmt.Errorf("没有名为 %s 的数据类别；应为以下之一：%s", quote(n), kindNames())
			}
			ks = append(ks, k)
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	for i, k := range ks {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), k.zh)
		} else {
			_, err = f.NewSheet(k.zh)
		}
		if err == nil {
			err = writeTemplateSheet(f, k, st)
		}
		if err != nil {
			return fmt.Errorf("模板 %s：%w", k.zh, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// templateStyles are the style ids of a template's cells.
type templateStyles struct {
	required, optional, note int
	byValue                  map[valueKind]int
}

func newTemplateStyles(f *excelize.File) (*templateStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "B7B7B7", Style: 1}, {Type: "right", Color: "B7B7B7", Style: 1},
		{Type: "top", Color: "B7B7B7", Style: 1}, {Type: "bottom", Color: "B7B7B7", Style: 1},
	}
	header := func(color string) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: color, Family: "宋体", Size: 11},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border:    border,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
			NumFmt:    49, // text
		}
	}
	var st templateStyles
	var err error
	if st.required, err = f.NewStyle(header("C00000")); err != nil {
		return nil, err
	}
	if st.optional, err = f.NewStyle(header("000000")); err != nil {
		return nil, err
	}
	if st.note, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Color: "595959", Family: "宋体", Size: 9},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
		Border:    border,
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		NumFmt:    49,
	}); err != nil {
		return nil, err
	}
	custom := func(format string) *excelize.Style { return &excelize.Style{CustomNumFmt: &format} }
	formats := map[valueKind]*excelize.Style{
		valueText:      {NumFmt: 49},
		valueEnum:      {NumFmt: 49},
		valueBool:      {NumFmt: 49},
		valueDate:      custom("yyyy-mm-dd"),
		valueTimestamp: custom("yyyy-mm-dd hh:mm"),
		valueInteger:   {NumFmt: 1},
		valueMoney:     {NumFmt: 2},
	}
	st.byValue = map[valueKind]int{}
	for v, s := range formats {
		if st.byValue[v], err = f.NewStyle(s); err != nil {
			return nil, err
		}
	}
	return &st, nil
}

// writeTemplateSheet fills the sheet named k.zh.
func writeTemplateSheet(f *excelize.File, k *kind, st *templateStyles) error {
	sheet := k.zh
	described := describedKinds()[k]
	for i, c := range k.cols {
		col := columnName(i)
		v := described[c]
		if err := f.SetColStyle(sheet, col, st.byValue[v.kind]); err != nil {
			return err
		}
		note := k.note(c)
		// Wide enough for the header and a date-time, the note wrapping
		// in at most about four lines.
		width := max(float64(utf8.RuneCountInString(c.zh))*2.2+2, 18, float64(utf8.RuneCountInString(note))*2.1/4)
		if err := f.SetColWidth(sheet, col, col, min(width, 40)); err != nil {
			return err
		}
		style := st.optional
		if c.required {
			style = st.required
		}
		for _, cell := range []struct {
			row   int
			value string
			style int
		}{{1, c.zh, style}, {2, note, st.note}} {
			ref := fmt.Sprintf("%s%d", col, cell.row)
			if err := f.SetCellStr(sheet, ref, cell.value); err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, ref, ref, cell.style); err != nil {
				return err
			}
		}
		var choices []string
		switch v.kind {
		case valueEnum:
			choices = v.enum.choices()
		case valueBool:
			choices = booleans.choices()
		}
		if len(choices) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s3:%s%d", col, col, templateRows)
			if err := dv.SetDropList(choices); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.zh, "应为："+strings.Join(choices, "、"))
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetRowHeight(sheet, 1, 22); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 2, 66); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}
