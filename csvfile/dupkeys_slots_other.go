//go:build !unix

package csvfile

// allocSlots returns n zeroed slots on the heap, and false: this system's
// tables stay on the heap.
func allocSlots(n int) ([]slot, bool) { return make([]slot, n), false }

// freeSlots is never called here: no slot is outside the heap.
func freeSlots([]slot) {}
