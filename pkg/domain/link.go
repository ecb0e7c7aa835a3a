package domain

import "time"

// Link is a one-time login link: it signs Email into OrgID once, before
// ExpiresAt. Only the SHA-256 of its token is kept (TokenHash); the token
// itself is shown once, when the link is made.
type Link struct {
	ID        string    `json:"id"`
	Seq       uint64    `json:"seq"`
	OrgID     string    `json:"org_id"`
	Email     string    `json:"email"`
	TokenHash string    `json:"token_hash"`
	CreatedBy string    `json:"created_by"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// RealExpiresAt is the expiry by the wall clock (created + TTL in real
	// time), kept beside ExpiresAt, which follows the console's clock and
	// so PARTNERCTL_NOW. Zero on links made before it was recorded.
	RealExpiresAt time.Time  `json:"real_expires_at,omitzero"`
	RedeemedAt    *time.Time `json:"redeemed_at,omitempty"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	RevokedBy     string     `json:"revoked_by,omitempty"`
}

// LinkState is where a link is in its life.
type LinkState string

const (
	LinkActive  LinkState = "active"
	LinkUsed    LinkState = "used"
	LinkExpired LinkState = "expired"
	LinkRevoked LinkState = "revoked"
)

// LinkStates lists the states in the order `link list --state` names them.
var LinkStates = []LinkState{LinkActive, LinkUsed, LinkExpired, LinkRevoked}

// State is the link's state at now, the console's clock, and real, the wall
// clock. Used and revoked are final and win over expiry. A link expires at
// ExpiresAt exactly by the console's clock, or at RealExpiresAt by the wall
// clock, whichever comes first: a pinned clock (PARTNERCTL_NOW) can neither
// make an expired link valid nor keep one alive past its TTL in real time.
func (l *Link) State(now, real time.Time) LinkState {
	switch {
	case l.RedeemedAt != nil:
		return LinkUsed
	case l.RevokedAt != nil:
		return LinkRevoked
	case Expired(l.ExpiresAt, l.RealExpiresAt, now, real):
		return LinkExpired
	}
	return LinkActive
}

// Expired reports whether a token with these expiries has expired at now
// (console clock) or real (wall clock). A zero realExpiry (a record from
// before it was kept) falls back to expiry for the wall clock too.
func Expired(expiry, realExpiry, now, real time.Time) bool {
	return !now.Before(expiry) || !real.Before(RealExpiry(expiry, realExpiry))
}

// RealExpiry is realExpiry, or expiry for a record that has none.
func RealExpiry(expiry, realExpiry time.Time) time.Time {
	if realExpiry.IsZero() {
		return expiry.UTC()
	}
	return realExpiry.UTC()
}
