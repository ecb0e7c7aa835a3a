package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// EventTx remembers which events were imported (imports are idempotent on
// event id) and the latest state of each device.
type EventTx interface {
	// EventsSeen sets seen[i] when ids[i] was recorded by an earlier
	// import; ids must be ascending (byte order) without repeats.
	EventsSeen(ids []string, seen []bool) error
	// MarkEventsSeen records ids: ascending, without repeats, none of them
	// recorded before.
	MarkEventsSeen(ids []string) error
	// MaxEventID is the greatest imported event id in byte order, "" when
	// none: a batch whose ids all sort after it needs no lookups.
	MaxEventID() (string, error)
	// DeviceState returns ErrNotFound for a device never seen.
	DeviceState(orgID, device string) (domain.DeviceState, error)
	PutDeviceState(orgID, device string, s domain.DeviceState) error
}
