//go:build linux && (amd64 || arm64)

package main

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestReserveHeap checks that reserveHeap leaves the process with that
// much more memory the kernel was asked to back with huge pages ("hg" in
// the mappings' VmFlags), and that the heap gets those pages back to use:
// what makes a batch command's first touch of its records cheap.
func TestReserveHeap(t *testing.T) {
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || strings.Contains(string(b), "[never]") {
		t.Skip("transparent huge pages are off on this machine")
	}
	// More than the heap holds already, so that it must grow (other tests
	// of the process may have left it large and advised).
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	n := int64(ms.HeapSys) + 256<<20
	before := hugeAdvisedBytes(t)
	reserveHeap(n)
	runtime.GC() // waits for the collection reserveHeap started, too
	if got := hugeAdvisedBytes(t) - before; got < 256<<20 {
		t.Errorf("reserveHeap(%d MiB) advised %d MiB more for huge pages", n>>20, got>>20)
	}
	runtime.ReadMemStats(&ms)
	if int64(ms.HeapIdle) < n/2 {
		t.Errorf("after reserveHeap the heap holds %d MiB free, want the reservation back to use", ms.HeapIdle>>20)
	}
}

// hugeAdvisedBytes sums the sizes of this process's mappings whose VmFlags
// include hg (MADV_HUGEPAGE).
func hugeAdvisedBytes(t *testing.T) int64 {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var total, size int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "Size:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			size = kb << 10
		}
		if strings.HasPrefix(line, "VmFlags:") && strings.Contains(line, " hg") {
			total += size
		}
	}
	return total
}
