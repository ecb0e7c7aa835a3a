package console

import (
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

// activeOrgKey is the local setting that remembers email's active org.
func activeOrgKey(email string) string { return "active_org/" + email }

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
func (c *Console) OpenOrg(arg string) (ActiveOrg, error) {
	var v ActiveOrg
	err := c.asAdminUpdate(func(tx store.Tx, actor string) error {
		o, err := resolveOpenable(tx, arg)
		if err != nil {
			return err
		}
		p, err := partner(tx)
		if err != nil {
			return err
		}
		m, had, err := membershipOf(tx, o.ID, actor)
		if err != nil {
			return err
		}
		detail := "kept role " + string(m.Role)
		if !had {
			m = domain.Membership{OrgID: o.ID, Email: actor, Role: domain.RolePartner, LoginMethod: "any", JoinedAt: c.Now()}
			if err := addMember(tx, &o, m); err != nil {
				return err
			}
			detail = "granted role partner"
		}
		if err := tx.PutSetting(activeOrgKey(actor), o.ID); err != nil {
			return err
		}
		v = activeView(p, o, m.Role)
		return c.audit(tx, actor, "org.opened", &o, detail)
	})
	return v, err
}

// resolveOpenable is resolveOrg with a clearer message for an org id that
// names a deleted org.
func resolveOpenable(tx store.Tx, arg string) (domain.Org, error) {
	if o, err := tx.Org(strings.TrimSpace(arg)); err == nil && !o.Live() && !o.Admin {
		return o, fail.NotFoundf("org %s (%s) was deleted on %s", o.ID, o.Name, o.DeletedAt.UTC().Format("2006-01-02"))
	}
	return resolveOrg(tx, arg)
}

// CurrentOrg is the acting user's active org: the one they opened, or the
// admin org when none is open (or the one they opened has since been deleted).
func (c *Console) CurrentOrg() (ActiveOrg, error) {
	var v ActiveOrg
	err := c.asAdmin(func(tx store.Tx, actor string) error {
		var err error
		v, _, err = currentOrg(tx, actor)
		return err
	})
	return v, err
}

// currentOrg also returns the saved customer org when one is open and live.
func currentOrg(tx store.Tx, actor string) (ActiveOrg, *domain.Org, error) {
	p, err := partner(tx)
	if err != nil {
		return ActiveOrg{}, nil, err
	}
	id, err := tx.Setting(activeOrgKey(actor))
	if err != nil {
		return ActiveOrg{}, nil, err
	}
	if id != "" {
		o, err := tx.Org(id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return ActiveOrg{}, nil, err
		}
		if err == nil && o.Live() && !o.Admin {
			m, _, err := membershipOf(tx, o.ID, actor)
			return activeView(p, o, m.Role), &o, err
		}
	}
	admin, err := tx.Org(p.AdminOrgID)
	if err != nil {
		return ActiveOrg{}, nil, err
	}
	m, _, err := membershipOf(tx, admin.ID, actor)
	return activeView(p, admin, m.Role), nil, err
}

// CloseOrg returns the acting user to the admin org. Closing when no org is
// open changes nothing and records nothing; closed reports whether an org
// was open. The partner role granted by opening stays.
func (c *Console) CloseOrg() (v ActiveOrg, closed *ActiveOrg, err error) {
	err = c.asAdminUpdate(func(tx store.Tx, actor string) error {
		prev, open, err := currentOrg(tx, actor)
		if err != nil {
			return err
		}
		if err := tx.PutSetting(activeOrgKey(actor), ""); err != nil {
			return err
		}
		if open != nil {
			closed = &prev
			if err := c.audit(tx, actor, "org.closed", open, ""); err != nil {
				return err
			}
		}
		v, _, err = currentOrg(tx, actor)
		return err
	})
	return v, closed, err
}
