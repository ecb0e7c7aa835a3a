package views

import (
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/health"
)

type change = console.Change

// Changes is the table of `report changes`: one row per change, with the
// JSON keys of SPEC §16.
var Changes = output.Table[change]{
	Columns: []output.Column[change]{
		{Key: "kind", Header: "KIND", Value: func(c *change) any { return string(c.Kind) }},
		{Key: "org_id", Header: "ORG ID", Value: func(c *change) any { return nullable(c.OrgID) }, Drop: 1},
		{Key: "org_name", Header: "ORG", Value: func(c *change) any { return nullable(c.OrgName) }, Truncate: true},
		{Key: "from", Header: "FROM", Value: func(c *change) any { return nullable(c.From) }, Human: changeFrom},
		{Key: "to", Header: "TO", Value: func(c *change) any { return nullable(c.To) }, Human: changeTo},
		{Key: "at", Header: "AT", Value: func(c *change) any { return c.At }},
		{Key: "detail", Header: "DETAIL", Value: func(c *change) any { return nullable(c.Detail) }, Truncate: true},
	},
	Default: []string{"kind", "org_id", "org_name", "from", "to", "at", "detail"},
	Terminal: []output.Column[change]{
		{Header: "CHANGE", Human: func(c change, _ output.Context) string { return string(c.Kind) }},
		{Header: "ORGANIZATION", Human: func(c change, _ output.Context) string { return dash(c.OrgName) }, Truncate: true},
		{Header: "FROM → TO", Human: func(c change, ctx output.Context) string {
			if c.From == "" && c.To == "" {
				return "—"
			}
			return changeFrom(c, ctx) + " → " + changeTo(c, ctx)
		}},
		{Header: "WHEN", Human: func(c change, ctx output.Context) string { return output.RelativeTime(c.At, ctx.Now) }, Drop: 1},
		{Header: "DETAIL", Human: func(c change, _ output.Context) string { return dash(c.Detail) }, Truncate: true},
	},
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// changeFrom and changeTo color health statuses as `orgs list` does.
func changeFrom(c change, ctx output.Context) string { return changeValue(c, c.From, ctx) }
func changeTo(c change, ctx output.Context) string   { return changeValue(c, c.To, ctx) }

func changeValue(c change, v string, ctx output.Context) string {
	if v == "" {
		return "—"
	}
	switch c.Kind {
	case console.ChangeStatus, console.ChangeAppeared, console.ChangeDeleted:
		return PaintStatus(health.Status(v), ctx.Style, health.Status(v).Label())
	}
	return v
}
