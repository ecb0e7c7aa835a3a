//go:build linux

package runtimetune

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// On this project's VMs the first touch of a 4 KB page costs ~13 µs (a
// page fault the hypervisor takes part in): 64 MB of fresh memory took
// 222 ms to touch, and 4 ms in 2 MB pages. A command that builds a heap of
// tens of megabytes spends a fifth of its time so: a day's feed into the
// 1M store took 21,000 faults, `orgs list -o json` of 100k orgs 12,000.
// Linux backs memory with 2 MB pages (transparent huge pages) when THP is
// "always", or "madvise" and the memory is advised MADV_HUGEPAGE (the
// usual default); Go advises none of its heap. So when a command takes a
// policy (ForImport, ForScan, …), the heap is grown at once by the room
// the policy expects to fill, that memory advised and handed back to the
// runtime untouched: the command's own allocations then fault it in 2 MB
// at a time. Memory is reserved, not used: the pages count only once
// touched, a 2 MB page at a time.
//
// Measured, paired (bench/README.md, section 13): the day's feed into the
// 1M store 1.72–1.82 → 1.45–1.57 s, the 100k import 2.64–2.78 → 2.11–2.27
// s, `orgs list -o json` of 100k orgs 361 → 297 ms, sorted 390 → 296 ms.
// Growing the heap at start instead cost every command, `--version` and
// the first page among them, ~10 ms.
var hugeHeap struct {
	sync.Mutex
	read    bool
	page    uintptr // the huge page size; 0 when the kernel won't give them on advice
	advised uint64  // bytes of heap grown and advised so far
}

const (
	thpEnabledFile = "/sys/kernel/mm/transparent_hugepage/enabled"
	thpSizeFile    = "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"
	overcommitFile = "/proc/sys/vm/overcommit_memory"
	// maxHugeGrowth bounds one growth: it is address space, but a kernel
	// that counts address space against a commit limit could refuse it,
	// and the Go runtime dies of a refused mapping.
	maxHugeGrowth = 1 << 30
)

// growHeapOnHugePages grows the heap by n bytes advised for huge pages,
// unless as much was advised before. Call it while the heap is fresh: the
// runtime zeroes memory it reuses, and zeroing touches it (importReserve).
func growHeapOnHugePages(n uint64) {
	h := &hugeHeap
	h.Lock()
	defer h.Unlock()
	if !h.read {
		h.read = true
		// Under strict overcommit (mode 2) untouched memory counts
		// against the commit limit: no growth there.
		if thpMode(readText(thpEnabledFile)) == "madvise" && strings.TrimSpace(readText(overcommitFile)) != "2" {
			h.page = hugePageSize(readText(thpSizeFile))
		}
	}
	n = min(n, maxHugeGrowth)
	if h.page == 0 || n <= h.advised {
		return
	}
	// The reservation is no allocation to collect for: no collection
	// while it is held.
	limit := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(limit)
	b := make([]byte, int(n)+int(h.page))
	off, length := hugeAligned(uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), h.page)
	if length > 0 {
		_ = syscall.Madvise(b[off:off+length], syscall.MADV_HUGEPAGE) // advice: a refusal changes nothing
	}
	runtime.KeepAlive(b) // and no further: the collection below frees it
	h.advised = n
	// Collect the reservation and hand its pages back as never used, so
	// that the memory limit does not count them.
	debug.FreeOSMemory()
}

// thpMode is the selected mode in the text of THP's "enabled" file
// ("always [madvise] never" → "madvise"), "" when there is none.
func thpMode(text string) string {
	_, rest, ok := strings.Cut(text, "[")
	mode, _, closed := strings.Cut(rest, "]")
	if !ok || !closed {
		return ""
	}
	return mode
}

// hugePageSize reads hpage_pmd_size's text: a power of two of at least a
// page, else 0.
func hugePageSize(text string) uintptr {
	n, err := strconv.ParseUint(strings.TrimSpace(text), 10, 64)
	if err != nil || n < uint64(os.Getpagesize()) || n&(n-1) != 0 || n > 1<<30 {
		return 0
	}
	return uintptr(n)
}

// hugeAligned is the part of [p, p+n) that whole huge pages of size page
// cover: its offset from p and its length.
func hugeAligned(p, n, page uintptr) (off, length uintptr) {
	start := (p + page - 1) &^ (page - 1)
	end := (p + n) &^ (page - 1)
	if end <= start {
		return 0, 0
	}
	return start - p, end - start
}

func readText(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}
