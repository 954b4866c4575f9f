package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestReserveHeap checks that memory the heap hands out after reserveHeap
// lies in a mapping the kernel was asked to back with huge pages ("hg" in
// the mapping's VmFlags), which is what makes a batch command's first
// touch of its records cheap.
func TestReserveHeap(t *testing.T) {
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || strings.Contains(string(b), "[never]") {
		t.Skip("transparent huge pages are off on this machine")
	}
	reserveHeap(256 << 20)
	runtime.GC() // waits for the collection reserveHeap started, too
	runtime.GC()
	// Objects of a middle size, allocated after the reservation: the heap
	// places them in the pages it got back.
	var objs [][]byte
	for range 64 {
		objs = append(objs, make([]byte, 64<<10))
	}
	advised := 0
	for _, o := range objs {
		if hugeAdvised(t, uintptr(unsafe.Pointer(unsafe.SliceData(o)))) {
			advised++
		}
	}
	if advised < len(objs)/2 {
		t.Errorf("%d of %d objects allocated after reserveHeap are in memory advised for huge pages", advised, len(objs))
	}
}

// hugeAdvised reports whether addr lies in a mapping of this process whose
// VmFlags include hg (MADV_HUGEPAGE).
func hugeAdvised(t *testing.T, addr uintptr) bool {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 && strings.Contains(line, " ") && !strings.HasPrefix(line, "VmFlags") {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Contains(line, " hg")
		}
	}
	return false
}
