// Package clock gives the library its one source of time. Rules never call
// time.Now: they are handed a Clock, so reports can be pinned with
// PARTNERCTL_NOW and tests can stand at any instant.
package clock

import (
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// EnvVar pins the clock when set to an RFC 3339 time.
const EnvVar = "PARTNERCTL_NOW"

// Clock returns the current time.
type Clock func() time.Time

// System is the real wall clock, in UTC.
func System() time.Time { return time.Now().UTC() }

// Fixed returns a clock that always answers t.
func Fixed(t time.Time) Clock { return func() time.Time { return t.UTC() } }

// FromEnv returns a fixed clock when value (the PARTNERCTL_NOW setting) is
// non-empty, else the system clock. An unparseable value is a usage error.
func FromEnv(value string) (Clock, error) {
	if value == "" {
		return System, nil
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return nil, fail.Usagef("invalid %s %q: want an RFC 3339 time such as 2026-11-23T12:00:00Z", EnvVar, value)
	}
	return Fixed(t), nil
}
