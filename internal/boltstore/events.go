package boltstore

import (
	"encoding/binary"
	"fmt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Event ids are keys of bucket "events" as written (exact dedupe, no hash),
// with an empty value. The importer marks a batch's ids in key order, which
// bbolt turns into appends when ids grow with time.

// fillSorted is the page fill for buckets written in key order (event ids,
// org ids, the index keys put sorted): bbolt's default splits pages half
// full, which suits random inserts and doubles the file for appends.
const fillSorted = 0.9

func (t *tx) EventSeen(id string) (bool, error) {
	return t.get(bucketEvents, []byte(id)) != nil, nil
}

func (t *tx) MarkEventSeen(id string) error {
	b := t.b(bucketEvents)
	b.FillPercent = fillSorted
	return b.Put([]byte(id), []byte{})
}

func (t *tx) MaxEventID() (string, error) {
	k, _ := t.b(bucketEvents).Cursor().Last()
	return string(k), nil
}

func deviceKey(orgID, device string) []byte { return []byte(orgID + "\x00" + device) }

// Device states are stored as a version byte, the state (uvarint length +
// bytes) and the time (unix seconds varint + nanoseconds uvarint); JSON
// records of earlier builds are still read.
const deviceCodecV1 = 1

func (t *tx) DeviceState(orgID, device string) (domain.DeviceState, error) {
	var s domain.DeviceState
	raw := t.get(bucketDevices, deviceKey(orgID, device))
	if raw == nil {
		return s, store.ErrNotFound
	}
	return decodeDeviceState(raw)
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

func (t *tx) PutDeviceState(orgID, device string, s domain.DeviceState) error {
	b := append(t.scratch[:0], deviceCodecV1)
	b = appendString(b, s.State)
	b = binary.AppendVarint(b, s.At.Unix())
	b = binary.AppendUvarint(b, uint64(s.At.Nanosecond()))
	t.scratch = b
	return t.b(bucketDevices).Put(deviceKey(orgID, device), t.keep(b))
}
