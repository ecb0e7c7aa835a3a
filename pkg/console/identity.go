package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// DefaultLoginBaseURL is used when init is given no --login-base-url.
const DefaultLoginBaseURL = "https://login.example.com/magic"

// InitParams are the inputs of `partnerctl init`.
type InitParams struct {
	PartnerName  string
	SupportEmail string
	AdminOrgName string
	AdminEmail   string
	LogoURL      string
	LoginBaseURL string
	// ReplaceDemo lets init replace a demo store (never a real one).
	ReplaceDemo bool
}

// Validate checks the inputs of Init, so a front end can refuse bad input
// before it creates a store: on success p holds them normalised.
func (p *InitParams) Validate() error {
	if err := requireText("partner_name", p.PartnerName); err != nil {
		return err
	}
	if err := requireText("admin_org", p.AdminOrgName); err != nil {
		return err
	}
	support, err := domain.ParseEmail(p.SupportEmail)
	if err != nil {
		return err
	}
	admin, err := domain.ParseEmail(p.AdminEmail)
	if err != nil {
		return err
	}
	if p.LoginBaseURL == "" {
		p.LoginBaseURL = DefaultLoginBaseURL
	}
	if err := checkURL("login_base_url", p.LoginBaseURL); err != nil {
		return err
	}
	if err := checkURL("logo_url", p.LogoURL); err != nil {
		return err
	}
	p.SupportEmail, p.AdminEmail = support, admin
	return nil
}

// Init creates the partner, its admin org and its first admin, and makes that
// admin the current user (on a store with verified identities, the login
// running Init becomes that admin). A store that already has a partner is a
// conflict.
func (c *Console) Init(ctx context.Context, p InitParams) (PartnerView, error) {
	var view PartnerView
	if err := p.Validate(); err != nil {
		return view, err
	}
	support, admin := p.SupportEmail, p.AdminEmail
	err := c.st.Update(ctx, func(tx store.Tx) error {
		if existing, err := tx.Partner(ctx); err == nil {
			if err := refuseInitOver(ctx, tx, existing, p.ReplaceDemo); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := c.Now()
		org, err := newOrg(ctx, tx, strings.TrimSpace(p.AdminOrgName), "", now)
		if err != nil {
			return err
		}
		org.Admin = true
		if err := tx.PutOrg(ctx, org); err != nil {
			return err
		}
		part := domain.Partner{
			ID: newPartnerID(), Name: strings.TrimSpace(p.PartnerName), SupportEmail: support,
			LogoURL: p.LogoURL, LoginBaseURL: p.LoginBaseURL, CreatedAt: now, AdminOrgID: org.ID,
		}
		if err := tx.PutPartner(ctx, part); err != nil {
			return err
		}
		if err := tx.SetKind(ctx, domain.KindInit); err != nil {
			return err
		}
		m := domain.Membership{OrgID: org.ID, Email: admin, Role: domain.RoleOwner, LoginMethod: "any", JoinedAt: now}
		if err := tx.PutMembership(ctx, m); err != nil {
			return err
		}
		if err := c.bindFirstLogin(ctx, tx, admin, "init"); err != nil {
			return err
		}
		if err := c.audit(ctx, tx, admin, "partner.created", &org, part.Name); err != nil {
			return err
		}
		view, err = partnerView(ctx, tx)
		return err
	})
	if err != nil {
		return view, err
	}
	return view, c.session.SetCurrentUser(admin)
}

// WhoAmI describes the acting user and what they may do.
type WhoAmI struct {
	Email         string `json:"email"`
	AdminOrgID    string `json:"admin_org_id"`
	AdminOrgName  string `json:"admin_org_name"`
	AdminRole     string `json:"admin_role"` // "" when not a member
	ConsoleAccess bool   `json:"console_access"`
}

// Login saves email as the current user. On a store with verified
// identities it must be the login's own user.
func (c *Console) Login(ctx context.Context, email string) (WhoAmI, error) {
	addr, err := domain.ParseEmail(email)
	if err != nil {
		return WhoAmI{}, err
	}
	var who WhoAmI
	err = c.st.View(ctx, func(tx store.Tx) error {
		if _, ok := c.st.(store.Identity); ok {
			if _, err := (&Console{st: c.st, as: addr, session: c.session}).actor(ctx, tx); err != nil {
				return err
			}
		}
		who, err = whoIs(ctx, tx, addr)
		return err
	})
	if err != nil {
		return who, err
	}
	return who, c.session.SetCurrentUser(addr)
}

// Logout forgets the saved current user.
func (c *Console) Logout(context.Context) error { return c.session.SetCurrentUser("") }

// WhoAmI reports the acting user; nobody logged in is a permission error.
func (c *Console) WhoAmI(ctx context.Context) (WhoAmI, error) {
	var who WhoAmI
	err := c.st.View(ctx, func(tx store.Tx) error {
		if _, err := partner(ctx, tx); err != nil {
			return err
		}
		actor, err := c.actor(ctx, tx)
		if err != nil {
			return err
		}
		if actor == "" {
			return fail.Deniedf("no current user").WithCode(fail.CodeLoggedOut)
		}
		who, err = whoIs(ctx, tx, actor)
		return err
	})
	return who, err
}

func whoIs(ctx context.Context, tx store.Tx, email string) (WhoAmI, error) {
	p, err := partner(ctx, tx)
	if err != nil {
		return WhoAmI{}, err
	}
	admin, err := tx.Org(ctx, p.AdminOrgID)
	if err != nil {
		return WhoAmI{}, err
	}
	who := WhoAmI{Email: email, AdminOrgID: admin.ID, AdminOrgName: admin.Name}
	m, ok, err := membershipOf(ctx, tx, admin.ID, email)
	if ok {
		who.AdminRole, who.ConsoleAccess = string(m.Role), true
	}
	return who, err
}

func newPartnerID() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return "ptr_" + hex.EncodeToString(b)
}

func requireText(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return fail.Fieldf(fail.Usage, "{"+field+"} must not be empty")
	}
	if strings.ContainsAny(v, "\r\n\t") {
		return fail.Fieldf(fail.Usage, "{"+field+"} must be one line without tabs")
	}
	return checkNameText(field, v)
}

// checkURL accepts "" (unset) or an absolute http(s) URL.
func checkURL(field, v string) error {
	if v == "" {
		return nil
	}
	if err := checkNameText(field, v); err != nil {
		return err
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fail.Fieldf(fail.Usage, "{"+field+"} %q is not an http(s) URL", v)
	}
	return nil
}
