package domain

import (
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// InviteValidity is how long an invitation can be accepted.
const InviteValidity = 7 * 24 * time.Hour

// Invite asks Email to join OrgID with Role. Only the hash of its current
// token is kept; a resend replaces it, and the old token then reads "resent".
type Invite struct {
	ID          string    `json:"id"`
	Seq         uint64    `json:"seq"`
	OrgID       string    `json:"org_id"`
	Email       string    `json:"email"`
	Role        Role      `json:"role"`
	LoginMethod string    `json:"login_method"`
	TokenHash   string    `json:"token_hash"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	ExpiresAt   time.Time `json:"expires_at"`
	// RealExpiresAt is the expiry by the wall clock, as for links.
	RealExpiresAt time.Time  `json:"real_expires_at,omitzero"`
	ResentAt      *time.Time `json:"resent_at,omitempty"`
	AcceptedAt    *time.Time `json:"accepted_at,omitempty"`
	DeletedAt     *time.Time `json:"deleted_at,omitempty"`
}

// InviteState is where an invitation stands.
type InviteState string

const (
	InvitePending  InviteState = "pending"
	InviteAccepted InviteState = "accepted"
	InviteExpired  InviteState = "expired"
	InviteDeleted  InviteState = "deleted"
)

// State is the invitation's state at now (the console's clock) and real
// (the wall clock); it expires at ExpiresAt or RealExpiresAt, whichever
// clock gets there first (see Link.State).
func (i *Invite) State(now, real time.Time) InviteState {
	switch {
	case i.AcceptedAt != nil:
		return InviteAccepted
	case i.DeletedAt != nil:
		return InviteDeleted
	case Expired(i.ExpiresAt, i.RealExpiresAt, now, real):
		return InviteExpired
	}
	return InvitePending
}

// Rank orders roles by power: partner < member < admin < owner.
func (r Role) Rank() int {
	switch r {
	case RoleOwner:
		return 3
	case RoleAdmin:
		return 2
	case RoleMember:
		return 1
	}
	return 0
}

// CanManageTeam reports whether the role may invite and promote teammates.
func (r Role) CanManageTeam() bool { return r == RoleOwner || r == RoleAdmin }

// ParseRole accepts one of allowed (case-insensitive).
func ParseRole(s string, allowed ...Role) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	var names []string
	for _, a := range allowed {
		if r == a {
			return r, nil
		}
		names = append(names, string(a))
	}
	return "", fail.Fieldf(fail.Usage, "invalid {role} %q: want %s", s, strings.Join(names, ", "))
}

// Login methods a partner can allow, and what an invite may name.
const (
	LoginPassword = "password"
	LoginGoogle   = "google"
	LoginOAuth    = "oauth"
	LoginAny      = "any"
)

// LoginMethods lists the methods a partner can allow, in display order.
var LoginMethods = []string{LoginPassword, LoginGoogle, LoginOAuth}
