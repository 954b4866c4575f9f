package storebench

import (
	"slices"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// TestFloorColumnsAreStored: every column the floor scan reads is a column
// of the store's table of that name (store.RowsOf), and each has its type.
// A column renamed or dropped in the store fails here, not in a benchmark
// run.
func TestFloorColumnsAreStored(t *testing.T) {
	stored := map[string][]string{}
	for _, tr := range store.RowsOf(&gridscore.Records{}) {
		stored[tr.Table] = tr.Columns
	}
	for _, f := range floorColumns {
		cols, ok := stored[f.table]
		if !ok {
			t.Errorf("floor scan of %s: the store has no such table", f.table)
			continue
		}
		if len(f.ints) != len(f.cols) {
			t.Errorf("floor scan of %s: %d columns, %d types", f.table, len(f.cols), len(f.ints))
		}
		for _, c := range f.cols {
			if !slices.Contains(cols, c) {
				t.Errorf("floor scan of %s reads %s, not a column of the store's table %v", f.table, c, cols)
			}
		}
	}
}
