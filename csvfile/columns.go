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
	// Type is what the column holds, as the kind's reader reads it.
	Type ValueType
	// Values are the values of a column of a closed set (ValueEnum), in
	// order: the codes DATA.md names in English, with their Chinese labels
	// (either is accepted).
	Values []Value
}

// ValueType is what a column holds.
type ValueType string

// The types of values of the columns (DATA.md §1).
const (
	ValueText      ValueType = "text"
	ValueEnum      ValueType = "enum"
	ValueBool      ValueType = "boolean"
	ValueDate      ValueType = "date"
	ValueTimestamp ValueType = "timestamp"
	ValueInteger   ValueType = "integer"
	ValueMoney     ValueType = "money"
)

// valueTypes names each kind of value the reader reads.
var valueTypes = map[valueKind]ValueType{
	valueText: ValueText, valueEnum: ValueEnum, valueBool: ValueBool, valueDate: ValueDate,
	valueTimestamp: ValueTimestamp, valueInteger: ValueInteger, valueMoney: ValueMoney,
}

// Value is one value of a closed set: its code and Chinese label.
type Value struct{ Code, Title string }

// Columns returns the columns of the kind named name (in English or
// Chinese) in DATA.md order, the order the export writes them; nil for an
// unknown kind.
func Columns(name string) []Column {
	k := lookupKind(name)
	if k == nil {
		return nil
	}
	out := make([]Column, len(k.cols))
	described := describedKinds()[k]
	for i, c := range k.cols {
		v := described[c]
		out[i] = Column{Key: c.key, Title: c.zh, Required: c.required, InKey: slices.Contains(k.keyCols, c),
			Type: valueTypes[v.kind]}
		if v.kind == valueEnum {
			for _, e := range v.enum.values {
				out[i].Values = append(out[i].Values, Value{Code: e.code, Title: e.zh})
			}
		}
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
