package boltstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

type tx struct {
	btx *bolt.Tx
	// pendingNames and pendingRefs are index keys (→ org id) not yet put:
	// see index.
	pendingNames, pendingRefs map[string]string
	// pending holds buffered writes by bucket: see putLater.
	pending map[string]pendingWrites
	// scratch is an encoding buffer; arena holds values handed to bbolt,
	// which keeps them until the commit.
	scratch, arena []byte
	// cursors are reused for lookups: bbolt's Bucket.Get makes a cursor
	// (and grows its stack) on every call.
	cursors map[string]*bolt.Cursor
}

// get is Bucket.Get over a reused cursor, for buckets without nested
// buckets; a key with an empty value gives a non-nil empty slice.
func (t *tx) get(name, key []byte) []byte {
	c := t.cursors[string(name)]
	if c == nil {
		if t.cursors == nil {
			t.cursors = map[string]*bolt.Cursor{}
		}
		c = t.b(name).Cursor()
		t.cursors[string(name)] = c
	}
	k, v := c.Seek(key)
	if k == nil || !bytes.Equal(k, key) {
		return nil
	}
	if v == nil {
		v = []byte{}
	}
	return v
}

// keep copies b into memory that lives as long as the transaction.
func (t *tx) keep(b []byte) []byte {
	if len(b) > cap(t.arena)-len(t.arena) {
		t.arena = make([]byte, 0, max(64<<10, len(b)))
	}
	n := len(t.arena)
	t.arena = append(t.arena, b...)
	return t.arena[n:len(t.arena):len(t.arena)]
}

var _ store.Tx = (*tx)(nil)

func (t *tx) b(name []byte) *bolt.Bucket { return t.btx.Bucket(name) }

func getJSON(b *bolt.Bucket, key []byte, v any) error {
	raw := b.Get(key)
	if raw == nil {
		return store.ErrNotFound
	}
	return jsonUnmarshal(raw, v)
}

func jsonUnmarshal(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("corrupt record in store: %w", err)
	}
	return nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

func (t *tx) Partner() (domain.Partner, error) {
	var p domain.Partner
	return p, getJSON(t.b(bucketMeta), keyPartner, &p)
}

func (t *tx) PutPartner(p domain.Partner) error { return putJSON(t.b(bucketMeta), keyPartner, p) }

func (t *tx) Kind() (domain.StoreKind, error) {
	return domain.StoreKind(t.b(bucketMeta).Get(keyKind)), nil
}

func (t *tx) SetKind(k domain.StoreKind) error { return t.b(bucketMeta).Put(keyKind, []byte(k)) }

func (t *tx) Setting(key string) (string, error) {
	return string(t.b(bucketSettings).Get([]byte(key))), nil
}

func (t *tx) PutSetting(key, value string) error {
	if value == "" {
		return t.b(bucketSettings).Delete([]byte(key))
	}
	return t.b(bucketSettings).Put([]byte(key), []byte(value))
}

func (t *tx) NextSeq(name string) (uint64, error) {
	b := t.b(bucketSeq)
	var n uint64
	if raw := b.Get([]byte(name)); len(raw) == 8 {
		n = binary.BigEndian.Uint64(raw)
	}
	n++
	return n, b.Put([]byte(name), u64(n))
}

func (t *tx) Reset() error {
	t.pending, t.pendingNames, t.pendingRefs = nil, nil, nil
	for _, name := range allBuckets {
		if err := t.btx.DeleteBucket(name); err != nil {
			return err
		}
	}
	return createSchema(t.btx)
}
