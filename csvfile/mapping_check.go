package csvfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gridscore/gridscore"
)

// Bounds of a mapping: an export has some dozens of columns, an
// enumerated column a handful of values.
const (
	maxMappedColumns = 500
	maxMappedValues  = 200
	maxMappedText    = 200 // characters of a header or a value
)

// CheckMapping checks m against the columns of its kind: a name; a kind;
// headers that are there and, for the columns read, distinct; each column
// of the kind filled by one column of the file at most, and every
// required one filled; values given only for enumerated columns, each
// meaning a value of the column (or, for an optional column, an empty
// cell); forms of dates given only for date columns, each one of
// DateFormats. It trims the name, the headers and the values first. It
// returns gridscore.MappingErrors, or nil.
func CheckMapping(m *gridscore.Mapping) error {
	var es gridscore.MappingErrors
	fail := func(col int, format string, args ...any) {
		es = append(es, gridscore.MappingError{Column: col, Message: fmt.Sprintf(format, args...)})
	}
	m.Name = gridscore.TrimText(m.Name)
	switch {
	case m.Name == "":
		fail(-1, "请给映射起一个名称。")
	case strings.Contains(m.Name, "/"):
		fail(-1, "映射的名称不能含有“/”。")
	default:
		if msg := gridscore.CheckText(m.Name, gridscore.NameText); msg != "" {
			fail(-1, "映射的名称%s。", msg)
		}
	}
	k := lookupKind(m.Kind)
	if k == nil {
		if m.Kind == "" {
			fail(-1, "请选择文件中是哪类数据。")
		} else {
			fail(-1, "没有名为 %s 的数据类别；应为以下之一：%s。", quote(m.Kind), kindNames())
		}
		return es
	}
	m.Kind = k.name
	switch {
	case len(m.Columns) == 0:
		fail(-1, "映射中没有任何列。")
		return es
	case len(m.Columns) > maxMappedColumns:
		fail(-1, "映射中的列超过 %d 列。", maxMappedColumns)
		return es
	}
	described := describedKinds()[k]
	filledBy := map[*column]int{}
	for i := range m.Columns {
		mc := &m.Columns[i]
		mc.Header = gridscore.TrimText(mc.Header)
		at := "第 " + columnName(i) + " 列“" + mc.Header + "”"
		if len([]rune(mc.Header)) > maxMappedText {
			fail(i, "%s的表头超过 %d 个字。", "第 "+columnName(i)+" 列", maxMappedText)
			continue
		}
		if msg := gridscore.CheckText(mc.Header, gridscore.TextRule{Kind: gridscore.TextLine}); msg != "" {
			fail(i, "%s的表头%s。", at, msg)
			continue
		}
		if mc.Key == "" {
			if len(mc.Values) > 0 || mc.DateFormat != "" {
				fail(i, "%s不读取，却给出了取值或日期写法。", at)
			}
			continue
		}
		c := k.find(mc.Key)
		if c == nil {
			fail(i, "%s：%s没有名为 %s 的列。", at, k.zh, quote(mc.Key))
			continue
		}
		if mc.Header == "" {
			fail(i, "第 %s 列没有表头，不能读取：请在文件中给它写上表头。", columnName(i))
			continue
		}
		for j := range m.Columns {
			if j != i && gridscore.TrimText(m.Columns[j].Header) == mc.Header {
				fail(i, "表头“%s”出现了不止一次（第 %s 列和第 %s 列）：不知道按哪一列读取，请在文件中改名。", mc.Header, columnName(min(i, j)), columnName(max(i, j)))
				break
			}
		}
		if j, ok := filledBy[c]; ok {
			fail(i, "第 %s 列“%s”和%s都填入 %s：每一列只能由文件中的一列填入。", columnName(j), m.Columns[j].Header, at, c.label())
			continue
		}
		filledBy[c] = i
		checkMappedValues(fail, i, at, mc, c, described[c])
	}
	for _, c := range k.cols {
		if _, ok := filledBy[c]; c.required && !ok {
			fail(-1, "必填列 %s没有对应的列：请为它选择文件中的一列。", c.label())
		}
	}
	if len(es) == 0 {
		return nil
	}
	return es
}

// checkMappedValues checks the values and the form of dates of the mapped
// column mc (at i, named at), which fills c read as v.
func checkMappedValues(fail func(int, string, ...any), i int, at string, mc *gridscore.MappedColumn, c *column, v columnValue) {
	switch v.kind {
	case valueEnum, valueBool:
		if mc.DateFormat != "" {
			fail(i, "%s填入 %s，不是日期，不需要日期写法。", at, c.label())
		}
		if len(mc.Values) > maxMappedValues {
			fail(i, "%s的取值超过 %d 种：%s只有几种取值，请检查是否选错了列。", at, maxMappedValues, c.label())
			return
		}
		// In the order of the values as written, so that the messages
		// (and which of two spellings is kept) never hang on the order
		// of a map.
		written := slices.Sorted(maps.Keys(mc.Values))
		trimmed := make(map[string]string, len(mc.Values))
		spelled := make(map[string]string, len(mc.Values)) // trimmed value → value as written
		for _, raw := range written {
			value, code := gridscore.TrimText(raw), mc.Values[raw]
			if c, ok := v.enum.parse(code); ok && code != "" {
				code = c // 自办 means self_handled, as in any file
			}
			switch {
			case value == "":
				fail(i, "%s：空值不需要映射（空单元格即不填）。", at)
				continue
			case len([]rune(value)) > maxMappedText:
				fail(i, "%s：取值 %s 超过 %d 个字。", at, quoted(value), maxMappedText)
			case code == "" && c.required:
				fail(i, "%s：取值“%s”不能当作不填，%s是必填列。", at, value, c.label())
			case code != "" && v.enum.labels[code] == "":
				fail(i, "%s：取值“%s”的含义 %s 不是 %s的取值（应为 %s）。", at, value, quoted(code), c.label(), v.enum.hint())
			}
			if first, ok := spelled[value]; ok {
				if trimmed[value] != code {
					fail(i, "%s：取值 %s 和 %s 去掉首尾空格后是同一个值“%s”，却对应不同的含义（%s、%s）：同一个值只能有一个含义，请删去其中一个。",
						at, quoted(first), quoted(raw), value, meaning(v.enum, trimmed[value]), meaning(v.enum, code))
				}
				continue
			}
			spelled[value] = raw
			trimmed[value] = code
		}
		mc.Values = trimmed
	case valueDate, valueTimestamp:
		if len(mc.Values) > 0 {
			fail(i, "%s填入 %s，是日期，不需要取值的对应。", at, c.label())
		}
		if dateFormatOf(mc.DateFormat) == nil {
			fail(i, "%s的日期写法 %s 未知；应为以下之一：%s。", at, quoted(mc.DateFormat), dateFormatIDs())
		}
	default:
		if len(mc.Values) > 0 || mc.DateFormat != "" {
			fail(i, "%s填入 %s（%s），不需要取值的对应或日期写法。", at, c.label(), valueNames[v.kind][1])
		}
	}
}

// meaning names the meaning code of a mapped value for a message: its
// Chinese label, or 不填 for an empty cell.
func meaning(e *enum, code string) string {
	if code == "" {
		return "不填"
	}
	return e.label(code)
}

// dateFormatIDs lists the forms of dates for a message.
func dateFormatIDs() string {
	var ids []string
	for _, f := range dateFormats {
		id := f.ID
		if id == "" {
			id = `""`
		}
		ids = append(ids, id+"（"+f.Title+"）")
	}
	return strings.Join(ids, "、")
}

// The mapping file: a mapping as JSON, to be handed from one town (or
// one server) to another. Its first two fields say what it is and the
// version of its form; a later version is refused rather than misread.
const (
	mappingFormat  = "gridscore-mapping"
	mappingVersion = 1
)

// mappingFile is the form of a mapping file.
type mappingFile struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	// Town, SavedBy and SavedAt say where the mapping comes from, for
	// people; the town that imports it becomes its owner.
	Town    string                   `json:"town,omitempty"`
	SavedBy string                   `json:"saved_by,omitempty"`
	SavedAt string                   `json:"saved_at,omitempty"`
	Columns []gridscore.MappedColumn `json:"columns"`
}

// EncodeMapping writes m as a mapping file (indented JSON).
func EncodeMapping(m *gridscore.Mapping) []byte {
	f := mappingFile{Format: mappingFormat, Version: mappingVersion, Name: m.Name, Kind: m.Kind,
		Town: m.Town, SavedBy: m.SavedBy, Columns: m.Columns}
	if !m.SavedAt.IsZero() {
		f.SavedAt = m.SavedAt.In(gridscore.CST).Format(time.RFC3339)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(&f) // a struct of strings and maps of strings always encodes
	return b.Bytes()
}

// DecodeMapping reads a mapping file and checks the mapping
// (CheckMapping). Its town and saving are left out: whoever imports it
// owns it. The error is for people.
func DecodeMapping(data []byte) (*gridscore.Mapping, error) {
	var f mappingFile
	if err := json.Unmarshal(data, &f); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return nil, gridscore.Errorf(gridscore.EINVALID, "不是映射文件：JSON 格式错误（第 %d 个字节处）。", syn.Offset)
		case errors.As(err, &typ):
			return nil, gridscore.Errorf(gridscore.EINVALID, "不是映射文件：%s 一项的类型不对。", typ.Field)
		}
		return nil, gridscore.Errorf(gridscore.EINVALID, "不是映射文件：%s", err)
	}
	switch {
	case f.Format != mappingFormat:
		return nil, gridscore.Errorf(gridscore.EINVALID, "不是 gridscore 的导入映射文件（format 应为 %q）。", mappingFormat)
	case f.Version < 1:
		return nil, gridscore.Errorf(gridscore.EINVALID, "映射文件缺少版本号（version）。")
	case f.Version > mappingVersion:
		return nil, gridscore.Errorf(gridscore.EINVALID, "映射文件的版本 %d 比本程序能读的（%d）新：请先升级 gridscore。", f.Version, mappingVersion)
	}
	m := &gridscore.Mapping{Name: f.Name, Kind: f.Kind, Columns: f.Columns}
	if err := CheckMapping(m); err != nil {
		return nil, err
	}
	return m, nil
}
