package cmdutil

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// The org opened with `orgs open` stands in for an omitted ORG in the
// commands that look at or add to one org: orgs show, link create, users
// invite, users list and audit list. Never in one that deletes or removes
// (orgs delete): there the org is always typed out. Each use says so on
// stderr, so nobody acts on an org they didn't mean.

// OpenOrg returns the org the current user has open, if any. Anything that
// keeps it from being known (no user, no console access) counts as none:
// the command then asks for ORG.
func OpenOrg(ctx context.Context, c *console.Console) (console.ActiveOrg, bool) {
	cur, err := c.CurrentOrg(ctx)
	if err != nil || cur.AdminOrg {
		return console.ActiveOrg{}, false
	}
	return cur, true
}

// OrgOrOpen returns org when it was given, else the open org's id, telling
// stderr; with neither it is a usage error naming what to pass. what is
// how the command takes an org ("ORG", "--org ORG").
func OrgOrOpen(ctx context.Context, f *Factory, c *console.Console, cmd *cobra.Command, org, what string) (string, error) {
	if org != "" {
		return org, nil
	}
	cur, ok := OpenOrg(ctx, c)
	if !ok {
		return "", fail.Usagef("%s: missing %s", Name(cmd), what).
			WithHint("no org is open; pass %s or run `partnerctl orgs open ORG` first", what)
	}
	SayUsingOpenOrg(f, cur, what)
	return cur.OrgID, nil
}

// SayUsingOpenOrg tells stderr that the open org stands in for what.
func SayUsingOpenOrg(f *Factory, cur console.ActiveOrg, what string) {
	fmt.Fprintf(f.IO.ErrOut, "Using the open org %s (%s); pass %s for another\n", cur.OrgName, cur.OrgID, what)
}
