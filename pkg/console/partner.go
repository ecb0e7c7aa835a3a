package console

import (
	"context"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// PartnerView is the partner with the figures `partner show` adds.
type PartnerView struct {
	domain.Partner
	AdminOrgName  string `json:"admin_org_name"`
	ConnectedOrgs int    `json:"connected_orgs"`
}

func partnerView(ctx context.Context, tx store.Tx) (PartnerView, error) {
	p, err := partner(ctx, tx)
	if err != nil {
		return PartnerView{}, err
	}
	admin, err := tx.Org(ctx, p.AdminOrgID)
	if err != nil {
		return PartnerView{}, err
	}
	n, err := tx.CountOrgs(ctx)
	return PartnerView{Partner: p, AdminOrgName: admin.Name, ConnectedOrgs: n}, err
}

// Partner shows the partner.
func (c *Console) Partner(ctx context.Context) (PartnerView, error) {
	var v PartnerView
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		var err error
		v, err = partnerView(ctx, tx)
		return err
	})
	return v, err
}

// PartnerChanges names the fields `partner update` sets; nil leaves one as is.
// The id and created_at have no field: they can't be changed.
type PartnerChanges struct {
	Name, SupportEmail, LogoURL, LoginBaseURL, ContactName, ContactPhone *string
}

// UpdatePartner applies changes and records what changed in the audit trail.
func (c *Console) UpdatePartner(ctx context.Context, ch PartnerChanges) (PartnerView, error) {
	var v PartnerView
	err := c.asRoleUpdate(ctx, domain.RoleAdmin, "update the partner", func(tx store.Tx, actor string) error {
		p, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		var changed []string
		set := func(field string, dst *string, val *string, check func(string) error) error {
			if val == nil {
				return nil
			}
			if check != nil {
				if err := check(*val); err != nil {
					return err
				}
			}
			if *dst != *val {
				*dst = *val
				changed = append(changed, field)
			}
			return nil
		}
		if ch.SupportEmail != nil {
			e, err := domain.ParseEmail(*ch.SupportEmail)
			if err != nil {
				return err
			}
			ch.SupportEmail = &e
		}
		steps := []error{
			set("name", &p.Name, trimmed(ch.Name), func(s string) error { return requireText("name", s) }),
			set("support_email", &p.SupportEmail, ch.SupportEmail, nil),
			set("logo_url", &p.LogoURL, ch.LogoURL, func(s string) error { return checkURL("logo_url", s) }),
			set("login_base_url", &p.LoginBaseURL, ch.LoginBaseURL, func(s string) error {
				if s == "" {
					return requireText("login_base_url", s)
				}
				return checkURL("login_base_url", s)
			}),
			set("contact_name", &p.ContactName, trimmed(ch.ContactName), oneLine("contact_name", checkNameText)),
			set("contact_phone", &p.ContactPhone, trimmed(ch.ContactPhone), oneLine("contact_phone", checkLineText)),
		}
		for _, err := range steps {
			if err != nil {
				return err
			}
		}
		if len(changed) > 0 {
			if err := tx.PutPartner(ctx, p); err != nil {
				return err
			}
			if err := c.audit(ctx, tx, actor, "partner.updated", nil, strings.Join(changed, ",")); err != nil {
				return err
			}
		}
		v, err = partnerView(ctx, tx)
		return err
	})
	return v, err
}

func trimmed(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}

// oneLine checks an optional one-line field ("" clears it) with check.
func oneLine(field string, check func(field, s string) error) func(string) error {
	return func(s string) error {
		if strings.ContainsAny(s, "\r\n\t") {
			return requireText(field, s)
		}
		return check(field, s)
	}
}
