package boltstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// nameKey orders orgs by folded name, then by creation sequence: name
// order, the default sort of `orgs list`.
func nameKey(name string, seq uint64) []byte {
	folded := store.Fold(name)
	k := make([]byte, 0, len(folded)+9)
	k = append(k, folded...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

func refKey(ref string) []byte { return []byte(store.Fold(ref)) }

func (t *boltTx) Org(_ context.Context, id string) (domain.Org, error) {
	var o domain.Org
	raw := t.record(orgRecords, id)
	if raw == nil {
		return o, store.ErrNotFound
	}
	return o, decodeOrg(raw, &o)
}

func (t *boltTx) OrgsByID(ctx context.Context, ids []string) ([]domain.Org, error) {
	out := make([]domain.Org, len(ids))
	for i, id := range ids {
		o, err := t.Org(ctx, id)
		if err == store.ErrNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i] = o
	}
	return out, nil
}

func (t *boltTx) OrgIDByRef(_ context.Context, ref string) (string, error) {
	if ref == "" {
		return "", store.ErrNotFound
	}
	key := refKey(ref)
	if id, ok := t.pendingRefs[string(key)]; ok {
		return id, nil
	}
	id := t.get(bucketOrgRefs, key)
	if id == nil {
		return "", store.ErrNotFound
	}
	return string(id), nil
}

func (t *boltTx) OrgIDsByName(_ context.Context, name string) ([]string, error) {
	if err := t.flushIndexes(); err != nil {
		return nil, err
	}
	prefix := append([]byte(store.Fold(name)), 0)
	var ids []string
	c := t.b(bucketOrgNames).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
		ids = append(ids, string(v))
	}
	return ids, nil
}

func (t *boltTx) LiveOrgIDs(ctx context.Context, keys []string) ([]string, error) {
	ids := make([]string, len(keys))
	for i, key := range keys {
		if raw := t.record(orgRecords, key); raw != nil {
			if _, flags, ok := orgIdentity(raw); ok && flags == 0 {
				ids[i] = key
				continue
			}
			var o domain.Org
			if err := decodeOrg(raw, &o); err != nil {
				return nil, err
			}
			if o.Live() && !o.Admin {
				ids[i] = key
				continue
			}
		}
		id, err := t.OrgIDByRef(ctx, key)
		if err != nil && err != store.ErrNotFound {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

func (t *boltTx) PutOrg(_ context.Context, o domain.Org) error {
	t.scratch = encodeOrg(t.scratch[:0], &o)
	key := t.keyOf(orgRecords, o.ID)
	var raw []byte
	if key != nil {
		raw = t.get(bucketOrgs, key)
	}
	// A counter update keeps name, ref, seq and state: when the stored
	// record's identity prefix matches the new one, the indexes and the org
	// count stay as they are, without decoding it.
	if pOld, fOld, ok := orgIdentity(raw); ok {
		if pNew, fNew, ok := orgIdentity(t.scratch); ok && fOld == fNew && bytes.Equal(pOld, pNew) {
			return t.putRecordAt(orgRecords, o.ID, o.Seq, key, t.keep(t.scratch))
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
	return t.putRecordAt(orgRecords, o.ID, o.Seq, key, t.keep(t.scratch))
}

// PutOrgCounters writes each org whole when its identity (name, ref, id,
// seq, admin and deleted) is what is stored, which is the case for orgs read
// in the same transaction; otherwise it copies the counters onto the stored
// record.
func (t *boltTx) PutOrgCounters(ctx context.Context, orgs []*domain.Org) error {
	sorted := slices.Clone(orgs)
	slices.SortFunc(sorted, func(a, b *domain.Org) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, o := range sorted {
		key := t.keyOf(orgRecords, o.ID)
		var raw []byte
		if key != nil {
			raw = t.get(bucketOrgs, key)
		}
		if raw == nil {
			return fmt.Errorf("org %s: %w", o.ID, store.ErrNotFound)
		}
		t.scratch = encodeOrg(t.scratch[:0], o)
		pOld, fOld, okOld := orgIdentity(raw)
		pNew, fNew, okNew := orgIdentity(t.scratch)
		if okOld && okNew && fOld == fNew && bytes.Equal(pOld, pNew) {
			if err := t.putRecordAt(orgRecords, o.ID, o.Seq, key, t.keep(t.scratch)); err != nil {
				return err
			}
			continue
		}
		var stored domain.Org
		if err := decodeOrg(raw, &stored); err != nil {
			return err
		}
		copyCounters(&stored, o)
		if err := t.PutOrg(ctx, stored); err != nil {
			return err
		}
	}
	return nil
}

// copyCounters sets dst's event-fed counters to src's.
func copyCounters(dst, src *domain.Org) {
	dst.Users, dst.DataSources, dst.AITrained, dst.Integrations = src.Users, src.DataSources, src.AITrained, src.Integrations
	dst.SessionsTotal, dst.LastActiveAt, dst.Messages, dst.Subscribers = src.SessionsTotal, src.LastActiveAt, src.Messages, src.Subscribers
	dst.Devices, dst.SessionDays = src.Devices, slices.Clone(src.SessionDays)
}

// index records a live org's name and ref keys. They are put in key order
// when the transaction ends (or before the next index read): an import of
// 100k orgs in one transaction otherwise inserts at random places of one
// huge in-memory node, and bbolt spent 70% of `orgs import` moving memory.
func (t *boltTx) index(o domain.Org) {
	if t.pendingNames == nil {
		t.pendingNames, t.pendingRefs = map[string]string{}, map[string]string{}
	}
	t.pendingNames[string(nameKey(o.Name, o.Seq))] = o.ID
	if o.RefID != "" {
		t.pendingRefs[string(refKey(o.RefID))] = o.ID
	}
}

func (t *boltTx) unindex(o domain.Org) error {
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
func (t *boltTx) flushIndexes() error {
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

func (t *boltTx) addOrgCount(delta int64) error {
	n, _ := t.CountOrgs(context.Background())
	return t.b(bucketMeta).Put(keyOrgCount, u64(uint64(int64(n)+delta)))
}

func (t *boltTx) CountOrgs(context.Context) (int, error) {
	raw := t.b(bucketMeta).Get(keyOrgCount)
	if len(raw) != 8 {
		return 0, nil
	}
	return int(binary.BigEndian.Uint64(raw)), nil
}

func (t *boltTx) Orgs(ctx context.Context, q store.OrgQuery) iter.Seq2[*domain.Org, error] {
	if q.Only != nil && !q.All {
		return t.onlyOrgs(ctx, q)
	}
	return func(yield func(*domain.Org, error) bool) {
		search := store.NewSearch(q.Search)
		skip, left := q.Offset, q.Limit
		visit := func(raw []byte) (more bool, err error) {
			if !search.Empty() {
				if name, ref, ok := orgNameRef(raw); ok && !search.Match(name, ref) {
					return true, nil
				}
			}
			o := new(domain.Org)
			if err := decodeOrg(raw, o); err != nil {
				return false, err
			}
			if (!q.All && (!o.Live() || o.Admin)) || !search.MatchString(o.Name, o.RefID) {
				return true, nil // the last test reads JSON records of earlier builds
			}
			if skip > 0 {
				skip--
				return true, nil
			}
			if !yield(o, nil) {
				return false, nil
			}
			left--
			return left != 0, ctx.Err()
		}
		var err error
		if q.Order == store.OrderName && !q.All {
			fastSkip := 0
			if search.Empty() {
				fastSkip, skip = skip, 0 // every indexed org matches: skip index keys, not records
			}
			err = t.eachOrgByName(fastSkip, visit)
		} else {
			err = t.eachRecord(orgRecords, visit)
		}
		if err != nil {
			yield(nil, err)
		}
	}
}

// eachOrgByName calls fn with the records of live customer orgs in name
// order, after the first skip.
func (t *boltTx) eachOrgByName(skip int, fn func(raw []byte) (bool, error)) error {
	if err := t.flushIndexes(); err != nil {
		return err
	}
	c := t.b(bucketOrgNames).Cursor()
	for k, id := c.First(); k != nil; k, id = c.Next() {
		if skip > 0 {
			skip--
			continue
		}
		raw := t.record(orgRecords, string(id))
		if raw == nil {
			return fmt.Errorf("%w: name index names missing org %s", errCorruptOrg, id)
		}
		if more, err := fn(raw); err != nil || !more {
			return err
		}
	}
	return nil
}

// onlyOrgs is Orgs restricted to q.Only: the orgs are read by id, since a
// scope names a few orgs among any number, then ordered and paged.
func (t *boltTx) onlyOrgs(ctx context.Context, q store.OrgQuery) iter.Seq2[*domain.Org, error] {
	return func(yield func(*domain.Org, error) bool) {
		search := store.NewSearch(q.Search)
		var found []*domain.Org
		for _, id := range slices.Compact(slices.Sorted(slices.Values(q.Only))) {
			raw := t.record(orgRecords, id)
			if raw == nil {
				continue
			}
			o := new(domain.Org)
			if err := decodeOrg(raw, o); err != nil {
				yield(nil, err)
				return
			}
			if o.Live() && !o.Admin && search.MatchString(o.Name, o.RefID) {
				found = append(found, o)
			}
		}
		slices.SortFunc(found, func(a, b *domain.Org) int {
			if q.Order == store.OrderName {
				if c := cmp.Compare(store.Fold(a.Name), store.Fold(b.Name)); c != 0 {
					return c
				}
			}
			return cmp.Compare(a.Seq, b.Seq)
		})
		found = found[min(q.Offset, len(found)):]
		if q.Limit > 0 {
			found = found[:min(q.Limit, len(found))]
		}
		for _, o := range found {
			if !yield(o, nil) {
				return
			}
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}
