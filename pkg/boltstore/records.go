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
	// seqOfID, when set, reads the sequence an id was made from, and idOf
	// the id a record holds: the record under that sequence is the id's
	// when it holds the id, found without the lookup in the ids bucket
	// (see hinted).
	seqOfID func(id string) (uint64, bool)
	idOf    func(raw []byte) ([]byte, bool)
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n) }

// keyOf is the record key of id, or nil when no record has this id.
func (t *boltTx) keyOf(k recordKind, id string) []byte {
	if key, _ := t.hinted(k, id); key != nil {
		return key
	}
	return t.indexedKey(k, id)
}

// indexedKey is the record key the ids bucket holds for id, or nil.
func (t *boltTx) indexedKey(k recordKind, id string) []byte {
	if id == "" || (t.btx.Writable() && !t.idSpan(k).holds(id)) {
		return nil
	}
	return t.get(k.ids, []byte(id))
}

// idSpan is the span of a kind's indexed ids in a writing transaction,
// kept as records are added: a new record's id is outside it (ids follow
// the sequence), and its lookup, as dear as a hit, is skipped (a million-row
// orgs import: 0.27 s). Deletes leave the span wider than the ids, which
// only costs lookups.
func (t *boltTx) idSpan(k recordKind) *idSpan { return t.span(k.ids) }

// span is the span of a bucket's keys in a writing transaction, kept by
// the puts that widen it (see idSpan).
func (t *boltTx) span(bucket []byte) *idSpan {
	s := t.spans[string(bucket)]
	if s == nil {
		if t.spans == nil {
			t.spans = map[string]*idSpan{}
		}
		span := t.keySpan(bucket)
		s = &idSpan{first: string(span.first), last: string(span.last), empty: span.first == nil}
		t.spans[string(bucket)] = s
	}
	return s
}

// idSpan is a keySpan that outlives writes: its ends are copies.
type idSpan struct {
	first, last string
	empty       bool
}

func (s *idSpan) holds(id string) bool { return !s.empty && s.first <= id && id <= s.last }

// widen takes in an id just added.
func (s *idSpan) widen(id string) {
	switch {
	case s.empty:
		s.first, s.last, s.empty = id, id, false
	case id < s.first:
		s.first = id
	case id > s.last:
		s.last = id
	}
}

// record is the raw record with this id, or nil.
func (t *boltTx) record(k recordKind, id string) []byte {
	if _, raw := t.hinted(k, id); raw != nil {
		return raw
	}
	key := t.indexedKey(k, id)
	if key == nil {
		return nil
	}
	return t.get(k.records, key)
}

// hinted is the key and record stored under the sequence id was made from,
// when that record holds id; nil otherwise (another id's record, none, an
// id made otherwise), and the id is looked up in the ids bucket. The hint is
// checked, never trusted. Ids the hint finds are not indexed (schema 7, see
// sequenced): a million orgs' ids were 38 MB of the file and a sixth of
// their import, and a day's feed read 95,000 orgs by id with a seek in the
// ids bucket before the one in the records.
func (t *boltTx) hinted(k recordKind, id string) (key, raw []byte) {
	if k.seqOfID == nil {
		return nil, nil
	}
	seq, ok := k.seqOfID(id)
	if !ok {
		return nil, nil
	}
	key = u64(seq)
	if t.btx.Writable() && !t.span(k.records).holds(string(key)) {
		return nil, nil // a new record's: an import's million orgs skip a seek each
	}
	if raw = t.get(k.records, key); raw == nil {
		return nil, nil
	}
	if got, ok := k.idOf(raw); !ok || string(got) != id {
		return nil, nil
	}
	return key, raw
}

// sequenced reports whether id is the one the console makes from seq.
// PutOrg writes such a record in the binary codec, which the hint reads,
// so putRecordAt does not index its id (schema 7).
func (k recordKind) sequenced(id string, seq uint64) bool {
	if k.seqOfID == nil {
		return false
	}
	s, ok := k.seqOfID(id)
	return ok && s == seq
}

// hintedID is the id the record raw, stored under key, holds when the hint
// finds it by that id; ok is false when it does not.
func (k recordKind) hintedID(key, raw []byte) (id []byte, ok bool) {
	if k.seqOfID == nil {
		return nil, false
	}
	if id, ok = k.idOf(raw); !ok {
		return nil, false
	}
	seq, ok := k.seqOfID(string(id))
	return id, ok && string(key) == string(u64(seq))
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
	if old == nil && !k.sequenced(id, seq) {
		ids := t.b(k.ids)
		ids.FillPercent = fillSorted
		if err := ids.Put([]byte(id), key); err != nil {
			return err
		}
		if s := t.spans[string(k.ids)]; s != nil {
			s.widen(id)
		}
	} else if old != nil && string(old) != string(key) {
		return errSeqChanged(id)
	}
	b := t.b(k.records)
	b.FillPercent = k.fill // sequences grow: new records are appends
	if s := t.spans[string(k.records)]; s != nil {
		s.widen(string(key))
	}
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
