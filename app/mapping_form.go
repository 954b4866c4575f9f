package app

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// The page where a file of an upload is mapped (issue 16 item 2): each
// column of the file with the DATA.md column it fills (or none), each
// distinct value of an enumerated column with its meaning, each column of
// dates with the form detected; first as guessed (or as a saved mapping
// of the same headers has it), then as the person chose, until saved.
// The file is read from the upload kept in the store, so any server
// shows the page.

// MappingForm is the page model of the mapping of one file of an upload.
type MappingForm struct {
	UploadID int64
	// File names the file or sheet: export.csv, book.xlsx[Sheet1].
	File string
	// Rows is the number of its data rows.
	Rows int
	// Kind is the DATA.md name of the kind chosen, Name the mapping's.
	Kind, Name string
	// Kinds are every kind, Keys the columns of Kind.
	Kinds []KindChoice
	Keys  []MappingKey
	// Columns are the file's columns, in its order.
	Columns []MappingFormColumn
	// Missing names the required columns of Kind no column fills yet.
	Missing []string
	// Errors are what a save found wrong (Errors.Of(-1): of the whole).
	Errors gs.MappingErrors
	// From names the saved mapping the form started from, if any.
	From string

	mapping gs.Mapping
}

// KindChoice is a kind of record a file may hold.
type KindChoice struct {
	Name, Title string
}

// MappingKey is a column of a kind a column of the file may fill.
type MappingKey struct {
	Key, Title string
	Required   bool
	// Hint says what it holds: 文字, 日期时间, 可选值…
	Hint string
	// Enumerated columns take values of Choices; Dated ones dates, with
	// a time of day when Timestamp.
	Enumerated, Dated, Timestamp bool
	Choices                      []MappingChoice
}

// MappingChoice is a value of an enumerated column.
type MappingChoice struct {
	Code, Title string
}

// MappingFormColumn is one column of the file on the page.
type MappingFormColumn struct {
	Index  int
	Header string
	// Filled counts its non-empty cells; Samples are some of its values.
	Filled  int
	Samples []string
	// Key is the DATA.md column it fills ("" none), Target that column.
	Key    string
	Target *MappingKey
	// Values are its distinct values with their meanings, when Target is
	// enumerated; MoreValues is set when it has more than are listed.
	Values     []MappingFormValue
	MoreValues bool
	// DateFormat is the form of its dates, when Target is dated, among
	// Dates; Detected is the form that reads the most of its values,
	// Ambiguous set when another reads as many.
	DateFormat string
	Dates      []MappingDate
	DateValues int
	Detected   string
	Ambiguous  bool
	// Errors are what a save found wrong with it.
	Errors []string
}

// MappingFormValue is a distinct value of an enumerated column: how
// often it comes, and the DATA.md value it means (Code; "" for an empty
// cell) once Chosen.
type MappingFormValue struct {
	Index  int
	Value  string
	Count  int
	Code   string
	Chosen bool
}

// MappingDate is a form of dates, with how many of a column's values it
// reads and the first it does not.
type MappingDate struct {
	ID, Title, Example string
	Reads              int
	Misfit             string
}

// MappingInput is what the person chose on the page: the kind and name,
// and per column (by index) the key it fills, the meaning of each of its
// values (by index in MappingFormColumn.Values: a code, ValueEmpty for
// an empty cell, "" not chosen) and the form of its dates (an id of
// csvfile.DateFormats, DatesStandard for DATA.md's); ShownKind is the
// kind whose columns the page showed (another kind starts afresh).
type MappingInput struct {
	Kind, Name, ShownKind string
	Keys                  map[int]string
	Values                map[int]map[int]string
	Dates                 map[int]string
}

// Form values of MappingInput that are no code of DATA.md.
const (
	ValueEmpty    = "-"
	DatesStandard = "standard"
)

// MappingForm returns the page of the mapping of file (a file, or a
// sheet of a workbook, of upload id): as in is, or first (in nil) as a
// saved mapping of the same headers has it, else as guessed.
func (s *Service) MappingForm(ctx context.Context, u *gs.User, id int64, file string, in *MappingInput) (*MappingForm, error) {
	up, err := s.Upload(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if up.Committed() {
		return nil, gs.Errorf(gs.ECONFLICT, "这批文件已经导入，不能再设置对应关系。")
	}
	sv, err := s.surveyUpload(ctx, up, file)
	if err != nil {
		return nil, err
	}
	f := &MappingForm{UploadID: id, File: sv.File, Rows: sv.Rows}
	for _, k := range csvfile.TemplateKinds() {
		f.Kinds = append(f.Kinds, KindChoice{Name: k.Name, Title: k.Title})
	}
	if in == nil {
		saved, err := s.DB.Mappings(ctx, u.Town)
		if err != nil {
			return nil, err
		}
		f.mapping = startMapping(sv, saved)
		f.From = savedName(f.mapping, saved)
	} else {
		f.mapping = chosenMapping(sv, in)
	}
	f.fill(sv)
	if !u.SeesPersonalData() {
		f.maskSamples()
	}
	return f, nil
}

// SaveUploadMapping saves the mapping chosen on the page of file of
// upload id as a mapping of u's town. When something is wrong (a value
// whose meaning is not chosen, a required column unfilled…) it saves
// nothing and returns the page with the errors, and an error.
func (s *Service) SaveUploadMapping(ctx context.Context, u *gs.User, id int64, file string, in *MappingInput) (*MappingForm, error) {
	f, err := s.MappingForm(ctx, u, id, file, in)
	if err != nil {
		return nil, err
	}
	m := f.mapping
	m.Columns = slices.Clone(m.Columns)
	f.Errors = f.unchosen()
	if err := csvfile.CheckMapping(&m); err != nil {
		var es gs.MappingErrors
		if !errors.As(err, &es) {
			return nil, err
		}
		f.Errors = append(f.Errors, es...)
	}
	if len(f.Errors) == 0 {
		err := s.SaveMapping(ctx, u, &m)
		if err == nil {
			return f, nil
		}
		if gs.ErrorCode(err) != gs.ECONFLICT {
			return nil, err
		}
		f.Errors = gs.MappingErrors{{Column: -1, Message: gs.ErrorMessage(err)}}
	}
	for i := range f.Columns {
		f.Columns[i].Errors = f.Errors.Of(i)
	}
	return f, f.Errors
}

// unchosen reports the enumerated columns with a value whose meaning is
// not chosen, or with more values than a closed set has.
func (f *MappingForm) unchosen() gs.MappingErrors {
	var es gs.MappingErrors
	for _, c := range f.Columns {
		if c.Target == nil || !c.Target.Enumerated {
			continue
		}
		if c.MoreValues {
			es = append(es, gs.MappingError{Column: c.Index, Message: "“" + c.Header + "”一列的取值超过 " +
				strconv.Itoa(csvfile.MaxSurveyValues) + " 种，不像" + c.Target.Title + "这样只有几种取值的列：请检查是否选错了列。"})
			continue
		}
		for _, v := range c.Values {
			if !v.Chosen {
				es = append(es, gs.MappingError{Column: c.Index, Message: "请为“" + c.Header + "”一列的取值“" + v.Value + "”选择含义。"})
			}
		}
	}
	return es
}

// surveyUpload surveys the file or sheet file of up, copied out of the
// store into a temporary file.
func (s *Service) surveyUpload(ctx context.Context, up *gs.Upload, file string) (*csvfile.Survey, error) {
	name := file
	if i := strings.Index(file, ".xlsx["); i >= 0 && strings.HasSuffix(file, "]") {
		name = file[:i+len(".xlsx")]
	}
	notFound := gs.Errorf(gs.ENOTFOUND, "这批文件中没有“%s”，或它的第一行（表头）是空的。", file)
	if !slices.ContainsFunc(up.Files, func(f gs.UploadFile) bool { return f.Name == name }) {
		return nil, notFound
	}
	dir, err := os.MkdirTemp("", "gridscore-mapping-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, filepath.Base(name))
	err = s.DB.ReadUploadFiles(ctx, up.ID, func(n string, content io.Reader) error {
		if n != name {
			return nil
		}
		out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, content)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sv := csvfile.SurveyFile(path, file)
	if sv == nil {
		return nil, notFound
	}
	return sv, nil
}

// startMapping is the mapping a page starts from: the first of saved
// with the file's headers (to be changed: a value it lacks, say), else
// the guess, named after the file.
func startMapping(sv *csvfile.Survey, saved []gs.Mapping) gs.Mapping {
	headers := make([]string, len(sv.Columns))
	for i, c := range sv.Columns {
		headers[i] = c.Header
	}
	set := gs.HeaderSet(headers)
	for _, m := range saved {
		if gs.HeaderSet(m.Headers()) != set {
			continue
		}
		out := gs.Mapping{Name: m.Name, Kind: m.Kind}
		for i, c := range sv.Columns {
			mc := gs.MappedColumn{Header: c.Header}
			if j := slices.IndexFunc(m.Columns, func(o gs.MappedColumn) bool { return o.Header == c.Header }); j >= 0 {
				mc = m.Columns[j]
				mc.Values = cloneValues(mc.Values)
			}
			csvfile.FillMapped(m.Kind, &sv.Columns[i], &mc)
			out.Columns = append(out.Columns, mc)
		}
		return out
	}
	m := csvfile.GuessMapping(csvfile.GuessKind(sv), sv)
	m.Name = defaultMappingName(sv.File)
	return m
}

// savedName is the name of the mapping of saved m started from, if any.
func savedName(m gs.Mapping, saved []gs.Mapping) string {
	for _, o := range saved {
		if o.Name == m.Name && gs.HeaderSet(o.Headers()) == gs.HeaderSet(m.Headers()) {
			return o.Name
		}
	}
	return ""
}

// defaultMappingName names a mapping after its file: the file's name
// without extension, sheet, date or number at its end (网格E通事件导出
// for 网格E通事件导出20231008.csv).
func defaultMappingName(file string) string {
	name, sheet, _ := strings.Cut(file, "[")
	name = strings.TrimSuffix(name, filepath.Ext(name))
	if sheet = strings.TrimSuffix(sheet, "]"); sheet != "" && !strings.HasPrefix(strings.ToLower(sheet), "sheet") {
		name += " " + sheet
	}
	name = strings.TrimRightFunc(name, func(r rune) bool { return unicode.IsDigit(r) || r == '-' || r == '_' || r == ' ' })
	name = strings.ReplaceAll(name, "/", " ")
	if name == "" {
		return "导出文件"
	}
	return name
}

// chosenMapping is the mapping in says: the kind and name chosen, each
// column's key, meanings and form of dates as chosen, what is not chosen
// guessed (a kind other than the one shown: everything).
func chosenMapping(sv *csvfile.Survey, in *MappingInput) gs.Mapping {
	if in.Kind != in.ShownKind || !csvfile.IsKind(in.Kind) {
		m := csvfile.GuessMapping(in.Kind, sv)
		m.Name = in.Name
		return m
	}
	keys := map[string]csvfile.MappingTarget{}
	for _, t := range csvfile.MappingTargets(in.Kind) {
		keys[t.Key] = t
	}
	m := gs.Mapping{Kind: in.Kind, Name: in.Name, Columns: make([]gs.MappedColumn, len(sv.Columns))}
	for i := range sv.Columns {
		sc := &sv.Columns[i]
		mc := &m.Columns[i]
		mc.Header = sc.Header
		t, ok := keys[in.Keys[i]]
		if ok {
			mc.Key = t.Key
		}
		for j, v := range sc.Values {
			// A meaning chosen for another column than the one now
			// filled is dropped (and guessed again).
			switch code := in.Values[i][j]; {
			case code == ValueEmpty && !t.Required:
				setValue(mc, v.Value, "")
			case slices.ContainsFunc(t.Choices, func(c csvfile.Choice) bool { return c.Code == code }):
				setValue(mc, v.Value, code)
			}
		}
		date, posted := in.Dates[i]
		if date == DatesStandard {
			date = ""
		}
		csvfile.FillMapped(in.Kind, sc, mc)
		if posted && t.Dated() && slices.ContainsFunc(csvfile.DateFormats(), func(f csvfile.DateFormat) bool { return f.ID == date }) {
			mc.DateFormat = date
		}
	}
	return m
}

func setValue(mc *gs.MappedColumn, value, code string) {
	if mc.Values == nil {
		mc.Values = map[string]string{}
	}
	mc.Values[value] = code
}

func cloneValues(v map[string]string) map[string]string {
	if v == nil {
		return nil
	}
	out := make(map[string]string, len(v))
	for k, c := range v {
		out[k] = c
	}
	return out
}

// maskSamples masks the values of the file the page shows (samples, the
// values to give a meaning and the dates that do not read) that are
// special populations' personal data, for a user who sees them masked
// everywhere else: ID numbers in any column (by their shape, since a column
// may not be mapped yet), and names in a register's column mapped to its
// names or headed 姓名. The values are posted back by index, never by what
// is shown, so the mapping saved is unchanged.
func (f *MappingForm) maskSamples() {
	for i := range f.Columns {
		c := &f.Columns[i]
		names := f.Kind == string(gs.KindRegister) && (c.Key == "name" || strings.Contains(c.Header, "姓名"))
		mask := func(v string) string {
			switch {
			case looksLikeIDNumber(v):
				return gs.MaskIDNumber(v)
			case names:
				return gs.MaskName(v)
			}
			return v
		}
		for j := range c.Samples {
			c.Samples[j] = mask(c.Samples[j])
		}
		for j := range c.Values {
			c.Values[j].Value = mask(c.Values[j].Value)
		}
		for j := range c.Dates {
			c.Dates[j].Misfit = mask(c.Dates[j].Misfit)
		}
	}
}

// looksLikeIDNumber reports whether v has the shape of a resident ID
// number: 18 characters, 17 digits and a digit or X (or the 15 digits of
// the first generation).
func looksLikeIDNumber(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) != 18 && len(v) != 15 {
		return false
	}
	for i, r := range v {
		if r < '0' || r > '9' {
			if i != 17 || (r != 'X' && r != 'x') {
				return false
			}
		}
	}
	return true
}

// fill sets the page's kind, keys and columns from its mapping and the
// survey.
func (f *MappingForm) fill(sv *csvfile.Survey) {
	m := &f.mapping
	f.Kind, f.Name = m.Kind, m.Name
	for _, t := range csvfile.MappingTargets(m.Kind) {
		k := MappingKey{Key: t.Key, Title: t.Title, Required: t.Required, Hint: t.Hint, Enumerated: t.Enumerated(), Dated: t.Dated(),
			Timestamp: t.Value == "timestamp"}
		for _, c := range t.Choices {
			k.Choices = append(k.Choices, MappingChoice{Code: c.Code, Title: c.Title})
		}
		f.Keys = append(f.Keys, k)
	}
	filled := map[string]bool{}
	for i, sc := range sv.Columns {
		mc := m.Columns[i]
		c := MappingFormColumn{Index: i, Header: sc.Header, Filled: sc.Filled, Key: mc.Key, DateFormat: mc.DateFormat}
		for _, v := range sc.Values[:min(3, len(sc.Values))] {
			c.Samples = append(c.Samples, v.Value)
		}
		if j := slices.IndexFunc(f.Keys, func(k MappingKey) bool { return k.Key == mc.Key }); j >= 0 {
			c.Target = &f.Keys[j]
			filled[mc.Key] = true
		}
		switch {
		case c.Target != nil && c.Target.Enumerated:
			c.MoreValues = sc.More
			for j, v := range sc.Values {
				code, chosen := mc.Values[v.Value]
				c.Values = append(c.Values, MappingFormValue{Index: j, Value: v.Value, Count: v.Count, Code: code, Chosen: chosen})
			}
		case c.Target != nil && c.Target.Dated:
			c.DateValues = sc.DateValues
			c.Detected, c.Ambiguous = sc.DateFormat()
			for _, d := range sc.Dates {
				c.Dates = append(c.Dates, MappingDate{ID: d.Format.ID, Title: d.Format.Title, Example: d.Format.Example, Reads: d.Reads, Misfit: d.Misfit})
			}
		}
		f.Columns = append(f.Columns, c)
	}
	for _, k := range f.Keys {
		if k.Required && !filled[k.Key] {
			f.Missing = append(f.Missing, k.Title+"（"+k.Key+"）")
		}
	}
}
