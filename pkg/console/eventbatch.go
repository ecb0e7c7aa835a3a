package console

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// importState is what one import remembers across its batches, bounded by
// the number of orgs: how each org key of the feed resolved, and the orgs
// the feed changed, decoded once and kept up to date in memory until the
// transaction writes them.
type importState struct {
	keys   map[string]*orgState // org key as written → org; nil: not a live customer org
	states map[string]*orgState // by org id
	dirty  []*orgState          // changed since the last write
	// slots caches resolve by parser and OrgKey, a slice index instead of
	// a map lookup per event (which was a sixth of the import's critical
	// path); parseFeed's numbering is per parser, so a new feed resets it.
	slots [][]orgSlot
}

type orgSlot struct {
	done bool
	st   *orgState // nil: not a live customer org
}

func newImportState() *importState {
	return &importState{keys: map[string]*orgState{}, states: map[string]*orgState{}}
}

// maxUnknownOrgKeys bounds the keys remembered as unknown, so memory stays
// flat on a feed of endless distinct (invalid) org keys.
const maxUnknownOrgKeys = 1 << 16

var errUnknownOrg = errors.New("unknown org")

// orgState is one org during an import; several keys (id, ref) share it.
type orgState struct {
	id    string
	org   *domain.Org // nil until an event first applies to it
	dirty bool
}

// resolveEvent is resolve for an event parsed by the given parser.
func (in *importState) resolveEvent(tx store.Tx, parser int, e *events.Event) (*orgState, error) {
	if e.OrgKey <= 0 {
		return in.resolve(tx, e.Org)
	}
	for len(in.slots) <= parser {
		in.slots = append(in.slots, nil)
	}
	if n := e.OrgKey + 1 - len(in.slots[parser]); n > 0 {
		in.slots[parser] = append(in.slots[parser], make([]orgSlot, n)...)
	}
	slot := &in.slots[parser][e.OrgKey]
	if !slot.done {
		st, err := in.resolve(tx, e.Org)
		if err != nil && !errors.Is(err, errUnknownOrg) {
			return nil, err
		}
		*slot = orgSlot{done: true, st: st}
	}
	if slot.st == nil {
		return nil, fmt.Errorf("%w %q", errUnknownOrg, e.Org)
	}
	return slot.st, nil
}

func (in *importState) resolve(tx store.Tx, key string) (*orgState, error) {
	st, known := in.keys[key]
	if !known {
		id, err := liveOrgID(tx, key)
		if err != nil {
			return nil, err
		}
		if id != "" {
			if st = in.states[id]; st == nil {
				st = &orgState{id: id}
				in.states[id] = st
			}
		}
		if st != nil || len(in.keys) < len(in.states)*2+maxUnknownOrgKeys {
			in.keys[key] = st
		}
	}
	if st == nil {
		return nil, fmt.Errorf("%w %q", errUnknownOrg, key)
	}
	return st, nil
}

// liveOrgID maps an event's org (id or ref) to a live customer org id, or ""
// when there is none.
func liveOrgID(tx store.Tx, key string) (string, error) {
	if o, err := tx.Org(key); err == nil && o.Live() && !o.Admin {
		return o.ID, nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	id, err := tx.OrgIDByRef(key)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return id, err
}

// writeOrgs saves the orgs changed since the last write, in key order.
func (in *importState) writeOrgs(tx store.Tx) error {
	slices.SortFunc(in.dirty, func(x, y *orgState) int { return strings.Compare(x.id, y.id) })
	for _, st := range in.dirty {
		if err := tx.PutOrg(*st.org); err != nil {
			return err
		}
		st.dirty = false
	}
	clear(in.dirty)
	in.dirty = in.dirty[:0]
	return nil
}

// eventBatch is up to BatchSize valid events of one transaction. It checks
// their ids in key order against the store (one walk over the stored runs),
// applies the new ones in file order to the orgs held in memory and records
// their ids; the transaction writes the changed orgs when it ends.
type eventBatch struct {
	chunks []*parsedChunk // holding the events' lines
	events []pendingEvent
	// byID holds indexes into events, sorted by id then position; ids is the
	// batch's distinct ids, ascending, and first the event of each.
	byID  []int32
	ids   []string
	first []int32
	seen  []bool
}

type pendingEvent struct {
	*events.Event // in one of the batch's chunks
	st            *orgState
	dup           bool
}

func (b *eventBatch) reset() {
	clear(b.events)
	clear(b.ids)
	for _, ch := range b.chunks {
		ch.releaseLines()
	}
	clear(b.chunks)
	b.chunks, b.events, b.byID, b.ids, b.first = b.chunks[:0], b.events[:0], b.byID[:0], b.ids[:0], b.first[:0]
}

// apply dedupes, applies and records the batch; it reports how many events
// were new and how many were duplicates (of an earlier import or of an
// earlier line).
func (b *eventBatch) apply(tx store.Tx, in *importState) (imported, dups int, err error) {
	b.sortByID()
	for n, i := range b.byID {
		if n > 0 && b.events[b.byID[n-1]].ID == b.events[i].ID {
			b.events[i].dup = true // a repeat within this batch: the first line wins
			continue
		}
		b.ids = append(b.ids, b.events[i].ID)
		b.first = append(b.first, i)
	}
	// A feed numbers its events as they happen, so a new batch usually sorts
	// entirely after every id imported before: then no id needs a lookup.
	maxSeen, err := tx.MaxEventID()
	if err != nil {
		return 0, 0, err
	}
	known, found := slices.BinarySearch(b.ids, maxSeen)
	if found {
		known++
	}
	b.seen = slices.Grow(b.seen[:0], known)[:known]
	if err := tx.EventsSeen(b.ids[:known], b.seen); err != nil {
		return 0, 0, err
	}
	newIDs := b.ids[:0] // filtered in place: still ascending
	for n, id := range b.ids {
		if n < known && b.seen[n] {
			b.events[b.first[n]].dup = true
			continue
		}
		newIDs = append(newIDs, id)
	}
	for i := range b.events {
		e := &b.events[i]
		if e.dup {
			dups++
			continue
		}
		if err := in.load(tx, e.st); err != nil {
			return 0, 0, err
		}
		if err := applyEvent(tx, e.st.org, *e.Event); err != nil {
			return 0, 0, err
		}
		imported++
	}
	return imported, dups, tx.MarkEventsSeen(newIDs)
}

// load reads an org the first time an event applies to it and marks it changed.
func (in *importState) load(tx store.Tx, st *orgState) error {
	if st.dirty {
		return nil
	}
	if st.org == nil {
		o, err := tx.Org(st.id)
		if err != nil {
			return err
		}
		st.org = &o
	}
	st.dirty = true
	in.dirty = append(in.dirty, st)
	return nil
}

// sortByID orders byID by event id, then position. Feeds usually arrive in
// id order, which is checked in one pass instead of sorted.
func (b *eventBatch) sortByID() {
	sorted := true
	for i := range b.events {
		b.byID = append(b.byID, int32(i))
		if i > 0 && b.events[i-1].ID > b.events[i].ID {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(b.byID, func(x, y int32) int { return strings.Compare(b.events[x].ID, b.events[y].ID) })
	}
}
