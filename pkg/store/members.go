package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// MemberTx stores memberships, keyed by org and email.
type MemberTx interface {
	// Membership returns ErrNotFound when email is not in the org.
	Membership(orgID, email string) (domain.Membership, error)
	PutMembership(m domain.Membership) error
	DeleteMembership(orgID, email string) error
	// ForEachMembership visits memberships, of one org when orgID != "", in org then email order.
	ForEachMembership(orgID string, fn func(m domain.Membership) bool) error
}
