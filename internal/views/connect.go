package views

import (
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
)

type connectReq = console.ConnectView

// ConnectRequests is the table of `orgs connect accept|reject`: never a
// token or hash.
var ConnectRequests = output.Table[connectReq]{
	Columns: []output.Column[connectReq]{
		{Key: "id", Header: "ID", Value: func(r *connectReq) any { return r.ID }},
		{Key: "org_id", Header: "ORG ID", Value: func(r *connectReq) any { return r.OrgID }},
		{Key: "org_name", Header: "ORG", Value: func(r *connectReq) any { return r.OrgName }},
		{Key: "email", Header: "EMAIL", Value: func(r *connectReq) any { return r.Email }},
		{Key: "created_by", Header: "ASKED BY", Value: func(r *connectReq) any { return r.CreatedBy }},
		{Key: "created_at", Header: "CREATED", Value: func(r *connectReq) any { return r.CreatedAt }},
		{Key: "expires_at", Header: "EXPIRES", Value: func(r *connectReq) any { return r.ExpiresAt }},
		{Key: "state", Header: "STATE", Value: func(r *connectReq) any { return string(r.State) }, Human: connectState},
		{Key: "settled_at", Header: "SETTLED", Value: func(r *connectReq) any { return r.SettledAt }},
	},
	Default: []string{"id", "org_id", "org_name", "email", "created_by", "created_at", "expires_at", "state", "settled_at"},
}

func connectState(r connectReq, c output.Context) string {
	switch r.State {
	case domain.ConnectAccepted:
		return c.Style.Green(string(r.State))
	case domain.ConnectPending:
		return c.Style.Yellow(string(r.State))
	case domain.ConnectRejected:
		return c.Style.Red(string(r.State))
	}
	return c.Style.Gray(string(r.State))
}

type newConnect = console.NewConnect

// NewConnect is the table of `orgs connect` with -o json|csv; the default
// output is the approval URL alone.
var NewConnect = output.Table[newConnect]{
	Columns: []output.Column[newConnect]{
		{Key: "id", Header: "ID", Value: func(r *newConnect) any { return r.ID }},
		{Key: "url", Header: "URL", Value: func(r *newConnect) any { return r.URL }},
		{Key: "org_id", Header: "ORG ID", Value: func(r *newConnect) any { return r.OrgID }},
		{Key: "org_name", Header: "ORG", Value: func(r *newConnect) any { return r.OrgName }},
		{Key: "ref_id", Header: "REF", Value: func(r *newConnect) any { return nullable(r.Org.RefID) }},
		{Key: "email", Header: "EMAIL", Value: func(r *newConnect) any { return r.Email }},
		{Key: "link_status", Header: "LINK", Value: func(r *newConnect) any { return string(r.Org.Link()) }},
		{Key: "created_at", Header: "CREATED", Value: func(r *newConnect) any { return r.CreatedAt }},
		{Key: "expires_at", Header: "EXPIRES", Value: func(r *newConnect) any { return r.ExpiresAt }},
	},
	Default: []string{"id", "url", "org_id", "org_name", "ref_id", "email", "link_status", "created_at", "expires_at"},
}
