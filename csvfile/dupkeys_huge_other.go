//go:build !linux

package csvfile

// adviseHuge does nothing: transparent huge pages are a Linux feature.
func adviseHuge([]slot) {}
