//go:build !linux

package runtimetune

// growHeapOnHugePages does nothing where huge pages are not asked for by
// advice (see hugeheap_linux.go).
func growHeapOnHugePages(uint64) {}
