package csvfile

// AddValues reads one record of the kind named name (in English) typed
// field by field, as a form sends it: values holds the text of each field
// by DATA.md column key. The record is read exactly as a row of the kind's file would
// be (the same value forms, spellings, messages and record rules), but no
// text is encoded: the values go straight to the reader of the kind. The
// records added for a kind are rows 2, 3, … of a file named <kind>.csv, so
// that each problem names its record; unlike a file's blank line, a record
// left wholly empty is read (and every required field reported).
func (l *Loader) AddValues(name string, values map[string]string) {
	label := name + ".csv"
	k := l.b.kindOf(label, name)
	if k == nil {
		return
	}
	if l.forms == nil {
		l.forms = map[*kind]*source{}
	}
	src := l.forms[k]
	if src == nil {
		src = l.b.newSource(label, k)
		src.width = len(k.cols)
		src.index = make([]int, len(k.cols))
		for i := range src.index {
			src.index[i] = i
		}
		l.b.start(src)
		l.forms[k] = src
	}
	src.rows++
	fields := make([]string, len(k.cols))
	for i, c := range k.cols {
		fields[i] = values[c.key]
	}
	l.b.parseRow(src, src.rows+1, fields)
}
