package console

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/token"
)

// InviteView is an invitation as the console shows it: never its token.
type InviteView struct {
	domain.Invite
	OrgName string
	State   domain.InviteState
}

// NewInvite is an invitation just sent or resent, with the one copy of its URL.
type NewInvite struct {
	InviteView
	URL string
}

// InviteURL is where an invitation is accepted: the login host's /invite page.
func InviteURL(loginBaseURL, tok string) string {
	u, err := url.Parse(loginBaseURL)
	if err != nil || u.Host == "" {
		u = &url.URL{Scheme: "https", Host: "login.example.com"}
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/invite", RawQuery: "token=" + url.QueryEscape(tok)}).String()
}

func inviteView(i *domain.Invite, o *domain.Org, now, real time.Time) InviteView {
	return InviteView{Invite: *i, OrgName: o.Name, State: i.State(now, real)}
}

// InviteParams are the inputs of `users invite`.
type InviteParams struct {
	Email       string
	Org         string // a customer org, or
	AdminOrg    bool   // the partner's admin org
	Role        string // owner, admin or member (default member)
	LoginMethod string // any (default), google or password
}

// parseInviteMethod checks an invite's login method against the partner's
// allowed ones: "any" needs at least one allowed.
func parseInviteMethod(ctx context.Context, tx store.Tx, s string) (string, error) {
	m := strings.ToLower(strings.TrimSpace(s))
	if m == "" {
		m = domain.LoginAny
	}
	if m != domain.LoginAny && m != domain.LoginGoogle && m != domain.LoginPassword {
		return "", fail.Fieldf(fail.Usage, "invalid {login_method} %q: want any, google or password", s)
	}
	allowed, err := allowedLoginMethods(ctx, tx)
	if err != nil {
		return "", err
	}
	if m != domain.LoginAny && !contains(allowed, m) {
		return "", fail.Usagef("login method %q is not allowed for this partner (allowed: %s)", m, strings.Join(allowed, ", ")).
			WithCode(fail.CodeMethodNotAllowed)
	}
	return m, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// InviteUser invites someone into a customer org or the admin org. Inviting
// needs owner or admin there; a partner admin may invite the first owner of
// an org that has none. The invite is valid 7 days.
func (c *Console) InviteUser(ctx context.Context, p InviteParams) (NewInvite, error) {
	var out NewInvite
	email, err := domain.ParseEmail(p.Email)
	if err != nil {
		return out, err
	}
	if p.Role == "" {
		p.Role = string(domain.RoleMember)
	}
	role, err := domain.ParseRole(p.Role, domain.RoleOwner, domain.RoleAdmin, domain.RoleMember)
	if err != nil {
		return out, err
	}
	err = c.st.Update(ctx, func(tx store.Tx) error {
		method, err := parseInviteMethod(ctx, tx, p.LoginMethod)
		if err != nil {
			return err
		}
		team, err := c.teamAccess(ctx, tx, p.Org, p.AdminOrg)
		if err != nil {
			return err
		}
		if !team.canManage() {
			firstOwner := team.partnerAdmin && !team.org.Admin && role == domain.RoleOwner
			if firstOwner {
				has, err := hasOwner(ctx, tx, team.org.ID)
				if err != nil {
					return err
				}
				firstOwner = !has
			}
			if !firstOwner {
				return team.denied("invite people into")
			}
		} else if err := team.beyond(fmt.Sprintf("invite %s as %s of %s", email, withArticle(string(role)), team.org.Name), role); err != nil {
			return err
		}
		out, err = c.createInvite(ctx, tx, team.actor, &team.org, email, role, method, false)
		return err
	})
	return out, err
}

// createInvite makes and records an invitation; the caller has checked access.
// freshOrg says org was created in this transaction: it has no members and no
// invitations yet, so the membership and pending-invitation checks (a scan of
// every invitation) are skipped. That keeps `orgs import` with owner_email
// linear in its rows instead of quadratic.
func (c *Console) createInvite(ctx context.Context, tx store.Tx, actor string, org *domain.Org, email string, role domain.Role, method string, freshOrg bool) (NewInvite, error) {
	if !freshOrg {
		if err := inviteConflict(ctx, tx, org, email, role, c.Now(), c.RealNow()); err != nil {
			return NewInvite{}, err
		}
	}
	now, real := c.Now(), c.RealNow()
	tok, err := token.New(token.InvitePrefix)
	if err != nil {
		return NewInvite{}, err
	}
	seq, err := tx.NextSeq(ctx, "invite")
	if err != nil {
		return NewInvite{}, err
	}
	inv := domain.Invite{ID: inviteID(seq), Seq: seq, OrgID: org.ID, Email: email, Role: role, LoginMethod: method,
		TokenHash: token.Hash(tok), CreatedBy: actor, CreatedAt: now, ExpiresAt: now.Add(domain.InviteValidity),
		RealExpiresAt: real.Add(domain.InviteValidity)}
	if err := tx.PutInvite(ctx, inv); err != nil {
		return NewInvite{}, err
	}
	p, err := partner(ctx, tx)
	if err != nil {
		return NewInvite{}, err
	}
	if err := c.audit(ctx, tx, actor, "invite.sent", org, fmt.Sprintf("%s for %s as %s", inv.ID, email, role)); err != nil {
		return NewInvite{}, err
	}
	return NewInvite{InviteView: inviteView(&inv, org, now, real), URL: InviteURL(p.LoginBaseURL, tok)}, nil
}

func withArticle(role string) string {
	if strings.IndexByte("aeiou", role[0]) >= 0 {
		return "an " + role
	}
	return "a " + role
}

func hasOwner(ctx context.Context, tx store.Tx, orgID string) (bool, error) {
	for m, err := range tx.Memberships(ctx, store.MemberFilter{OrgID: orgID}) {
		if err != nil || m.Role == domain.RoleOwner {
			return err == nil, err
		}
	}
	return false, nil
}

// InviteQuery filters `users invites list`.
type InviteQuery struct{ Pending bool }

// Invites lists invitations of live orgs, oldest first.
func (c *Console) Invites(ctx context.Context, q InviteQuery) ([]InviteView, error) {
	var out []InviteView
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		now, real := c.Now(), c.RealNow()
		orgs := map[string]*domain.Org{}
		out = nil
		for i, err := range tx.Invites(ctx, "") {
			if err != nil {
				return err
			}
			o, ok := orgs[i.OrgID]
			if !ok {
				org, err := tx.Org(ctx, i.OrgID)
				if err != nil {
					return err
				}
				o = &org
				orgs[i.OrgID] = o
			}
			v := inviteView(&i, o, now, real)
			if !o.Live() || (q.Pending && v.State != domain.InvitePending) {
				continue
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// changeInvite loads an invite by id and lets fn change it (verb says how,
// for a refusal). Members of the admin org change the invitations they
// sent; admins and owners anyone's.
func (c *Console) changeInvite(ctx context.Context, id, verb string, fn func(tx store.Tx, actor string, i *domain.Invite, o *domain.Org) error) error {
	return c.withStanding(ctx, true, func(tx store.Tx, s *standing) error {
		actor := s.actor
		i, err := tx.Invite(ctx, strings.TrimSpace(id))
		if errors.Is(err, store.ErrNotFound) {
			return fail.NotFoundf("no invitation %q", id).WithCode(fail.CodeUnknownInvite, id)
		} else if err != nil {
			return err
		}
		if i.CreatedBy != actor && s.role.Rank() < domain.RoleAdmin.Rank() {
			return errRoleTooLow(ctx, tx, *s, domain.RoleAdmin, fmt.Sprintf("%s %s, which %s sent", verb, i.ID, i.CreatedBy))
		}
		o, err := tx.Org(ctx, i.OrgID)
		if err != nil {
			return err
		}
		if !o.Live() {
			return fail.Conflictf("invitation %s is for org %s, which was deleted", i.ID, o.Name)
		}
		return fn(tx, actor, &i, &o)
	})
}

// ResendInvite gives an invitation a new token and a fresh 7 days; the old
// link stops working.
func (c *Console) ResendInvite(ctx context.Context, id string) (NewInvite, error) {
	var out NewInvite
	err := c.changeInvite(ctx, id, "resend", func(tx store.Tx, actor string, i *domain.Invite, o *domain.Org) error {
		now, real := c.Now(), c.RealNow()
		switch i.State(now, real) {
		case domain.InviteAccepted:
			return fail.Conflictf("invitation %s was already accepted", i.ID)
		case domain.InviteDeleted:
			return fail.Conflictf("invitation %s was deleted", i.ID)
		}
		tok, err := token.New(token.InvitePrefix)
		if err != nil {
			return err
		}
		i.TokenHash, i.ExpiresAt, i.ResentAt = token.Hash(tok), now.Add(domain.InviteValidity), &now
		i.RealExpiresAt = real.Add(domain.InviteValidity)
		if err := tx.PutInvite(ctx, *i); err != nil {
			return err
		}
		p, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		out = NewInvite{InviteView: inviteView(i, o, now, real), URL: InviteURL(p.LoginBaseURL, tok)}
		return c.audit(ctx, tx, actor, "invite.resent", o, i.ID+" for "+i.Email)
	})
	return out, err
}

// DeleteInvite makes an invitation's link stop working.
func (c *Console) DeleteInvite(ctx context.Context, id string) (InviteView, error) {
	var out InviteView
	err := c.changeInvite(ctx, id, "delete", func(tx store.Tx, actor string, i *domain.Invite, o *domain.Org) error {
		now, real := c.Now(), c.RealNow()
		switch i.State(now, real) {
		case domain.InviteAccepted:
			return fail.Conflictf("invitation %s was already accepted: remove the member instead", i.ID)
		case domain.InviteDeleted:
			return fail.Conflictf("invitation %s was already deleted", i.ID)
		}
		i.DeletedAt = &now
		if err := tx.PutInvite(ctx, *i); err != nil {
			return err
		}
		out = inviteView(i, o, now, real)
		return c.audit(ctx, tx, actor, "invite.deleted", o, i.ID+" for "+i.Email)
	})
	return out, err
}

// AcceptInvite turns an invitation into a membership. It needs no current
// user: the token is the credential. A token never issued is NotFound; one
// that was valid once but is used, expired, resent or deleted is a Conflict
// saying which.
func (c *Console) AcceptInvite(ctx context.Context, tokenOrURL string) (InviteView, error) {
	var out InviteView
	tok, err := token.Parse(tokenOrURL)
	if err != nil {
		return out, err
	}
	hash := token.Hash(tok)
	err = c.st.Update(ctx, func(tx store.Tx) error {
		i, err := tx.InviteByTokenHash(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return fail.NotFoundf("unknown invitation: this token was never issued by this console").
				WithHint("check that the whole URL was copied")
		} else if err != nil {
			return err
		}
		o, err := tx.Org(ctx, i.OrgID)
		if err != nil {
			return err
		}
		now, real := c.Now(), c.RealNow()
		if !token.Equal(i.TokenHash, hash) {
			return fail.Conflictf("invitation %s was resent at %s: this link no longer works", i.ID, i.ResentAt.UTC().Format(time.RFC3339)).
				WithHint("use the newest invitation link")
		}
		switch i.State(now, real) {
		case domain.InviteAccepted:
			return fail.Conflictf("invitation %s was already used at %s", i.ID, i.AcceptedAt.UTC().Format(time.RFC3339))
		case domain.InviteDeleted:
			return fail.Conflictf("invitation %s was deleted", i.ID)
		case domain.InviteExpired:
			at := i.ExpiresAt.UTC()
			if now.Before(at) { // only the real clock says so: the console's is pinned
				return fail.Conflictf("invitation %s expired at %s real time", i.ID, domain.RealExpiry(i.ExpiresAt, i.RealExpiresAt).Format(time.RFC3339)).
					WithHint("ask for it to be resent")
			}
			return fail.Conflictf("invitation %s expired at %s", i.ID, at.Format(time.RFC3339)).
				WithHint("ask for it to be resent")
		}
		if !o.Live() {
			return fail.Conflictf("invitation %s is for org %s, which was deleted", i.ID, o.Name)
		}
		if err := grantRole(ctx, tx, &o, domain.Membership{OrgID: o.ID, Email: i.Email, Role: i.Role, LoginMethod: i.LoginMethod, JoinedAt: now}); err != nil {
			return err
		}
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
		i.AcceptedAt = &now
		if err := tx.PutInvite(ctx, i); err != nil {
			return err
		}
		out = inviteView(&i, &o, now, real)
		return c.audit(ctx, tx, i.Email, "invite.accepted", &o, fmt.Sprintf("%s as %s", i.ID, i.Role))
	})
	return out, err
}

// grantRole makes m's email a member with m's role, or raises an existing
// membership to it; it never lowers a role. It does not save o.
func grantRole(ctx context.Context, tx store.Tx, o *domain.Org, m domain.Membership) error {
	prev, ok, err := membershipOf(ctx, tx, o.ID, m.Email)
	if err != nil {
		return err
	}
	if !ok {
		return addMember(ctx, tx, o, m)
	}
	if prev.Role.Rank() >= m.Role.Rank() {
		return nil
	}
	if !prev.Role.CountsAsUser() && m.Role.CountsAsUser() {
		o.Users++
	}
	prev.Role, prev.ExpiresAt = m.Role, nil // a role is not time-boxed
	if m.LoginMethod != "" {
		prev.LoginMethod = m.LoginMethod
	}
	return tx.PutMembership(ctx, prev)
}

// inviteConflict fails when email is already in org with role or higher, or
// has a pending invitation there.
func inviteConflict(ctx context.Context, tx store.Tx, org *domain.Org, email string, role domain.Role, now, real time.Time) error {
	if m, ok, err := membershipOf(ctx, tx, org.ID, email); err != nil {
		return err
	} else if ok && m.Role.Rank() >= role.Rank() {
		return fail.Conflictf("%s is already %s of %s", email, withArticle(string(m.Role)), org.Name)
	}
	for i, err := range tx.Invites(ctx, org.ID) {
		if err != nil {
			return err
		}
		if i.Email == email && i.State(now, real) == domain.InvitePending {
			return fail.Conflictf("%s already has a pending invitation to %s (%s)", email, org.Name, i.ID).
				WithCode(fail.CodeInvitePending, i.ID)
		}
	}
	return nil
}
