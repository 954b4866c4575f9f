package csvfile

import (
	"runtime"
	"strconv"
	"testing"
)

// keeper is one way of keeping the keys of an import: the dupTable, or the Go
// map it replaced.
type keeper struct {
	name string
	// start returns the insert and, once done, the bytes kept outside the
	// Go heap and a release.
	start func(n int) (insert func(dupKey, dupEntry) bool, offHeap func() int, free func())
}

var keepers = []keeper{
	{"table-offheap", func(n int) (func(dupKey, dupEntry) bool, func() int, func()) {
		t := &dupTable{OffHeap: true}
		seen := 0
		return func(k dupKey, e dupEntry) bool {
			// As an import does: sized from an estimate after the first
			// rows of a file (csvfile's presizeAfter).
			if seen++; seen == 20_000 {
				t.Reserve(n)
			}
			_, dup := t.Insert(k, e)
			return dup
		}, t.Bytes, t.Free
	}},
	{"map", func(int) (func(dupKey, dupEntry) bool, func() int, func()) { return inMap(map[dupKey]dupEntry{}) }},
	{"map-presized", func(n int) (func(dupKey, dupEntry) bool, func() int, func()) {
		return inMap(make(map[dupKey]dupEntry, n))
	}},
}

// garbagePerKey is the bytes allocated per key, and dropped a chunk later,
// to stand for the row being read: the records, their strings and the CSV
// fields of a streaming import (an event takes about this much).
const (
	garbagePerKey = 200
	chunkRows     = 8192 // csvfile.DefaultChunkRows
)

// BenchmarkDupKeys hashes and inserts 1e6 and 1e7 distinct keys into each
// keeper while allocating garbagePerKey bytes a key (the keys are made on
// the way, as an import does: a slice of them all would raise the garbage
// collector's target), and reports the time a key, the
// peak of the Go heap (sampled every 32,768 keys), the memory the Go
// runtime took from the system, and the bytes kept outside the heap. Run
// one keeper and size per process, so that one's heap does not count in
// the next one's:
//
//	for k in table-offheap map map-presized; do for n in 1000000 10000000; do
//	  go test -run XXX -bench "DupKeys/^$k\$/keys=$n\$" -benchtime 1x ./csvfile/
//	done; done
func BenchmarkDupKeys(b *testing.B) {
	for _, kp := range keepers {
		for _, n := range []int{1_000_000, 10_000_000} {
			b.Run(kp.name+"/keys="+strconv.Itoa(n), func(b *testing.B) {
				var peakHeap, sys, offHeap uint64
				for b.Loop() {
					b.StopTimer()
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					base := ms.HeapAlloc
					chunk := make([][]byte, chunkRows)
					b.StartTimer()
					insert, off, free := kp.start(n)
					for i := range n {
						chunk[i%chunkRows] = make([]byte, garbagePerKey)
						if insert(hashDupKey("E"+strconv.Itoa(i)), dupEntry{Sum: uint32(i), Ord: uint32(i + 2)}) {
							b.Fatalf("key %d found before it was added", i)
						}
						if i%32768 == 0 {
							runtime.ReadMemStats(&ms)
							peakHeap = max(peakHeap, ms.HeapAlloc-base)
						}
					}
					b.StopTimer()
					runtime.ReadMemStats(&ms)
					peakHeap = max(peakHeap, ms.HeapAlloc-base)
					sys = ms.Sys // of the whole process
					offHeap = uint64(off())
					free()
					b.StartTimer()
				}
				const mb = 1 << 20
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
				b.ReportMetric(float64(peakHeap)/mb, "peak-heap-MB")
				b.ReportMetric(float64(sys)/mb, "go-sys-MB")
				b.ReportMetric(float64(offHeap)/mb, "off-heap-MB")
				b.ReportMetric(float64(peakHeap+offHeap)/mb, "peak-total-MB")
			})
		}
	}
}

// inMap is a keeper's start on map m.
func inMap(m map[dupKey]dupEntry) (insert func(dupKey, dupEntry) bool, offHeap func() int, free func()) {
	return func(k dupKey, e dupEntry) bool {
		if _, dup := m[k]; dup {
			return true
		}
		m[k] = e
		return false
	}, func() int { return 0 }, func() { m = nil }
}
