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
