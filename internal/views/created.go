package views

import (
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// CreatedOrg is an org just made by `orgs create` or `orgs import`, with
// its first owner's invitation when one was sent.
type CreatedOrg struct {
	// *OrgView, not a copy: an import of 100k orgs copied every view into
	// a second slice (40 MB), and again into every column's call. Nil for
	// a row of ImportedOrgs until a column asks for it.
	*console.OrgView
	Invite *console.NewInvite
	res    *console.OrgImportResult
	at     int
}

// view is the org's view: OrgView, or else the import result's view of
// this row, made by the first column that asks and kept in the row. A
// printer hands each row's columns its own copy of the row, so the view is
// made once a row, a million are never held, and rows formatted side by
// side share nothing.
func (c *CreatedOrg) view() *console.OrgView {
	if c.OrgView == nil {
		v := c.res.Created(c.at)
		c.OrgView = &v
	}
	return c.OrgView
}

// ImportedOrgs are the orgs of an import, paired with the owner
// invitations sent with them; their views are made as they are printed, so
// a million of them are never held at once.
func ImportedOrgs(res *console.OrgImportResult) []CreatedOrg {
	byOrg := make(map[string]*console.NewInvite, len(res.Invites))
	for i := range res.Invites {
		byOrg[res.Invites[i].OrgID] = &res.Invites[i]
	}
	out := make([]CreatedOrg, res.Len())
	for i := range out {
		out[i] = CreatedOrg{res: res, at: i}
		if len(byOrg) > 0 {
			out[i].Invite = byOrg[res.CreatedID(i)]
		}
	}
	return out
}

// InviteURLKey is the field that carries an owner invitation's URL: where
// it is printed on stdout, stderr doesn't repeat it.
const InviteURLKey = "invite_url"

// inviteColumns are what a script provisioning an org needs of its owner's
// invitation: who, which invitation, the URL to send, until when. All null
// when no owner was invited.
var inviteColumns = []output.Column[CreatedOrg]{
	{Key: "owner_email", Header: "OWNER", Truncate: true, Drop: 12, Value: func(c *CreatedOrg) any {
		if c.Invite == nil {
			return nil
		}
		return c.Invite.Email
	}},
	{Key: "invite_id", Header: "INVITE", Drop: 12, Value: func(c *CreatedOrg) any {
		if c.Invite == nil {
			return nil
		}
		return c.Invite.ID
	}},
	{Key: InviteURLKey, Header: "INVITE URL", Drop: 13, Value: func(c *CreatedOrg) any {
		if c.Invite == nil {
			return nil
		}
		return c.Invite.URL
	}},
	{Key: "invite_expires_at", Header: "INVITE EXPIRES", Drop: 12, Value: func(c *CreatedOrg) any {
		if c.Invite == nil {
			return nil
		}
		return c.Invite.ExpiresAt
	}},
}

// Created is the table of `orgs create` and `orgs import`: every org field,
// then the owner invitation's.
var Created = output.Table[CreatedOrg]{
	Columns: append(liftOrgColumns(Orgs.Columns), inviteColumns...),
	Default: append(append([]string{}, Orgs.Default...), "owner_email", "invite_id", InviteURLKey, "invite_expires_at"),
	Detail:  append(append([]string{}, Orgs.Detail...), "owner_email", "invite_id", InviteURLKey, "invite_expires_at"),
	Noun:    "orgs",
}

func liftOrgColumns(cols []orgColumn) []output.Column[CreatedOrg] {
	out := make([]output.Column[CreatedOrg], len(cols))
	for i, col := range cols {
		col := col
		lifted := output.Column[CreatedOrg]{Key: col.Key, Header: col.Header, Drop: col.Drop, Truncate: col.Truncate,
			Value: func(c *CreatedOrg) any { return col.Value(c.view()) }}
		if col.Human != nil {
			lifted.Human = func(c CreatedOrg, ctx output.Context) string { return col.Human(*c.view(), ctx) }
		}
		out[i] = lifted
	}
	return out
}
