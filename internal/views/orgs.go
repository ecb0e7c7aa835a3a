// Package views declares, once per result type, the columns every output
// format is derived from (see internal/output).
package views

import (
	"fmt"

	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/health"
)

type org = console.OrgView
type orgColumn = output.Column[org]

// Orgs is the org table of `orgs list`, `orgs show` and friends. Its keys are
// the JSON contract of SPEC §4.
var Orgs = output.Table[org]{
	Columns: []orgColumn{
		{Key: "id", Header: "ID", Value: func(o org) any { return o.ID }},
		{Key: "name", Header: "NAME", Value: func(o org) any { return o.Name }, Truncate: true},
		{Key: "ref_id", Header: "REF", Value: func(o org) any { return nullable(o.RefID) }},
		{Key: "status", Header: "STATUS", Value: func(o org) any { return string(o.Status()) }, Human: statusBadge},
		{Key: "users", Header: "USERS", Value: func(o org) any { return o.Users }, Drop: 9},
		{Key: "data_sources", Header: "DATA", Value: func(o org) any { return o.DataSources }, Drop: 5},
		{Key: "ai_trained", Header: "AI", Value: func(o org) any { return o.AITrained }, Human: aiTrained, Drop: 3},
		{Key: "integrations", Header: "ACTIONS", Value: func(o org) any { return o.Integrations }, Drop: 4},
		{Key: "sessions_30d", Header: "SESSIONS 30D", Value: func(o org) any { return o.Sessions30d }, Drop: 8},
		{Key: "sessions_total", Header: "SESSIONS", Value: func(o org) any { return o.SessionsTotal }, Drop: 6},
		{Key: "last_active_at", Header: "LAST ACTIVE", Value: func(o org) any { return o.LastActiveAt }, Human: lastActive, Drop: 10},
		{Key: "created_at", Header: "CREATED", Value: func(o org) any { return o.CreatedAt }, Drop: 7},
		{Key: "license_status", Header: "LICENSE", Value: func(o org) any { return o.LicenseStatus }, Human: licenseBadge, Drop: 11},
		{Key: "messages", Header: "MESSAGES", Value: func(o org) any { return o.Messages }, Drop: 2},
		{Key: "subscribers", Header: "SUBSCRIBERS", Value: func(o org) any { return o.Subscribers }, Drop: 2},
		{Key: "devices_total", Header: "DEVICES TOTAL", Value: func(o org) any { return o.Devices.Total }, Drop: 1},
		{Key: "devices_registered", Header: "DEVICES REGISTERED", Value: func(o org) any { return o.Devices.Registered }, Drop: 1},
		{Key: "devices_onboarded", Header: "DEVICES ONBOARDED", Value: func(o org) any { return o.Devices.Onboarded }, Drop: 1},
		{Key: "devices_provisioned", Header: "DEVICES PROVISIONED", Value: func(o org) any { return o.Devices.Provisioned }, Drop: 1},
		{Key: "status_rule", Header: "RULE", Value: func(o org) any { return o.Verdict.Rule }, Drop: 1},
		{Key: "status_reason", Header: "WHY", Value: func(o org) any { return o.Verdict.Reason }, Truncate: true},
	},
	Default: []string{"id", "name", "ref_id", "status", "users", "data_sources", "ai_trained",
		"integrations", "sessions_30d", "sessions_total", "last_active_at", "created_at", "license_status"},
	// Detail is every field but the --explain ones, which orgs show adds.
	Detail: []string{"id", "name", "ref_id", "status", "users", "data_sources", "ai_trained", "integrations",
		"sessions_30d", "sessions_total", "last_active_at", "created_at", "license_status", "messages",
		"subscribers", "devices_total", "devices_registered", "devices_onboarded", "devices_provisioned"},
	Noun: "orgs",
	// Terminal is the console of seed 000. At 80 columns the AI, actions,
	// data and sessions columns leave first; the org and its status stay.
	Terminal: []orgColumn{
		{Header: "ORGANIZATION", Truncate: true, Human: func(o org, c output.Context) string {
			if o.RefID == "" {
				return o.Name
			}
			return o.Name + c.Style.Gray(" · "+o.RefID)
		}, Cut: func(o org, c output.Context, width int) string {
			// the name gives way before the ref, which is what one types
			ref := " · " + o.RefID
			if o.RefID == "" || width-len([]rune(ref)) < 6 {
				return output.TruncateText(o.Name+ref, width)
			}
			return output.TruncateText(o.Name, width-len([]rune(ref))) + c.Style.Gray(ref)
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
var ExplainFields = []string{"status_rule", "status_reason"}

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

// licenseBadge marks unlicensed orgs red on a terminal, as the owner portal does.
func licenseBadge(o org, c output.Context) string {
	if o.LicenseStatus == console.OrgLicenseActive {
		return c.Style.Green("active")
	}
	return c.Style.Red("none")
}
