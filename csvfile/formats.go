package csvfile

// Format describes one kind of file for the people who prepare it: its
// names (a file events.csv or 事件.csv, a sheet 事件) and its columns.
type Format struct {
	// Name and Title are the kind's English and Chinese names; either names
	// its file or sheet.
	Name, Title string
	Columns     []FormatColumn
}

// FormatColumn is one column of a kind: its English key and Chinese header
// (either may head it in a file), and whether every row must fill it.
type FormatColumn struct {
	Key, Title string
	Required   bool
	// Key marks the columns that together identify a record.
	InKey bool
}

// Formats lists every kind the import reads, in DATA.md order.
func Formats() []Format {
	out := make([]Format, 0, len(kinds))
	for _, k := range kinds {
		f := Format{Name: k.name, Title: k.zh}
		for _, c := range k.cols {
			inKey := false
			for _, kc := range k.keyCols {
				inKey = inKey || kc == c
			}
			f.Columns = append(f.Columns, FormatColumn{Key: c.key, Title: c.zh, Required: c.required, InKey: inKey})
		}
		out = append(out, f)
	}
	return out
}
