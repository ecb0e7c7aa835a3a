// Package views declares, once per result type, the columns every output
// format is derived from (see internal/output).
package views

import (
	"fmt"
	"time"

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
		{Key: "id", Header: "ID", Value: func(o *org) any { return &o.ID }},
		{Key: "name", Header: "NAME", Value: func(o *org) any { return &o.Name }, Truncate: true},
		{Key: "ref_id", Header: "REF", Value: func(o *org) any { return nullableField(&o.RefID) }},
		{Key: "status", Header: "STATUS", Value: func(o *org) any { return string(o.Status()) }, Human: statusBadge},
		{Key: "users", Header: "USERS", Value: func(o *org) any { return o.Users }, Drop: 9},
		{Key: "data_sources", Header: "DATA", Value: func(o *org) any { return o.DataSources }, Drop: 5},
		{Key: "ai_trained", Header: "AI", Value: func(o *org) any { return o.AITrained }, Human: aiTrained, Drop: 3},
		{Key: "integrations", Header: "ACTIONS", Value: func(o *org) any { return o.Integrations }, Drop: 4},
		{Key: "sessions_30d", Header: "SESSIONS 30D", Value: func(o *org) any { return o.Sessions30d }, Drop: 8},
		{Key: "sessions_total", Header: "SESSIONS", Value: func(o *org) any { return o.SessionsTotal }, Drop: 6},
		{Key: "last_active_at", Header: "LAST ACTIVE", Value: func(o *org) any { return o.LastActiveAt }, Human: lastActive, Drop: 10},
		{Key: "created_at", Header: "CREATED", Value: func(o *org) any { return timeField(&o.CreatedAt) }, Drop: 7},
		{Key: "license_status", Header: "LICENSE", Value: func(o *org) any { return &o.LicenseStatus }, Human: licenseBadge, Drop: 11},
		{Key: "messages", Header: "MESSAGES", Value: func(o *org) any { return o.Messages }, Drop: 2},
		{Key: "subscribers", Header: "SUBSCRIBERS", Value: func(o *org) any { return o.Subscribers }, Drop: 2},
		{Key: "devices_total", Header: "DEVICES TOTAL", Value: func(o *org) any { return o.Devices.Total }, Drop: 1},
		{Key: "devices_registered", Header: "DEVICES REGISTERED", Value: func(o *org) any { return o.Devices.Registered }, Drop: 1},
		{Key: "devices_onboarded", Header: "DEVICES ONBOARDED", Value: func(o *org) any { return o.Devices.Onboarded }, Drop: 1},
		{Key: "devices_provisioned", Header: "DEVICES PROVISIONED", Value: func(o *org) any { return o.Devices.Provisioned }, Drop: 1},
		{Key: "status_rule", Header: "RULE", Value: func(o *org) any { return o.Verdict.Rule }, Drop: 1},
		{Key: "status_reason", Header: "WHY", Value: func(o *org) any { return &o.Verdict.Reason }, Truncate: true},
		{Key: "license_reason", Header: "LICENSE WHY", Value: func(o *org) any { return nullableField(&o.LicenseReason) }, Truncate: true},
		{Key: "link_status", Header: "LINK", Value: func(o *org) any { return string(o.Link()) }, Human: orgLinkState, Drop: 1},
		{Key: "enterprise_name", Header: "ENTERPRISE", Value: func(o *org) any { return nullableField(&o.Tenant.EnterpriseName) }, Truncate: true, Drop: 1},
		{Key: "customer_name", Header: "CUSTOMER", Value: func(o *org) any { return nullableField(&o.Tenant.CustomerName) }, Truncate: true, Drop: 1},
		{Key: "contact_email", Header: "CONTACT EMAIL", Value: func(o *org) any { return nullableField(&o.Tenant.ContactEmail) }, Truncate: true, Drop: 1},
		{Key: "shortcode", Header: "SHORTCODE", Value: func(o *org) any { return nullableField(&o.Tenant.Shortcode) }, Drop: 1},
		{Key: "address", Header: "ADDRESS", Value: func(o *org) any { return nullableField(&o.Tenant.Address) }, Truncate: true, Drop: 1},
		{Key: "language", Header: "LANGUAGE", Value: func(o *org) any { return nullableField(&o.Tenant.Language) }, Drop: 1},
		{Key: "logo_url", Header: "LOGO URL", Value: func(o *org) any { return nullableField(&o.Tenant.LogoURL) }, Truncate: true, Drop: 1},
	},
	Default: []string{"id", "name", "ref_id", "status", "users", "data_sources", "ai_trained",
		"integrations", "sessions_30d", "sessions_total", "last_active_at", "created_at", "license_status"},
	// Detail is every field but the --explain ones, which orgs show adds.
	Detail: []string{"id", "name", "ref_id", "status", "users", "data_sources", "ai_trained", "integrations",
		"sessions_30d", "sessions_total", "last_active_at", "created_at", "license_status", "messages",
		"subscribers", "devices_total", "devices_registered", "devices_onboarded", "devices_provisioned",
		"link_status", "enterprise_name", "customer_name", "contact_email", "shortcode", "address", "language", "logo_url"},
	Noun: "orgs",
	// Terminal is the console of seed 000. At 80 columns the AI, actions,
	// data and sessions columns leave first; the org and its status stay.
	Terminal: []orgColumn{
		{Header: "ORGANIZATION", Truncate: true, Human: func(o org, c output.Context) string {
			label := o.Name
			if o.RefID != "" {
				label += c.Style.Gray(" · " + o.RefID)
			}
			if !o.Connected() {
				label += " " + linkBadge(o, c)
			}
			return label
		}, Cut: func(o org, c output.Context, width int) string {
			// the name gives way before the ref, which is what one types,
			// and the link badge of a tenant that is not connected
			ref := ""
			if o.RefID != "" {
				ref = " · " + o.RefID
			}
			badge := ""
			if !o.Connected() {
				badge = " (" + string(o.Link()) + ")"
			}
			tail := len([]rune(ref)) + len([]rune(badge))
			if tail == 0 || width-tail < 6 {
				return output.TruncateText(o.Name+ref+badge, width)
			}
			out := output.TruncateText(o.Name, width-tail) + c.Style.Gray(ref)
			if badge != "" {
				out += " " + linkBadge(o, c)
			}
			return out
		}},
		{Header: "STATUS", Human: statusBadge},
		{Header: "USERS", Drop: 5, Human: func(o org, _ output.Context) string { return fmt.Sprint(o.Users) }},
		{Header: "DATA", Drop: 3, Human: func(o org, _ output.Context) string { return fmt.Sprint(o.DataSources) }},
		{Header: "AI", Drop: 1, Human: aiTrained},
		{Header: "ACTIONS", Drop: 2, Human: func(o org, _ output.Context) string { return fmt.Sprint(o.Integrations) }},
		{Header: "SESSIONS 30D/ALL", Drop: 4, Human: func(o org, _ output.Context) string {
			return fmt.Sprintf("%d / %d", o.Sessions30d, o.SessionsTotal)
		}},
		{Header: "LAST ACTIVE", Drop: 7, Human: lastActive},
		{Header: "LICENSE", Drop: 6, Human: licenseBadge},
	},
}

// ExplainFields are added to an org's fields by `orgs show --explain`.
var ExplainFields = []string{"status_rule", "status_reason", "license_reason"}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullableField is nullable for a field of the row: its address, not a
// copy of the string in an interface, which allocates (a list of 100k
// orgs boxed a million strings). Printers use it before the next row.
func nullableField(s *string) any {
	if *s == "" {
		return nil
	}
	return s
}

// timeField is a time field of the row by address, nil when unset, as
// nullableField.
func timeField(t *time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
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

// orgLinkState shows a tenant's link status: yellow while pending, red once
// rejected, green when accepted.
func orgLinkState(o org, c output.Context) string { return paintLink(o, c, string(o.Link())) }

// linkBadge marks a tenant that is not connected next to its name.
func linkBadge(o org, c output.Context) string { return paintLink(o, c, "("+string(o.Link())+")") }

func paintLink(o org, c output.Context, text string) string {
	switch o.Link() {
	case domain.LinkPending:
		return c.Style.Yellow(text)
	case domain.LinkRejected:
		return c.Style.Red(text)
	}
	return c.Style.Green(text)
}

// licenseBadge marks unlicensed orgs red on a terminal, as the owner portal does.
func licenseBadge(o org, c output.Context) string {
	if o.LicenseStatus == console.OrgLicenseActive {
		return c.Style.Green("active")
	}
	return c.Style.Red("none")
}
