package store

import (
	"context"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// DeviceKey names one device of one org.
type DeviceKey struct{ OrgID, Device string }

// EventTx remembers which events were imported (imports are idempotent on
// event id) and the latest state of each device.
type EventTx interface {
	// ClaimEvents is the import's de-duplication, a set operation: fresh[i]
	// becomes true when ids[i] was not claimed by an earlier call (in this
	// transaction or a committed one) and false when it was, and every id
	// is claimed when the call returns. A transaction that fails releases
	// its claims. ids are distinct (an id given twice in one call is
	// refused with an error), in any order, and each is valid UTF-8 of 1 to
	// 200 bytes: any characters, compared byte for byte.
	ClaimEvents(ctx context.Context, ids []string, fresh []bool) error
	// EventsClaimed is ClaimEvents without the claim: claimed[i] becomes
	// true when ids[i] was claimed (in this transaction or a committed
	// one), false when not, and nothing is claimed. ids follow ClaimEvents'
	// rules. An import asks it first, so that the events of a replayed feed
	// are known duplicates before their orgs are looked up.
	EventsClaimed(ctx context.Context, ids []string, claimed []bool) error
	// DeviceStates returns the stored state of those keys that have one.
	DeviceStates(ctx context.Context, keys []DeviceKey) (map[DeviceKey]domain.DeviceState, error)
	PutDeviceStates(ctx context.Context, states map[DeviceKey]domain.DeviceState) error
}
