package boltstore

import (
	"bytes"
	"cmp"
	"slices"
	"sync"
)

// pendingIndex holds the org index keys PutOrg made and bbolt has not been
// given yet, per index bucket, in the order they came. They were maps (key
// → id), which for an import of a million orgs cost more than the import's
// other work: three maps of a million strings, rehashed as they grew, then
// every key copied out and sorted. Appending costs the key bbolt is given;
// reads of the indexes in the same transaction flush first (see
// boltTx.flushIndexes), so nothing else ever looks a key up here.
type pendingIndex struct {
	keys [][]pendingKey // by position in indexBuckets
	n    int
}

type pendingKey struct {
	key []byte // handed to bbolt as it is: made for it, never changed
	id  string
	at  int // order of arrival: of equal keys the last one wins
}

func (p *pendingIndex) add(bucket, key []byte, id string) {
	if p.keys == nil {
		p.keys = make([][]pendingKey, len(indexBuckets))
	}
	i := slices.IndexFunc(indexBuckets, func(b []byte) bool { return string(b) == string(bucket) })
	p.keys[i] = append(p.keys[i], pendingKey{key, id, p.n})
	p.n++
}

func (p *pendingIndex) empty() bool { return p.n == 0 }

// drain calls put with each bucket's keys in key order, each key once with
// the id it was given last, and forgets them.
func (p *pendingIndex) drain(put func(bucket []byte, keys []pendingKey) error) error {
	if p.n == 0 {
		return nil
	}
	// The buckets' keys are sorted side by side: a million-row orgs import
	// sorts two million keys (names and refs), on as many cores.
	var sorting sync.WaitGroup
	for _, keys := range p.keys {
		if len(keys) > 1 {
			sorting.Go(func() { sortPending(keys) })
		}
	}
	sorting.Wait()
	for i, keys := range p.keys {
		if len(keys) == 0 {
			continue
		}
		out := keys[:0]
		for j, k := range keys {
			if j+1 < len(keys) && bytes.Equal(keys[j+1].key, k.key) {
				continue // a later PutOrg of the same key wins
			}
			out = append(out, k)
		}
		if err := put(indexBuckets[i], out); err != nil {
			return err
		}
	}
	*p = pendingIndex{}
	return nil
}

// sortPending orders keys by key, then by arrival.
func sortPending(keys []pendingKey) {
	slices.SortFunc(keys, func(a, b pendingKey) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.at, b.at)
	})
}
