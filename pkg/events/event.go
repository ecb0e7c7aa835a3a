// Package events parses the JSON Lines activity feed of SPEC §5.
package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Type names one kind of event.
type Type string

const (
	SessionStarted        Type = "session.started"
	KnowledgeAdded        Type = "knowledge.added"
	KnowledgeRemoved      Type = "knowledge.removed"
	IntegrationConnected  Type = "integration.connected"
	IntegrationDisconnect Type = "integration.disconnected"
	AIInstructionsUpdated Type = "ai.instructions.updated"
	MemberAdded           Type = "member.added"
	MemberRemoved         Type = "member.removed"
	MessageSent           Type = "message.sent"
	ContactCreated        Type = "contact.created"
	DeviceRegistered      Type = "device.registered"
	DeviceOnboarded       Type = "device.onboarded"
	DeviceProvisioned     Type = "device.provisioned"
	DeviceRemoved         Type = "device.removed"
	// DeviceStateChanged moves a device to the state its "state" field
	// names: registered, onboarded, provisioned, removed, or any other
	// (such as onboarding_in_progress), which counts in the total only.
	DeviceStateChanged Type = "device.state"
)

// Types lists every known type, in the order `help events` documents them.
var Types = []Type{
	SessionStarted, KnowledgeAdded, KnowledgeRemoved, IntegrationConnected,
	IntegrationDisconnect, AIInstructionsUpdated, MemberAdded, MemberRemoved,
	MessageSent, ContactCreated, DeviceRegistered, DeviceOnboarded,
	DeviceProvisioned, DeviceRemoved, DeviceStateChanged,
}

// Event is one parsed, validated line. Org is the id or ref as written; the
// importer resolves it against the store.
type Event struct {
	ID     string
	Org    string
	Type   Type
	At     time.Time
	Email  string
	Device string
	// State is the "state" field, as given (device.state events need one).
	State string
}

type wire struct {
	ID     *string `json:"id"`
	Org    *string `json:"org"`
	Type   *string `json:"type"`
	At     *string `json:"at"`
	Email  *string `json:"email"`
	Device *string `json:"device"`
	State  *string `json:"state"`
}

// Size limits of a line's fields, in bytes: a line over one is invalid (a
// line error), so a hostile feed can't bloat the dedupe index or the org
// records, or write a key the store refuses.
const (
	MaxIDLength     = 200
	MaxOrgLength    = 200
	MaxDeviceLength = 200
	MaxEmailLength  = 254
)

// MaxStateLength bounds the state a device.state event names.
const MaxStateLength = 64

// Parse validates one line. Its error says what is wrong, without the line number.
func Parse(line []byte) (Event, error) {
	if !utf8.Valid(line) {
		// encoding/json would quietly turn bad bytes into U+FFFD, so two
		// different ids could collapse into one: refuse the line instead.
		return Event{}, errors.New("invalid UTF-8")
	}
	var w wire
	if err := json.Unmarshal(line, &w); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return Event{}, fmt.Errorf("invalid JSON: %v", syn)
		case errors.As(err, &typ) && typ.Field == "":
			return Event{}, fmt.Errorf("want a JSON object, got %s", typ.Value)
		case errors.As(err, &typ):
			return Event{}, fmt.Errorf("field %q must be a string", typ.Field)
		}
		return Event{}, fmt.Errorf("invalid JSON: %v", err)
	}
	var e Event
	if w.ID == nil || strings.TrimSpace(*w.ID) == "" {
		return Event{}, errors.New("missing id")
	}
	if len(*w.ID) > MaxIDLength {
		return Event{}, fmt.Errorf("id longer than %d characters", MaxIDLength)
	}
	for _, f := range []struct {
		name  string
		value *string
		max   int
	}{{"org", w.Org, MaxOrgLength}, {"device", w.Device, MaxDeviceLength}, {"email", w.Email, MaxEmailLength}} {
		if f.value != nil && len(*f.value) > f.max {
			return Event{}, fmt.Errorf("%s longer than %d bytes", f.name, f.max)
		}
	}
	e.ID = *w.ID
	if w.Org == nil || strings.TrimSpace(*w.Org) == "" {
		return Event{}, errors.New("missing org")
	}
	e.Org = *w.Org
	if w.Type == nil || *w.Type == "" {
		return Event{}, errors.New("missing type")
	}
	e.Type = Type(*w.Type)
	if !e.Type.Known() {
		return Event{}, fmt.Errorf("unknown type %q", *w.Type)
	}
	if w.At == nil || *w.At == "" {
		return Event{}, errors.New("missing at")
	}
	at, err := time.Parse(time.RFC3339, *w.At)
	if err != nil {
		return Event{}, fmt.Errorf("bad at %q: want RFC 3339", *w.At)
	}
	e.At = at.UTC()
	if !InTimeRange(e.At) {
		return Event{}, fmt.Errorf("at %q is outside %s to %s (UTC)", *w.At,
			MinTime.Format(time.RFC3339), MaxTime.Format(time.RFC3339))
	}
	if w.Email != nil {
		e.Email = *w.Email
	}
	if w.Device != nil {
		e.Device = *w.Device
	}
	if w.State != nil {
		e.State = *w.State
	}
	switch {
	case e.Type == MemberAdded || e.Type == MemberRemoved:
		if e.Email == "" {
			return Event{}, fmt.Errorf("%s needs an email", e.Type)
		}
		email, err := domain.ParseEmail(e.Email)
		if err != nil {
			return Event{}, err
		}
		e.Email = email
	case e.Type.IsDevice():
		if strings.TrimSpace(e.Device) == "" {
			return Event{}, fmt.Errorf("%s needs a device", e.Type)
		}
		if e.Type == DeviceStateChanged {
			if e.State == "" {
				return Event{}, fmt.Errorf("%s needs a state", e.Type)
			}
			if !ValidState(e.State) {
				return Event{}, fmt.Errorf("bad state %q: want 1 to %d lower-case letters, digits or _, starting with a letter", e.State, MaxStateLength)
			}
		}
	}
	return e, nil
}

// The times an event may have: RFC 3339 prints years 0001 to 9999 only, and
// the zero instant (0001-01-01T00:00:00Z) means "never" to the store.
var (
	MinTime = time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)
	MaxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// InTimeRange reports whether t is between MinTime and MaxTime.
func InTimeRange(t time.Time) bool { return !t.Before(MinTime) && !t.After(MaxTime) }

// ValidState reports whether s can be a device state: 1 to MaxStateLength
// lower-case ASCII letters, digits or underscores, starting with a letter
// (onboarding_in_progress). States come from feeds and are compared as
// they are, so a narrow alphabet keeps "Onboarding" and "onboarding" from
// counting as two states.
func ValidState(s string) bool {
	if len(s) == 0 || len(s) > MaxStateLength || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z') && !('0' <= c && c <= '9') && c != '_' {
			return false
		}
	}
	return true
}

// Known reports whether t is one of Types.
func (t Type) Known() bool {
	for _, k := range Types {
		if t == k {
			return true
		}
	}
	return false
}

// IsDevice reports whether t is one of the device.* types.
func (t Type) IsDevice() bool { return strings.HasPrefix(string(t), "device.") }

// DeviceState is the state a device.* event moves its device to: the
// type's suffix, or for device.state the state it names.
func (e *Event) DeviceState() string {
	if e.Type == DeviceStateChanged {
		return e.State
	}
	return strings.TrimPrefix(string(e.Type), "device.")
}
