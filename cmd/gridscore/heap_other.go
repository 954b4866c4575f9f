//go:build !(linux && (amd64 || arm64))

package main

// reserveHeap does nothing where transparent huge pages are not asked for
// by madvise (see heap_linux.go).
func reserveHeap(n int64) {}
