package boltstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// nameKey orders orgs by case-insensitive name, then by creation sequence,
// which is the id order: the default sort of `orgs list`.
func nameKey(name string, seq uint64) []byte {
	k := make([]byte, 0, len(name)+9)
	k = append(k, strings.ToLower(name)...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

func refKey(ref string) []byte { return []byte(strings.ToLower(ref)) }

func (t *tx) Org(id string) (domain.Org, error) {
	var o domain.Org
	raw := t.get(bucketOrgs, []byte(id))
	if raw == nil {
		return o, store.ErrNotFound
	}
	return o, decodeOrg(raw, &o)
}

func (t *tx) OrgIDByRef(ref string) (string, error) {
	if ref == "" {
		return "", store.ErrNotFound
	}
	key := refKey(ref)
	if id, ok := t.pendingRefs[string(key)]; ok {
		return id, nil
	}
	id := t.b(bucketOrgRefs).Get(key)
	if id == nil {
		return "", store.ErrNotFound
	}
	return string(id), nil
}

func (t *tx) OrgIDsByName(name string) ([]string, error) {
	if err := t.flushIndexes(); err != nil {
		return nil, err
	}
	prefix := append([]byte(strings.ToLower(name)), 0)
	var ids []string
	c := t.b(bucketOrgNames).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
		ids = append(ids, string(v))
	}
	return ids, nil
}

func (t *tx) PutOrg(o domain.Org) error {
	orgs := t.b(bucketOrgs)
	t.scratch = encodeOrg(t.scratch[:0], &o)
	raw := t.get(bucketOrgs, []byte(o.ID))
	// A counter update (every event import batch) keeps name, ref, seq and
	// state: when the stored record's identity prefix matches the new one,
	// the indexes and the org count stay as they are, without decoding it.
	if pOld, fOld, ok := orgIdentity(raw); ok {
		if pNew, fNew, ok := orgIdentity(t.scratch); ok && fOld == fNew && bytes.Equal(pOld, pNew) {
			orgs.FillPercent = fillSorted
			return orgs.Put([]byte(o.ID), t.keep(t.scratch))
		}
	}
	var prev domain.Org
	existed := raw != nil
	if existed {
		if err := decodeOrg(raw, &prev); err != nil {
			return err
		}
	}
	wasCounted := existed && prev.Live() && !prev.Admin
	isCounted := o.Live() && !o.Admin
	// Counter updates (every event import batch) leave the indexes alone.
	same := wasCounted == isCounted && prev.Name == o.Name && prev.Seq == o.Seq && prev.RefID == o.RefID
	if !same && wasCounted {
		if err := t.unindex(prev); err != nil {
			return err
		}
	}
	if !same && isCounted {
		t.index(o)
	}
	if wasCounted != isCounted {
		delta := int64(1)
		if wasCounted {
			delta = -1
		}
		if err := t.addOrgCount(delta); err != nil {
			return err
		}
	}
	t.scratch = encodeOrg(t.scratch[:0], &o)
	orgs.FillPercent = fillSorted // ids grow: new orgs are appends
	return orgs.Put([]byte(o.ID), t.keep(t.scratch))
}

// index records a live org's name and ref keys. They are put in key order
// when the transaction ends (or before the next index read): an import of
// 100k orgs in one transaction otherwise inserts at random places of one
// huge in-memory node, and bbolt spent 70% of `orgs import` moving memory.
func (t *tx) index(o domain.Org) {
	if t.pendingNames == nil {
		t.pendingNames, t.pendingRefs = map[string]string{}, map[string]string{}
	}
	t.pendingNames[string(nameKey(o.Name, o.Seq))] = o.ID
	if o.RefID != "" {
		t.pendingRefs[string(refKey(o.RefID))] = o.ID
	}
}

func (t *tx) unindex(o domain.Org) error {
	nk := nameKey(o.Name, o.Seq)
	delete(t.pendingNames, string(nk))
	if err := t.b(bucketOrgNames).Delete(nk); err != nil {
		return err
	}
	if o.RefID != "" {
		rk := refKey(o.RefID)
		delete(t.pendingRefs, string(rk))
		return t.b(bucketOrgRefs).Delete(rk)
	}
	return nil
}

// flushIndexes writes the pending index keys, sorted.
func (t *tx) flushIndexes() error {
	for _, p := range []struct {
		bucket []byte
		keys   map[string]string
	}{{bucketOrgNames, t.pendingNames}, {bucketOrgRefs, t.pendingRefs}} {
		if len(p.keys) == 0 {
			continue
		}
		b := t.b(p.bucket)
		b.FillPercent = fillSorted
		for _, k := range slices.Sorted(maps.Keys(p.keys)) {
			if err := b.Put([]byte(k), []byte(p.keys[k])); err != nil {
				return err
			}
		}
		clear(p.keys)
	}
	return nil
}

func (t *tx) addOrgCount(delta int64) error {
	n, _ := t.CountOrgs()
	return t.b(bucketMeta).Put(keyOrgCount, u64(uint64(int64(n)+delta)))
}

func (t *tx) CountOrgs() (int, error) {
	raw := t.b(bucketMeta).Get(keyOrgCount)
	if len(raw) != 8 {
		return 0, nil
	}
	return int(binary.BigEndian.Uint64(raw)), nil
}

func (t *tx) ForEachOrg(skip int, fn func(o *domain.Org) bool) error {
	if err := t.flushIndexes(); err != nil {
		return err
	}
	orgs := t.b(bucketOrgs)
	c := t.b(bucketOrgNames).Cursor()
	for k, id := c.First(); k != nil; k, id = c.Next() {
		if skip > 0 {
			skip--
			continue
		}
		var o domain.Org
		raw := orgs.Get(id)
		if raw == nil {
			return fmt.Errorf("%w: name index names missing org %s", errCorruptOrg, id)
		}
		if err := decodeOrg(raw, &o); err != nil {
			return err
		}
		if !fn(&o) {
			return nil
		}
	}
	return nil
}

func (t *tx) ScanOrgs(match func(name, ref []byte) bool, fn func(o *domain.Org) bool) error {
	c := t.b(bucketOrgs).Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		if match != nil {
			if name, ref, ok := orgNameRef(raw); ok && !match(name, ref) {
				continue
			}
		}
		var o domain.Org
		if err := decodeOrg(raw, &o); err != nil {
			return err
		}
		if !o.Live() || o.Admin {
			continue
		}
		if match != nil && !match([]byte(o.Name), []byte(o.RefID)) {
			continue // a JSON record of an earlier build
		}
		if !fn(&o) {
			return nil
		}
	}
	return nil
}
