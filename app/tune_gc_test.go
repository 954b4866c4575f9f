package app_test

import (
	"runtime/debug"
	"testing"

	"github.com/gridscore/gridscore/app"
)

// TestTuneGCForImport: an import sets the heap limit and, when small, turns
// collection off until it; both are put back afterwards.
func TestTuneGCForImport(t *testing.T) {
	for _, small := range []bool{false, true} {
		percent := debug.SetGCPercent(100)
		limit := debug.SetMemoryLimit(-1) // reads it
		restore := app.TuneGCForImport(small)
		gotLimit := debug.SetMemoryLimit(-1)
		gotPercent := debug.SetGCPercent(-1)
		debug.SetGCPercent(gotPercent) // as it was inside
		if gotLimit != app.ImportHeapLimit {
			t.Errorf("small %v: heap limit %d during the import, want %d", small, gotLimit, int64(app.ImportHeapLimit))
		}
		if want := map[bool]int{false: 100, true: -1}[small]; gotPercent != want {
			t.Errorf("small %v: GC percent %d during the import, want %d", small, gotPercent, want)
		}
		restore()
		if p := debug.SetGCPercent(percent); p != 100 {
			t.Errorf("small %v: GC percent %d after the import, want 100 back", small, p)
		}
		if l := debug.SetMemoryLimit(-1); l != limit {
			t.Errorf("small %v: heap limit %d after the import, want %d back", small, l, limit)
		}
	}
}
