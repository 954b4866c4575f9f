package store

import (
	"slices"
	"testing"
)

// TestEveryTableNotesWhatItConcerns: a change to a record of any kind
// outdates the live results that rest on it, so every table says which of
// its columns name what a change concerns, and those columns are its own.
// A kind added without them would leave every town's result as it was.
func TestEveryTableNotesWhatItConcerns(t *testing.T) {
	for _, tb := range tables {
		ccs, ok := concernCols[tb.name]
		if !ok || len(ccs) == 0 {
			t.Errorf("table %s: no columns naming what a change to it concerns (concernCols)", tb.name)
		}
		for _, cc := range ccs {
			if !slices.Contains(tb.cols, cc.col) {
				t.Errorf("table %s has no column %s", tb.name, cc.col)
			}
		}
	}
	if len(concernCols) != len(tables) {
		t.Errorf("concernCols names %d tables, there are %d", len(concernCols), len(tables))
	}
}
