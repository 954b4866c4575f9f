//go:build unix

package csvfile

import (
	"syscall"
	"unsafe"
)

// allocSlots returns n zeroed slots in memory mapped from the system, out
// of the garbage collector's sight (a slot holds no pointer), and true; or
// slots on the heap and false if the system refuses.
func allocSlots(n int) ([]slot, bool) {
	size := n * int(unsafe.Sizeof(slot{}))
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil || n == 0 {
		return make([]slot, n), false
	}
	return unsafe.Slice((*slot)(unsafe.Pointer(unsafe.SliceData(b))), n), true
}

// freeSlots returns slots from allocSlots to the system.
func freeSlots(s []slot) {
	if len(s) == 0 {
		return
	}
	syscall.Munmap(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(slot{}))))
}
