package boltstore

import (
	"bytes"
	"container/heap"
	"context"
	"fmt"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// An events import in org ranges claims each range's ids in the range's
// transaction, so that an import stopped between ranges and run again finds
// the done ones duplicates. But a range's ids fall between the ids of the
// ranges before it (a feed numbers its events as they happen, across all
// orgs), so claiming them in event_ids rewrote most of its runs in every
// range: 16 ranges of 10M events decoded, merged and wrote the runs again
// and again, 4 s of the import's CPU and 50 MB of pages per commit.
//
// StageEvents writes a range's ids as a run set of their own instead, a
// nested bucket of event_ids_staged, written once in key order. They are
// claimed ids like any others (EventsClaimed and ClaimEvents see them).
// The last range's last transaction merges every staged set into event_ids
// in one pass and drops them (ClaimStagedEvents); so does any ClaimEvents
// that finds some. A crash between ranges leaves staged sets that count as
// claimed until then.

// StageEvents records ids that the caller knows no import has claimed (see
// store.EventStager): they are not looked up among the staged sets. Ids in
// event_ids are checked, which costs nothing when they sort after every id
// there, as a feed's new ids do.
func (t *boltTx) StageEvents(_ context.Context, ids []string) error {
	_, byID, err := sortEventIDs("StageEvents", ids)
	if err != nil || len(byID) == 0 {
		return err
	}
	seen := make([]bool, len(byID))
	if err := t.claimedOutsideStaged(byID, seen); err != nil {
		return err
	}
	for n, id := range byID {
		if seen[n] {
			return fmt.Errorf("StageEvents: event id %q was claimed before", id)
		}
	}
	// A range's later batches follow its first: they extend its set (any
	// ids past a set's last keep it ascending and disjoint).
	staged := t.b(bucketEventIDsStaged)
	if k, _ := staged.Cursor().Last(); k != nil {
		if set := staged.Bucket(k); set != nil {
			last, err := lastRunID(set)
			if err != nil {
				return err
			}
			if byID[0] > last {
				return t.claimIDsIn(set, byID, nil)
			}
		}
	}
	n, err := staged.NextSequence()
	if err != nil {
		return err
	}
	set, err := staged.CreateBucket(u64(n))
	if err != nil {
		return err
	}
	set.FillPercent = fillSorted
	return t.putRuns(set, mergeIDs(nil, byID))
}

// claimedOutsideStaged sets seen[n] for each of byID (ascending, unique)
// in event_ids or the bucket of earlier builds; ids past the greatest there
// are not looked up.
func (t *boltTx) claimedOutsideStaged(byID []string, seen []bool) error {
	maxSeen, err := t.maxClaimedID(false)
	if err != nil {
		return err
	}
	known := idsUpTo(byID, maxSeen)
	if err := runsSeen(t.b(bucketEventIDs), byID[:known], seen[:known]); err != nil {
		return err
	}
	return t.legacyEventsSeen(byID[:known], seen[:known])
}

// stagedSets are the nested buckets of event_ids_staged, in the order they
// were staged.
func (t *boltTx) stagedSets() (names [][]byte, sets []*bolt.Bucket, err error) {
	staged := t.b(bucketEventIDsStaged)
	err = staged.ForEach(func(k, v []byte) error {
		set := staged.Bucket(k)
		if v != nil || set == nil {
			return fmt.Errorf("corrupt staged event ids: key %x is not a bucket", k)
		}
		names, sets = append(names, k), append(sets, set)
		return nil
	})
	return names, sets, err
}

// hasStagedEvents says whether any ids are staged.
func (t *boltTx) hasStagedEvents() bool {
	k, _ := t.b(bucketEventIDsStaged).Cursor().First()
	return k != nil
}

// stagedSeen sets seen[i] for each of ids (ascending, unique) in a staged
// set; those seen already are not looked up again.
func (t *boltTx) stagedSeen(ids []string, seen []bool) error {
	if !t.hasStagedEvents() {
		return nil
	}
	_, sets, err := t.stagedSets()
	if err != nil {
		return err
	}
	var todo []string
	var at []int
	for i, id := range ids {
		if !seen[i] {
			todo, at = append(todo, id), append(at, i)
		}
	}
	found := make([]bool, len(todo))
	for _, set := range sets {
		if err := runsSeen(set, todo, found); err != nil {
			return err
		}
	}
	for k, i := range at {
		seen[i] = found[k]
	}
	return nil
}

// ClaimStagedEvents claims every staged id in event_ids (see
// store.EventStager).
func (t *boltTx) ClaimStagedEvents(context.Context) error { return t.mergeStaged() }

// mergeStaged claims every staged id in event_ids and drops the staged
// sets (see claimWithStaged).
func (t *boltTx) mergeStaged() error {
	if !t.hasStagedEvents() {
		return nil
	}
	return t.claimWithStaged(nil, nil)
}

// claimWithStaged claims byID (ascending, unique; seen[n] set for those
// claimed before, as claimIDs does) together with every staged id, and
// drops the staged sets. The sets and byID are merged in step (a heap of
// one cursor each) and claimed mergeChunk ids at a time, so memory stays
// flat however many are staged; claimed after the staged ones, a range's
// ids, which fall between them, would split every run the merge wrote.
func (t *boltTx) claimWithStaged(byID []string, seen []bool) error {
	names, sets, err := t.stagedSets()
	if err != nil {
		return err
	}
	if err := t.claimedOutsideStaged(byID, seen); err != nil {
		return err
	}
	var h idHeap
	for _, set := range sets {
		c := &stagedCursor{c: set.Cursor()}
		ok, err := c.first()
		if err != nil {
			return err
		}
		if ok {
			h = append(h, c)
		}
	}
	added := &addedIDs{ids: byID, seen: seen}
	if added.skip() {
		h = append(h, added)
	}
	heap.Init(&h)
	var chunk idChunk
	var last []byte
	lastAdded := -1 // the index in byID of the id last kept, if it came from there
	for h.Len() > 0 {
		s := h[0]
		id := s.id()
		if last != nil && bytes.Equal(id, last) {
			// Claimed twice: staged, and again in byID.
			if s == added {
				seen[added.at] = true
			} else if lastAdded >= 0 {
				seen[lastAdded] = true
			}
		} else {
			last, lastAdded = chunk.add(id), -1
			if s == added {
				lastAdded = added.at
			}
		}
		ok, err := s.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
		if len(chunk.ids) == mergeChunk {
			if err := t.claimIDs(chunk.ids, nil); err != nil {
				return err
			}
			chunk = idChunk{} // last stays valid: a chunk's buffers are never reused
		}
	}
	if err := t.claimIDs(chunk.ids, nil); err != nil {
		return err
	}
	staged := t.b(bucketEventIDsStaged)
	for _, name := range names {
		if err := staged.DeleteBucket(name); err != nil {
			return err
		}
	}
	return nil
}

// idStream is one ascending source of ids for claimWithStaged.
type idStream interface {
	id() []byte
	next() (bool, error)
}

// addedIDs streams the ids of byID not seen before.
type addedIDs struct {
	ids  []string
	seen []bool
	at   int
	cur  []byte
}

// skip moves to the next unseen id at or after at, and says if there is one.
func (a *addedIDs) skip() bool {
	for a.at < len(a.ids) && a.seen[a.at] {
		a.at++
	}
	if a.at == len(a.ids) {
		return false
	}
	a.cur = append(a.cur[:0], a.ids[a.at]...)
	return true
}

func (a *addedIDs) id() []byte { return a.cur }

func (a *addedIDs) next() (bool, error) {
	a.at++
	return a.skip(), nil
}

// mergeChunk is how many staged ids mergeStaged claims at a time.
const mergeChunk = 1 << 16

// idChunk holds ids as strings over shared buffers: one allocation per
// 64 KB rather than one per id.
type idChunk struct {
	buf []byte
	ids []string
}

// add appends id and returns its copy.
func (c *idChunk) add(id []byte) []byte {
	if len(id) == 0 {
		c.ids = append(c.ids, "")
		return []byte{}
	}
	if cap(c.buf)-len(c.buf) < len(id) {
		c.buf = make([]byte, 0, max(64<<10, len(id)))
	}
	start := len(c.buf)
	c.buf = append(c.buf, id...)
	kept := c.buf[start:len(c.buf):len(c.buf)]
	c.ids = append(c.ids, unsafe.String(&kept[0], len(kept))) // kept is never written again
	return kept
}

// stagedCursor walks one staged set's ids in order.
type stagedCursor struct {
	c   *bolt.Cursor
	run idRun
	at  int
}

func (s *stagedCursor) first() (bool, error) { return s.load(s.c.First()) }

func (s *stagedCursor) id() []byte { return s.run.ids[s.at] }

func (s *stagedCursor) next() (bool, error) {
	if s.at++; s.at < len(s.run.ids) {
		return true, nil
	}
	return s.load(s.c.Next())
}

func (s *stagedCursor) load(k, v []byte) (bool, error) {
	if k == nil {
		return false, nil
	}
	if err := s.run.decode(k, v); err != nil {
		return false, err
	}
	s.at = 0
	return true, nil
}

// idHeap orders streams by their current id.
type idHeap []idStream

func (h idHeap) Len() int           { return len(h) }
func (h idHeap) Less(i, j int) bool { return bytes.Compare(h[i].id(), h[j].id()) < 0 }
func (h idHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *idHeap) Push(x any)        { *h = append(*h, x.(idStream)) }
func (h *idHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// countStagedEventIDs counts the staged ids, checking each set as
// countEventIDs checks event_ids.
func countStagedEventIDs(staged *bolt.Bucket) (int, error) {
	n := 0
	err := staged.ForEach(func(k, v []byte) error {
		set := staged.Bucket(k)
		if v != nil || set == nil {
			return fmt.Errorf("staged event ids: key %x is not a bucket", k)
		}
		m, err := countEventIDs(set)
		if err != nil {
			return fmt.Errorf("staged event ids %x: %w", k, err)
		}
		n += m
		return nil
	})
	return n, err
}
