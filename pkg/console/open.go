package console

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// ActiveOrg is the org a user is working in: one they opened with
// `orgs open`, or the admin org.
type ActiveOrg struct {
	OrgID    string `json:"org_id"`
	OrgName  string `json:"org_name"`
	RefID    string `json:"ref_id"`
	AdminOrg bool   `json:"admin_org"`
	// Role is the user's role there ("partner" for the basic access that
	// opening grants, or a customer role they already had).
	Role     string `json:"role"`
	InboxURL string `json:"inbox_url"`
}

// InboxURL is where an org's inbox lives: the scheme and host of the
// partner's login base URL, then /orgs/<id>/inbox. The console has no other
// address of the platform, and links and the dashboard share a host.
func InboxURL(loginBaseURL, orgID string) string {
	u, err := url.Parse(loginBaseURL)
	if err != nil || u.Host == "" {
		u = &url.URL{Scheme: "https", Host: "login.example.com"}
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/orgs/" + orgID + "/inbox"}).String()
}

func activeView(p domain.Partner, o domain.Org, role domain.Role) ActiveOrg {
	return ActiveOrg{OrgID: o.ID, OrgName: o.Name, RefID: o.RefID, AdminOrg: o.Admin,
		Role: string(role), InboxURL: InboxURL(p.LoginBaseURL, o.ID)}
}

// OpenOrg makes org the acting user's active org and grants them the basic
// `partner` role there, unless they already hold a customer role, which is
// kept. The partner role is not a seat: the org's users count is unchanged.
// Opening is audited as org.opened. A deleted org is not found (exit 3).
func (c *Console) OpenOrg(ctx context.Context, arg string) (ActiveOrg, error) {
	var v ActiveOrg
	var who string
	err := c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		who = actor
		o, err := resolveOpenable(ctx, tx, arg)
		if err != nil {
			return err
		}
		if err := requireConnected(&o, "be opened"); err != nil {
			return err
		}
		p, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		m, had, err := membershipOf(ctx, tx, o.ID, actor)
		if err != nil {
			return err
		}
		detail := "kept role " + string(m.Role)
		if !had {
			m = domain.Membership{OrgID: o.ID, Email: actor, Role: domain.RolePartner, LoginMethod: "any", JoinedAt: c.Now()}
			if err := addMember(ctx, tx, &o, m); err != nil {
				return err
			}
			detail = "granted role partner"
		}
		v = activeView(p, o, m.Role)
		return c.audit(ctx, tx, actor, "org.opened", &o, detail)
	})
	if err != nil {
		return v, err
	}
	return v, c.session.SetOpenOrg(who, v.OrgID)
}

// resolveOpenable is resolveOrg with a clearer message for an org id that
// names a deleted org.
func resolveOpenable(ctx context.Context, tx store.Tx, arg string) (domain.Org, error) {
	if o, err := tx.Org(ctx, strings.TrimSpace(arg)); err == nil && !o.Live() && !o.Admin {
		return o, fail.NotFoundf("org %s (%s) was deleted on %s", o.ID, o.Name, o.DeletedAt.UTC().Format("2006-01-02"))
	}
	return resolveOrg(ctx, tx, arg)
}

// CurrentOrg is the acting user's active org: the one they opened, or the
// admin org when none is open (or the one they opened has since been deleted).
func (c *Console) CurrentOrg(ctx context.Context) (ActiveOrg, error) {
	var v ActiveOrg
	err := c.asAdmin(ctx, func(tx store.Tx, actor string) error {
		var err error
		v, _, err = c.currentOrg(ctx, tx, actor)
		return err
	})
	return v, err
}

// currentOrg also returns the saved customer org when one is open and live.
func (c *Console) currentOrg(ctx context.Context, tx store.Tx, actor string) (ActiveOrg, *domain.Org, error) {
	p, err := partner(ctx, tx)
	if err != nil {
		return ActiveOrg{}, nil, err
	}
	id, err := c.session.OpenOrg(actor)
	if err != nil {
		return ActiveOrg{}, nil, err
	}
	if id != "" {
		o, err := tx.Org(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return ActiveOrg{}, nil, err
		}
		if err == nil && o.Live() && !o.Admin {
			m, _, err := membershipOf(ctx, tx, o.ID, actor)
			return activeView(p, o, m.Role), &o, err
		}
	}
	admin, err := tx.Org(ctx, p.AdminOrgID)
	if err != nil {
		return ActiveOrg{}, nil, err
	}
	m, _, err := membershipOf(ctx, tx, admin.ID, actor)
	return activeView(p, admin, m.Role), nil, err
}

// CloseOrg returns the acting user to the admin org. Closing when no org is
// open changes nothing and records nothing; closed reports whether an org
// was open. The partner role granted by opening stays.
func (c *Console) CloseOrg(ctx context.Context) (v ActiveOrg, closed *ActiveOrg, err error) {
	var who string
	err = c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		who, closed = actor, nil
		prev, open, err := c.currentOrg(ctx, tx, actor)
		if err != nil {
			return err
		}
		if open != nil {
			closed = &prev
			if err := c.audit(ctx, tx, actor, "org.closed", open, ""); err != nil {
				return err
			}
		}
		v, err = c.adminView(ctx, tx, actor)
		return err
	})
	if err != nil {
		return v, nil, err
	}
	return v, closed, c.session.SetOpenOrg(who, "")
}

// adminView is the admin org as actor's active org.
func (c *Console) adminView(ctx context.Context, tx store.Tx, actor string) (ActiveOrg, error) {
	p, err := partner(ctx, tx)
	if err != nil {
		return ActiveOrg{}, err
	}
	admin, err := tx.Org(ctx, p.AdminOrgID)
	if err != nil {
		return ActiveOrg{}, err
	}
	m, _, err := membershipOf(ctx, tx, admin.ID, actor)
	return activeView(p, admin, m.Role), err
}
