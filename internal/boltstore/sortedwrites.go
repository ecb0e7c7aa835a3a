package boltstore

import (
	"maps"
	"slices"
)

// A transaction's puts and deletes to the members and devices buckets are
// buffered and applied in key order when it ends (or before the bucket is
// iterated). bbolt keeps the keys a transaction inserts in the leaf node
// they land in until commit, so thousands of new keys in one bucket made
// every insert move a growing node: 64% of a million-event import, whose
// member and device events insert at random places. Reads see the buffer.

// pendingWrites maps a key to its new value; a nil value deletes the key.
type pendingWrites map[string][]byte

// putLater buffers a put; value is copied.
func (t *tx) putLater(bucket, key, value []byte) {
	if value == nil {
		value = []byte{}
	}
	t.pendingFor(bucket)[string(key)] = slices.Clone(value)
}

// deleteLater buffers a delete.
func (t *tx) deleteLater(bucket, key []byte) { t.pendingFor(bucket)[string(key)] = nil }

// getPending is get that sees buffered writes.
func (t *tx) getPending(bucket, key []byte) []byte {
	if v, ok := t.pending[string(bucket)][string(key)]; ok {
		return v
	}
	return t.get(bucket, key)
}

func (t *tx) pendingFor(bucket []byte) pendingWrites {
	if t.pending == nil {
		t.pending = map[string]pendingWrites{}
	}
	p := t.pending[string(bucket)]
	if p == nil {
		p = pendingWrites{}
		t.pending[string(bucket)] = p
	}
	return p
}

// flushPending applies the buffered writes to bucket, in key order.
func (t *tx) flushPending(bucket []byte) error {
	p := t.pending[string(bucket)]
	if len(p) == 0 {
		return nil
	}
	b := t.b(bucket)
	for _, k := range slices.Sorted(maps.Keys(p)) {
		var err error
		if v := p[k]; v == nil {
			err = b.Delete([]byte(k))
		} else {
			err = b.Put([]byte(k), v)
		}
		if err != nil {
			return err
		}
	}
	delete(t.pending, string(bucket))
	return nil
}

func (t *tx) flushAllPending() error {
	for _, name := range slices.Sorted(maps.Keys(t.pending)) {
		if err := t.flushPending([]byte(name)); err != nil {
			return err
		}
	}
	return nil
}
