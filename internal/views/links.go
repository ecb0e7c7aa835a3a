package views

import (
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
)

type link = console.LinkView

// Links is the table of `link list` and `link revoke`: never a token or hash.
var Links = output.Table[link]{
	Columns: []output.Column[link]{
		{Key: "id", Header: "ID", Value: func(l *link) any { return l.ID }},
		{Key: "org_id", Header: "ORG ID", Value: func(l *link) any { return l.OrgID }, Drop: 1},
		{Key: "org_name", Header: "ORG", Value: func(l *link) any { return l.OrgName }, Truncate: true},
		{Key: "email", Header: "EMAIL", Value: func(l *link) any { return l.Email }, Truncate: true},
		{Key: "created_by", Header: "CREATED BY", Value: func(l *link) any { return l.CreatedBy }, Truncate: true, Drop: 2},
		{Key: "reason", Header: "REASON", Value: func(l *link) any { return nullable(l.Reason) }, Truncate: true, Drop: 5},
		{Key: "created_at", Header: "CREATED", Value: func(l *link) any { return l.CreatedAt }, Drop: 4},
		{Key: "expires_at", Header: "EXPIRES", Value: func(l *link) any { return l.ExpiresAt }, Drop: 6},
		{Key: "state", Header: "STATE", Value: func(l *link) any { return string(l.State) }, Human: linkState},
		{Key: "redeemed_at", Header: "REDEEMED", Value: func(l *link) any { return l.RedeemedAt }, Drop: 3},
		{Key: "revoked_at", Header: "REVOKED", Value: func(l *link) any { return l.RevokedAt }, Drop: 3},
		{Key: "revoked_by", Header: "REVOKED BY", Value: func(l *link) any { return nullable(l.RevokedBy) }, Truncate: true, Drop: 2},
	},
	Default: []string{"id", "org_id", "org_name", "email", "created_by", "reason", "created_at",
		"expires_at", "state", "redeemed_at"},
	Noun: "login links",
}

func linkState(l link, c output.Context) string {
	switch l.State {
	case domain.LinkActive:
		return c.Style.Green(string(l.State))
	case domain.LinkUsed:
		return c.Style.Blue(string(l.State))
	case domain.LinkRevoked:
		return c.Style.Red(string(l.State))
	}
	return c.Style.Gray(string(l.State))
}

type newLink = console.NewLink

// NewLink is the table of `link create` with -o json|csv; the default output
// is the URL alone.
var NewLink = output.Table[newLink]{
	Columns: []output.Column[newLink]{
		{Key: "id", Header: "ID", Value: func(l *newLink) any { return l.ID }},
		{Key: "url", Header: "URL", Value: func(l *newLink) any { return l.URL }},
		{Key: "org_id", Header: "ORG ID", Value: func(l *newLink) any { return l.OrgID }, Drop: 1},
		{Key: "org_name", Header: "ORG", Value: func(l *newLink) any { return l.OrgName }, Truncate: true},
		{Key: "email", Header: "EMAIL", Value: func(l *newLink) any { return l.Email }, Truncate: true},
		{Key: "reason", Header: "REASON", Value: func(l *newLink) any { return nullable(l.Reason) }, Truncate: true, Drop: 2},
		{Key: "created_at", Header: "CREATED", Value: func(l *newLink) any { return l.CreatedAt }, Drop: 3},
		{Key: "expires_at", Header: "EXPIRES", Value: func(l *newLink) any { return l.ExpiresAt }, Drop: 4},
	},
	Default: []string{"id", "url", "org_id", "org_name", "email", "reason", "created_at", "expires_at"},
	Noun:    "login links",
}

// Redeemed is the table of `link redeem`.
var Redeemed = output.Table[link]{
	Columns: []output.Column[link]{
		{Key: "id", Header: "ID", Value: func(l *link) any { return l.ID }},
		{Key: "org_id", Header: "ORG ID", Value: func(l *link) any { return l.OrgID }, Drop: 1},
		{Key: "org_name", Header: "ORG", Value: func(l *link) any { return l.OrgName }, Truncate: true},
		{Key: "email", Header: "EMAIL", Value: func(l *link) any { return l.Email }, Truncate: true},
		{Key: "redeemed_at", Header: "REDEEMED", Value: func(l *link) any { return l.RedeemedAt }},
	},
	Default: []string{"id", "org_id", "org_name", "email", "redeemed_at"},
	Noun:    "login links",
}

type entry = domain.AuditEntry

// Audit is the table of `audit list`; its keys are SPEC §6's contract.
var Audit = output.Table[entry]{
	Columns: []output.Column[entry]{
		{Key: "at", Header: "AT", Value: func(e *entry) any { return e.At }},
		{Key: "actor", Header: "ACTOR", Value: func(e *entry) any { return e.Actor }, Truncate: true, Drop: 2},
		{Key: "action", Header: "ACTION", Value: func(e *entry) any { return e.Action }},
		{Key: "org_id", Header: "ORG ID", Value: func(e *entry) any { return nullable(e.OrgID) }, Drop: 1},
		{Key: "org_name", Header: "ORG", Value: func(e *entry) any { return nullable(e.OrgName) }, Truncate: true, Drop: 3},
		{Key: "detail", Header: "DETAIL", Value: func(e *entry) any { return nullable(e.Detail) }, Truncate: true},
	},
	Default: []string{"at", "actor", "action", "org_id", "org_name", "detail"},
	Noun:    "audit entries",
}

type active = console.ActiveOrg

// ActiveOrg is the table of `orgs current` (and of `orgs open|close` with -o json|csv).
var ActiveOrg = output.Table[active]{
	Columns: []output.Column[active]{
		{Key: "org_id", Header: "ORG ID", Value: func(a *active) any { return a.OrgID }},
		{Key: "org_name", Header: "ORG", Value: func(a *active) any { return a.OrgName }, Truncate: true},
		{Key: "ref_id", Header: "REF", Value: func(a *active) any { return nullable(a.RefID) }, Drop: 1},
		{Key: "admin_org", Header: "ADMIN ORG", Value: func(a *active) any { return a.AdminOrg }, Drop: 2},
		{Key: "role", Header: "ROLE", Value: func(a *active) any { return nullable(a.Role) }, Drop: 3},
		{Key: "inbox_url", Header: "INBOX", Value: func(a *active) any { return a.InboxURL }},
		{Key: "expires_at", Header: "EXPIRES", Value: func(a *active) any { return a.ExpiresAt }, Human: func(a active, c output.Context) string {
			if a.ExpiresAt == nil {
				return "never"
			}
			return output.RelativeTime(*a.ExpiresAt, c.Now)
		}},
		{Key: "lapsed_org_id", Header: "LAPSED ORG", Value: func(a *active) any {
			if a.Lapsed == nil {
				return nil
			}
			return a.Lapsed.OrgID
		}},
		{Key: "lapsed_reason", Header: "LAPSED", Value: func(a *active) any {
			if a.Lapsed == nil {
				return nil
			}
			return a.Lapsed.Reason
		}},
	},
	Default: []string{"org_id", "org_name", "ref_id", "admin_org", "role", "inbox_url", "expires_at"},
}
