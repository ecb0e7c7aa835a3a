package boltstore

import (
	"github.com/partnerctl/partnerctl/pkg/domain"
)

func (t *tx) EventSeen(id string) (bool, error) {
	return t.b(bucketEvents).Get([]byte(id)) != nil, nil
}

func (t *tx) MarkEventSeen(id string) error {
	return t.b(bucketEvents).Put([]byte(id), []byte{})
}

func deviceKey(orgID, device string) []byte { return []byte(orgID + "\x00" + device) }

func (t *tx) DeviceState(orgID, device string) (domain.DeviceState, error) {
	var s domain.DeviceState
	return s, getJSON(t.b(bucketDevices), deviceKey(orgID, device), &s)
}

func (t *tx) PutDeviceState(orgID, device string, s domain.DeviceState) error {
	return putJSON(t.b(bucketDevices), deviceKey(orgID, device), s)
}
