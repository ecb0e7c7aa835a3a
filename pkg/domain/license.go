package domain

import "time"

// License entitles one org to use the platform between two dates. Its status
// is never stored: it is computed from the dates, the deactivation and the
// clock each time it is read.
type License struct {
	ID     string `json:"id"`
	Seq    uint64 `json:"seq"`
	Number string `json:"number"`
	OrgID  string `json:"org_id"` // "" when unassigned
	// Start and End are whole UTC days, inclusive, stored as midnight UTC.
	Start       time.Time  `json:"start"`
	End         time.Time  `json:"end"`
	CreatedAt   time.Time  `json:"created_at"`
	Deactivated *time.Time `json:"deactivated_at,omitempty"`
	// Unpaid marks a deactivation for non-payment; a renewal (a payment) lifts it.
	Unpaid  bool            `json:"unpaid,omitempty"`
	Note    string          `json:"note,omitempty"` // the deactivation reason as given
	History []LicenseChange `json:"history"`
}

// LicenseChange is one entry of a license's history.
type LicenseChange struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"` // issued, assigned, renewed, deactivated
	Detail string    `json:"detail"`
}

// LicenseStatus is active or inactive.
type LicenseStatus string

// Why a license is inactive.
const (
	LicenseActive   LicenseStatus = "active"
	LicenseInactive LicenseStatus = "inactive"

	ReasonExpired     = "expired"
	ReasonNotStarted  = "not_started"
	ReasonDeactivated = "deactivated"
	ReasonUnpaid      = "unpaid"
)

// Day is t's UTC calendar day, as midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// StatusAt is the license's status on now's UTC day, with the reason when
// inactive ("" when active). A deactivation wins over the dates.
func (l *License) StatusAt(now time.Time) (LicenseStatus, string) {
	today := Day(now)
	switch {
	case l.Deactivated != nil && l.Unpaid:
		return LicenseInactive, ReasonUnpaid
	case l.Deactivated != nil:
		return LicenseInactive, ReasonDeactivated
	case today.Before(l.Start):
		return LicenseInactive, ReasonNotStarted
	case today.After(l.End):
		return LicenseInactive, ReasonExpired
	}
	return LicenseActive, ""
}
