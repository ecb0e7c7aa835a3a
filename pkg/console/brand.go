package console

import (
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
func checkColor(flag, s string) (string, error) {
	c := strings.ToLower(strings.TrimSpace(s))
	if !hexColor.MatchString(c) {
		return "", fail.Usagef("invalid %s %q: want a #rrggbb color such as #1a2b3c", flag, s)
	}
	return c, nil
}

// Brand shows the branding.
func (c *Console) Brand() (BrandView, error) {
	var v BrandView
	err := c.asAdmin(func(tx store.Tx, _ string) error {
		p, err := partner(tx)
		v = BrandView{Brand: p.Brand, LogoURL: p.LogoURL}
		return err
	})
	return v, err
}

// SetBrand changes colors and the logo, audited as brand.updated.
func (c *Console) SetBrand(ch BrandChanges) (BrandView, error) {
	var v BrandView
	colors := []struct {
		flag string
		val  *string
	}{{"--sidebar-color", ch.SidebarColor}, {"--button-color", ch.ButtonColor}, {"--status-color", ch.StatusColor}, {"--toggle-color", ch.ToggleColor}}
	for _, col := range colors {
		if col.val == nil {
			continue
		}
		norm, err := checkColor(col.flag, *col.val)
		if err != nil {
			return v, err
		}
		*col.val = norm
	}
	if ch.LogoURL != nil {
		if err := checkURL("--logo-url", *ch.LogoURL); err != nil {
			return v, err
		}
	}
	err := c.asAdminUpdate(func(tx store.Tx, actor string) error {
		p, err := partner(tx)
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
			if err := tx.PutPartner(p); err != nil {
				return err
			}
			if err := c.audit(tx, actor, "brand.updated", nil, strings.Join(changed, ",")); err != nil {
				return err
			}
		}
		v = BrandView{Brand: p.Brand, LogoURL: p.LogoURL}
		return nil
	})
	return v, err
}
