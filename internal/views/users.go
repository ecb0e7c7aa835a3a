package views

import (
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

type user = console.UserView

// Users is the table of `users list` and `users promote`.
var Users = output.Table[user]{
	Columns: []output.Column[user]{
		{Key: "email", Header: "EMAIL", Value: func(u *user) any { return u.Email }, Truncate: true},
		{Key: "org_id", Header: "ORG ID", Value: func(u *user) any { return u.OrgID }, Drop: 1},
		{Key: "org_name", Header: "ORG", Value: func(u *user) any { return u.OrgName }, Truncate: true},
		{Key: "role", Header: "ROLE", Value: func(u *user) any { return string(u.Role) }, Human: func(u user, c output.Context) string {
			if u.Role == "partner" {
				return c.Style.Gray("partner access")
			}
			return string(u.Role)
		}},
		{Key: "joined_at", Header: "JOINED", Value: func(u *user) any { return u.JoinedAt }, Drop: 3},
		{Key: "login_method", Header: "LOGIN", Value: func(u *user) any { return u.LoginMethod }, Drop: 2},
		{Key: "expires_at", Header: "EXPIRES", Value: func(u *user) any { return u.ExpiresAt }, Drop: 4},
		{Key: "scope", Header: "SCOPE", Value: func(u *user) any { return nullable(u.Scope) }, Truncate: true, Drop: 5},
	},
	Default: []string{"email", "org_id", "org_name", "role", "joined_at", "login_method"},
	Noun:    "users",
}

type scoped = console.OrgView

// Scope is the table of `users scope`: the orgs a teammate is limited to.
var Scope = output.Table[scoped]{
	Columns: []output.Column[scoped]{
		{Key: "id", Header: "ID", Value: func(o *scoped) any { return o.ID }},
		{Key: "name", Header: "NAME", Value: func(o *scoped) any { return o.Name }},
		{Key: "ref_id", Header: "REF", Value: func(o *scoped) any { return nullable(o.RefID) }},
	},
	Default: []string{"id", "name", "ref_id"},
}

type invite = console.InviteView

// Invites is the table of `users invites list|resend|delete|accept`.
var Invites = output.Table[invite]{
	Columns: []output.Column[invite]{
		{Key: "id", Header: "ID", Value: func(i *invite) any { return i.ID }},
		{Key: "email", Header: "EMAIL", Value: func(i *invite) any { return i.Email }, Truncate: true},
		{Key: "org_id", Header: "ORG ID", Value: func(i *invite) any { return i.OrgID }, Drop: 1},
		{Key: "org_name", Header: "ORG", Value: func(i *invite) any { return i.OrgName }, Truncate: true},
		{Key: "role", Header: "ROLE", Value: func(i *invite) any { return string(i.Role) }, Drop: 4},
		{Key: "login_method", Header: "LOGIN", Value: func(i *invite) any { return i.LoginMethod }, Drop: 2},
		{Key: "created_at", Header: "SENT", Value: func(i *invite) any { return i.CreatedAt }, Drop: 3},
		{Key: "expires_at", Header: "EXPIRES", Value: func(i *invite) any { return i.ExpiresAt }, Drop: 5},
		{Key: "state", Header: "STATE", Value: func(i *invite) any { return string(i.State) }},
		{Key: "created_by", Header: "BY", Value: func(i *invite) any { return i.CreatedBy }, Truncate: true, Drop: 2},
		{Key: "resent_at", Header: "RESENT", Value: func(i *invite) any { return i.ResentAt }, Drop: 3},
		{Key: "accepted_at", Header: "ACCEPTED", Value: func(i *invite) any { return i.AcceptedAt }, Drop: 3},
	},
	Default: []string{"id", "email", "org_id", "org_name", "role", "login_method", "created_at", "expires_at", "state"},
	Noun:    "invitations",
}

// NewInvites is the table of a just-sent invitation: its URL, then the invite.
var NewInvites = output.Table[console.NewInvite]{
	Columns: append([]output.Column[console.NewInvite]{
		{Key: "url", Header: "URL", Value: func(n *console.NewInvite) any { return n.URL }},
	}, liftInviteColumns()...),
	Default: append([]string{"url"}, Invites.Default...),
	Noun:    "invitations",
}

func liftInviteColumns() []output.Column[console.NewInvite] {
	out := make([]output.Column[console.NewInvite], len(Invites.Columns))
	for i, col := range Invites.Columns {
		col := col
		out[i] = output.Column[console.NewInvite]{Key: col.Key, Header: col.Header, Drop: col.Drop, Truncate: col.Truncate,
			Value: func(n *console.NewInvite) any { return col.Value(&n.InviteView) }}
	}
	return out
}

// LoginMethod is one allowed login method.
type LoginMethod struct{ Name string }

// LoginMethods is the table of `partner login-methods show|set`.
var LoginMethods = output.Table[LoginMethod]{
	Columns: []output.Column[LoginMethod]{{Key: "method", Header: "METHOD", Value: func(m *LoginMethod) any { return m.Name }}},
	Default: []string{"method"},
	Noun:    "login methods",
}
