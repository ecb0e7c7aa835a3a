package boltstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"iter"
	"slices"

	bolt "go.etcd.io/bbolt"

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

func (t *boltTx) OrgsByID(_ context.Context, ids []string) ([]domain.Org, error) {
	out := make([]domain.Org, len(ids))
	for _, i := range inKeyOrder(ids) {
		id := ids[i]
		// Decoded in place: through Org, each one was allocated and
		// copied once more (a third of an events import's garbage).
		t.readRecord()
		if raw := t.record(orgRecords, id); raw != nil {
			if err := decodeOrg(raw, &out[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (t *boltTx) OrgIDByRef(_ context.Context, ref string) (string, error) {
	if ref == "" {
		return "", store.ErrNotFound
	}
	if err := t.flushIndexes(); err != nil {
		return "", err
	}
	id := t.get(bucketOrgRefs, refKey(ref))
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
	type hit struct{ key, id []byte }
	var hits []hit
	for _, bucket := range [][]byte{bucketOrgNames, bucketOrgUnlinked} {
		c := t.b(bucket).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
			hits = append(hits, hit{k, v})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return bytes.Compare(a.key, b.key) })
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = string(h.id)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ids, nil
}

func (t *boltTx) OrgIDByShortcode(_ context.Context, code string) (string, error) {
	if code == "" {
		return "", store.ErrNotFound
	}
	if err := t.flushIndexes(); err != nil {
		return "", err
	}
	id := t.get(bucketOrgCodes, []byte(code))
	if id == nil {
		return "", store.ErrNotFound
	}
	return string(id), nil
}

func (t *boltTx) LiveOrgIDs(_ context.Context, keys []string) ([]string, error) {
	if err := t.flushIndexes(); err != nil {
		return nil, err
	}
	ids := make([]string, len(keys))
	// A key outside a bucket's span is not in it, and looking it up there
	// would cost as much as a hit: a feed names its orgs by ref, not id (a
	// day's feed: 95,000 such seeks), and an import into a store
	// without refs yet has nothing to look up, nor to sort (a million new
	// refs: 1 s of a 10 s import).
	indexed, maybeRef := t.keySpan(bucketOrgIDs), t.keySpan(bucketOrgRefs)
	maybeID := func(key string) bool {
		_, sequenced := orgSeqOfID(key)
		return sequenced || indexed.holds(key)
	}
	refs := make([]string, len(keys))
	var asked []string
	var at []int
	for i, key := range keys {
		refs[i] = store.Fold(key)
		if maybeID(key) || maybeRef.holds(refs[i]) {
			asked, at = append(asked, key), append(at, i)
		}
	}
	for _, j := range inKeyOrder(asked) {
		i, key := at[j], asked[j]
		if !maybeID(key) {
			// not an id: a ref, if anything
		} else if raw := t.record(orgRecords, key); raw != nil {
			if _, flags, ok := orgIdentity(raw); ok && flags&(orgFlagAdmin|orgFlagDeleted) == 0 {
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
		if maybeRef.holds(refs[i]) {
			if id := t.get(bucketOrgRefs, []byte(refs[i])); id != nil {
				ids[i] = string(id)
			}
		}
	}
	return ids, nil
}

func (t *boltTx) PutOrg(_ context.Context, o domain.Org) error {
	if _, ok := linkCode(o.LinkStatus); !ok {
		return fmt.Errorf("org %s: unknown link status %q", o.ID, o.LinkStatus)
	}
	t.scratch = encodeOrg(t.scratch[:0], &o)
	key := t.keyOf(orgRecords, o.ID)
	var raw []byte
	if key != nil {
		raw = t.get(bucketOrgs, key)
	}
	// A counter update keeps name, ref, tenant details, seq and state: when
	// the stored record's identity prefix matches the new one, the indexes
	// and the org count stay as they are, without decoding it.
	if pOld, fOld, ok := orgIdentity(raw); ok {
		if pNew, fNew, ok := orgIdentity(t.scratch); ok && fOld == fNew && bytes.Equal(pOld, pNew) {
			return t.putRecordAt(orgRecords, o.ID, o.Seq, key, t.keep(t.scratch))
		}
	}
	var prev domain.Org
	existed := raw != nil
	if existed {
		p, err := decodeStoredOrg(raw)
		if err != nil {
			return err
		}
		prev = *p
	}
	wasIndexed := existed && liveCustomer(prev)
	isIndexed := liveCustomer(o)
	wasCounted := wasIndexed && prev.Connected()
	isCounted := isIndexed && o.Connected()
	same := wasIndexed == isIndexed && wasCounted == isCounted && prev.Name == o.Name && prev.Seq == o.Seq &&
		prev.RefID == o.RefID && prev.Tenant.Shortcode == o.Tenant.Shortcode
	if !same && wasIndexed {
		if err := t.unindex(prev); err != nil {
			return err
		}
	}
	if !same && isIndexed {
		t.index(o)
	}
	if wasCounted != isCounted {
		delta := int64(1)
		if wasCounted {
			delta = -1
		}
		t.orgCountDelta += delta
	}
	// t.scratch still holds o's record: nothing above encodes.
	return t.putRecordAt(orgRecords, o.ID, o.Seq, key, t.keep(t.scratch))
}

// decodeStoredOrg decodes a record PutOrg replaces. Apart, so that the org
// it decodes into is allocated only when there is one: PutOrg's own would
// escape (a 344-byte allocation for every new org of an import).
func decodeStoredOrg(raw []byte) (*domain.Org, error) {
	o := new(domain.Org)
	return o, decodeOrg(raw, o)
}

// PutOrgCounters writes each org whole when its identity (name, ref, id,
// seq, admin and deleted) is what is stored, which is the case for orgs read
// in the same transaction; otherwise it copies the counters onto the stored
// record.
func (t *boltTx) PutOrgCounters(ctx context.Context, orgs []*domain.Org) error {
	sorted := slices.Clone(orgs)
	slices.SortFunc(sorted, func(a, b *domain.Org) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, o := range sorted {
		t.scratch = encodeOrg(t.scratch[:0], o)
		pNew, fNew, okNew := orgIdentity(t.scratch)
		// The record at o's seq is o's when its identity (id and seq among
		// it) is unchanged: no lookup of the id first.
		key := u64(o.Seq)
		raw := t.get(bucketOrgs, key)
		pOld, fOld, okOld := orgIdentity(raw)
		if !okOld || !okNew || !bytes.Equal(pOld, pNew) {
			if key = t.keyOf(orgRecords, o.ID); key != nil {
				raw = t.get(bucketOrgs, key)
			} else {
				raw = nil
			}
			pOld, fOld, okOld = orgIdentity(raw)
		}
		if raw == nil {
			return fmt.Errorf("org %s: %w", o.ID, store.ErrNotFound)
		}
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

// index records a live customer org's name, ref and shortcode keys. They
// are put in key order when the transaction ends (or before the next index
// read): an import of 100k orgs in one transaction otherwise inserts at
// random places of one huge in-memory node, and bbolt spent 70% of `orgs
// import` moving memory.
func (t *boltTx) index(o domain.Org) {
	t.pending.add(namesBucket(&o), nameKey(o.Name, o.Seq), o.ID)
	if o.RefID != "" {
		t.pending.add(bucketOrgRefs, refKey(o.RefID), o.ID)
	}
	if code := o.Tenant.Shortcode; code != "" {
		t.pending.add(bucketOrgCodes, []byte(code), o.ID)
	}
}

// indexBuckets are the org indexes, in the order they are flushed.
var indexBuckets = [][]byte{bucketOrgNames, bucketOrgUnlinked, bucketOrgRefs, bucketOrgCodes}

// namesBucket is the name index that holds o: connected orgs and the
// others apart.
func namesBucket(o *domain.Org) []byte {
	if o.Connected() {
		return bucketOrgNames
	}
	return bucketOrgUnlinked
}

func (t *boltTx) unindex(o domain.Org) error {
	if err := t.flushIndexes(); err != nil { // a pending key may be among them
		return err
	}
	keys := [][2][]byte{{namesBucket(&o), nameKey(o.Name, o.Seq)}}
	if o.RefID != "" {
		keys = append(keys, [2][]byte{bucketOrgRefs, refKey(o.RefID)})
	}
	if o.Tenant.Shortcode != "" {
		keys = append(keys, [2][]byte{bucketOrgCodes, []byte(o.Tenant.Shortcode)})
	}
	for _, k := range keys {
		if err := t.b(k[0]).Delete(k[1]); err != nil {
			return err
		}
	}
	return nil
}

// flushIndexes writes the pending index keys, sorted, the org count and
// the sequences: before every commit, and before reads that need them.
func (t *boltTx) flushIndexes() error {
	if err := t.flushOrgCount(); err != nil {
		return err
	}
	if err := t.flushSeqs(); err != nil {
		return err
	}
	return t.pending.drain(func(name []byte, keys []pendingKey) error {
		b := t.b(name)
		b.FillPercent = fillSorted
		for _, k := range keys {
			// In the transaction's arena: a million ids converted one by one
			// were a million small allocations (0.45 s of a 1M-row import).
			if err := b.Put(k.key, t.keep([]byte(k.id))); err != nil {
				return err
			}
		}
		return nil
	})
}

// flushOrgCount puts the org count, when PutOrg changed it.
func (t *boltTx) flushOrgCount() error {
	if t.orgCountDelta == 0 {
		return nil
	}
	n, _ := t.CountOrgs(context.Background()) // includes the delta
	t.orgCountDelta = 0
	return t.b(bucketMeta).Put(keyOrgCount, u64(uint64(n)))
}

func (t *boltTx) CountOrgs(context.Context) (int, error) {
	stored := int64(0)
	if raw := t.b(bucketMeta).Get(keyOrgCount); len(raw) == 8 {
		stored = int64(binary.BigEndian.Uint64(raw))
	}
	return int(stored + t.orgCountDelta), nil
}

func (t *boltTx) Orgs(ctx context.Context, q store.OrgQuery) iter.Seq2[*domain.Org, error] {
	if q.Only != nil && !q.All {
		return t.onlyOrgs(ctx, q)
	}
	return func(yield func(*domain.Org, error) bool) {
		search := store.NewSearch(q.Search)
		skip, left := q.Offset, q.Limit
		var borrowed *domain.Org
		if q.Borrow {
			borrowed = new(domain.Org)
		}
		visit := func(raw []byte) (more bool, err error) {
			if !search.Empty() {
				if name, ref, code, ok := orgSearchFields(raw); ok && !search.Match(name, ref, code) {
					return true, nil
				}
			}
			o := borrowed
			if o == nil {
				o = new(domain.Org)
			}
			if err := decodeOrg(raw, o); err != nil {
				return false, err
			}
			if !q.All && (!liveCustomer(*o) || !q.KeepsLink(o.LinkStatus) ||
				(q.Devices != nil && !q.Devices.Contains(o.Devices.Total))) {
				return true, nil
			}
			if !search.MatchOrg(o) {
				return true, nil // reads JSON records of earlier builds
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
		switch {
		case q.Order == store.OrderName && !q.All && q.OnlyConnected():
			fastSkip := 0
			if search.Empty() && q.Devices == nil {
				fastSkip, skip = skip, 0 // every indexed org matches: skip index keys, not records
			}
			err = t.eachOrgByName(fastSkip, visit, bucketOrgNames)
		case q.Order == store.OrderName && !q.All:
			err = t.eachOrgByName(0, visit, bucketOrgNames, bucketOrgUnlinked)
		default:
			err = t.eachRecord(orgRecords, visit)
		}
		if err != nil {
			yield(nil, err)
		}
	}
}

// eachOrgByName calls fn with the records the name indexes buckets point
// at, merged in name order, after the first skip.
//
// Name order is random order in the records bucket, and on a store of a
// million orgs random reads either keep every page of the bucket mapped
// (hundreds of megabytes of RSS) or, once dropped, fault each one in again.
// So the records are read in windows: a window's index entries are
// collected, their records read in key order (neighbouring pages, which the
// kernel maps together) and copied out, then handed to fn in name order.
// Windows start small, so a first page of 25 reads little more than 25.
func (t *boltTx) eachOrgByName(skip int, fn func(raw []byte) (bool, error), buckets ...[]byte) error {
	if err := t.flushIndexes(); err != nil {
		return err
	}
	type head struct {
		c     *bolt.Cursor
		k, id []byte
	}
	heads := make([]*head, 0, len(buckets))
	for _, name := range buckets {
		h := &head{c: t.b(name).Cursor()}
		if h.k, h.id = h.c.First(); h.k != nil {
			heads = append(heads, h)
		}
	}
	var w nameWindow
	size := firstNameWindow
	for len(heads) > 0 {
		next := heads[0]
		for _, h := range heads[1:] {
			if bytes.Compare(h.k, next.k) < 0 {
				next = h
			}
		}
		k, id := next.k, next.id
		if next.k, next.id = next.c.Next(); next.k == nil {
			heads = slices.DeleteFunc(heads, func(h *head) bool { return h == next })
		}
		if skip > 0 {
			skip--
			continue
		}
		if len(k) < 9 {
			return fmt.Errorf("%w: name index key %q", errCorruptOrg, k)
		}
		if w.hits == nil {
			w.hits = make([]nameHit, 0, size)
		}
		w.hits = append(w.hits, nameHit{key: k[len(k)-8:], id: id})
		if len(w.hits) < size {
			continue
		}
		if more, err := w.visit(t, fn); err != nil || !more {
			return err
		}
		size = min(size*2, maxNameWindow)
		w.grow(size)
	}
	_, err := w.visit(t, fn)
	return err
}

const (
	firstNameWindow = 32
	nameWindowBits  = 17
	maxNameWindow   = 1 << nameWindowBits
)

// nameWindow is a window of eachOrgByName: index entries in name order,
// and their records once read.
type nameWindow struct {
	hits   []nameHit
	order  []int
	packed []uint64 // sortBySeq's
	buf    []byte
}

// nameHit is an index entry: the record's key (the seq that ends the
// index key) and the org's id.
type nameHit struct {
	key, id    []byte
	start, end int
}

// grow makes room for a window of size entries at once, its records at the
// last window's mean length: grown by appending, a list of 100k orgs spent
// a tenth of its time copying the window into fresh memory.
func (w *nameWindow) grow(size int) {
	if size <= cap(w.hits) {
		return
	}
	// make, not slices.Grow: growing copies the old contents, of no use.
	w.hits = make([]nameHit, 0, size)
	if n := len(w.order); n > 0 && len(w.buf) > 0 {
		w.buf = make([]byte, 0, size*(len(w.buf)/n+1))
	}
	w.order, w.packed = make([]int, 0, size), make([]uint64, 0, size)
}

// visit reads the window's records in key order, copies them out, then
// calls fn with each in name order, and empties the window.
func (w *nameWindow) visit(t *boltTx, fn func(raw []byte) (bool, error)) (bool, error) {
	defer func() { w.hits = w.hits[:0] }()
	w.sortBySeq()
	w.buf = w.buf[:0]
	records := keyWalker{c: t.b(orgRecords.records).Cursor()}
	for _, i := range w.order {
		h := &w.hits[i]
		t.readRecord()
		raw := records.get(h.key)
		if raw == nil {
			raw = t.record(orgRecords, string(h.id)) // an index of an earlier build
		}
		if raw == nil {
			return false, fmt.Errorf("%w: name index names missing org %s", errCorruptOrg, h.id)
		}
		h.start = len(w.buf)
		w.buf = append(w.buf, raw...)
		h.end = len(w.buf)
	}
	for i := range w.hits {
		h := &w.hits[i]
		if more, err := fn(w.buf[h.start:h.end]); err != nil || !more {
			return false, err
		}
	}
	return true, nil
}

// sortBySeq puts the indexes of the window's hits in order in w.order, by
// record key: each seq and its index packed into one integer, sorted as
// integers (through a comparison of the keys' bytes, the sort took a tenth
// of a list of 100k orgs).
func (w *nameWindow) sortBySeq() {
	w.packed, w.order = w.packed[:0], w.order[:0]
	for i, h := range w.hits {
		seq := binary.BigEndian.Uint64(h.key)
		if seq >= 1<<(64-nameWindowBits) { // never, short of a corrupt index
			w.packed = w.packed[:0]
			break
		}
		w.packed = append(w.packed, seq<<nameWindowBits|uint64(i))
	}
	if len(w.packed) < len(w.hits) {
		for i := range w.hits {
			w.order = append(w.order, i)
		}
		slices.SortFunc(w.order, func(a, b int) int { return bytes.Compare(w.hits[a].key, w.hits[b].key) })
		return
	}
	slices.Sort(w.packed)
	for _, p := range w.packed {
		w.order = append(w.order, int(p&(maxNameWindow-1)))
	}
}

// keyWalker looks up ascending keys in a bucket with one cursor: a key a
// few entries past the last is reached by stepping (a window of a whole
// list asks for every record in turn), any other by seeking.
type keyWalker struct {
	c    *bolt.Cursor
	k, v []byte
}

// walkSteps is how far get steps before it seeks instead.
const walkSteps = 8

func (w *keyWalker) get(key []byte) []byte {
	for step := 0; w.k != nil && step < walkSteps && bytes.Compare(w.k, key) < 0; step++ {
		w.k, w.v = w.c.Next()
	}
	if w.k == nil || bytes.Compare(w.k, key) < 0 {
		w.k, w.v = w.c.Seek(key)
	}
	if w.k == nil || !bytes.Equal(w.k, key) {
		return nil
	}
	return w.v
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
