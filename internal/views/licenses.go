package views

import (
	"time"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
)

type license = console.LicenseView

func date(t time.Time) string { return t.Format(time.DateOnly) }

// Licenses is the table of `licenses list|show|issue|...`. Dates are
// YYYY-MM-DD; `org` is the org id or null.
var Licenses = output.Table[license]{
	Columns: []output.Column[license]{
		{Key: "id", Header: "ID", Value: func(l *license) any { return l.ID }},
		{Key: "number", Header: "NUMBER", Value: func(l *license) any { return l.Number }},
		{Key: "status", Header: "STATUS", Value: func(l *license) any { return string(l.Status) }, Human: licenseStatus},
		{Key: "inactive_reason", Header: "REASON", Value: func(l *license) any { return nullable(l.Reason) }, Drop: 1},
		{Key: "org", Header: "ORG ID", Value: func(l *license) any { return nullable(l.OrgID) }, Drop: 2},
		{Key: "org_name", Header: "ORG", Value: func(l *license) any { return nullable(l.OrgName) }, Truncate: true},
		{Key: "start", Header: "START", Value: func(l *license) any { return date(l.Start) }, Drop: 3},
		{Key: "end", Header: "END", Value: func(l *license) any { return date(l.End) }},
		{Key: "created_at", Header: "ISSUED", Value: func(l *license) any { return l.CreatedAt }, Drop: 4},
		{Key: "note", Header: "NOTE", Value: func(l *license) any { return nullable(l.Note) }, Truncate: true, Drop: 2},
	},
	Default: []string{"id", "number", "status", "inactive_reason", "org", "org_name", "start", "end"},
	Noun:    "licenses",
}

func licenseStatus(l license, c output.Context) string {
	if l.Status == domain.LicenseActive {
		return c.Style.Green("● Active")
	}
	return c.Style.Red("● Inactive") + c.Style.Gray(" ("+l.Reason+")")
}

// LicenseChange is one history entry of one license.
type LicenseChange struct {
	LicenseID string
	domain.LicenseChange
}

// LicenseHistory flattens the history of licenses, oldest first per license.
func LicenseHistory(ls []console.LicenseView) []LicenseChange {
	var out []LicenseChange
	for _, l := range ls {
		for _, h := range l.History {
			out = append(out, LicenseChange{l.ID, h})
		}
	}
	return out
}

// LicenseChanges is the history table of `licenses show`.
var LicenseChanges = output.Table[LicenseChange]{
	Columns: []output.Column[LicenseChange]{
		{Key: "license_id", Header: "LICENSE", Value: func(h *LicenseChange) any { return h.LicenseID }, Drop: 1},
		{Key: "at", Header: "AT", Value: func(h *LicenseChange) any { return h.At }},
		{Key: "actor", Header: "BY", Value: func(h *LicenseChange) any { return h.Actor }, Truncate: true, Drop: 2},
		{Key: "action", Header: "CHANGE", Value: func(h *LicenseChange) any { return h.Action }},
		{Key: "detail", Header: "DETAIL", Value: func(h *LicenseChange) any { return h.Detail }, Truncate: true},
	},
	Default: []string{"license_id", "at", "actor", "action", "detail"},
	Noun:    "history entries",
}

type brand = console.BrandView

// Brand is the table of `partner brand show|set`.
var Brand = output.Table[brand]{
	Columns: []output.Column[brand]{
		{Key: "sidebar_color", Header: "SIDEBAR", Value: func(b *brand) any { return nullable(b.SidebarColor) }},
		{Key: "button_color", Header: "BUTTONS", Value: func(b *brand) any { return nullable(b.ButtonColor) }},
		{Key: "status_color", Header: "STATUS", Value: func(b *brand) any { return nullable(b.StatusColor) }},
		{Key: "toggle_color", Header: "TOGGLES", Value: func(b *brand) any { return nullable(b.ToggleColor) }},
		{Key: "logo_url", Header: "LOGO URL", Value: func(b *brand) any { return nullable(b.LogoURL) }, Truncate: true},
	},
	Default: []string{"sidebar_color", "button_color", "status_color", "toggle_color", "logo_url"},
}
