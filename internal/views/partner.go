package views

import (
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

type partnerView = console.PartnerView

// Partner is the table of `partner show|update` and `init`.
var Partner = output.Table[partnerView]{
	Columns: []output.Column[partnerView]{
		{Key: "id", Header: "ID", Value: func(p partnerView) any { return p.ID }},
		{Key: "name", Header: "NAME", Value: func(p partnerView) any { return p.Name }},
		{Key: "support_email", Header: "SUPPORT EMAIL", Value: func(p partnerView) any { return p.SupportEmail }},
		{Key: "logo_url", Header: "LOGO URL", Value: func(p partnerView) any { return nullable(p.LogoURL) }},
		{Key: "login_base_url", Header: "LOGIN BASE URL", Value: func(p partnerView) any { return p.LoginBaseURL }},
		{Key: "contact_name", Header: "CONTACT", Value: func(p partnerView) any { return nullable(p.ContactName) }},
		{Key: "contact_phone", Header: "PHONE", Value: func(p partnerView) any { return nullable(p.ContactPhone) }},
		{Key: "created_at", Header: "CREATED", Value: func(p partnerView) any { return p.CreatedAt }},
		{Key: "admin_org_id", Header: "ADMIN ORG ID", Value: func(p partnerView) any { return p.AdminOrgID }},
		{Key: "admin_org_name", Header: "ADMIN ORG", Value: func(p partnerView) any { return p.AdminOrgName }},
		{Key: "connected_orgs", Header: "CONNECTED ORGS", Value: func(p partnerView) any { return p.ConnectedOrgs }},
	},
	Default: []string{"id", "name", "support_email", "logo_url", "login_base_url", "contact_name",
		"contact_phone", "created_at", "admin_org_id", "admin_org_name", "connected_orgs"},
}

type who = console.WhoAmI

// WhoAmI is the table of `whoami` and `login`.
var WhoAmI = output.Table[who]{
	Columns: []output.Column[who]{
		{Key: "email", Header: "EMAIL", Value: func(w who) any { return w.Email }},
		{Key: "admin_org_id", Header: "ADMIN ORG ID", Value: func(w who) any { return w.AdminOrgID }},
		{Key: "admin_org_name", Header: "ADMIN ORG", Value: func(w who) any { return w.AdminOrgName }},
		{Key: "admin_role", Header: "ROLE", Value: func(w who) any { return nullable(w.AdminRole) }},
		{Key: "console_access", Header: "CONSOLE ACCESS", Value: func(w who) any { return w.ConsoleAccess }},
	},
	Default: []string{"email", "admin_org_id", "admin_org_name", "admin_role", "console_access"},
}
