// This file finds the repeated keys of an import without keeping its
// rows: a dupTable maps a 128-bit hash of each key read to a 32-bit hash of
// the row's content and the row's ordinal (which names its file and row),
// 24 bytes a slot, kept outside the Go heap where the system allows.
//
// A false "duplicate" would need two keys of one import with the same
// 128-bit hash, which does not happen. Two different rows with one key
// taken for the same record would need their 32-bit content hashes to
// agree: one chance in four billion for each such pair, which is itself an
// error in the files.

package csvfile

import (
	"hash/maphash"
	"math/bits"
)

// keySeeds seed the two halves of a key hash; they are chosen afresh in
// every process.
var keySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// dupKey is the 128-bit hash of a record's key.
type dupKey struct{ hi, lo uint64 }

// Hash returns the dupKey of a record's key (composite keys joined into one
// string).
func hashDupKey(key string) dupKey {
	return dupKey{maphash.String(keySeeds[0], key), maphash.String(keySeeds[1], key)}
}

// dupEntry is what a dupTable holds for a key: the content hash and the ordinal
// of the row that first gave it. Ordinal 0 marks an empty slot: ordinals
// of data rows start at 2, the first row below a header.
type dupEntry struct {
	Sum uint32
	Ord uint32
}

// slot is one slot of a dupTable.
type slot struct {
	key dupKey
	dupEntry
}

// Shards of a dupTable. Each grows on its own, so growing never copies the
// whole table at once.
const (
	shardBits = 8
	shards    = 1 << shardBits
	// maxLoad is the fill of a shard, in 1/8ths, past which it doubles.
	maxLoad = 6
)

// dupTable is an open-addressing hash set of key hashes with linear probing,
// in shards: the keys read so far of one record kind.
//
// Why not a Go map: a streaming import (csvfile.Scanner) keeps the keys
// of the kind it reads, and a province's events are 17 million keys (10–30
// million, as the kinds grow). A map[dupKey]dupEntry lives on the Go heap, where
// the garbage collector lets the heap grow to twice the live data
// (GOGC=100) before collecting, and where a growing map holds its old and
// new tables at once. A dupTable keeps its slots outside the heap (OffHeap,
// where the system allows, see allocSlots), grows one shard at a time and
// is sized from an estimate of the rows to come (Reserve). BenchmarkDupKeys
// (bench_test.go, 200 bytes of garbage a key standing for the rows read,
// the key's hashing included in the time) measured, for 10 million keys on
// 2 cores (two runs: a quiet machine, and one under a load of 5):
//
//	                 peak heap  off heap  total   time a key
//	dupTable (OffHeap)     8 MB     343 MB   351 MB  430–645 ns
//	map               719 MB       0      719 MB  603–902 ns
//	map, presized     839 MB       0      839 MB  450–950 ns
//
// and for 1 million keys 38 MB against 70 and 106 MB, in about the same
// time (450–620 ns a key each). A map takes 2–2.4 times the memory, and
// the runtime took 803–880 MB from the system for it against 20 MB beside
// the dupTable: some 2.2–2.5 GB at 30 million keys, past the 2 GB an import of
// 100,000 workers must stay under; the dupTable takes about 1 GB there.
// Rerun with the loop in BenchmarkDupKeys's comment. A dupTable kept off the
// heap must be freed (Free).
type dupTable struct {
	// OffHeap keeps the slots outside the Go heap (set before the first
	// Insert or Reserve).
	OffHeap bool
	shards  [shards][]slot
	mapped  [shards]bool // the shard's slots are outside the heap
	used    [shards]int
	// region is the room Reserve mapped for all shards at once (or nil);
	// inRegion marks the shards whose slots are still in it, regionShards
	// counts them.
	region       []slot
	inRegion     [shards]bool
	regionShards int
	sized        bool // Reserve was called
}

// Insert adds a key with its entry, or returns the entry already held for
// the key and true.
func (t *dupTable) Insert(key dupKey, e dupEntry) (dupEntry, bool) {
	s := key.hi >> (64 - shardBits)
	if (t.used[s]+1)*8 > len(t.shards[s])*maxLoad {
		t.grow(s, max(16, 2*len(t.shards[s])))
	}
	tab := t.shards[s]
	i, _ := bits.Mul64(key.lo, uint64(len(tab)))
	for {
		sl := &tab[i]
		if sl.Ord == 0 {
			*sl = slot{key: key, dupEntry: e}
			t.used[s]++
			return dupEntry{}, false
		}
		if sl.key == key {
			return sl.dupEntry, true
		}
		if i++; i == uint64(len(tab)) {
			i = 0
		}
	}
}

// offHeapSlots is the size from which a shard of an OffHeap table is kept
// outside the heap (64 KiB): smaller ones stay on it, at most 16 MiB for
// the 256 shards, and hold no pointer for the collector to scan. Mapping
// every shard from its first 16 slots up took some 3,000 system calls a
// kind, and a fifth of the reading time of a 200-worker town went to
// unmapping them (with the other core interrupted for each).
const offHeapSlots = 64 << 10 / 24

// grow rehashes shard s into n new slots.
func (t *dupTable) grow(s uint64, n int) {
	var tab []slot
	mapped := false
	if t.OffHeap && n >= offHeapSlots {
		tab, mapped = allocSlots(n)
	} else {
		tab = make([]slot, n)
	}
	t.rehash(s, tab, mapped, false)
}

// rehash moves shard s's keys into tab: slots mapped from the system for
// the shard alone (mapped), a part of the table's region (inRegion), or
// slots on the heap.
func (t *dupTable) rehash(s uint64, tab []slot, mapped, inRegion bool) {
	old, oldMapped := t.shards[s], t.mapped[s]
	n := uint64(len(tab))
	for _, e := range old {
		if e.Ord == 0 {
			continue
		}
		i, _ := bits.Mul64(e.key.lo, n)
		for tab[i].Ord != 0 {
			if i++; i == n {
				i = 0
			}
		}
		tab[i] = e
	}
	wasInRegion := t.inRegion[s]
	t.shards[s], t.mapped[s], t.inRegion[s] = tab, mapped, inRegion
	switch {
	case oldMapped:
		freeSlots(old)
	case wasInRegion && !inRegion:
		// The region goes back to the system once no shard is left in it:
		// with the keys spread evenly, a table sized too small has every
		// shard grow out of it at about the same time.
		if t.regionShards--; t.regionShards == 0 {
			freeSlots(t.region)
			t.region = nil
		}
	}
}

// Free releases the slots kept outside the heap; the table is empty after.
func (t *dupTable) Free() {
	for s := range t.shards {
		if t.mapped[s] {
			freeSlots(t.shards[s])
		}
		t.shards[s], t.mapped[s], t.inRegion[s], t.used[s] = nil, false, false, 0
	}
	if t.region != nil {
		freeSlots(t.region)
		t.region, t.regionShards = nil, 0
	}
}

// Reserve makes room for about n keys in all, so that a table sized from an
// estimate of the rows to come does not grow (nor waste memory by
// doubling). An OffHeap table takes the shards' room in one mapping, the
// region, which the kernel is asked to back with huge pages (adviseHuge):
// a 5,000-worker district's events take 48 MB of slots, 12,000 faults in
// 4 KiB pages, each taken by the first key put into its page.
func (t *dupTable) Reserve(n int) {
	t.sized = true
	per := n/shards + 1
	want := per * 8 / maxLoad * 9 / 8 // a little headroom for the estimate
	if t.OffHeap && want >= offHeapSlots && t.region == nil {
		if r, ok := allocSlots(want * shards); ok {
			adviseHuge(r)
			t.region = r
		}
	}
	for s := range t.shards {
		switch {
		case want <= len(t.shards[s]):
		case len(t.region) == want*shards:
			t.rehash(uint64(s), t.region[s*want:(s+1)*want:(s+1)*want], false, true)
			t.regionShards++
		default:
			t.grow(uint64(s), want)
		}
	}
}

// Sized reports whether Reserve was called.
func (t *dupTable) Sized() bool { return t.sized }

// Bytes returns the memory the table holds.
func (t *dupTable) Bytes() int {
	n := 0
	for s, tab := range t.shards {
		if !t.inRegion[s] {
			n += len(tab) * 24
		}
	}
	return n + len(t.region)*24
}
