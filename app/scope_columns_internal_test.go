package app

import (
	"testing"

	"github.com/gridscore/gridscore/csvfile"
)

// TestScopeColumnsAreCsvfiles checks that every column the town check
// names is a column csvfile knows for that kind, so that its problems show
// the column's Chinese header like every other problem of the file.
func TestScopeColumnsAreKnown(t *testing.T) {
	for kind, k := range scopeKinds {
		cols := map[string]bool{}
		if k.keyCol != "" {
			cols[k.keyCol] = true
		}
		if k.grid != nil {
			cols[colGrid] = true
		}
		if k.worker != nil {
			cols[colWorker] = true
		}
		if k.person != nil {
			cols[colPerson] = true
		}
		if kind == "grids" {
			cols[colTown] = true
		}
		for col := range cols {
			if p := csvfile.ColumnProblem(csvfile.Origin{}, kind, col, ""); p.Title == col {
				t.Errorf("%s has no column %q", kind, col)
			}
		}
	}
}
