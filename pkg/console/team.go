package console

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// MemberParams name one membership: an email in a customer org (Org) or in
// the admin org (AdminOrg).
type MemberParams struct {
	Email    string
	Org      string
	AdminOrg bool
}

// Removal is what `users remove` did.
type Removal struct {
	Removed UserView
	// For a member of the admin org: the login links they created that
	// were still active, now revoked; the pending invitations into the
	// admin org they sent, now deleted (no way back in through them); the
	// customer orgs where their partner access ended; and the customer
	// roles they keep (those are the customer's to take back).
	LinksRevoked   []LinkView
	InvitesDeleted []InviteView
	AccessEnded    []UserView
	KeptRoles      []UserView
}

// RemoveUser ends a membership now. In the admin org it needs admin or
// owner, up to one's own role; it also revokes every active login link the
// member created, deletes the pending invitations into the admin org they
// sent, ends their partner access to customer orgs (so an org they have
// open is no longer theirs), and lifts their scope. In a
// customer org it needs owner or admin there, or, for partner access
// alone, admin or owner of the admin org. The last owner of an org can't
// be removed (a conflict: make someone else an owner first); someone who
// is not a member is not found. Audited as member.removed, and each
// revoked link as link.revoked with the reason.
func (c *Console) RemoveUser(ctx context.Context, p MemberParams) (Removal, error) {
	var out Removal
	email, err := domain.ParseEmail(p.Email)
	if err != nil {
		return out, err
	}
	err = c.st.Update(ctx, func(tx store.Tx) error {
		out = Removal{}
		now := c.Now()
		t, err := c.teamAccess(ctx, tx, p.Org, p.AdminOrg)
		if err != nil {
			return err
		}
		asPartnerAdmin := !t.org.Admin && !t.canManage() && t.adminRole.CanManageTeam()
		if t.rank() < domain.RoleAdmin.Rank() {
			return t.denied("remove people from")
		}
		m, ok, err := activeMembership(ctx, t.tx, t.org.ID, email, now)
		if err != nil {
			return err
		}
		if !ok {
			return fail.NotFoundf("%s is not a member of %s", email, t.org.Name)
		}
		if asPartnerAdmin && m.Role != domain.RolePartner {
			return fail.Deniedf("%s is not an owner or admin of %s: partner admins may only end partner access there; its owner or admin removes %s", t.actor, t.org.Name, email)
		}
		if m.Role != domain.RolePartner {
			if err := t.beyond(fmt.Sprintf("remove %s, %s of %s", email, withArticle(string(m.Role)), t.org.Name), m.Role); err != nil {
				return err
			}
		}
		if m.Role == domain.RoleOwner {
			if last, err := lastOwner(ctx, tx, t.org.ID); err != nil {
				return err
			} else if last {
				return fail.Conflictf("%s is the last owner of %s and can't be removed", email, t.org.Name).
					WithCode(fail.CodeLastOwner, email)
			}
		}
		o := t.org
		if err := c.endMembership(ctx, tx, &o, m); err != nil {
			return err
		}
		out.Removed = UserView{Membership: m, OrgName: o.Name, AdminOrg: o.Admin}
		detail := fmt.Sprintf("%s (%s)", email, m.Role)
		if o.Admin {
			if err := c.offboard(ctx, tx, t.actor, email, &o, now, &out); err != nil {
				return err
			}
			detail += fmt.Sprintf(": %d login link(s) revoked, partner access to %d org(s) ended", len(out.LinksRevoked), len(out.AccessEnded))
		}
		return c.audit(ctx, tx, t.actor, "member.removed", &o, detail)
	})
	return out, err
}

// endMembership deletes m, keeping the org's users count, and saves o.
func (c *Console) endMembership(ctx context.Context, tx store.Tx, o *domain.Org, m domain.Membership) error {
	if err := tx.DeleteMembership(ctx, m.OrgID, m.Email); err != nil {
		return err
	}
	if !m.Role.CountsAsUser() {
		return nil
	}
	o.Users = max(0, o.Users-1)
	return tx.PutOrg(ctx, *o)
}

// offboard is what leaving the admin org takes away besides the membership.
func (c *Console) offboard(ctx context.Context, tx store.Tx, actor, email string, admin *domain.Org, now time.Time, out *Removal) error {
	reason := fmt.Sprintf("reason: %s was removed from the admin org", email)
	real := c.RealNow()
	var pending []domain.Invite
	for i, err := range tx.Invites(ctx, admin.ID) {
		if err != nil {
			return err
		}
		if i.CreatedBy == email && i.State(now, real) == domain.InvitePending {
			pending = append(pending, i)
		}
	}
	for _, i := range pending {
		i.DeletedAt = &now
		if err := tx.PutInvite(ctx, i); err != nil {
			return err
		}
		out.InvitesDeleted = append(out.InvitesDeleted, inviteView(&i, admin, now, real))
		if err := c.audit(ctx, tx, actor, "invite.deleted", admin, fmt.Sprintf("%s for %s, %s", i.ID, i.Email, reason)); err != nil {
			return err
		}
	}
	var active []domain.Link
	for l, err := range tx.Links(ctx, "") {
		if err != nil {
			return err
		}
		if l.CreatedBy == email && l.State(now, real) == domain.LinkActive {
			active = append(active, l)
		}
	}
	for _, l := range active {
		o, err := tx.Org(ctx, l.OrgID)
		if err != nil {
			return err
		}
		l.RevokedAt, l.RevokedBy = &now, actor
		if err := tx.PutLink(ctx, l); err != nil {
			return err
		}
		out.LinksRevoked = append(out.LinksRevoked, linkView(&l, &o, now, real))
		if err := c.audit(ctx, tx, actor, "link.revoked", &o, fmt.Sprintf("%s for %s, %s", l.ID, l.Email, reason)); err != nil {
			return err
		}
	}
	var held []domain.Membership
	for m, err := range tx.Memberships(ctx, store.MemberFilter{Email: email}) {
		if err != nil {
			return err
		}
		held = append(held, m)
	}
	for _, m := range held {
		o, err := tx.Org(ctx, m.OrgID)
		if err != nil {
			return err
		}
		if o.Admin {
			continue
		}
		v := UserView{Membership: m, OrgName: o.Name}
		if m.Role.CountsAsUser() {
			if o.Live() {
				out.KeptRoles = append(out.KeptRoles, v)
			}
			continue
		}
		if err := tx.DeleteMembership(ctx, m.OrgID, m.Email); err != nil {
			return err
		}
		if m.Lapsed(now) || !o.Live() {
			continue // already over: nothing to tell the customer
		}
		out.AccessEnded = append(out.AccessEnded, v)
		if err := c.audit(ctx, tx, actor, "member.removed", &o, fmt.Sprintf("%s (partner access), %s", email, reason)); err != nil {
			return err
		}
	}
	return tx.DeleteScope(ctx, email)
}

// lastOwner reports whether org has one owner only.
func lastOwner(ctx context.Context, tx store.Tx, orgID string) (bool, error) {
	n := 0
	for m, err := range tx.Memberships(ctx, store.MemberFilter{OrgID: orgID}) {
		if err != nil {
			return false, err
		}
		if m.Role == domain.RoleOwner {
			n++
		}
	}
	return n <= 1, nil
}

// Demote lowers an admin to member. It needs what promoting does; an owner
// can't be demoted (that needs the account manager).
func (c *Console) Demote(ctx context.Context, p MemberParams) (UserView, error) {
	var out UserView
	email, err := domain.ParseEmail(p.Email)
	if err != nil {
		return out, err
	}
	err = c.st.Update(ctx, func(tx store.Tx) error {
		t, err := c.teamAccess(ctx, tx, p.Org, p.AdminOrg)
		if err != nil {
			return err
		}
		if t.rank() < domain.RoleAdmin.Rank() {
			return t.denied("demote people in")
		}
		m, err := t.member(ctx, email, c.Now())
		if err != nil {
			return err
		}
		switch m.Role {
		case domain.RoleOwner:
			return errDemoteOwner(email, t.org.Name)
		case domain.RoleMember:
			return fail.Conflictf("%s is already a member of %s", email, t.org.Name)
		case domain.RolePartner:
			return fail.Conflictf("%s has partner access to %s, not a role: remove it instead", email, t.org.Name)
		}
		m.Role = domain.RoleMember
		if err := tx.PutMembership(ctx, m); err != nil {
			return err
		}
		out = UserView{Membership: m, OrgName: t.org.Name, AdminOrg: t.org.Admin}
		return c.audit(ctx, tx, t.actor, "user.demoted", &t.org, fmt.Sprintf("%s to %s", email, m.Role))
	})
	return out, err
}

// ScopeParams are the inputs of `users scope`: the orgs to limit a member
// of the admin org to, or All to lift the limit.
type ScopeParams struct {
	Email string
	Orgs  []string
	All   bool
}

// ScopeView is a teammate's scope: every org, or those.
type ScopeView struct {
	Email string
	All   bool
	Orgs  []OrgView // name order
}

// ScopeUser limits a member of the admin org to some customer orgs (they
// see, count and act on those alone, and any other is not found to them),
// or lifts the limit. It needs admin or owner; admins and owners are never
// scoped. Audited as member.scoped or member.unscoped.
func (c *Console) ScopeUser(ctx context.Context, p ScopeParams) (ScopeView, error) {
	var out ScopeView
	var keys []string
	for _, k := range p.Orgs {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	if p.All == (len(keys) > 0) {
		return out, fail.Fieldf(fail.Usage, "give {orgs} ORG,… or {all} (one of them)")
	}
	email, err := domain.ParseEmail(p.Email)
	if err != nil {
		return out, err
	}
	err = c.asRoleUpdate(ctx, domain.RoleAdmin, "scope teammates", func(tx store.Tx, actor string) error {
		out = ScopeView{Email: email, All: p.All}
		pt, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		admin, err := tx.Org(ctx, pt.AdminOrgID)
		if err != nil {
			return err
		}
		m, ok, err := membershipOf(ctx, tx, admin.ID, email)
		if err != nil {
			return err
		}
		if !ok {
			return fail.NotFoundf("%s is not a member of the admin org %q", email, admin.Name).WithCode(fail.CodeNotMember, email)
		}
		_, scoped, err := tx.Scope(ctx, email)
		if err != nil {
			return err
		}
		if p.All {
			if !scoped {
				return nil
			}
			if err := tx.DeleteScope(ctx, email); err != nil {
				return err
			}
			return c.audit(ctx, tx, actor, "member.unscoped", &admin, email+" sees every org")
		}
		if m.Role.CanManageTeam() {
			return fail.Conflictf("%s is %s of the admin org: admins and owners see every org and are never scoped", email, withArticle(string(m.Role)))
		}
		var ids, names []string
		for _, k := range keys {
			o, err := resolveOrg(ctx, tx, k)
			if err != nil {
				return err
			}
			if slices.Contains(ids, o.ID) {
				continue
			}
			ids = append(ids, o.ID)
			names = append(names, fmt.Sprintf("%s (%s)", o.Name, o.ID))
			out.Orgs = append(out.Orgs, viewOf(&o, c.Now()))
		}
		sortOrgs(out.Orgs, SortName, false)
		if err := tx.SetScope(ctx, email, ids); err != nil {
			return err
		}
		return c.audit(ctx, tx, actor, "member.scoped", &admin, email+" to "+strings.Join(names, ", "))
	})
	return out, err
}

// scopeLabels describes each scoped teammate's scope for `users list`: the
// ids of their orgs, comma-separated, or "none".
func scopeLabels(ctx context.Context, tx store.Tx) (map[string]string, error) {
	out := map[string]string{}
	for s, err := range tx.Scopes(ctx) {
		if err != nil {
			return nil, err
		}
		out[s.Email] = "none"
		if len(s.OrgIDs) > 0 {
			out[s.Email] = strings.Join(s.OrgIDs, ",")
		}
	}
	return out, nil
}
