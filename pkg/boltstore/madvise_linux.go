package boltstore

import (
	"math"
	"os"
	"syscall"

	"github.com/partnerctl/partnerctl/pkg/procmem"
)

// dropMappedPages tells the kernel this process no longer needs its mapping
// of the file's pages. bbolt reads through a shared mmap and writes with
// pwrite, so after a big import every page it ever read (at every copy-on-
// write location) counts in the process's RSS, which then grows with the
// file. The data stays in the page cache; the next read maps it again with a
// minor fault. Called between transactions only, and only over the first
// s.mapped bytes, which the mapping is known to cover (see writeMmapSize):
// past the mapping the call would discard other memory of the process.
func (s *Store) dropMappedPages() {
	if s.mapped <= 0 {
		return
	}
	info := s.db.Info()
	fi, err := os.Stat(s.file)
	if info == nil || info.Data == 0 || err != nil {
		return
	}
	size := min(fi.Size(), s.mapped)
	if size <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(size), uintptr(syscall.MADV_DONTNEED))
}

// dropReadPages is dropMappedPages during a read-only transaction: bbolt
// maps at least every page the transaction can see (tx.Size()) and does not
// remap while a reader is open, so that range is known to be mapped. Slices
// into the map stay valid: a page dropped is read back from the page cache
// when touched. Write transactions are left alone: their size counts pages
// not yet mapped.
func (t *boltTx) dropReadPages() {
	if t.btx.Writable() {
		return
	}
	info := t.btx.DB().Info()
	size := t.btx.Size()
	if info == nil || info.Data == 0 || size <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(size), uintptr(syscall.MADV_DONTNEED))
}

// residentBytes is the process's resident set; the most an int64 holds
// when it can't be read, so that a read drops its pages as if over any
// budget.
func residentBytes() int64 {
	n, err := procmem.Resident(0)
	if err != nil {
		return math.MaxInt64
	}
	return n
}
