package ui

import (
	"context"
	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/tui"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// core is the console's only door to pkg/console: each method opens the
// store as its command does (reads shared, writes exclusive, released
// before returning, --lock-timeout honoured), makes the same core call, and
// closes it, so a console left open never holds other processes back. When
// pkg/console's signatures change, this file is the one to change.
type core struct{ f *cmdutil.Factory }

var _ tui.Console = core{}

func (c core) Load() (tui.Snapshot, error) {
	return cmdutil.Read(c.f, func(ctx context.Context, con *console.Console) (tui.Snapshot, error) {
		page, err := con.ListOrgs(ctx, console.OrgQuery{}) // every match, in name order
		if err != nil {
			return tui.Snapshot{}, err
		}
		p, err := con.Partner(ctx)
		return tui.Snapshot{Partner: p, Orgs: page.Orgs, Now: con.Now()}, err
	})
}

func (c core) ShowOrg(id string) (console.OrgView, error) {
	return cmdutil.Read(c.f, func(ctx context.Context, con *console.Console) (console.OrgView, error) { return con.ShowOrg(ctx, id) })
}

func (c core) OpenOrg(id string) (console.ActiveOrg, error) {
	return cmdutil.Write(c.f, func(ctx context.Context, con *console.Console) (console.ActiveOrg, error) {
		return con.OpenOrg(ctx, id)
	})
}

func (c core) CreateLink(p console.LinkParams) (console.NewLink, error) {
	return cmdutil.Write(c.f, func(ctx context.Context, con *console.Console) (console.NewLink, error) {
		return con.CreateLink(ctx, p)
	})
}
