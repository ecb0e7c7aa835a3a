package console

import (
	"context"
	"errors"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// requireAdmin returns the acting user when they are a member of the
// partner's admin org: the access rule of every console command.
func (c *Console) requireAdmin(ctx context.Context, tx store.Tx) (string, error) {
	// A store without a partner says so first: nobody can be its user.
	p, err := partner(ctx, tx)
	if err != nil {
		return "", err
	}
	actor, err := c.actor(ctx, tx)
	if err != nil {
		return "", err
	}
	if actor == "" {
		return "", errNoUser()
	}
	if _, err := tx.Membership(ctx, p.AdminOrgID, actor); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			return "", err
		}
		return "", errNotPartnerAdmin(ctx, tx, p, actor)
	}
	return actor, nil
}

func errNoUser() error {
	return fail.Deniedf("no current user").WithCode(fail.CodeNoUser)
}

func errNotPartnerAdmin(ctx context.Context, tx store.Tx, p domain.Partner, actor string) error {
	admin, _ := tx.Org(ctx, p.AdminOrgID)
	return fail.Deniedf("%s is not a member of the admin org %q", actor, admin.Name).
		WithCode(fail.CodeNotAdminMember, actor)
}

// asAdmin runs fn in a read transaction after the admin access check.
func (c *Console) asAdmin(ctx context.Context, fn func(tx store.Tx, actor string) error) error {
	return c.st.View(ctx, func(tx store.Tx) error {
		actor, err := c.requireAdmin(ctx, tx)
		if err != nil {
			return err
		}
		return fn(tx, actor)
	})
}

// asAdminUpdate runs fn in one write transaction after the admin access check.
func (c *Console) asAdminUpdate(ctx context.Context, fn func(tx store.Tx, actor string) error) error {
	return c.st.Update(ctx, func(tx store.Tx) error {
		actor, err := c.requireAdmin(ctx, tx)
		if err != nil {
			return err
		}
		return fn(tx, actor)
	})
}

// membershipOf returns the actor's membership in org, if any.
func membershipOf(ctx context.Context, tx store.Tx, orgID, email string) (domain.Membership, bool, error) {
	m, err := tx.Membership(ctx, orgID, email)
	if errors.Is(err, store.ErrNotFound) {
		return m, false, nil
	}
	return m, err == nil, err
}
