package ingest

import "hash/maphash"

// keyTable numbers distinct strings from 0 in the order they are added,
// holding them in a few flat slices with no pointer in them: a planning
// read of a feed into a million orgs keeps a million org keys and ids, and
// as Go maps of strings (two pointers an entry) every collection marked
// them all again. It was the read's largest cost (bench/README.md,
// section 9).
type keyTable struct {
	seed maphash.Seed
	// slots: open addressing, 0 empty, else a filled slot (see slotOf):
	// the entry's number and the top half of its hash, which tells most
	// other keys of a probe apart without reading their entries.
	slots []uint64
	bytes []byte // the entries end to end
	ends  []int  // where each entry ends in bytes
	// touched keeps FindAll's loads of entries from being optimized away.
	touched byte
}

func newKeyTable() *keyTable {
	return &keyTable{seed: maphash.MakeSeed()}
}

// Len is how many entries the table holds.
func (t *keyTable) Len() int { return len(t.ends) }

// At is entry n.
func (t *keyTable) At(n int) string { return string(t.at(n)) }

func (t *keyTable) at(n int) []byte {
	start := 0
	if n > 0 {
		start = t.ends[n-1]
	}
	return t.bytes[start:t.ends[n]]
}

// slotOf is the slot of entry n whose key hashes to h.
func slotOf(n int, h uint64) uint64 { return h&^(1<<32-1) | uint64(uint32(n+1)) }

// entryOf is the entry number of a filled slot.
func entryOf(slot uint64) int { return int(uint32(slot)) - 1 }

// Find returns s's entry number, or -1.
func (t *keyTable) Find(s string) int {
	if len(t.slots) == 0 {
		return -1
	}
	return t.probe(s, maphash.String(t.seed, s))
}

// probe looks for s, whose hash is h.
func (t *keyTable) probe(s string, h uint64) int {
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		slot := t.slots[i]
		if slot == 0 {
			return -1
		}
		if (slot^h)>>32 == 0 && string(t.at(entryOf(slot))) == s {
			return entryOf(slot)
		}
	}
}

// FindAll sets found[i] to Find(keys[i]). It looks keys up a group at a
// time, in stages: every key's slot, then every slot's entry, then the
// comparisons. In a table of a million org keys each stage is a cache miss,
// and one key at a time waits for its three in a row (the planning read of
// 10M lines spent 2.9 s in Find); a group's misses of one stage overlap.
func (t *keyTable) FindAll(keys []string, found []int32) {
	if len(t.slots) == 0 {
		for i := range keys {
			found[i] = -1
		}
		return
	}
	const group = 32
	var hash [group]uint64
	var entry [group]int
	mask := len(t.slots) - 1
	for base := 0; base < len(keys); base += group {
		g := keys[base:min(base+group, len(keys))]
		for j, k := range g {
			hash[j] = maphash.String(t.seed, k)
			entry[j] = -1
			if slot := t.slots[int(hash[j])&mask]; slot != 0 && (slot^hash[j])>>32 == 0 {
				entry[j] = entryOf(slot)
			}
		}
		var start [group]int
		for j := range g {
			start[j] = -1
			if n := entry[j]; n > 0 {
				start[j] = t.ends[n-1]
			} else if n == 0 {
				start[j] = 0
			}
		}
		var touched byte
		for j := range g {
			if s := start[j]; s >= 0 && s < len(t.bytes) {
				touched ^= t.bytes[s]
			}
		}
		t.touched = touched
		for j, k := range g {
			found[base+j] = int32(t.probe(k, hash[j]))
		}
	}
}

// Add returns s's entry number, adding s when it is new.
func (t *keyTable) Add(s string) int {
	if n := t.Find(s); n >= 0 {
		return n
	}
	if 2*(len(t.ends)+1) > len(t.slots) { // at most half full: probes stay short
		t.grow()
	}
	n := len(t.ends)
	t.bytes = append(t.bytes, s...)
	t.ends = append(t.ends, len(t.bytes))
	t.place(t.at(n), n)
	return n
}

func (t *keyTable) place(b []byte, n int) {
	mask := len(t.slots) - 1
	h := maphash.Bytes(t.seed, b)
	i := int(h) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = slotOf(n, h)
}

func (t *keyTable) grow() {
	t.slots = make([]uint64, max(1024, 2*len(t.slots)))
	for n := range t.ends {
		t.place(t.at(n), n)
	}
}
