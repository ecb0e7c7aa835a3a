package console

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// DefaultHeldMatches is how many matches a sorted listing keeps whole (the
// org and its view's rules, ~0.5–1 KB each) before it keeps only their
// sort keys and reads the orgs again, in order, as it prints them: a
// listing of 100k orgs or a search of a million (50k matches) pays no
// second read, and a list of a million holds ~80 bytes an org plus a
// window of views. A backend that packs orgs (store.OrgPacker) has them
// held packed instead, packedPerHeld times as many.
const DefaultHeldMatches = 1 << 17

// packedPerHeld is how many packed matches take the place of one held
// whole: ~200 bytes against ~1 KB and pointers, so a sort of a million
// orgs holds them all (~200 MB with their keys) and reads the store once.
const packedPerHeld = 8

// orgSorter orders a query's matches. It holds, per match, the sort key
// and the org's folded name and id (in an arena, no pointers: ~80 bytes an
// org, which the collector never scans), plus the first hold matches
// whole, or packed by the backend (in the arena, after the id).
type orgSorter struct {
	by   string
	desc bool
	// hold is how many matches are kept whole (or packed) before spilling.
	hold int
	keys []orgKey
	text arena
	// held are the matches while there are at most hold and they are not
	// packed; nil after that (spilled), when the orgs are read again by id.
	held    []orgMatch
	spilled bool
	// pack, when set, packs every match into the arena instead of held.
	pack    store.OrgPacker
	scratch []byte
}

// orgKey is what the list order needs of one org, read once.
type orgKey struct {
	key [2]int64 // the primary key; zero for name order
	seq uint64
	// chunk, off: where the folded name, then the id, then the packed org
	// are in the arena.
	chunk, off     uint32
	nameLen, idLen uint32
	packedLen      uint32
	i              int32 // index in held
}

// newOrgSorter keeps up to hold matches whole, or hold × packedPerHeld
// packed when pack is not nil.
func newOrgSorter(by string, desc bool, hold, reserve int, pack store.OrgPacker) *orgSorter {
	s := &orgSorter{by: by, desc: desc, hold: hold, keys: make([]orgKey, 0, reserve), pack: pack}
	if pack != nil {
		s.hold = hold * packedPerHeld
		return s
	}
	// held is sized at once too: grown by appending, a sort of 100k orgs
	// spent an eighth of its time copying matches into fresh memory.
	s.held = make([]orgMatch, 0, min(reserve, hold))
	return s
}

func (s *orgSorter) add(m orgMatch) {
	o := m.org
	folded := store.Fold(o.Name)
	k := orgKey{key: sortKeyOf(o, m.sessions30d, s.by), seq: o.Seq,
		nameLen: uint32(len(folded)), idLen: uint32(len(o.ID)), i: int32(len(s.keys))}
	switch {
	case s.pack != nil && !s.spilled && len(s.keys) < s.hold:
		s.scratch = s.pack.PackOrg(s.scratch[:0], o)
		k.packedLen = uint32(len(s.scratch))
	case s.pack != nil && !s.spilled:
		s.spilled = true // the orgs packed so far are read again like the rest
	}
	k.chunk, k.off = s.text.put(folded, o.ID, s.scratch[:k.packedLen])
	s.keys = append(s.keys, k)
	if s.spilled || s.pack != nil {
		return
	}
	if len(s.held) == s.hold {
		s.held, s.spilled = nil, true
		return
	}
	s.held = append(s.held, m)
}

// packed is k's packed org.
func (s *orgSorter) packed(k *orgKey) []byte {
	return s.text.get(k.chunk, k.off+k.nameLen+k.idLen, k.packedLen)
}

func (s *orgSorter) name(k *orgKey) []byte { return s.text.get(k.chunk, k.off, k.nameLen) }

func (s *orgSorter) id(k *orgKey) string {
	return string(s.text.get(k.chunk, k.off+k.nameLen, k.idLen))
}

// sort orders the keys by the chosen key; Desc reverses that key only, ties
// always fall back to name order (store.Fold, then seq), so the order is
// total: an unstable sort gives the same result as a stable one, faster.
func (s *orgSorter) sort() {
	nameDesc := s.by == SortName && s.desc
	slices.SortFunc(s.keys, func(a, b orgKey) int {
		if c := cmp.Compare(a.key[0], b.key[0]); c != 0 {
			if s.desc {
				return -c
			}
			return c
		}
		if c := cmp.Compare(a.key[1], b.key[1]); c != 0 {
			if s.desc {
				return -c
			}
			return c
		}
		if nameDesc {
			a, b = b, a
		}
		if c := bytes.Compare(s.name(&a), s.name(&b)); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
}

func sortKeyOf(o *domain.Org, sessions30d int, by string) [2]int64 {
	switch by {
	case SortCreated:
		return timeKey(o.CreatedAt)
	case SortLastActive:
		if o.LastActiveAt != nil {
			return timeKey(*o.LastActiveAt)
		}
		return [2]int64{math.MinInt64, 0} // never active: before any time
	case SortSessions30d:
		return [2]int64{int64(sessions30d), 0}
	case SortSessions:
		return [2]int64{int64(o.SessionsTotal), 0}
	case SortDevices:
		return [2]int64{int64(o.Devices.Total), 0}
	}
	return [2]int64{}
}

// sortOrgs orders views as a listing does, moving each view once.
func sortOrgs(orgs []OrgView, by string, desc bool) {
	s := newOrgSorter(by, desc, len(orgs), len(orgs), nil)
	for i := range orgs {
		s.add(orgMatch{org: &orgs[i].Org, sessions30d: orgs[i].Sessions30d})
	}
	s.sort()
	idx := make([]int, len(s.keys))
	for n := range s.keys {
		idx[n] = int(s.keys[n].i)
	}
	// Apply the permutation in place, following its cycles.
	for start := range idx {
		if idx[start] < 0 {
			continue
		}
		tmp := orgs[start]
		cur := start
		for {
			next := idx[cur]
			idx[cur] = -1
			if next == start {
				orgs[cur] = tmp
				break
			}
			orgs[cur] = orgs[next]
			cur = next
		}
	}
}

// timeKey orders times as time.Time.Compare does.
func timeKey(t time.Time) [2]int64 {
	return [2]int64{t.Unix(), int64(t.Nanosecond())}
}

// arena keeps short strings back to back in 1 MB chunks: a million
// strings in a few dozen allocations, none of which holds a pointer.
type arena struct{ chunks [][]byte }

const arenaChunk = 1 << 20

// put appends x, y then z and returns where x starts.
func (a *arena) put(x, y string, z []byte) (chunk, off uint32) {
	n := len(x) + len(y) + len(z)
	if len(a.chunks) == 0 || len(a.chunks[len(a.chunks)-1])+n > cap(a.chunks[len(a.chunks)-1]) {
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, n)))
	}
	last := &a.chunks[len(a.chunks)-1]
	chunk, off = uint32(len(a.chunks)-1), uint32(len(*last))
	*last = append(append(append(*last, x...), y...), z...)
	return chunk, off
}

func (a *arena) get(chunk, off, n uint32) []byte { return a.chunks[chunk][off : off+n] }
