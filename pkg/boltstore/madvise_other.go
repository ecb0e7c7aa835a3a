//go:build !linux

package boltstore

func (s *Store) dropMappedPages() {}

func (t *boltTx) dropReadPages() {}

// residentBytes is 0 where the pages are not dropped.
func residentBytes() int64 { return 0 }
