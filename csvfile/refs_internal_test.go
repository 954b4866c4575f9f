package csvfile

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gridscore/gridscore"
)

// Past the pairs it words, checkOverlaps counts exactly the pairs it would
// have worded: workers stored and read, some gone, in a few grids.
func TestOverlapsCountedAsWorded(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		workers := map[string]postHolder{}
		for i := range 120 {
			w := &gridscore.Worker{ID: fmt.Sprintf("W%d", i), GridCode: fmt.Sprintf("G%d", r.IntN(3)),
				HiredOn: gridscore.NewDate(2023, 1, 1+r.IntN(60))}
			if r.IntN(2) == 0 {
				w.LeftOn = w.HiredOn + gridscore.Date(r.IntN(40))
			}
			h := postHolder{w: w}
			if r.IntN(3) > 0 {
				h.origin = &Origin{File: "workers.csv", Row: i + 2}
			}
			workers[w.ID] = h
		}
		want := 0
		for _, a := range workers {
			for _, b := range workers {
				if a.w.ID < b.w.ID && a.w.GridCode == b.w.GridCode && (a.origin != nil || b.origin != nil) &&
					(a.w.LeftOn.IsZero() || b.w.HiredOn <= a.w.LeftOn) && (b.w.LeftOn.IsZero() || a.w.HiredOn <= b.w.LeftOn) {
					want++
				}
			}
		}
		worded, counted := 0, 0
		checkOverlaps(func(Problem) { worded++ }, func(_ string, n int) { counted += n }, workers, false)
		if worded+counted != want || want > maxOverlapsListed && worded < maxOverlapsListed {
			t.Errorf("round %d: %d worded and %d counted, want %d in all", round, worded, counted, want)
		}
	}
}
