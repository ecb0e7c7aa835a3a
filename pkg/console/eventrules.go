package console

import (
	"context"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// eventState is what the event rules see besides an org: the memberships
// and device states the events name, as known so far. A key without an
// entry is absent (the caller read every key it needed beforehand, or the
// org is new).
type eventState struct {
	members map[store.MemberKey]*memberEntry
	devices map[store.DeviceKey]*deviceEntry
}

type memberEntry struct {
	m             domain.Membership
	exists, dirty bool
}

type deviceEntry struct {
	s            domain.DeviceState
	known, dirty bool
}

func newEventState() *eventState {
	return &eventState{members: map[store.MemberKey]*memberEntry{}, devices: map[store.DeviceKey]*deviceEntry{}}
}

func (s *eventState) member(k store.MemberKey) *memberEntry {
	e := s.members[k]
	if e == nil {
		e = &memberEntry{}
		s.members[k] = e
	}
	return e
}

func (s *eventState) device(k store.DeviceKey) *deviceEntry {
	e := s.devices[k]
	if e == nil {
		e = &deviceEntry{}
		s.devices[k] = e
	}
	return e
}

// applyEvent is the feed's rules: what one event does to an org's counters,
// its memberships and its devices. It only changes memory. Counters never
// go below zero; a device counts once, in its latest state; an event older
// than a device's state changes nothing.
func applyEvent(o *domain.Org, e *events.Event, s *eventState) {
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
		m := s.member(store.MemberKey{OrgID: o.ID, Email: e.Email})
		if !m.exists {
			*m = memberEntry{m: domain.Membership{OrgID: o.ID, Email: e.Email, Role: domain.RoleMember, LoginMethod: domain.LoginAny, JoinedAt: e.At}, exists: true, dirty: true}
			o.Users++
		}
	case events.MemberRemoved:
		m := s.member(store.MemberKey{OrgID: o.ID, Email: e.Email})
		if m.exists && m.m.Role.CountsAsUser() {
			m.exists, m.dirty = false, true
			o.Users = max(0, o.Users-1)
		}
	default:
		if e.Type.IsDevice() {
			moveDevice(o, e, s.device(store.DeviceKey{OrgID: o.ID, Device: e.Device}))
		}
	}
}

func moveDevice(o *domain.Org, e *events.Event, d *deviceEntry) {
	if d.known && d.s.At.After(e.At) {
		return // an older event than the state we hold
	}
	if d.known {
		countDevice(&o.Devices, d.s.State, -1)
	}
	next := e.DeviceState()
	countDevice(&o.Devices, next, +1)
	*d = deviceEntry{s: domain.DeviceState{State: next, At: e.At}, known: true, dirty: true}
}

// countDevice moves the counts of a device entering (+1) or leaving (-1)
// state. Registered, onboarded and provisioned devices count in their
// state and the total; a device in any other state a device.state event
// named (onboarding_in_progress) counts in the total only; a removed
// device, or one of no known state, counts nowhere.
func countDevice(d *domain.Devices, state string, delta int) {
	var n *int
	switch state {
	case "registered":
		n = &d.Registered
	case "onboarded":
		n = &d.Onboarded
	case "provisioned":
		n = &d.Provisioned
	case "removed", "":
		return
	}
	if n != nil {
		*n = max(0, *n+delta)
	}
	d.Total = max(0, d.Total+delta)
}

// writeEventState saves the memberships and device states the rules changed.
func writeEventState(ctx context.Context, tx store.Tx, s *eventState) error {
	puts := make([]domain.Membership, 0, len(s.members))
	var dels []store.MemberKey
	for k, m := range s.members {
		switch {
		case !m.dirty:
		case m.exists:
			puts = append(puts, m.m)
		default:
			dels = append(dels, k)
		}
		m.dirty = false
	}
	devices := make(map[store.DeviceKey]domain.DeviceState, len(s.devices))
	for k, d := range s.devices {
		if d.dirty {
			devices[k] = d.s
			d.dirty = false
		}
	}
	if err := tx.PutMemberships(ctx, puts); err != nil {
		return err
	}
	if err := tx.DeleteMemberships(ctx, dels); err != nil {
		return err
	}
	return tx.PutDeviceStates(ctx, devices)
}
