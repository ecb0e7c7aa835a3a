package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// fillSorted is the page fill for buckets written in key order (event id
// runs, record sequences, the index keys put sorted, and the memberships and
// device states an import puts by the thousand): bbolt splits a node that
// grew past a page into pages of this fill, and its default, half, suits
// random inserts but doubles the file for these.
const fillSorted = 0.9

// fillGrowing is the page fill for org records, which grow in place as
// activity arrives (counters, session days): a page written 90% full
// overflowed on its orgs' first events and split in two, and a store of 1M
// orgs after 10M events had its records on pages 55% full (211 MB for 118 MB
// of records). At 80% the first events' growth (about 14%) still fits.
const fillGrowing = 0.8

// ClaimEvents records the new ids and reports which they were, in one walk
// over the stored runs in key order: each run the ids fall in is decoded
// once, looked up and merged in the same visit (an import in ranges claims
// ids among the runs earlier ranges wrote: looked up first and merged after,
// every run was decoded twice). A feed numbers its events as they happen,
// so a batch usually sorts entirely after every id claimed before.
func (t *boltTx) ClaimEvents(_ context.Context, ids []string, fresh []bool) error {
	if len(fresh) != len(ids) {
		return fmt.Errorf("ClaimEvents: want a result per id")
	}
	order, byID, err := sortEventIDs("ClaimEvents", ids)
	if err != nil {
		return err
	}
	seen := make([]bool, len(byID))
	switch {
	case t.hasStagedEvents() && !t.hasLegacyEvents():
		// An import in ranges staged its earlier ranges' ids: all of them
		// join the runs in one pass.
		err = t.claimWithStaged(byID, seen)
	case t.hasLegacyEvents():
		if err := t.mergeStaged(); err != nil {
			return err
		}
		// Ids of earlier builds' bucket are not in the runs: look up first.
		if err := t.eventsSeenIn(byID, seen); err != nil {
			return err
		}
		var newIDs []string
		for n, id := range byID {
			if !seen[n] {
				newIDs = append(newIDs, id)
			}
		}
		err = t.markEventsSeen(newIDs)
	default:
		err = t.claimIDs(byID, seen)
	}
	if err != nil {
		return err
	}
	for n, i := range order {
		fresh[i] = !seen[n]
	}
	return nil
}

// EventsClaimed is ClaimEvents' lookup without the claim.
func (t *boltTx) EventsClaimed(_ context.Context, ids []string, claimed []bool) error {
	if len(claimed) != len(ids) {
		return fmt.Errorf("EventsClaimed: want a result per id")
	}
	order, byID, err := sortEventIDs("EventsClaimed", ids)
	if err != nil {
		return err
	}
	seen := make([]bool, len(byID))
	if err := t.eventsSeenIn(byID, seen); err != nil {
		return err
	}
	for n, i := range order {
		claimed[i] = seen[n]
	}
	return nil
}

// sortEventIDs sorts ids (byID; order[n] is the index in ids of byID[n])
// and refuses an id given twice.
func sortEventIDs(call string, ids []string) (order []int32, byID []string, err error) {
	order = make([]int32, len(ids))
	sorted := true
	for i := range ids {
		order[i] = int32(i)
		if i > 0 && ids[i-1] >= ids[i] {
			sorted = false
		}
	}
	if !sorted {
		slices.SortFunc(order, func(x, y int32) int { return strings.Compare(ids[x], ids[y]) })
	}
	byID = make([]string, len(ids))
	for n, i := range order {
		byID[n] = ids[i]
		if n > 0 && byID[n-1] == byID[n] {
			return nil, nil, fmt.Errorf("%s: id %q given twice", call, byID[n])
		}
	}
	return order, byID, nil
}

// eventsSeenIn sets seen[n] for each of byID (ascending, unique) claimed
// before; ids past the greatest one claimed are not looked up.
func (t *boltTx) eventsSeenIn(byID []string, seen []bool) error {
	maxSeen, err := t.maxClaimedID(true)
	if err != nil {
		return err
	}
	known := idsUpTo(byID, maxSeen)
	return t.eventsSeen(byID[:known], seen[:known])
}

// idsUpTo is how many of byID (ascending) sort at or before last.
func idsUpTo(byID []string, last string) int {
	n, found := slices.BinarySearch(byID, last)
	if found {
		n++
	}
	return n
}

func deviceKey(orgID, device string) []byte { return []byte(orgID + "\x00" + device) }

// Device states are stored as a version byte, the state (uvarint length +
// bytes) and the time (unix seconds varint + nanoseconds uvarint); JSON
// records of earlier builds are still read.
const deviceCodecV1 = 1

func (t *boltTx) DeviceStates(_ context.Context, keys []store.DeviceKey) (map[store.DeviceKey]domain.DeviceState, error) {
	out := make(map[store.DeviceKey]domain.DeviceState, len(keys))
	for _, k := range sortedDeviceKeys(keys) {
		raw := t.get(bucketDevices, k.key)
		if raw == nil {
			continue
		}
		s, err := decodeDeviceState(raw)
		if err != nil {
			return nil, err
		}
		out[k.DeviceKey] = s
	}
	return out, nil
}

type deviceKeyed struct {
	store.DeviceKey
	key []byte
}

// sortedDeviceKeys orders keys as the bucket does, each key encoded once.
func sortedDeviceKeys(keys []store.DeviceKey) []deviceKeyed {
	sorted := make([]deviceKeyed, len(keys))
	for i, k := range keys {
		sorted[i] = deviceKeyed{k, deviceKey(k.OrgID, k.Device)}
	}
	slices.SortFunc(sorted, func(a, b deviceKeyed) int { return bytes.Compare(a.key, b.key) })
	return sorted
}

// decodeDeviceState reads a device record (binary, or JSON of earlier builds).
func decodeDeviceState(raw []byte) (domain.DeviceState, error) {
	var s domain.DeviceState
	switch {
	case len(raw) > 0 && raw[0] == '{':
		return s, jsonUnmarshal(raw, &s)
	case len(raw) == 0 || raw[0] != deviceCodecV1:
		return s, fmt.Errorf("corrupt device record in store: unknown format")
	}
	r := orgReader{b: raw[1:]}
	s.State = string(r.bytes())
	s.At = r.time()
	if r.bad || len(r.b) != 0 {
		return domain.DeviceState{}, fmt.Errorf("corrupt device record in store")
	}
	return s, nil
}

// PutDeviceStates puts in key order (see PutMemberships).
func (t *boltTx) PutDeviceStates(_ context.Context, states map[store.DeviceKey]domain.DeviceState) error {
	keys := make([]store.DeviceKey, 0, len(states))
	for k := range states {
		keys = append(keys, k)
	}
	b := t.b(bucketDevices)
	b.FillPercent = fillSorted
	for _, k := range sortedDeviceKeys(keys) {
		s := states[k.DeviceKey]
		enc := append(t.scratch[:0], deviceCodecV1)
		enc = appendString(enc, s.State)
		enc = binary.AppendVarint(enc, s.At.Unix())
		enc = binary.AppendUvarint(enc, uint64(s.At.Nanosecond()))
		t.scratch = enc
		if err := b.Put(k.key, t.keep(enc)); err != nil {
			return err
		}
	}
	return nil
}
