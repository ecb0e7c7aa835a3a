package orgs

import (
	"context"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

const orgArgHelp = `ORG is an org id (org_…), a ref ID, or an exact name (any case).`

const openOrgHelp = `
Without ORG it is the org you opened with "orgs open" (stderr says so).`

func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

func newCmdShow(f *cmdutil.Factory) *cobra.Command {
	var explain bool
	cmd := &cobra.Command{
		Use:   "show [ORG] [--explain]",
		Short: "Show one org, with --explain saying why it has its status",
		Long: `Show every field of one org: its health, counters (users, knowledge sources,
integrations, sessions, messages, subscribers, devices), license and dates,
its link status and its tenant details. --explain adds which health rule gave
the status and why, and whether the org lacks an active license (its chatbots
then do not respond). Pending and rejected tenants can be shown like any org.

` + orgArgHelp + openOrgHelp,
		Example: `  partnerctl orgs show CUST-0042 --explain
  partnerctl orgs show "Acme Bakery" -o json`,
		Args: cmdutil.MaxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			if explain {
				if len(o.Fields) == 0 {
					o.Fields = views.Orgs.Detail
				}
				for _, field := range views.ExplainFields {
					if !slices.Contains(o.Fields, field) {
						o.Fields = append(o.Fields, field)
					}
				}
			}
			v, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) (console.OrgView, error) {
				org, err := cmdutil.OrgOrOpen(ctx, f, c, cmd, firstArg(args), "ORG")
				if err != nil {
					return console.OrgView{}, err
				}
				return c.ShowOrg(ctx, org)
			})
			if err != nil {
				return err
			}
			return output.PrintOne(f.IO.Out, views.Orgs, v, o)
		},
	}
	cmd.Flags().BoolVar(&explain, "explain", false, "add which health rule gave the status, what is missing, and why there is no active license")
	return cmdutil.Paged(cmd)
}

func newCmdCreate(f *cmdutil.Factory) *cobra.Command {
	var name, ref, owner string
	tenant := &tenantFlags{contactFlag: true}
	cmd := &cobra.Command{
		Use:   "create --name NAME [--ref REF] [--owner EMAIL] [tenant details]",
		Short: "Create a customer org (and invite its first owner)",
		Long: `Create a customer org; it prints the org. An org the partner creates is
connected (link status accepted). With --owner, the org's first owner is
invited in the same transaction: the one step a CI provisioning pipeline
needs. The invitation is part of the result (owner_email, invite_id,
invite_url, invite_expires_at; null without --owner), so -o json gives a
script everything in one object; stderr repeats the URL only when the output
leaves it out (--fields without invite_url, --jq, --template).

` + tenantHelp,
		Example: `  partnerctl orgs create --name "Acme Bakery" --ref ACME-001
  partnerctl orgs create --name "Acme Bakery" --ref ACME-001 --owner ceo@acme.example -o json
  partnerctl orgs create --name "Acme Bakery" --owner ceo@acme.example --jq .invite_url
  partnerctl orgs create --name "Harbor Dental" --shortcode HBD --language pt-BR --contact-email it@harbor.example`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			type created struct {
				org    console.OrgView
				invite *console.NewInvite
			}
			res, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (created, error) {
				v, inv, err := c.CreateOrgWith(ctx, console.CreateOrgParams{Name: name, Ref: ref, Owner: owner, Tenant: tenant.tenant()})
				return created{v, inv}, err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Created org %s (%s)\n", res.org.Name, res.org.ID)
			printOwnerInvites(f, views.Created.Prints(views.InviteURLKey, o, false), res.invite)
			return output.PrintOne(f.IO.Out, views.Created, views.CreatedOrg{OrgView: &res.org, Invite: res.invite}, o)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "org name")
	cmd.Flags().StringVar(&ref, "ref", "", "your own reference ID for the org (unique)")
	cmd.Flags().StringVar(&owner, "owner", "", "invite this email as the org's first owner")
	tenant.register(cmd)
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func newCmdUpdate(f *cmdutil.Factory) *cobra.Command {
	var name, ref string
	tenant := &tenantFlags{contactFlag: true}
	cmd := &cobra.Command{
		Use:   "update ORG [--name NAME] [--ref REF] [tenant details]",
		Short: "Rename an org, change its ref ID or tenant details (its id never changes)",
		Long: `Rename an org, change its ref ID or its tenant details. A flag given as ""
clears its field (--ref "" clears the ref).

` + tenantHelp + `

` + orgArgHelp,
		Example: `  partnerctl orgs update CUST-0042 --name "Acme Bakery & Cafe"
  partnerctl orgs update CUST-0042 --shortcode ACB --language de-AT --address ""`,
		Args: cmdutil.ExactArgs("ORG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			ch := console.OrgChanges{Name: cmdutil.Changed(cmd, "name", name), Ref: cmdutil.Changed(cmd, "ref", ref),
				Tenant: tenant.changes(cmd)}
			v, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.OrgView, error) {
				return c.UpdateOrg(ctx, args[0], ch)
			})
			if err != nil {
				return err
			}
			return output.PrintOne(f.IO.Out, views.Orgs, v, o)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "new name")
	cmd.Flags().StringVar(&ref, "ref", "", "new ref ID (\"\" clears it)")
	tenant.register(cmd)
	return cmd
}

func newCmdDelete(f *cmdutil.Factory) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete ORG [--yes]",
		Short: "Delete an org: it leaves every list, its links and invites stop working",
		Long: `Delete an org. It leaves every list and count, and its login links and
invitations stop working. On a terminal you are asked to confirm; elsewhere
--yes is required. It needs admin or owner of the admin org.

` + orgArgHelp,
		Args: cmdutil.ExactArgs("ORG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !yes {
				if !f.IO.IsStdinTTY() {
					return fail.Usagef("refusing to delete without --yes: standard input is not a terminal to confirm on")
				}
				v, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) (console.OrgView, error) {
					org, err := cmdutil.OrgOrOpen(ctx, f, c, cmd, firstArg(args), "ORG")
					if err != nil {
						return console.OrgView{}, err
					}
					return c.ShowOrg(ctx, org)
				})
				if err != nil {
					return err
				}
				ok, err := cmdutil.Confirm(f.IO, fmt.Sprintf("Delete org %s (%s)? Its links and invites stop working.", v.Name, v.ID))
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(f.IO.ErrOut, "Nothing deleted")
					return nil
				}
				args[0] = v.ID
			}
			v, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.OrgView, error) {
				return c.DeleteOrg(ctx, args[0])
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Deleted org %s (%s)\n", v.Name, v.ID)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

// printOwnerInvites reports first-owner invitations on stderr, one line
// each. The URL carries a token: it ends the line only when stdout doesn't
// carry it already (urlPrinted false), so it is never lost and never shown
// twice.
func printOwnerInvites(f *cmdutil.Factory, urlPrinted bool, invites ...*console.NewInvite) {
	for _, inv := range invites {
		if inv == nil {
			continue
		}
		line := fmt.Sprintf("Invited %s as owner of %s (%s), valid until %s", inv.Email, inv.OrgName, inv.ID, output.ConfirmTime(inv.ExpiresAt))
		if !urlPrinted {
			line += ": " + inv.URL
		}
		fmt.Fprintln(f.IO.ErrOut, line)
	}
}
