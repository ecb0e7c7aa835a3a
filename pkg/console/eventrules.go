package console

import (
	"errors"
	"fmt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// applyEvent changes an org's counters for one event. Counters never go
// below zero; a device counts once, in its latest state.
func applyEvent(tx store.Tx, o *domain.Org, e events.Event) error {
	dec := func(n *int) {
		if *n > 0 {
			*n--
		}
	}
	switch e.Type {
	case events.SessionStarted:
		o.AddSession(e.At)
	case events.KnowledgeAdded:
		o.DataSources++
	case events.KnowledgeRemoved:
		dec(&o.DataSources)
	case events.IntegrationConnected:
		o.Integrations++
	case events.IntegrationDisconnect:
		dec(&o.Integrations)
	case events.AIInstructionsUpdated:
		o.AITrained = true
	case events.MessageSent:
		o.Messages++
	case events.ContactCreated:
		o.Subscribers++
	case events.MemberAdded:
		return addMember(tx, o, domain.Membership{OrgID: o.ID, Email: e.Email, Role: domain.RoleMember, LoginMethod: "any", JoinedAt: e.At})
	case events.MemberRemoved:
		return removeMember(tx, o, e.Email)
	default:
		if e.Type.IsDevice() {
			return moveDevice(tx, o, e)
		}
		return fmt.Errorf("no rule for event type %q", e.Type)
	}
	return nil
}

func moveDevice(tx store.Tx, o *domain.Org, e events.Event) error {
	prev, err := tx.DeviceState(o.ID, e.Device)
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if known && prev.At.After(e.At) {
		return nil // an older event than the state we hold
	}
	if known {
		countDevice(&o.Devices, prev.State, -1)
	}
	next := e.Type.DeviceState()
	countDevice(&o.Devices, next, +1)
	return tx.PutDeviceState(o.ID, e.Device, domain.DeviceState{State: next, At: e.At})
}

func countDevice(d *domain.Devices, state string, delta int) {
	var n *int
	switch state {
	case "registered":
		n = &d.Registered
	case "onboarded":
		n = &d.Onboarded
	case "provisioned":
		n = &d.Provisioned
	default:
		return // removed devices are not counted
	}
	*n = max(0, *n+delta)
	d.Total = max(0, d.Total+delta)
}
