package store

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/gridscore/gridscore"
)

// TestGrowingStartsSmall: a growing slice of unknown size holding a
// village's few events reserves a few hundred, not a block of growBlock
// (4 MB of events cleared for every town read), and one growing past
// several blocks keeps every element in order.
func TestGrowingStartsSmall(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	g := newGrowing[gridscore.Event](0)
	for i := range 10 {
		g.next().ID = string(rune('a' + i))
	}
	runtime.ReadMemStats(&after)
	size := int(unsafe.Sizeof(gridscore.Event{}))
	if got, most := int(after.TotalAlloc-before.TotalAlloc), 1024*size; got > most {
		t.Errorf("10 events of unknown count allocated %d bytes, want at most %d (a block of %d takes %d)", got, most, growBlock, growBlock*size)
	}
	if got := g.slice(); len(got) != 10 || got[9].ID != "j" {
		t.Errorf("the 10 events read back as %d, the last %q", len(got), got[len(got)-1].ID)
	}

	for _, expect := range []int{0, 300, 100_000} {
		g := newGrowing[int](expect)
		const n = 3*growBlock + 77
		for i := range n {
			*g.next() = i
		}
		got := g.slice()
		if len(got) != n {
			t.Fatalf("expecting %d: %d elements, want %d", expect, len(got), n)
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("expecting %d: element %d is %d", expect, i, v)
			}
		}
		for _, b := range g.full {
			if cap(b) > max(expect, growBlock) {
				t.Errorf("expecting %d: a block of %d, more than %d", expect, cap(b), max(expect, growBlock))
			}
		}
	}
}
