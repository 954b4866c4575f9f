//go:build unix

package csvfile

import (
	"strconv"
	"testing"
)

// A table sized from too small an estimate keeps every key once its shards
// grow out of the region Reserve mapped for them, and gives the region back
// when no shard is left in it.
func TestTableGrowsPastItsRegion(t *testing.T) {
	t.Parallel()
	tab := dupTable{OffHeap: true}
	defer tab.Free()
	tab.Reserve(700_000)
	if tab.region == nil || tab.regionShards != shards {
		t.Fatalf("Reserve for 700,000 keys mapped a region of %d slots holding %d shards, want all %d", len(tab.region), tab.regionShards, shards)
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
	if tab.region != nil {
		t.Fatalf("the region is still held with %d of %d shards in it", tab.regionShards, shards)
	}
	slots := 0
	for s := range tab.shards {
		slots += len(tab.shards[s])
	}
	if tab.Bytes() != slots*24 {
		t.Errorf("Bytes %d, want the shards' %d", tab.Bytes(), slots*24)
	}
	// 24 bytes a slot, filled to between 3/8 and 3/4.
	if perKey := float64(tab.Bytes()) / n; perKey > 64 {
		t.Errorf("%.1f bytes a key", perKey)
	}
}
