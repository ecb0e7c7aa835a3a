package views

import (
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

type partnerView = console.PartnerView

// Partner is the table of `partner show|update` and `init`.
var Partner = output.Table[partnerView]{
	Columns: []output.Column[partnerView]{
		{Key: "id", Header: "ID", Value: func(p *partnerView) any { return p.ID }},
		{Key: "name", Header: "NAME", Value: func(p *partnerView) any { return p.Name }, Truncate: true},
		{Key: "support_email", Header: "SUPPORT EMAIL", Value: func(p *partnerView) any { return p.SupportEmail }, Truncate: true},
		{Key: "logo_url", Header: "LOGO URL", Value: func(p *partnerView) any { return nullable(p.LogoURL) }, Truncate: true, Drop: 1},
		{Key: "login_base_url", Header: "LOGIN BASE URL", Value: func(p *partnerView) any { return p.LoginBaseURL }, Truncate: true, Drop: 2},
		{Key: "contact_name", Header: "CONTACT", Value: func(p *partnerView) any { return nullable(p.ContactName) }, Truncate: true, Drop: 3},
		{Key: "contact_phone", Header: "PHONE", Value: func(p *partnerView) any { return nullable(p.ContactPhone) }, Drop: 3},
		{Key: "created_at", Header: "CREATED", Value: func(p *partnerView) any { return p.CreatedAt }, Drop: 4},
		{Key: "admin_org_id", Header: "ADMIN ORG ID", Value: func(p *partnerView) any { return p.AdminOrgID }, Drop: 5},
		{Key: "admin_org_name", Header: "ADMIN ORG", Value: func(p *partnerView) any { return p.AdminOrgName }, Truncate: true, Drop: 6},
		{Key: "connected_orgs", Header: "CONNECTED ORGS", Value: func(p *partnerView) any { return p.ConnectedOrgs }},
	},
	Default: []string{"id", "name", "support_email", "logo_url", "login_base_url", "contact_name",
		"contact_phone", "created_at", "admin_org_id", "admin_org_name", "connected_orgs"},
}

type who = console.WhoAmI

// WhoAmI is the table of `whoami` and `login`.
var WhoAmI = output.Table[who]{
	Columns: []output.Column[who]{
		{Key: "email", Header: "EMAIL", Value: func(w *who) any { return w.Email }},
		{Key: "admin_org_id", Header: "ADMIN ORG ID", Value: func(w *who) any { return w.AdminOrgID }, Drop: 1},
		{Key: "admin_org_name", Header: "ADMIN ORG", Value: func(w *who) any { return w.AdminOrgName }, Truncate: true},
		{Key: "admin_role", Header: "ROLE", Value: func(w *who) any { return nullable(w.AdminRole) }},
		{Key: "console_access", Header: "CONSOLE ACCESS", Value: func(w *who) any { return w.ConsoleAccess }},
	},
	Default: []string{"email", "admin_org_id", "admin_org_name", "admin_role", "console_access"},
}
