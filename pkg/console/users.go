package console

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// team is the acting user's standing in the org a users command targets.
type team struct {
	actor        string
	org          domain.Org
	role         domain.Role // in org; "" when none (a lapsed grant is none)
	adminRole    domain.Role // in the admin org; "" when not a member
	partnerAdmin bool        // the actor is a member of the admin org
	// tx is the store as the actor may see it (a scoped teammate's view).
	tx store.Tx
}

// canManage: owners and admins of the org manage its team.
func (t team) canManage() bool { return t.role.CanManageTeam() }

// rank is how far the actor may go in the org's team: their role there,
// or, in a customer org, their role in the admin org when that is admin or
// owner (partner admins promote and demote as the owner portal does).
// Partner access ranks below every role.
func (t team) rank() int {
	r := t.role.Rank()
	if !t.org.Admin && t.adminRole.CanManageTeam() {
		r = max(r, t.adminRole.Rank())
	}
	return r
}

func (t team) denied(what string) error {
	switch {
	case t.role == domain.RolePartner:
		return fail.Deniedf("%s has partner access to %s, which can't %s it: its owner or admin must grant you a role", t.actor, t.org.Name, what).
			WithCode(fail.CodeNeedsRole)
	case t.partnerAdmin && !t.org.Admin && what == "invite people into":
		return fail.Deniedf("%s is not an owner or admin of %s: partner admins may only invite the first owner of an org that has none", t.actor, t.org.Name)
	case t.partnerAdmin && !t.org.Admin && !t.adminRole.CanManageTeam():
		return fail.Deniedf("%s is not an owner or admin of %s, nor an admin or owner of the admin org", t.actor, t.org.Name)
	}
	return fail.Deniedf("%s is not an owner or admin of %s", t.actor, t.org.Name)
}

// beyond refuses an action that goes past the actor's own rank ("up to own
// role"): making someone an owner, say, needs an owner.
func (t team) beyond(what string, role domain.Role) error {
	if role.Rank() <= t.rank() {
		return nil
	}
	return fail.Deniedf("%s can't %s: only %ss may", t.actor, what, role)
}

// teamAccess resolves the target org (a customer org, or the admin org) and
// the actor's standing there. It only refuses nobody-logged-in and
// strangers to both the org and the admin org; callers decide the rest.
// A scoped teammate resolves the org among the ones they see.
func (c *Console) teamAccess(ctx context.Context, tx store.Tx, orgArg string, adminOrg bool) (team, error) {
	var t team
	if (orgArg != "") == adminOrg {
		return t, fail.Fieldf(fail.Usage, "give {org} ORG or {admin_org} (one of them)")
	}
	s, err := c.standingOf(ctx, tx)
	if err != nil {
		return t, err
	}
	p := s.partner
	t.actor, t.adminRole, t.partnerAdmin, t.tx = s.actor, s.role, s.member(), s.vis.tx(tx)
	switch {
	case adminOrg:
		t.org, err = t.tx.Org(ctx, p.AdminOrgID)
	case t.partnerAdmin:
		t.org, err = resolveOrg(ctx, t.tx, orgArg)
	default:
		// Only partner admins learn which orgs exist: anyone else finds
		// only orgs they are in, and a miss reads as for a stranger.
		t.org, err = resolveMemberOrg(ctx, t.tx, orgArg, s.actor)
		if errors.Is(err, store.ErrNotFound) {
			return t, errNotPartnerAdmin(ctx, tx, p, s.actor)
		}
	}
	if err != nil {
		return t, err
	}
	m, ok, err := activeMembership(ctx, t.tx, t.org.ID, s.actor, c.Now())
	if err != nil {
		return t, err
	}
	if ok {
		t.role = m.Role
	}
	switch {
	case !t.partnerAdmin && t.role == "":
		return t, errNotPartnerAdmin(ctx, tx, p, s.actor)
	case !t.partnerAdmin && !t.canManage():
		return t, t.denied("manage the team of")
	}
	return t, nil
}

// UserView is one membership with its org's name.
type UserView struct {
	domain.Membership
	OrgName  string
	AdminOrg bool
	// Scope, for a member of the admin org, is "all" or the ids of the orgs
	// they are limited to, comma-separated ("none" when scoped to none); ""
	// for memberships of customer orgs.
	Scope string
}

// UserQuery selects whose memberships `users list` shows: one customer org,
// the admin org, or (neither) every live org.
type UserQuery struct {
	Org      string
	AdminOrg bool
}

// Users lists memberships, by org then email. One org's team is visible to
// partner admins and to that org's owners and admins; all of them only to
// partner admins (a scoped teammate: the teams of their orgs and the admin
// org). Partner access (`orgs open`) shows as role "partner"; a time-boxed
// grant that has lapsed is gone.
func (c *Console) Users(ctx context.Context, q UserQuery) ([]UserView, error) {
	var out []UserView
	now := c.Now()
	err := c.st.View(ctx, func(tx store.Tx) error {
		var orgID string
		if q.Org != "" || q.AdminOrg {
			t, err := c.teamAccess(ctx, tx, q.Org, q.AdminOrg)
			if err != nil {
				return err
			}
			orgID, tx = t.org.ID, t.tx
		} else {
			s, err := c.admit(ctx, tx, domain.RoleMember, "")
			if err != nil {
				return err
			}
			tx = s.vis.tx(tx)
		}
		scopes, err := scopeLabels(ctx, tx)
		if err != nil {
			return err
		}
		orgs := map[string]*domain.Org{}
		out = nil
		for m, err := range tx.Memberships(ctx, store.MemberFilter{OrgID: orgID}) {
			if err != nil {
				return err
			}
			if m.Lapsed(now) {
				continue
			}
			o, ok := orgs[m.OrgID]
			if !ok {
				org, err := tx.Org(ctx, m.OrgID)
				if err != nil {
					return err
				}
				o = &org
				orgs[m.OrgID] = o
			}
			if o.Live() {
				v := UserView{Membership: m, OrgName: o.Name, AdminOrg: o.Admin}
				if o.Admin {
					v.Scope = "all"
					if label, ok := scopes[m.Email]; ok && !m.Role.CanManageTeam() {
						v.Scope = label
					}
				}
				out = append(out, v)
			}
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].AdminOrg != out[j].AdminOrg {
			return out[i].AdminOrg
		}
		if a, b := store.Fold(out[i].OrgName), store.Fold(out[j].OrgName); a != b {
			return a < b
		}
		return out[i].Email < out[j].Email
	})
	return out, err
}

// PromoteParams are the inputs of `users promote`.
type PromoteParams struct {
	Email    string
	Org      string
	AdminOrg bool
	Role     string // owner or admin
}

// Promote raises a member to admin or owner. It needs owner or admin in
// that org, or, in a customer org, admin or owner of the admin org (partner
// admins promote as the owner portal does); partner access is not enough.
// Nobody raises anyone above their own role, and lowering an owner is
// refused: that needs the account manager. An admin-org member made admin
// or owner loses any scope: admins and owners see every org.
func (c *Console) Promote(ctx context.Context, p PromoteParams) (UserView, error) {
	var out UserView
	email, err := domain.ParseEmail(p.Email)
	if err != nil {
		return out, err
	}
	role, err := domain.ParseRole(p.Role, domain.RoleOwner, domain.RoleAdmin)
	if err != nil {
		return out, err
	}
	err = c.st.Update(ctx, func(tx store.Tx) error {
		t, err := c.teamAccess(ctx, tx, p.Org, p.AdminOrg)
		if err != nil {
			return err
		}
		if t.rank() < domain.RoleAdmin.Rank() {
			return t.denied("promote people in")
		}
		m, err := t.member(ctx, email, c.Now())
		if err != nil {
			return err
		}
		switch {
		case m.Role == domain.RoleOwner && role != domain.RoleOwner:
			return errDemoteOwner(email, t.org.Name)
		case m.Role == role:
			return fail.Conflictf("%s is already %s of %s", email, withArticle(string(role)), t.org.Name)
		}
		if err := t.beyond(fmt.Sprintf("make %s %s of %s", email, withArticle(string(role)), t.org.Name), role); err != nil {
			return err
		}
		o := t.org
		if err := grantRole(ctx, tx, &o, domain.Membership{OrgID: o.ID, Email: email, Role: role}); err != nil {
			return err
		}
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
		if o.Admin {
			if err := tx.DeleteScope(ctx, email); err != nil {
				return err
			}
		}
		m.Role, m.ExpiresAt = role, nil
		out = UserView{Membership: m, OrgName: o.Name, AdminOrg: o.Admin}
		return c.audit(ctx, tx, t.actor, "user.promoted", &o, fmt.Sprintf("%s to %s", email, role))
	})
	return out, err
}

func errDemoteOwner(email, org string) error {
	return fail.Deniedf("%s is an owner of %s: demoting an owner needs your account manager", email, org)
}

// member is email's active membership of the team's org, or NotFound.
func (t team) member(ctx context.Context, email string, now time.Time) (domain.Membership, error) {
	m, ok, err := activeMembership(ctx, t.tx, t.org.ID, email, now)
	if err == nil && !ok {
		err = fail.NotFoundf("%s is not a member of %s", email, t.org.Name).WithCode(fail.CodeNotMember, email)
	}
	return m, err
}

const settingLoginMethods = "login_methods"

func allowedLoginMethods(ctx context.Context, tx store.Tx) ([]string, error) {
	v, err := tx.Setting(ctx, settingLoginMethods)
	if err != nil || v == "" {
		return append([]string(nil), domain.LoginMethods...), err
	}
	return strings.Split(v, ","), nil
}

// LoginMethods lists the login methods the partner allows.
func (c *Console) LoginMethods(ctx context.Context) ([]string, error) {
	var out []string
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		var err error
		out, err = allowedLoginMethods(ctx, tx)
		return err
	})
	return out, err
}

// SetLoginMethods sets the allowed login methods (password, google, oauth).
func (c *Console) SetLoginMethods(ctx context.Context, list string) ([]string, error) {
	var methods []string
	for _, m := range strings.Split(list, ",") {
		m = strings.ToLower(strings.TrimSpace(m))
		if m == "" {
			continue
		}
		if !contains(domain.LoginMethods, m) {
			return nil, fail.Usagef("invalid login method %q: want password, google or oauth", m)
		}
		if !contains(methods, m) {
			methods = append(methods, m)
		}
	}
	if len(methods) == 0 {
		return nil, fail.Usagef("allow at least one login method: password, google or oauth")
	}
	err := c.asRoleUpdate(ctx, domain.RoleAdmin, "change the login methods", func(tx store.Tx, actor string) error {
		if err := tx.PutSetting(ctx, settingLoginMethods, strings.Join(methods, ",")); err != nil {
			return err
		}
		return c.audit(ctx, tx, actor, "login_methods.updated", nil, strings.Join(methods, ","))
	})
	return methods, err
}
