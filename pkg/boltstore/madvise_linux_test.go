package boltstore

import (
	"runtime"
	"testing"
)

// residentBytes is what a long read compares with dropAbove: it must see
// memory the process touches.
func TestResidentBytesCountsTouchedMemory(t *testing.T) {
	before := residentBytes()
	if before <= 0 || before == int64(^uint64(0)>>1) {
		t.Fatalf("residentBytes() = %d before touching anything", before)
	}
	const touched = 64 << 20
	b := make([]byte, touched)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	after := residentBytes()
	runtime.KeepAlive(b)
	if grew := after - before; grew < touched/2 {
		t.Fatalf("residentBytes() grew by %d bytes after %d were touched", grew, touched)
	}
}
