package csvfile

import (
	"slices"

	"github.com/gridscore/gridscore"
)

// Column is a column of a kind's file as other packages see it: what a
// form of the kind shows, by key, and how a record's values are named.
type Column struct {
	// Key is DATA.md's English name of the column (worker_id).
	Key string
	// Title is its Chinese header (工号).
	Title string
	// Required is set when a row must fill it.
	Required bool
	// InKey is set when it is one of the columns that name a record; a
	// kind's key columns come in the order of its columns.
	InKey bool
}

// Columns returns the columns of the kind named name (in English or
// Chinese) in DATA.md order, the order the export writes them; nil for an
// unknown kind.
func Columns(name string) []Column {
	k := lookupKind(name)
	if k == nil {
		return nil
	}
	out := make([]Column, len(k.cols))
	for i, c := range k.cols {
		out[i] = Column{Key: c.key, Title: c.zh, Required: c.required, InKey: slices.Contains(k.keyCols, c)}
	}
	return out
}

// Values returns record i of the kind named name in recs as the export
// writes it, by column key: dates as 2023-07-03, numbers in digits, a
// value of a closed set by its Chinese label. It returns nil for an
// unknown kind or a record that is not there.
func Values(name string, recs *gridscore.Records, i int) map[string]string {
	k := lookupKind(name)
	if k == nil || i < 0 || i >= k.count(recs) {
		return nil
	}
	cells := make([]string, len(k.cols))
	k.format(recs, i, cells)
	out := make(map[string]string, len(k.cols))
	for j, c := range k.cols {
		out[c.key] = cells[j]
	}
	return out
}
