package runtimetune

import (
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

func TestTHPSettingsParse(t *testing.T) {
	for text, want := range map[string]string{
		"always [madvise] never\n": "madvise",
		"[always] madvise never\n": "always",
		"always madvise [never]\n": "never",
		"":                         "",
		"always madvise never\n":   "",
		"[madvise":                 "",
	} {
		if got := thpMode(text); got != want {
			t.Errorf("thpMode(%q) = %q, want %q", text, got, want)
		}
	}
	for text, want := range map[string]uintptr{"2097152\n": 2 << 20, "1073741824": 1 << 30, "3000000": 0, "0": 0, "x": 0, "": 0, "2048": 0} {
		if got := hugePageSize(text); got != want {
			t.Errorf("hugePageSize(%q) = %d, want %d", text, got, want)
		}
	}
}

func TestHugeAlignedKeepsWholeHugePages(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct{ p, n, off, length uintptr }{
		{0x4000000, 8 * mb, 0, 8 * mb},                  // aligned
		{0x4000000 + 4096, 8 * mb, 2*mb - 4096, 6 * mb}, // starts past a boundary: the next one
		{0x4000000 + 4096, 2*mb + 4096, 0, 0},           // no whole page: nothing
		{0x4000000 + 4096, 4 * mb, 2*mb - 4096, 2 * mb}, // one whole page
		{0x4000000, 3*mb - 1, 0, 2 * mb},                // the tail that is no page is left out
		{0x4000000 + 2*mb - 1, 2 * mb, 0, 0},            // straddles one boundary only
		{0x4000000 + 2*mb - 1, 4*mb + 1, 1, 4 * mb},     // two whole pages after a byte
	} {
		off, length := hugeAligned(c.p, c.n, 2*mb)
		if off != c.off || length != c.length {
			t.Errorf("hugeAligned(%#x, %d) = %d, %d; want %d, %d", c.p, c.n, off, length, c.off, c.length)
		}
	}
}

// Where the kernel gives huge pages on advice, the heap grows by the room
// asked for, advised (smaps' VmFlags "hg"), and the memory limit is as it
// was.
func TestGrowHeapOnHugePagesAdvisesTheHeap(t *testing.T) {
	if mode := thpMode(readText(thpEnabledFile)); mode != "madvise" {
		t.Skipf("transparent huge pages are %q here, not given on advice: nothing to advise", mode)
	}
	if strings.TrimSpace(readText(overcommitFile)) == "2" {
		t.Skip("strict overcommit here: the heap is not grown")
	}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(3 << 30))
	hugeHeap.Lock()
	hugeHeap.read, hugeHeap.advised = false, 0
	hugeHeap.Unlock()
	before := advisedMappings(t)
	growHeapOnHugePages(16 << 20)
	after := advisedMappings(t)
	if after <= before {
		t.Fatalf("mappings advised for huge pages: %d before, %d after; want more", before, after)
	}
	if hugeHeap.advised != 16<<20 {
		t.Fatalf("advised %d bytes, want 16 MB", hugeHeap.advised)
	}
	if got := debug.SetMemoryLimit(-1); got != 3<<30 {
		t.Fatalf("memory limit %d after the growth, want 3 GB as before", got)
	}
	growHeapOnHugePages(8 << 20) // less than advised: nothing
	if n := advisedMappings(t); n != after || hugeHeap.advised != 16<<20 {
		t.Fatalf("a smaller room grew the heap again: %d mappings, %d advised", n, hugeHeap.advised)
	}
}

// advisedMappings counts this process's mappings advised MADV_HUGEPAGE.
func advisedMappings(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && slices.Contains(strings.Fields(flags), "hg") {
			n++
		}
	}
	return n
}
