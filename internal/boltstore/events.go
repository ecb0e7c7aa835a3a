package boltstore

import (
	"encoding/binary"
	"fmt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// fillSorted is the page fill for buckets written in key order (event id
// runs, org ids, the index keys put sorted): bbolt's default splits pages
// half full, which suits random inserts and doubles the file for appends.
const fillSorted = 0.9

func deviceKey(orgID, device string) []byte { return []byte(orgID + "\x00" + device) }

// Device states are stored as a version byte, the state (uvarint length +
// bytes) and the time (unix seconds varint + nanoseconds uvarint); JSON
// records of earlier builds are still read.
const deviceCodecV1 = 1

func (t *tx) DeviceState(orgID, device string) (domain.DeviceState, error) {
	var s domain.DeviceState
	raw := t.getPending(bucketDevices, deviceKey(orgID, device))
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
	t.putLater(bucketDevices, deviceKey(orgID, device), b)
	return nil
}
