package csvfile

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks the kernel to back slots mapped from the system with
// transparent huge pages (the usual setting, "madvise", gives them only to
// memory that asks): a fault fills 2 MiB instead of 4 KiB. Where huge
// pages are off the advice is ignored.
func adviseHuge(s []slot) {
	if len(s) == 0 {
		return
	}
	syscall.Madvise(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(slot{}))), syscall.MADV_HUGEPAGE)
}
