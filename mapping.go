package gridscore

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// Mapping says how to read a file another system exported (a grid
// platform's event export, say), whose headers and values are not those of
// DATA.md §1, as records of one kind: which DATA.md column each of the
// file's columns fills (or none), what each value of an enumerated column
// means, and in which form its dates are written. A town's center saves
// it once under a name (issue 16 item 2); a file with the same headers is
// then read with it without questions, and becomes the very rows a DATA.md
// file gives, through the same checks.
//
// How the mapping is read and checked against the kinds' columns is the
// importer's (csvfile); this is what it is.
type Mapping struct {
	// Town is the town whose mapping it is; "" is the district's, which
	// every town may use (a town's own of the same headers comes first).
	Town string
	// Name names it within its town: 网格E通事件导出.
	Name string
	// Kind is the DATA.md name of the records the file holds: events.
	Kind string
	// Columns are every column of the file, in the file's order; their
	// headers are the headers a file must have to be read with it.
	Columns []MappedColumn
	// SavedBy (a username) and SavedAt say who saved it last, and when.
	SavedBy string
	SavedAt time.Time
}

// MappedColumn is one column of a mapped file.
type MappedColumn struct {
	// Header is the column's header in the file: 办理状态.
	Header string `json:"header"`
	// Key is the DATA.md column it fills (flow), "" when it is not read.
	Key string `json:"key,omitempty"`
	// Values, for a column that fills an enumerated or yes/no column,
	// gives for each value as the file writes it the DATA.md value it
	// means (自行处置 → self_handled; "" for an empty cell). A value not
	// in it is a problem of its row, never dropped.
	Values map[string]string `json:"values,omitempty"`
	// DateFormat, for a column that fills a date or a timestamp, is the
	// form its dates are written in (csvfile.DateFormats); "" means the
	// forms of DATA.md.
	DateFormat string `json:"date_format,omitempty"`
}

// Headers returns the headers of the file the mapping reads, in order.
func (m *Mapping) Headers() []string {
	out := make([]string, len(m.Columns))
	for i, c := range m.Columns {
		out[i] = c.Header
	}
	return out
}

// Column returns the column of the mapping that fills key, or nil.
func (m *Mapping) Column(key string) *MappedColumn {
	for i := range m.Columns {
		if m.Columns[i].Key == key && key != "" {
			return &m.Columns[i]
		}
	}
	return nil
}

// HeaderSet returns what recognises a file by its headers: the set of its
// non-empty headers, trimmed (as TrimText trims), whatever their order,
// as a short hexadecimal digest. Two files have the same header set when
// they have the same headers in any order.
func HeaderSet(headers []string) string {
	set := make([]string, 0, len(headers))
	for _, h := range headers {
		if h = TrimText(h); h != "" {
			set = append(set, h)
		}
	}
	slices.Sort(set)
	set = slices.Compact(set)
	sum := sha256.Sum256([]byte(strings.Join(set, "\x1f")))
	return hex.EncodeToString(sum[:16])
}

// MappingError is one thing wrong with a mapping: with its column at
// Column (0-based, in the file's order; -1 for the mapping as a whole:
// its name, its kind, a required column left unfilled), in Chinese.
type MappingError struct {
	Column  int
	Message string
}

// MappingErrors is everything wrong with a mapping. As an error it has
// the code EINVALID and lists the messages one per line.
type MappingErrors []MappingError

func (es MappingErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Message
	}
	return strings.Join(lines, "\n")
}

// As lets ErrorCode and ErrorMessage treat MappingErrors as invalid input.
func (es MappingErrors) As(target any) bool {
	if t, ok := target.(**Error); ok {
		*t = &Error{Code: EINVALID, Message: es.Error()}
		return true
	}
	return false
}

// Of returns the messages about column i (-1: the mapping as a whole).
func (es MappingErrors) Of(i int) []string {
	var out []string
	for _, e := range es {
		if e.Column == i {
			out = append(out, e.Message)
		}
	}
	return out
}
