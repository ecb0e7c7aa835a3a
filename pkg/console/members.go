package console

import (
	"context"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// addMember creates a membership unless email is already in the org, keeping
// the org's users count equal to its customer memberships. It does not save o.
func addMember(ctx context.Context, tx store.Tx, o *domain.Org, m domain.Membership) error {
	_, exists, err := membershipOf(ctx, tx, o.ID, m.Email)
	if err != nil || exists {
		return err
	}
	if m.Role.CountsAsUser() {
		o.Users++
	}
	return tx.PutMembership(ctx, m)
}

// removeMember deletes email's customer membership of the org, if any. It does not save o.
func removeMember(ctx context.Context, tx store.Tx, o *domain.Org, email string) error {
	m, exists, err := membershipOf(ctx, tx, o.ID, email)
	if err != nil || !exists || !m.Role.CountsAsUser() {
		return err
	}
	o.Users = max(0, o.Users-1)
	return tx.DeleteMembership(ctx, o.ID, email)
}
