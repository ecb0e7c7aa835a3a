package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// EventTx remembers which events were imported (imports are idempotent on
// event id) and the latest state of each device.
type EventTx interface {
	EventSeen(id string) (bool, error)
	MarkEventSeen(id string) error
	// MaxEventID is the greatest imported event id in byte order, "" when
	// none: a batch whose ids all sort after it needs no lookups.
	MaxEventID() (string, error)
	// DeviceState returns ErrNotFound for a device never seen.
	DeviceState(orgID, device string) (domain.DeviceState, error)
	PutDeviceState(orgID, device string, s domain.DeviceState) error
}
