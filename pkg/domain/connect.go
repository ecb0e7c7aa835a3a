package domain

import "time"

// ConnectValidity is how long a connect request can be settled: 7 days.
const ConnectValidity = 7 * 24 * time.Hour

// ConnectRequest asks an existing tenant (OrgID, pending until settled) to
// link to the partner. Email is who was asked. Only the SHA-256 of its
// token is kept; the approval URL carrying the token is shown once.
type ConnectRequest struct {
	ID        string    `json:"id"`
	Seq       uint64    `json:"seq"`
	OrgID     string    `json:"org_id"`
	Email     string    `json:"email"`
	TokenHash string    `json:"token_hash"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// RealExpiresAt is ExpiresAt by the real clock, which a pinned clock
	// (PARTNERCTL_NOW) can't push back: the request expires at whichever
	// comes first (see Expired).
	RealExpiresAt time.Time  `json:"real_expires_at,omitzero"`
	AcceptedAt    *time.Time `json:"accepted_at,omitempty"`
	RejectedAt    *time.Time `json:"rejected_at,omitempty"`
}

// ConnectState is where a connect request stands.
type ConnectState string

const (
	ConnectPending  ConnectState = "pending"
	ConnectAccepted ConnectState = "accepted"
	ConnectRejected ConnectState = "rejected"
	ConnectExpired  ConnectState = "expired"
)

// State is the request's state at now (the console's clock) and real (the
// real one). Accepted and rejected are final and win over expiry; it
// expires at ExpiresAt exactly by either clock (it can be settled while
// both are strictly before it).
func (r *ConnectRequest) State(now, real time.Time) ConnectState {
	switch {
	case r.AcceptedAt != nil:
		return ConnectAccepted
	case r.RejectedAt != nil:
		return ConnectRejected
	case Expired(r.ExpiresAt, r.RealExpiresAt, now, real):
		return ConnectExpired
	}
	return ConnectPending
}
