package boltstore

import "github.com/partnerctl/partnerctl/pkg/store"

var _ store.Generations = (*boltTx)(nil)

// Generation implements store.Generations: bbolt numbers its commits (each
// one writes a meta page with the next transaction id, changed or not), and
// a write transaction carries the id its commit will have.
func (t *boltTx) Generation() uint64 {
	id := uint64(t.btx.ID())
	if t.btx.Writable() {
		id--
	}
	return id
}
