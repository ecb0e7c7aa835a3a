//go:build !linux

package boltstore

func (s *Store) dropMappedPages() {}

func (t *boltTx) dropReadPages() {}
