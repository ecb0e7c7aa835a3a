package store

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// MemberKey names one membership: an email in an org.
type MemberKey struct{ OrgID, Email string }

// MemberTx stores memberships.
type MemberTx interface {
	// Membership returns ErrNotFound when email is not in the org.
	Membership(ctx context.Context, orgID, email string) (domain.Membership, error)
	// MembershipsByKey returns the memberships that exist among keys.
	MembershipsByKey(ctx context.Context, keys []MemberKey) (map[MemberKey]domain.Membership, error)
	PutMembership(ctx context.Context, m domain.Membership) error
	PutMemberships(ctx context.Context, ms []domain.Membership) error
	DeleteMembership(ctx context.Context, orgID, email string) error
	DeleteMemberships(ctx context.Context, keys []MemberKey) error
	// Memberships lists memberships in the byte order of their org id,
	// then of their email; of one org and/or one email when the filter
	// says so.
	Memberships(ctx context.Context, f MemberFilter) iter.Seq2[domain.Membership, error]
}

// MemberFilter narrows Memberships; empty fields match everything.
type MemberFilter struct{ OrgID, Email string }
