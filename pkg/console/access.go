package console

import (
	"errors"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// requireAdmin returns the acting user when they are a member of the
// partner's admin org: the access rule of every console command.
func (c *Console) requireAdmin(tx store.Tx) (string, error) {
	actor, err := c.actor(tx)
	if err != nil {
		return "", err
	}
	p, err := partner(tx)
	if err != nil {
		return "", err
	}
	if actor == "" {
		return "", errNoUser()
	}
	if _, err := tx.Membership(p.AdminOrgID, actor); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			return "", err
		}
		return "", errNotPartnerAdmin(tx, p, actor)
	}
	return actor, nil
}

func errNoUser() error {
	return fail.Deniedf("no current user").
		WithHint("run `partnerctl login EMAIL` or pass --as EMAIL (a member of the admin org)")
}

func errNotPartnerAdmin(tx store.Tx, p domain.Partner, actor string) error {
	admin, _ := tx.Org(p.AdminOrgID)
	return fail.Deniedf("%s is not a member of the admin org %q", actor, admin.Name).
		WithHint("console access comes with membership of the admin org: ask a member to run `partnerctl users invite %s --admin-org`", actor)
}

// asAdmin runs fn in a read transaction after the admin access check.
func (c *Console) asAdmin(fn func(tx store.Tx, actor string) error) error {
	return c.st.View(func(tx store.Tx) error {
		actor, err := c.requireAdmin(tx)
		if err != nil {
			return err
		}
		return fn(tx, actor)
	})
}

// asAdminUpdate runs fn in one write transaction after the admin access check.
func (c *Console) asAdminUpdate(fn func(tx store.Tx, actor string) error) error {
	return c.st.Update(func(tx store.Tx) error {
		actor, err := c.requireAdmin(tx)
		if err != nil {
			return err
		}
		return fn(tx, actor)
	})
}

// membershipOf returns the actor's membership in org, if any.
func membershipOf(tx store.Tx, orgID, email string) (domain.Membership, bool, error) {
	m, err := tx.Membership(orgID, email)
	if errors.Is(err, store.ErrNotFound) {
		return m, false, nil
	}
	return m, err == nil, err
}
