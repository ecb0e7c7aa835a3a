package domain

import "time"

// Link is a one-time login link: it signs Email into OrgID once, before
// ExpiresAt. Only the SHA-256 of its token is kept (TokenHash); the token
// itself is shown once, when the link is made.
type Link struct {
	ID         string     `json:"id"`
	Seq        uint64     `json:"seq"`
	OrgID      string     `json:"org_id"`
	Email      string     `json:"email"`
	TokenHash  string     `json:"token_hash"`
	CreatedBy  string     `json:"created_by"`
	Reason     string     `json:"reason"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RedeemedAt *time.Time `json:"redeemed_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	RevokedBy  string     `json:"revoked_by,omitempty"`
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

// State is the link's state at now. Used and revoked are final and win over
// expiry; a link expires at ExpiresAt exactly (it is valid while now is
// strictly before it).
func (l *Link) State(now time.Time) LinkState {
	switch {
	case l.RedeemedAt != nil:
		return LinkUsed
	case l.RevokedAt != nil:
		return LinkRevoked
	case !now.Before(l.ExpiresAt):
		return LinkExpired
	}
	return LinkActive
}
