package store_test

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// storedAs names the columns of a kind's file (kind.key) stored under
// another name: a unit or a word SQL reserves.
var storedAs = map[string]string{
	"workers.type":                     "worker_type",
	"workers.monthly_performance_yuan": "monthly_performance_fen",
	"workers.quarterly_subsidy_yuan":   "quarterly_subsidy_fen",
	"logins.at":                        "logged_at",
	"leaves.from":                      "from_date",
	"leaves.to":                        "to_date",
	"findings.count":                   "occurrences",
	"calendar.date":                    "day",
}

// TestTablesHoldTheFileColumns: each kind's table has a column for every
// column of the kind's file (csvfile's), by key, and no other.
func TestTablesHoldTheFileColumns(t *testing.T) {
	for _, tr := range store.RowsOf(&gridscore.Records{}) {
		cols := csvfile.Columns(tr.Table)
		if cols == nil {
			t.Errorf("table %s: csvfile has no such kind", tr.Table)
			continue
		}
		var want []string
		for _, c := range cols {
			name := c.Key
			if s, ok := storedAs[tr.Table+"."+c.Key]; ok {
				name = s
			}
			want = append(want, name)
		}
		slices.Sort(want)
		got := slices.Sorted(slices.Values(tr.Columns))
		if !slices.Equal(got, want) {
			t.Errorf("table %s has columns %v, its file's columns are stored as %v", tr.Table, got, want)
		}
	}
}

// TestFullRecordsFillEveryField: the first record of each kind of
// fullRecords fills every field, so that the round trips through the
// store (TestRoundTrip, TestFileRoundTrip) hold every column: a field the
// store's write or read code forgets is lost there.
func TestFullRecordsFillEveryField(t *testing.T) {
	v := reflect.ValueOf(fullRecords()).Elem()
	for i := range v.NumField() {
		list := v.Field(i)
		if list.Len() == 0 {
			t.Errorf("fullRecords has no %s", v.Type().Field(i).Name)
			continue
		}
		r := list.Index(0)
		for k := range r.NumField() {
			if r.Field(k).IsZero() {
				t.Errorf("fullRecords: the first of %s leaves %s empty", v.Type().Field(i).Name, r.Type().Field(k).Name)
			}
		}
	}
}

// TestFileRoundTrip: on each engine, the records of every kind written as
// the export writes them, read back as an import reads files, stored and
// loaded are the records written, every field of them. (Only the records
// filling every field: the import fills some fields left empty, an
// event's occurrence from its report.)
func TestFileRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		want := firstOfEach(fullRecords())
		l := csvfile.NewLoader()
		for _, kind := range store.Kinds() {
			var buf bytes.Buffer
			if err := csvfile.WriteKind(&buf, kind, want, csvfile.UTF8); err != nil {
				t.Fatalf("write %s: %v", kind, err)
			}
			l.AddFile(kind+".csv", bytes.NewReader(buf.Bytes()))
		}
		batch, err := l.Batch()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		db := MustOpenDB(t, b)
		mustImport(t, db, &batch.Records)
		if d := diffRecords(mustLoad(t, db, everythingFrom, everythingTo), want); d != "" {
			t.Errorf("records through the files and the store differ from those written:\n%s", d)
		}
	})
}

// firstOfEach keeps the first record of each kind of recs.
func firstOfEach(recs *gridscore.Records) *gridscore.Records {
	v := reflect.ValueOf(recs).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Len() > 1 {
			f.Set(f.Slice(0, 1))
		}
	}
	return recs
}
