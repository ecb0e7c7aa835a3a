package users

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

func newCmdInvites(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "invites",
		Aliases: []string{"invite-list"},
		Short:   "List, resend, delete and accept invitations",
		Args:    cmdutil.NoArgs,
	}
	cmd.AddCommand(newCmdInvitesList(f), newCmdResend(f), newCmdDelete(f), newCmdAccept(f))
	return cmd
}

func newCmdInvitesList(f *cmdutil.Factory) *cobra.Command {
	var q console.InviteQuery
	cmd := &cobra.Command{
		Use:   "list [--pending]",
		Short: "List invitations: pending, accepted, expired or deleted",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			empty := "No invitations yet; invite someone with `partnerctl users invite EMAIL --org ORG`"
			if q.Pending {
				empty = "No pending invitations; `partnerctl users invites list` shows the accepted, expired and deleted ones too"
			}
			return cmdutil.ReadList(f, views.Invites, empty, func(ctx context.Context, c *console.Console) ([]console.InviteView, error) { return c.Invites(ctx, q) })
		},
	}
	cmd.Flags().BoolVar(&q.Pending, "pending", false, "only invitations that can still be accepted")
	return cmdutil.Paged(cmd)
}

func newCmdResend(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "resend ID",
		Short: "Send an invitation again: a new link valid 7 days; the old link stops working",
		Args:  cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			inv, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.NewInvite, error) {
				return c.ResendInvite(ctx, args[0])
			})
			if err != nil {
				return err
			}
			return printNewInvite(f, inv, o, "Resent the invitation of")
		},
	}
}

func newCmdDelete(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID",
		Short: "Delete an invitation: its link stops working",
		Long: `Delete an invitation. The email may still sit in the recipient's inbox, but
its link no longer works (accepting it exits 5, "deleted").`,
		Args: cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			inv, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.InviteView, error) {
				return c.DeleteInvite(ctx, args[0])
			})
			if err == nil {
				fmt.Fprintf(f.IO.ErrOut, "Deleted invitation %s for %s to %s\n", inv.ID, inv.Email, inv.OrgName)
			}
			return err
		},
	}
}

func newCmdAccept(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "accept TOKEN|URL",
		Short: "Accept an invitation: the token is the credential, no login needed",
		Long: `Accept an invitation by its token or URL and become a member with its role.
No current user is needed: the token is the credential. A token never issued
exits 3; one already used, expired, resent or deleted exits 5 saying which.

Give "-" and the token or URL on standard input (its first line): a token on
the command line is visible to other users of the machine in the process
list and stays in your shell history, so that form works but warns on stderr.`,
		Example: `  pbpaste | partnerctl users invites accept -
  partnerctl users invites accept - <<< "$INVITE_URL"`,
		Args: cmdutil.ExactArgs("TOKEN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			tok, err := cmdutil.ReadSecretArg(f, args[0])
			if err != nil {
				return err
			}
			inv, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.InviteView, error) {
				return c.AcceptInvite(ctx, tok)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "%s joined %s as %s\n", inv.Email, inv.OrgName, inv.Role)
			return output.PrintOne(f.IO.Out, views.Invites, inv, o)
		},
	}
}
