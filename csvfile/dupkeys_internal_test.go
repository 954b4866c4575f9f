package csvfile

import (
	"strconv"
	"testing"
)

func TestTableFindsEveryKeyAgain(t *testing.T) {
	t.Parallel()
	for _, reserve := range []int{0, 50_000, 400_000, -1} {
		tab := dupTable{OffHeap: reserve != 50_000}
		defer tab.Free()
		if reserve > 0 {
			tab.Reserve(reserve)
		}
		const n = 200_000
		for i := range n {
			if _, dup := tab.Insert(hashDupKey("E"+strconv.Itoa(i)), dupEntry{Sum: uint32(i), Ord: uint32(i + 2)}); dup {
				t.Fatalf("reserve %d: key %d found before it was added", reserve, i)
			}
		}
		for i := range n {
			e, dup := tab.Insert(hashDupKey("E"+strconv.Itoa(i)), dupEntry{Ord: 1})
			if !dup || e.Sum != uint32(i) || e.Ord != uint32(i+2) {
				t.Fatalf("reserve %d: key %d gives %+v, %v", reserve, i, e, dup)
			}
		}
		if perKey := float64(tab.Bytes()) / n; reserve <= n && perKey > 64 {
			t.Errorf("reserve %d: %.0f bytes a key", reserve, perKey)
		}
	}
}

func TestTableSizedFromAnEstimateStaysSmall(t *testing.T) {
	t.Parallel()
	tab := dupTable{OffHeap: true}
	defer tab.Free()
	const n = 1_000_000
	tab.Reserve(n)
	for i := range n {
		tab.Insert(hashDupKey("E"+strconv.Itoa(i)), dupEntry{Ord: uint32(i + 2)})
	}
	// 24 bytes a slot, filled to about 2/3.
	if perKey := float64(tab.Bytes()) / n; perKey > 40 {
		t.Errorf("%.1f bytes a key, want at most 40", perKey)
	}
}
