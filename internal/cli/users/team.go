package users

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

func newCmdRemove(f *cmdutil.Factory) *cobra.Command {
	var p console.MemberParams
	cmd := &cobra.Command{
		Use:   "remove EMAIL (--org ORG | --admin-org)",
		Short: "End a membership now (offboarding a teammate from the admin org)",
		Long: `End EMAIL's membership of a customer org or of the admin org, now.

Removing a member of the admin org is offboarding: it also revokes every
active login link they created, deletes the pending invitations into the
admin org they sent, ends their partner access to customer orgs (an org they
have open is no longer theirs: "orgs current" says so) and lifts their scope. Customer roles they hold stay: those are the customer's
to take back, and are listed on stderr. Everything is audited
(member.removed, and link.revoked with the reason).

The admin org's admins and owners remove its members, up to their own role.
In a customer org it needs owner or admin there; admins and owners of the
admin org may end partner access there. The last owner of an org can't be
removed (exit 5); someone who is not a member is not found (exit 3).

` + accessHelp,
		Example: `  partnerctl users remove sam@acme.example --admin-org
  partnerctl users remove ann@bakery.example --org CUST-0042`,
		Args: cmdutil.ExactArgs("EMAIL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Email = args[0]
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			r, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.Removal, error) { return c.RemoveUser(ctx, p) })
			if err != nil {
				return err
			}
			u := r.Removed
			fmt.Fprintf(f.IO.ErrOut, "Removed %s (%s) from %s\n", u.Email, u.Role, u.OrgName)
			if u.AdminOrg {
				fmt.Fprintf(f.IO.ErrOut, "Revoked %d active login link(s) they created; ended their partner access to %d org(s)\n",
					len(r.LinksRevoked), len(r.AccessEnded))
				if n := len(r.InvitesDeleted); n > 0 {
					fmt.Fprintf(f.IO.ErrOut, "Deleted %d pending invitation(s) into %s they sent\n", n, u.OrgName)
				}
				for _, k := range r.KeptRoles {
					fmt.Fprintf(f.IO.ErrOut, "They are still %s of %s (%s): that role is the customer's to remove\n",
						k.Role, k.OrgName, k.OrgID)
				}
			}
			return output.PrintOne(f.IO.Out, views.Users, u, o)
		},
	}
	cmd.Flags().StringVar(&p.Org, "org", "", "the customer org")
	cmd.Flags().BoolVar(&p.AdminOrg, "admin-org", false, "the admin org (offboarding a teammate)")
	return cmd
}

func newCmdDemote(f *cmdutil.Factory) *cobra.Command {
	var p console.MemberParams
	cmd := &cobra.Command{
		Use:   "demote EMAIL (--org ORG | --admin-org)",
		Short: "Make an admin a member again (demoting an owner needs your account manager)",
		Long: `Lower an admin of the org to member. It needs what promoting does. Demoting an
owner is refused (exit 4): it needs your account manager.

` + accessHelp,
		Example: `  partnerctl users demote ann@bakery.example --org CUST-0042`,
		Args:    cmdutil.ExactArgs("EMAIL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Email = args[0]
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			u, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.UserView, error) { return c.Demote(ctx, p) })
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "%s is now %s of %s\n", u.Email, u.Role, u.OrgName)
			return output.PrintOne(f.IO.Out, views.Users, u, o)
		},
	}
	cmd.Flags().StringVar(&p.Org, "org", "", "the org")
	cmd.Flags().BoolVar(&p.AdminOrg, "admin-org", false, "the admin org")
	return cmd
}

func newCmdScope(f *cmdutil.Factory) *cobra.Command {
	var p console.ScopeParams
	cmd := &cobra.Command{
		Use:   "scope EMAIL (--orgs ORG,ORG… | --all)",
		Short: "Limit a member of the admin org to some customer orgs, or lift the limit",
		Long: `Limit EMAIL, a member of the admin org, to the customer orgs named by --orgs:
everywhere (lists, counts, stats, completion, audit trail, reports, login
links) they see those alone, and any other org is not found to them (exit 3),
exactly as if it did not exist. Orgs they create join their scope. --all
lifts the limit. The scope is kept in the store, so it holds on every
machine. Admins and owners are never scoped (exit 5).

It needs admin or owner of the admin org. Prints the orgs of the scope
(with --all, nothing but "[]" in JSON).
"users list --admin-org --fields email,role,scope" shows every scope.`,
		Example: `  partnerctl users scope sue@acme.example --orgs CUST-0042,CUST-0043
  partnerctl users scope sue@acme.example --orgs '"Smith, Jones & Co",CUST-0042'
  partnerctl users scope sue@acme.example --all`,
		Args: cmdutil.ExactArgs("EMAIL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Email = args[0]
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			v, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.ScopeView, error) { return c.ScopeUser(ctx, p) })
			if err != nil {
				return err
			}
			if v.All {
				fmt.Fprintf(f.IO.ErrOut, "%s sees every org\n", v.Email)
				if o.Format == output.FormatTable {
					return nil // no list to print
				}
			} else {
				names := make([]string, len(v.Orgs))
				for i, org := range v.Orgs {
					names[i] = org.Name
				}
				fmt.Fprintf(f.IO.ErrOut, "%s sees %d org(s) only: %s\n", v.Email, len(v.Orgs), strings.Join(names, ", "))
			}
			return output.PrintList(f.IO.Out, views.Scope, v.Orgs, o)
		},
	}
	cmd.Flags().StringSliceVar(&p.Orgs, "orgs", nil, "the customer orgs (ids, refs or names; comma-separated, CSV quoting for names with commas)")
	cmd.Flags().BoolVar(&p.All, "all", false, "lift the limit: every org")
	_ = cmd.RegisterFlagCompletionFunc("orgs", cmdutil.Complete(f, completeOrgList))
	return cmd
}

// completeOrgList completes the last org of a comma-separated list.
func completeOrgList(ctx context.Context, c *console.Console, typed string) ([]string, error) {
	done, last := "", typed
	if i := strings.LastIndexByte(typed, ','); i >= 0 {
		done, last = typed[:i+1], typed[i+1:]
	}
	out, err := cmdutil.Orgs(ctx, c, last)
	for i := range out {
		out[i] = done + out[i]
	}
	return out, err
}
