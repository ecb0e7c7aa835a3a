package domain

import "time"

// Role is a user's role in one org.
type Role string

const (
	RoleOwner  Role = "owner"
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
	// RolePartner is the basic access `orgs open` grants; it is not a seat and
	// not counted among the org's users.
	RolePartner Role = "partner"
)

// CountsAsUser reports whether a membership with this role is one of the
// customer's team members.
func (r Role) CountsAsUser() bool { return r != RolePartner }

// Membership says that Email belongs to OrgID with Role.
type Membership struct {
	OrgID       string    `json:"org_id"`
	Email       string    `json:"email"`
	Role        Role      `json:"role"`
	LoginMethod string    `json:"login_method"`
	JoinedAt    time.Time `json:"joined_at"`
	// ExpiresAt ends a time-boxed grant (`orgs open --for`); nil for none.
	// Only partner-role grants expire.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// Lapsed reports whether a time-boxed grant is over at now. Like a login
// link, it holds while now is strictly before ExpiresAt: from that instant
// on it is gone, with no job needed to remove it.
func (m *Membership) Lapsed(now time.Time) bool {
	return m.ExpiresAt != nil && !now.Before(*m.ExpiresAt)
}

// Scope limits an admin-org member to some customer orgs: they see, count
// and act on those alone. Unscoped members (and every admin and owner) see
// every org.
type Scope struct {
	Email  string   `json:"email"`
	OrgIDs []string `json:"org_ids"`
}

// AuditEntry records who changed what. Entries are only ever appended.
type AuditEntry struct {
	Seq     uint64    `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	OrgID   string    `json:"org_id"`
	OrgName string    `json:"org_name"`
	Detail  string    `json:"detail"`
}

// DeviceState is the latest known state of one device of one org.
type DeviceState struct {
	State string    `json:"state"` // registered, onboarded, provisioned, removed, or another a device.state event named
	At    time.Time `json:"at"`
}
