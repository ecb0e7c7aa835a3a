package console

import (
	"context"
	"regexp"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// BrandView is the white-label branding: the four colors and the logo.
type BrandView struct {
	domain.Brand
	LogoURL string
}

// BrandChanges names the fields `partner brand set` sets; nil leaves one as is.
type BrandChanges struct {
	SidebarColor, ButtonColor, StatusColor, ToggleColor, LogoURL *string
}

var hexColor = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// checkColor validates a #rrggbb color (any case) and returns it lower-case.
func checkColor(field, s string) (string, error) {
	c := strings.ToLower(strings.TrimSpace(s))
	if !hexColor.MatchString(c) {
		return "", fail.Fieldf(fail.Usage, "invalid {"+field+"} %q: want a #rrggbb color such as #1a2b3c", s)
	}
	return c, nil
}

// Brand shows the branding.
func (c *Console) Brand(ctx context.Context) (BrandView, error) {
	var v BrandView
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		p, err := partner(ctx, tx)
		v = BrandView{Brand: p.Brand, LogoURL: p.LogoURL}
		return err
	})
	return v, err
}

// SetBrand changes colors and the logo, audited as brand.updated.
func (c *Console) SetBrand(ctx context.Context, ch BrandChanges) (BrandView, error) {
	var v BrandView
	colors := []struct {
		field string
		val   *string
	}{{"sidebar_color", ch.SidebarColor}, {"button_color", ch.ButtonColor}, {"status_color", ch.StatusColor}, {"toggle_color", ch.ToggleColor}}
	for _, col := range colors {
		if col.val == nil {
			continue
		}
		norm, err := checkColor(col.field, *col.val)
		if err != nil {
			return v, err
		}
		*col.val = norm
	}
	if ch.LogoURL != nil {
		if err := checkURL("logo_url", *ch.LogoURL); err != nil {
			return v, err
		}
	}
	err := c.asRoleUpdate(ctx, domain.RoleAdmin, "change the brand", func(tx store.Tx, actor string) error {
		p, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		var changed []string
		set := func(name string, dst *string, val *string) {
			if val != nil && *dst != *val {
				*dst = *val
				changed = append(changed, name)
			}
		}
		set("sidebar_color", &p.Brand.SidebarColor, ch.SidebarColor)
		set("button_color", &p.Brand.ButtonColor, ch.ButtonColor)
		set("status_color", &p.Brand.StatusColor, ch.StatusColor)
		set("toggle_color", &p.Brand.ToggleColor, ch.ToggleColor)
		set("logo_url", &p.LogoURL, ch.LogoURL)
		if len(changed) > 0 {
			if err := tx.PutPartner(ctx, p); err != nil {
				return err
			}
			if err := c.audit(ctx, tx, actor, "brand.updated", nil, strings.Join(changed, ",")); err != nil {
				return err
			}
		}
		v = BrandView{Brand: p.Brand, LogoURL: p.LogoURL}
		return nil
	})
	return v, err
}
