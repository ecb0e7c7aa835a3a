package boltstore

import (
	"encoding/binary"
	"fmt"

	"github.com/partnerctl/partnerctl/pkg/store"
)

// recordKind is a kind of record keyed by its creation sequence, with an
// index from id to key.
type recordKind struct {
	records, ids []byte
	// fill is the records bucket's page fill (see fillSorted, fillGrowing).
	fill float64
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n) }

// keyOf is the record key of id, or nil when no record has this id.
func (t *boltTx) keyOf(k recordKind, id string) []byte {
	if id == "" {
		return nil
	}
	return t.get(k.ids, []byte(id))
}

// record is the raw record with this id, or nil.
func (t *boltTx) record(k recordKind, id string) []byte {
	key := t.keyOf(k, id)
	if key == nil {
		return nil
	}
	return t.get(k.records, key)
}

// getRecord decodes the JSON record with this id into v.
func (t *boltTx) getRecord(k recordKind, id string, v any) error {
	raw := t.record(k, id)
	if raw == nil {
		return store.ErrNotFound
	}
	return jsonUnmarshal(raw, v)
}

// putRecord saves raw as the record id of sequence seq, indexing the id.
func (t *boltTx) putRecord(k recordKind, id string, seq uint64, raw []byte) error {
	return t.putRecordAt(k, id, seq, t.keyOf(k, id), raw)
}

// putRecordAt is putRecord when the caller looked up the id's current key
// (nil for a new record).
func (t *boltTx) putRecordAt(k recordKind, id string, seq uint64, old, raw []byte) error {
	key := u64(seq)
	if old == nil {
		ids := t.b(k.ids)
		ids.FillPercent = fillSorted
		if err := ids.Put([]byte(id), key); err != nil {
			return err
		}
	} else if string(old) != string(key) {
		return errSeqChanged(id)
	}
	b := t.b(k.records)
	b.FillPercent = k.fill // sequences grow: new records are appends
	return b.Put(key, raw)
}

func putJSONRecord(t *boltTx, k recordKind, id string, seq uint64, v any) error {
	raw, err := jsonMarshal(v)
	if err != nil {
		return err
	}
	return t.putRecord(k, id, seq, raw)
}

// eachRecord calls fn with every record of kind k in sequence order until fn
// returns false or an error.
func (t *boltTx) eachRecord(k recordKind, fn func(raw []byte) (bool, error)) error {
	c := t.b(k.records).Cursor()
	for key, raw := c.First(); key != nil; key, raw = c.Next() {
		t.readRecord()
		more, err := fn(raw)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func errSeqChanged(id string) error {
	return fmt.Errorf("record %s: its sequence number can't change", id)
}
