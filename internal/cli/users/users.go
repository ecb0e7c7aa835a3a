// Package users holds the `users` commands: teams, invitations, roles.
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
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

const accessHelp = `Members of the admin org see every team (a scoped member: the teams of their
orgs). Its admins and owners manage the admin org's team, up to their own
role, and promote and demote in customer orgs; only owners make owners. An
org's own owners and admins may list, invite, promote, demote and remove in
that org with --org ORG, even without console access. Partner access from
"orgs open" can't manage a team.`

// NewCmdUsers builds the `users` group.
func NewCmdUsers(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "users",
		Aliases: []string{"user"},
		Short:   "List teams, invite people, promote members",
		Long:    "People and their roles in customer orgs and the admin org.\n\n" + accessHelp,
		Args:    cmdutil.NoArgs,
	}
	cmd.AddCommand(newCmdList(f), newCmdInvite(f), newCmdInvites(f), newCmdPromote(f),
		newCmdDemote(f), newCmdRemove(f), newCmdScope(f))
	return cmd
}

func newCmdList(f *cmdutil.Factory) *cobra.Command {
	var q console.UserQuery
	var all bool
	cmd := &cobra.Command{
		Use:   "list [--org ORG | --admin-org | --all]",
		Short: "List users across orgs, with role, joined date and login method",
		Long: `List memberships: every org's (--all), one org's (--org) or the admin org's
(--admin-org). The default is the org you opened with "orgs open" (stderr says
so), or every org when none is open. Partner access granted by "orgs open"
shows as role "partner" and never counts as a user or a seat.

` + accessHelp,
		Example: `  partnerctl users list --org CUST-0042
  partnerctl users list --admin-org -o csv`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if all && (q.Org != "" || q.AdminOrg) {
				return fail.Usagef("--all can't be combined with --org or --admin-org")
			}
			empty := "No users yet; invite someone with `partnerctl users invite EMAIL --org ORG`"
			switch {
			case q.Org != "":
				org := cmdutil.ShellQuote(q.Org)
				empty = fmt.Sprintf("No users in %s yet; invite one with `partnerctl users invite EMAIL --org %s`", org, org)
			case q.AdminOrg:
				empty = "No users in the admin org"
			}
			return cmdutil.ReadList(f, views.Users, empty, func(ctx context.Context, c *console.Console) ([]console.UserView, error) {
				if !all && q.Org == "" && !q.AdminOrg {
					if cur, ok := cmdutil.OpenOrg(ctx, c); ok {
						cmdutil.SayUsingOpenOrg(f, cur, "--org ORG or --all")
						q.Org = cur.OrgID
					}
				}
				return c.Users(ctx, q)
			})
		},
	}
	cmd.Flags().StringVar(&q.Org, "org", "", "only this org's team")
	cmd.Flags().BoolVar(&q.AdminOrg, "admin-org", false, "only the admin org's team (console users)")
	cmd.Flags().BoolVar(&all, "all", false, "every org (the default when no org is open)")
	return cmdutil.Paged(cmd)
}

func newCmdInvite(f *cmdutil.Factory) *cobra.Command {
	var p console.InviteParams
	cmd := &cobra.Command{
		Use:   "invite EMAIL [--org ORG | --admin-org] [--role owner|admin|member] [--login-method any|google|password]",
		Short: "Invite someone into an org (valid 7 days); prints the invitation URL",
		Long: `Invite EMAIL into a customer org or the admin org (which gives console access).
The invitation URL goes to stdout alone; it is valid for 7 days and works once.
Its token (pit_…) is stored only as a hash. --role defaults to member,
--login-method to any (any method the partner allows). Without --org or
--admin-org it is the org you opened with "orgs open" (stderr says so).

Inviting needs owner or admin in that org; a partner admin may invite the
first owner of an org that has none.

` + accessHelp,
		Example: `  partnerctl users invite dana@acme.example --admin-org --role admin
  partnerctl users invite ceo@bakery.example --org CUST-0042 --role owner`,
		Args: cmdutil.ExactArgs("EMAIL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Email = args[0]
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			inv, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.NewInvite, error) {
				if !p.AdminOrg {
					var err error
					if p.Org, err = cmdutil.OrgOrOpen(ctx, f, c, cmd, p.Org, "--org ORG"); err != nil {
						return console.NewInvite{}, err
					}
				}
				inv, err := c.InviteUser(ctx, p)
				if err == nil {
					cmdutil.WarnPlaceholderLoginBase(f, c)
				}
				return inv, err
			})
			if err != nil {
				return err
			}
			return printNewInvite(f, inv, o, "Invited")
		},
	}
	cmd.Flags().StringVar(&p.Org, "org", "", "customer org to invite into")
	cmd.Flags().BoolVar(&p.AdminOrg, "admin-org", false, "invite into the admin org (console access)")
	cmd.Flags().StringVar(&p.Role, "role", "member", "owner, admin or member")
	cmd.Flags().StringVar(&p.LoginMethod, "login-method", "any", "any, or one the partner allows: "+strings.Join(domain.LoginMethods, ", "))
	cmdutil.FlagValues(cmd, "role", string(domain.RoleOwner), string(domain.RoleAdmin), string(domain.RoleMember))
	cmdutil.FlagValues(cmd, "login-method", append([]string{"any"}, domain.LoginMethods...)...)
	return cmd
}

// printNewInvite prints the URL alone on a plain or terminal table (so it
// pipes), the whole invitation in JSON and CSV.
func printNewInvite(f *cmdutil.Factory, inv console.NewInvite, o output.Options, verb string) error {
	fmt.Fprintf(f.IO.ErrOut, "%s %s to %s as %s (%s), valid until %s\n", verb, inv.Email, inv.OrgName, inv.Role,
		inv.ID, output.ConfirmTime(inv.ExpiresAt))
	if o.Format == output.FormatTable && len(o.Fields) == 0 {
		_, err := fmt.Fprintln(f.IO.Out, output.SafeText(inv.URL))
		return err
	}
	return output.PrintOne(f.IO.Out, views.NewInvites, inv, o)
}

func newCmdPromote(f *cmdutil.Factory) *cobra.Command {
	var p console.PromoteParams
	cmd := &cobra.Command{
		Use:   "promote EMAIL (--org ORG | --admin-org) --role owner|admin",
		Short: "Make a member an admin or owner (demoting an owner needs your account manager)",
		Long: `Raise a member's role to admin or owner. It needs owner or admin in that org,
or, in a customer org, admin or owner of the admin org; nobody raises anyone
above their own role. Demoting an owner is refused (exit 4): it needs your
account manager. A scoped member of the admin org made admin or owner sees
every org again.

` + accessHelp,
		Example: `  partnerctl users promote ann@bakery.example --org CUST-0042 --role admin`,
		Args:    cmdutil.ExactArgs("EMAIL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Email = args[0]
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			u, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.UserView, error) { return c.Promote(ctx, p) })
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "%s is now %s of %s\n", u.Email, u.Role, u.OrgName)
			return output.PrintOne(f.IO.Out, views.Users, u, o)
		},
	}
	cmd.Flags().StringVar(&p.Org, "org", "", "the org")
	cmd.Flags().BoolVar(&p.AdminOrg, "admin-org", false, "the admin org")
	cmd.Flags().StringVar(&p.Role, "role", "", "owner or admin")
	cmdutil.FlagValues(cmd, "role", string(domain.RoleOwner), string(domain.RoleAdmin))
	_ = cmd.MarkFlagRequired("role")
	return cmd
}
