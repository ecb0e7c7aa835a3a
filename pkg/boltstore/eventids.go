package boltstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Imported event ids are kept in runs: bucket "event_ids" maps the first id
// of a run to the run's other ids, ascending and front-coded (per id: the
// length of the prefix it shares with the previous id, the length of the
// rest, the rest). Runs are disjoint and ordered: a run holds the ids from
// its key up to the next run's key.
//
// One key per id (bucket "events" of earlier builds, still read) made a
// million-event import spend most of its time inserting keys into bbolt and
// collecting the nodes that hold them; feeds number their events
// sequentially, so front coding also stores an id in a few bytes.
const (
	runMaxIDs   = 512  // ids per run: a lookup decodes at most this many
	runMaxBytes = 3500 // encoded bytes per run: a run fits in a 4 KB page
)

// eventsSeen sets seen[i] for each of ids (ascending, without repeats) that
// an earlier import recorded: in event_ids, the bucket of earlier builds or
// a staged set (stagedevents.go).
func (t *boltTx) eventsSeen(ids []string, seen []bool) error {
	if len(seen) != len(ids) || !sortedUnique(ids) {
		return fmt.Errorf("eventsSeen: want ascending unique ids and a result per id")
	}
	if err := runsSeen(t.b(bucketEventIDs), ids, seen); err != nil {
		return err
	}
	if err := t.legacyEventsSeen(ids, seen); err != nil {
		return err
	}
	return t.stagedSeen(ids, seen)
}

// runsSeen sets seen[i] for each of ids (ascending, without repeats) in the
// runs of b, walking them once in step with ids; it leaves the others as
// they were.
func runsSeen(b *bolt.Bucket, ids []string, seen []bool) error {
	c := b.Cursor()
	var run idRun
	for i := 0; i < len(ids); {
		first, rest, next := runAt(c, ids[i])
		if first == nil { // before the first run
			for i < len(ids) && (next == nil || ids[i] < string(next)) {
				i++
			}
			continue
		}
		if err := run.decode(first, rest); err != nil {
			return err
		}
		j := 0
		for ; i < len(ids) && (next == nil || ids[i] < string(next)); i++ {
			for j < len(run.ids) && string(run.ids[j]) < ids[i] {
				j++
			}
			if j < len(run.ids) && string(run.ids[j]) == ids[i] {
				seen[i] = true
			}
		}
	}
	return nil
}

// legacyEventsSeen looks up, one key per id, the ids not found in runs in
// the bucket of earlier builds, when it holds any.
func (t *boltTx) legacyEventsSeen(ids []string, seen []bool) error {
	if !t.hasLegacyEvents() {
		return nil
	}
	for i, id := range ids {
		if !seen[i] {
			seen[i] = t.get(bucketEvents, []byte(id)) != nil
		}
	}
	return nil
}

// hasLegacyEvents says whether the bucket of earlier builds holds ids.
func (t *boltTx) hasLegacyEvents() bool {
	k, _ := t.b(bucketEvents).Cursor().First()
	return k != nil
}

// markEventsSeen records ids (ascending, without repeats, none recorded
// before).
func (t *boltTx) markEventsSeen(ids []string) error { return t.claimIDs(ids, nil) }

// claimIDs records ids (ascending, without repeats) and, when seen is not
// nil, sets seen[k] for each of them recorded before (a run that gains no
// id is left as it is). New ids usually sort after every stored one: they
// fill the last run and append new ones.
func (t *boltTx) claimIDs(ids []string, seen []bool) error {
	return t.claimIDsIn(t.b(bucketEventIDs), ids, seen)
}

// claimIDsIn is claimIDs into the runs of b.
func (t *boltTx) claimIDsIn(b *bolt.Bucket, ids []string, seen []bool) error {
	if !sortedUnique(ids) {
		return fmt.Errorf("claimIDs: want ascending unique ids")
	}
	b.FillPercent = fillSorted
	if last, _ := b.Cursor().Last(); last != nil && len(ids) > 0 && ids[0] < string(last) {
		// Ids among the stored runs (an import in ranges) grow runs all
		// over the bucket, not at its end: bbolt's default split leaves
		// both halves room to grow. At fillSorted each page that overflowed
		// split into a full one and a near-empty one (10M ids in ranges:
		// 54 MB of pages 61% full; by default 50 MB, and the file 9 MB
		// smaller).
		b.FillPercent = bolt.DefaultFillPercent
	}
	var run idRun
	for i := 0; i < len(ids); {
		first, rest, next := runAt(b.Cursor(), ids[i])
		run.ids = run.ids[:0]
		if first != nil {
			if err := run.decode(first, rest); err != nil {
				return err
			}
		}
		j := i
		for j < len(ids) && (next == nil || ids[j] < string(next)) {
			j++
		}
		if seen != nil && markSeen(run.ids, ids[i:j], seen[i:j]) == j-i {
			i = j
			continue
		}
		merged := mergeIDs(run.ids, ids[i:j])
		if first != nil && !bytes.Equal(first, merged[0]) {
			return fmt.Errorf("corrupt event id run %q in store", first)
		}
		if err := t.putRuns(b, merged); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// markSeen sets seen[k] for each of ids (ascending) found in stored
// (ascending) and says how many it set.
func markSeen(stored [][]byte, ids []string, seen []bool) int {
	n, j := 0, 0
	for k, id := range ids {
		for j < len(stored) && string(stored[j]) < id {
			j++
		}
		if seen[k] = j < len(stored) && string(stored[j]) == id; seen[k] {
			n++
		}
	}
	return n
}

// putRuns writes ids as runs of at most runMaxIDs ids and runMaxBytes bytes;
// the first run's key replaces the run the ids came from, if any.
func (t *boltTx) putRuns(b *bolt.Bucket, ids [][]byte) error {
	for len(ids) > 0 {
		enc := t.scratch[:0]
		n := 1
		for ; n < len(ids) && n < runMaxIDs; n++ {
			next := appendRunID(enc, ids[n-1], ids[n])
			if len(next) > runMaxBytes {
				break
			}
			enc = next
		}
		t.scratch = enc
		if err := b.Put(t.keep(ids[0]), t.keep(enc)); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// maxClaimedID is the greatest recorded id, "" when there is none; the
// staged sets' ids count when staged is set.
func (t *boltTx) maxClaimedID(staged bool) (string, error) {
	max, err := lastRunID(t.b(bucketEventIDs))
	if err != nil {
		return "", err
	}
	if lk, _ := t.b(bucketEvents).Cursor().Last(); lk != nil && string(lk) > max {
		max = string(lk)
	}
	if !staged || !t.hasStagedEvents() {
		return max, nil
	}
	_, sets, err := t.stagedSets()
	for _, set := range sets {
		if err != nil {
			break
		}
		var last string
		if last, err = lastRunID(set); last > max {
			max = last
		}
	}
	return max, err
}

// lastRunID is the greatest id of b's runs, "" when it has none.
func lastRunID(b *bolt.Bucket) (string, error) {
	k, v := b.Cursor().Last()
	if k == nil {
		return "", nil
	}
	var run idRun
	if err := run.decode(k, v); err != nil {
		return "", err
	}
	return string(run.ids[len(run.ids)-1]), nil
}

// runAt finds the run that holds id, or would: the one with the greatest
// key ≤ id (nil first when id sorts before every run), and the next run's
// key (nil when there is none).
func runAt(c *bolt.Cursor, id string) (first, rest, next []byte) {
	k, v := c.Seek([]byte(id))
	switch {
	case k != nil && string(k) == id:
		next, _ = c.Next()
		return k, v, next
	case k == nil:
		first, rest = c.Last()
		return first, rest, nil
	}
	next = k
	first, rest = c.Prev()
	return first, rest, next
}

// idRun is one decoded run; its ids point into the store's memory or into
// buf, and stay valid until the next decode.
type idRun struct {
	ids [][]byte
	buf []byte
}

func (r *idRun) decode(first, rest []byte) error {
	size := len(first) + len(rest)*4 // front coding rarely saves more
	r.ids, r.buf = append(r.ids[:0], first), slices.Grow(r.buf[:0], size)
	prev := first
	for len(rest) > 0 {
		shared, n1 := binary.Uvarint(rest)
		suffix, n2 := binary.Uvarint(rest[max(n1, 0):])
		if n1 <= 0 || n2 <= 0 || shared > uint64(len(prev)) || suffix > uint64(len(rest)-n1-n2) {
			return fmt.Errorf("corrupt event id run %q in store", first)
		}
		rest = rest[n1+n2:]
		if cap(r.buf)-len(r.buf) < int(shared+suffix) { // keep earlier ids valid
			r.buf = make([]byte, 0, max(size, int(shared+suffix)))
		}
		start := len(r.buf)
		r.buf = append(r.buf, prev[:shared]...)
		r.buf = append(r.buf, rest[:suffix]...)
		rest = rest[suffix:]
		id := r.buf[start:len(r.buf):len(r.buf)]
		if !followsShared(prev, id, int(shared)) {
			return fmt.Errorf("corrupt event id run %q in store: ids out of order", first)
		}
		r.ids, prev = append(r.ids, id), id
	}
	return nil
}

// followsShared says whether id sorts after prev, given that they share
// their first shared bytes: decided at the first byte after those, as
// appendRunID always codes them (a full comparison of every id was a third
// of a run's decoding).
func followsShared(prev, id []byte, shared int) bool {
	switch {
	case shared == len(prev):
		return len(id) > shared
	case shared == len(id):
		return false // a prefix of prev
	case id[shared] != prev[shared]:
		return id[shared] > prev[shared]
	}
	return bytes.Compare(id[shared:], prev[shared:]) > 0
}

func appendRunID(enc, prev, id []byte) []byte {
	shared := 0
	for shared < len(prev) && shared < len(id) && prev[shared] == id[shared] {
		shared++
	}
	enc = binary.AppendUvarint(enc, uint64(shared))
	enc = binary.AppendUvarint(enc, uint64(len(id)-shared))
	return append(enc, id[shared:]...)
}

// mergeIDs is the ascending union of two ascending lists; the added ids are
// copied into one buffer rather than one allocation each.
func mergeIDs(stored [][]byte, added []string) [][]byte {
	size := 0
	for _, id := range added {
		size += len(id)
	}
	buf := make([]byte, 0, size)
	out := make([][]byte, 0, len(stored)+len(added))
	i := 0
	for _, id := range added {
		for i < len(stored) && string(stored[i]) < id {
			out = append(out, stored[i])
			i++
		}
		if i < len(stored) && string(stored[i]) == id {
			continue // recorded already
		}
		buf = append(buf, id...)
		out = append(out, buf[len(buf)-len(id):len(buf):len(buf)])
	}
	return append(out, stored[i:]...)
}

func sortedUnique(ids []string) bool {
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			return false
		}
	}
	return true
}

// countEventIDs counts the ids of every run and checks that runs are
// ordered and disjoint; doctor reports both.
func countEventIDs(b *bolt.Bucket) (int, error) {
	var run idRun
	var prevLast []byte
	n := 0
	err := b.ForEach(func(k, v []byte) error {
		if err := run.decode(k, v); err != nil {
			return err
		}
		if prevLast != nil && bytes.Compare(prevLast, k) >= 0 {
			return fmt.Errorf("event id runs overlap at %q", k)
		}
		prevLast = append(prevLast[:0], run.ids[len(run.ids)-1]...)
		n += len(run.ids)
		return nil
	})
	return n, err
}
