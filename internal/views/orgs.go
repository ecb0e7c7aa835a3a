// Package views declares, once per result type, the columns every output
// format is derived from (see internal/output).
package views

import (
	"fmt"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/health"
)

type org = console.OrgView
type orgColumn = output.Column[org]

// Orgs is the org table of `orgs list`, `orgs show` and friends. Its keys are
// the JSON contract of SPEC §4.
var Orgs = output.Table[org]{
	Columns: []orgColumn{
		{Key: "id", Header: "ID", Value: func(o org) any { return o.ID }},
		{Key: "name", Header: "NAME", Value: func(o org) any { return o.Name }},
		{Key: "ref_id", Header: "REF", Value: func(o org) any { return nullable(o.RefID) }},
		{Key: "status", Header: "STATUS", Value: func(o org) any { return string(o.Status()) }, Human: statusBadge},
		{Key: "users", Header: "USERS", Value: func(o org) any { return o.Users }},
		{Key: "data_sources", Header: "DATA", Value: func(o org) any { return o.DataSources }},
		{Key: "ai_trained", Header: "AI", Value: func(o org) any { return o.AITrained }, Human: aiTrained},
		{Key: "integrations", Header: "ACTIONS", Value: func(o org) any { return o.Integrations }},
		{Key: "sessions_30d", Header: "SESSIONS 30D", Value: func(o org) any { return o.Sessions30d }},
		{Key: "sessions_total", Header: "SESSIONS", Value: func(o org) any { return o.SessionsTotal }},
		{Key: "last_active_at", Header: "LAST ACTIVE", Value: func(o org) any { return o.LastActiveAt }, Human: lastActive},
		{Key: "created_at", Header: "CREATED", Value: func(o org) any { return o.CreatedAt }},
		{Key: "license_status", Header: "LICENSE", Value: func(o org) any { return o.LicenseStatus }, Human: licenseBadge},
		{Key: "messages", Header: "MESSAGES", Value: func(o org) any { return o.Messages }},
		{Key: "subscribers", Header: "SUBSCRIBERS", Value: func(o org) any { return o.Subscribers }},
		{Key: "devices_total", Header: "DEVICES", Value: func(o org) any { return o.Devices.Total }},
		{Key: "devices_registered", Header: "REGISTERED", Value: func(o org) any { return o.Devices.Registered }},
		{Key: "devices_onboarded", Header: "ONBOARDED", Value: func(o org) any { return o.Devices.Onboarded }},
		{Key: "devices_provisioned", Header: "PROVISIONED", Value: func(o org) any { return o.Devices.Provisioned }},
		{Key: "status_rule", Header: "RULE", Value: func(o org) any { return o.Verdict.Rule }},
		{Key: "status_reason", Header: "WHY", Value: func(o org) any { return o.Verdict.Reason }},
		{Key: "license_reason", Header: "LICENSE WHY", Value: func(o org) any { return nullable(o.LicenseReason) }},
		{Key: "link_status", Header: "LINK", Value: func(o org) any { return string(o.Link()) }, Human: linkBadge},
		{Key: "enterprise_name", Header: "ENTERPRISE", Value: func(o org) any { return nullable(o.Tenant.EnterpriseName) }},
		{Key: "customer_name", Header: "CUSTOMER", Value: func(o org) any { return nullable(o.Tenant.CustomerName) }},
		{Key: "contact_email", Header: "CONTACT EMAIL", Value: func(o org) any { return nullable(o.Tenant.ContactEmail) }},
		{Key: "shortcode", Header: "SHORTCODE", Value: func(o org) any { return nullable(o.Tenant.Shortcode) }},
		{Key: "address", Header: "ADDRESS", Value: func(o org) any { return nullable(o.Tenant.Address) }},
		{Key: "language", Header: "LANGUAGE", Value: func(o org) any { return nullable(o.Tenant.Language) }},
		{Key: "logo_url", Header: "LOGO URL", Value: func(o org) any { return nullable(o.Tenant.LogoURL) }},
	},
	Default: []string{"id", "name", "ref_id", "status", "users", "data_sources", "ai_trained",
		"integrations", "sessions_30d", "sessions_total", "last_active_at", "created_at", "license_status"},
	Terminal: []orgColumn{
		{Header: "ORGANIZATION", Human: func(o org, c output.Context) string {
			label := o.Name
			if o.RefID != "" {
				label += c.Style.Gray(" · " + o.RefID)
			}
			if !o.Connected() {
				label += " " + linkBadge(o, c)
			}
			return label
		}},
		{Header: "STATUS", Human: statusBadge},
		{Header: "USERS", Human: func(o org, _ output.Context) string { return fmt.Sprint(o.Users) }},
		{Header: "DATA", Human: func(o org, _ output.Context) string { return fmt.Sprint(o.DataSources) }},
		{Header: "AI", Human: aiTrained},
		{Header: "ACTIONS", Human: func(o org, _ output.Context) string { return fmt.Sprint(o.Integrations) }},
		{Header: "SESSIONS (30D / ALL)", Human: func(o org, _ output.Context) string {
			return fmt.Sprintf("%d / %d", o.Sessions30d, o.SessionsTotal)
		}},
		{Header: "LAST ACTIVE", Human: lastActive},
		{Header: "LICENSE", Human: licenseBadge},
	},
}

// ExplainFields are added to an org's fields by `orgs show --explain`.
var ExplainFields = []string{"status_rule", "status_reason", "license_reason"}

// OrgDetail are the fields `orgs show` prints by default: the list's, then
// the link status and the tenant details.
var OrgDetail = append(append([]string{}, Orgs.Default...), "link_status", "enterprise_name", "customer_name",
	"contact_email", "shortcode", "address", "language", "logo_url")

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// StatusBadge renders a status as a colored label.
func StatusBadge(s health.Status, st output.Style) string {
	return PaintStatus(s, st, "● "+s.Label())
}

// PaintStatus colors text in the status's color.
func PaintStatus(s health.Status, st output.Style, text string) string {
	switch s {
	case health.Healthy:
		return st.Green(text)
	case health.New:
		return st.Blue(text)
	case health.SetupIncomplete:
		return st.Yellow(text)
	case health.Inactive:
		return st.Red(text)
	}
	return text
}

func statusBadge(o org, c output.Context) string { return StatusBadge(o.Status(), c.Style) }

func aiTrained(o org, c output.Context) string {
	if o.AITrained {
		return c.Style.Green("✓")
	}
	return c.Style.Gray("–")
}

func lastActive(o org, c output.Context) string {
	if o.LastActiveAt == nil {
		return c.Style.Gray("Never")
	}
	return output.RelativeTime(*o.LastActiveAt, c.Now)
}

// linkBadge shows a tenant's link status: yellow while pending, red once
// rejected.
func linkBadge(o org, c output.Context) string {
	switch o.Link() {
	case domain.LinkPending:
		return c.Style.Yellow("(pending)")
	case domain.LinkRejected:
		return c.Style.Red("(rejected)")
	}
	return c.Style.Green("accepted")
}

// licenseBadge marks unlicensed orgs red on a terminal, as the owner portal does.
func licenseBadge(o org, c output.Context) string {
	if o.LicenseStatus == console.OrgLicenseActive {
		return c.Style.Green("active")
	}
	return c.Style.Red("none")
}
