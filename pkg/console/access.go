package console

import (
	"context"
	"errors"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// The role table (SPEC §14). Every console command needs a member of the
// admin org; these need more. The same words mean the same in customer
// orgs (see team in users.go).
//
//	member  console reads, orgs open/create/import/update, link create/list,
//	        revoking one's own links, events import, reports
//	admin   managing the admin org's team up to one's own role, scopes,
//	        orgs delete, licenses issue/assign/renew/deactivate, partner
//	        update/brand/login-methods, revoking anyone's link
//	owner   promoting to owner
//
// On a local file these checks are a guard rail: whoever can write the file
// can do anything to it. A shared database enforces the same rules itself.

// standing is the acting user as the console sees them in one transaction:
// who they are, their role in the admin org ("" when not a member) and the
// orgs they may see.
type standing struct {
	actor   string
	partner domain.Partner
	role    domain.Role
	vis     visibility
}

// member reports whether the actor belongs to the admin org.
func (s standing) member() bool { return s.role != "" }

// standingOf reads the acting user's standing; it refuses only when nobody
// is logged in. Admins and owners are never scoped, whatever the store says.
func (c *Console) standingOf(ctx context.Context, tx store.Tx) (standing, error) {
	var s standing
	// A store without a partner says so first: nobody can be its user.
	p, err := partner(ctx, tx)
	if err != nil {
		return s, err
	}
	actor, err := c.actor(ctx, tx)
	if err != nil {
		return s, err
	}
	if actor == "" {
		return s, errNoUser()
	}
	s.actor, s.partner, s.vis = actor, p, everyOrg(p.AdminOrgID)
	m, ok, err := membershipOf(ctx, tx, p.AdminOrgID, actor)
	if err != nil || !ok {
		return s, err
	}
	s.role = m.Role
	if s.role.Rank() < domain.RoleAdmin.Rank() {
		ids, scoped, err := tx.Scope(ctx, actor)
		if err != nil {
			return s, err
		}
		if scoped {
			s.vis = onlyOrgs(p.AdminOrgID, ids)
		}
	}
	return s, nil
}

// admit is the access check of a console command: the actor must be a
// member of the admin org with at least the role need; what names the
// action for the refusal ("delete orgs").
func (c *Console) admit(ctx context.Context, tx store.Tx, need domain.Role, what string) (standing, error) {
	s, err := c.standingOf(ctx, tx)
	if err != nil {
		return s, err
	}
	if !s.member() {
		return s, errNotPartnerAdmin(ctx, tx, s.partner, s.actor)
	}
	if s.role.Rank() < need.Rank() {
		return s, errRoleTooLow(ctx, tx, s, need, what)
	}
	return s, nil
}

func errNoUser() error {
	return fail.Deniedf("no current user").WithCode(fail.CodeNoUser)
}

func errNotPartnerAdmin(ctx context.Context, tx store.Tx, p domain.Partner, actor string) error {
	admin, _ := tx.Org(ctx, p.AdminOrgID)
	return fail.Deniedf("%s is not a member of the admin org %q", actor, admin.Name).
		WithCode(fail.CodeNotAdminMember, actor)
}

func errRoleTooLow(ctx context.Context, tx store.Tx, s standing, need domain.Role, what string) error {
	admin, _ := tx.Org(ctx, s.partner.AdminOrgID)
	roles := "an admin or owner"
	if need == domain.RoleOwner {
		roles = "an owner"
	}
	return fail.Deniedf("%s can't %s: that needs %s of the admin org %q (%s is %s)",
		s.actor, what, roles, admin.Name, s.actor, withArticle(string(s.role))).
		WithCode(fail.CodeRoleTooLow)
}

// asAdmin runs fn in a read transaction after the admin access check; fn
// reads the store as the actor may see it.
func (c *Console) asAdmin(ctx context.Context, fn func(tx store.Tx, actor string) error) error {
	return c.asRole(ctx, domain.RoleMember, "", fn)
}

// asAdminUpdate runs fn in one write transaction after the admin access check.
func (c *Console) asAdminUpdate(ctx context.Context, fn func(tx store.Tx, actor string) error) error {
	return c.asRoleUpdate(ctx, domain.RoleMember, "", fn)
}

// asRole is asAdmin for a command that needs at least role need.
func (c *Console) asRole(ctx context.Context, need domain.Role, what string, fn func(tx store.Tx, actor string) error) error {
	return c.st.View(ctx, func(tx store.Tx) error {
		s, err := c.admit(ctx, tx, need, what)
		if err != nil {
			return err
		}
		return fn(s.vis.tx(tx), s.actor)
	})
}

// asRoleUpdate is asAdminUpdate for a command that needs at least role need.
func (c *Console) asRoleUpdate(ctx context.Context, need domain.Role, what string, fn func(tx store.Tx, actor string) error) error {
	return c.st.Update(ctx, func(tx store.Tx) error {
		s, err := c.admit(ctx, tx, need, what)
		if err != nil {
			return err
		}
		return fn(s.vis.tx(tx), s.actor)
	})
}

// withStanding runs fn in a write transaction with the actor's standing,
// after the admin access check, for rules that depend on who acts.
func (c *Console) withStanding(ctx context.Context, write bool, fn func(tx store.Tx, s *standing) error) error {
	run := c.st.View
	if write {
		run = c.st.Update
	}
	return run(ctx, func(tx store.Tx) error {
		s, err := c.admit(ctx, tx, domain.RoleMember, "")
		if err != nil {
			return err
		}
		return fn(s.vis.tx(tx), &s)
	})
}

// membershipOf returns email's membership in org, if any. A time-boxed
// grant that has lapsed is still returned: callers that act on access use
// activeMembership.
func membershipOf(ctx context.Context, tx store.Tx, orgID, email string) (domain.Membership, bool, error) {
	m, err := tx.Membership(ctx, orgID, email)
	if errors.Is(err, store.ErrNotFound) {
		return m, false, nil
	}
	return m, err == nil, err
}

// activeMembership is membershipOf without grants that lapsed by now.
func activeMembership(ctx context.Context, tx store.Tx, orgID, email string, now time.Time) (domain.Membership, bool, error) {
	m, ok, err := membershipOf(ctx, tx, orgID, email)
	if ok && m.Lapsed(now) {
		return m, false, nil
	}
	return m, ok, err
}
