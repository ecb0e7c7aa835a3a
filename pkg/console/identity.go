package console

import (
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
}

// Init creates the partner, its admin org and its first admin, and makes that
// admin the current user. A store that already has a partner is a conflict.
func (c *Console) Init(p InitParams) (PartnerView, error) {
	var view PartnerView
	if err := requireText("--partner-name", p.PartnerName); err != nil {
		return view, err
	}
	if err := requireText("--admin-org", p.AdminOrgName); err != nil {
		return view, err
	}
	support, err := domain.ParseEmail(p.SupportEmail)
	if err != nil {
		return view, err
	}
	admin, err := domain.ParseEmail(p.AdminEmail)
	if err != nil {
		return view, err
	}
	if p.LoginBaseURL == "" {
		p.LoginBaseURL = DefaultLoginBaseURL
	}
	if err := checkURL("--login-base-url", p.LoginBaseURL); err != nil {
		return view, err
	}
	if err := checkURL("--logo-url", p.LogoURL); err != nil {
		return view, err
	}
	err = c.st.Update(func(tx store.Tx) error {
		if existing, err := tx.Partner(); err == nil {
			return fail.Conflictf("this store is already initialised for partner %q", existing.Name).
				WithHint("use another --db to start a new store")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := c.Now()
		org, err := newOrg(tx, strings.TrimSpace(p.AdminOrgName), "", now)
		if err != nil {
			return err
		}
		org.Admin = true
		if err := tx.PutOrg(org); err != nil {
			return err
		}
		part := domain.Partner{
			ID: newPartnerID(), Name: strings.TrimSpace(p.PartnerName), SupportEmail: support,
			LogoURL: p.LogoURL, LoginBaseURL: p.LoginBaseURL, CreatedAt: now, AdminOrgID: org.ID,
		}
		if err := tx.PutPartner(part); err != nil {
			return err
		}
		if err := tx.SetKind(domain.KindInit); err != nil {
			return err
		}
		m := domain.Membership{OrgID: org.ID, Email: admin, Role: domain.RoleOwner, LoginMethod: "any", JoinedAt: now}
		if err := tx.PutMembership(m); err != nil {
			return err
		}
		if err := tx.PutSetting(settingCurrentUser, admin); err != nil {
			return err
		}
		if err := c.audit(tx, admin, "partner.created", &org, part.Name); err != nil {
			return err
		}
		view, err = partnerView(tx)
		return err
	})
	return view, err
}

// WhoAmI describes the acting user and what they may do.
type WhoAmI struct {
	Email         string `json:"email"`
	AdminOrgID    string `json:"admin_org_id"`
	AdminOrgName  string `json:"admin_org_name"`
	AdminRole     string `json:"admin_role"` // "" when not a member
	ConsoleAccess bool   `json:"console_access"`
}

// Login saves email as the current user.
func (c *Console) Login(email string) (WhoAmI, error) {
	addr, err := domain.ParseEmail(email)
	if err != nil {
		return WhoAmI{}, err
	}
	var who WhoAmI
	err = c.st.Update(func(tx store.Tx) error {
		if err := tx.PutSetting(settingCurrentUser, addr); err != nil {
			return err
		}
		who, err = whoIs(tx, addr)
		return err
	})
	return who, err
}

// Logout forgets the saved current user.
func (c *Console) Logout() error {
	return c.st.Update(func(tx store.Tx) error { return tx.PutSetting(settingCurrentUser, "") })
}

// WhoAmI reports the acting user; nobody logged in is a permission error.
func (c *Console) WhoAmI() (WhoAmI, error) {
	var who WhoAmI
	err := c.st.View(func(tx store.Tx) error {
		actor, err := c.actor(tx)
		if err != nil {
			return err
		}
		if actor == "" {
			return fail.Deniedf("no current user").WithHint("run `partnerctl login EMAIL`")
		}
		who, err = whoIs(tx, actor)
		return err
	})
	return who, err
}

func whoIs(tx store.Tx, email string) (WhoAmI, error) {
	p, err := partner(tx)
	if err != nil {
		return WhoAmI{}, err
	}
	admin, err := tx.Org(p.AdminOrgID)
	if err != nil {
		return WhoAmI{}, err
	}
	who := WhoAmI{Email: email, AdminOrgID: admin.ID, AdminOrgName: admin.Name}
	m, ok, err := membershipOf(tx, admin.ID, email)
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

func requireText(flag, v string) error {
	if strings.TrimSpace(v) == "" {
		return fail.Usagef("%s must not be empty", flag)
	}
	if strings.ContainsAny(v, "\r\n\t") {
		return fail.Usagef("%s must be one line without tabs", flag)
	}
	return checkNameText(flag, v)
}

// checkURL accepts "" (unset) or an absolute http(s) URL.
func checkURL(flag, v string) error {
	if v == "" {
		return nil
	}
	if err := checkNameText(flag, v); err != nil {
		return err
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fail.Usagef("%s %q is not an http(s) URL", flag, v)
	}
	return nil
}
