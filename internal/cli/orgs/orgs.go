// Package orgs holds the `orgs` commands: the connected-orgs console.
package orgs

import (
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
)

// NewCmdOrgs builds the `orgs` group.
func NewCmdOrgs(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "orgs",
		Aliases: []string{"org"},
		Short:   "List, inspect and manage connected customer orgs",
		Args:    cmdutil.NoArgs,
	}
	cmd.AddCommand(
		NewCmdList(f, nil),
		newCmdShow(f),
		newCmdCreate(f),
		newCmdConnect(f),
		newCmdImport(f),
		newCmdUpdate(f),
		newCmdDelete(f),
		newCmdStats(f),
		NewCmdOpen(f, nil),
		newCmdCurrent(f),
		newCmdClose(f),
	)
	return cmd
}
