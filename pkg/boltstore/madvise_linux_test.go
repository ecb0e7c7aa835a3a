package boltstore

import (
	"syscall"
	"testing"
)

// residentBytes is what a long read compares with dropAbove: it must see
// memory the process touches. The memory is mapped here, not allocated:
// the Go heap may hand back pages that are resident already.
func TestResidentBytesCountsTouchedMemory(t *testing.T) {
	before := residentBytes()
	if before <= 0 || before == int64(^uint64(0)>>1) {
		t.Fatalf("residentBytes() = %d before touching anything", before)
	}
	const touched = 64 << 20
	b, err := syscall.Mmap(-1, 0, touched, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(b)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if grew := residentBytes() - before; grew < touched/2 {
		t.Fatalf("residentBytes() grew by %d bytes after %d were touched", grew, touched)
	}
}
