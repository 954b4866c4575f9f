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

// A table sized from too small an estimate keeps every key once its shards
// grow out of the region Reserve mapped for them.
func TestTableGrowsPastItsRegion(t *testing.T) {
	t.Parallel()
	tab := dupTable{OffHeap: true}
	defer tab.Free()
	tab.Reserve(700_000)
	if tab.region == nil {
		t.Fatal("Reserve mapped no region for 700,000 keys")
	}
	const n = 1_500_000
	for i := range n {
		if _, dup := tab.Insert(hashDupKey("E"+strconv.Itoa(i)), dupEntry{Sum: uint32(i), Ord: uint32(i + 2)}); dup {
			t.Fatalf("key %d found before it was added", i)
		}
	}
	for i := range n {
		if e, dup := tab.Insert(hashDupKey("E"+strconv.Itoa(i)), dupEntry{Ord: 1}); !dup || e.Sum != uint32(i) {
			t.Fatalf("key %d gives %+v, %v", i, e, dup)
		}
	}
	grown := 0
	for s := range tab.shards {
		if !tab.inRegion[s] {
			grown++
		}
	}
	if grown == 0 {
		t.Errorf("no shard grew out of the region")
	}
	if want := len(tab.region) * 24; tab.Bytes() <= want {
		t.Errorf("Bytes %d does not count the grown shards beside the region's %d", tab.Bytes(), want)
	}
}
