package orgs

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

func newCmdConnect(f *cmdutil.Factory) *cobra.Command {
	var p console.ConnectParams
	tenant := &tenantFlags{}
	cmd := &cobra.Command{
		Use:   "connect --name NAME --email EMAIL [--ref REF] [tenant details]",
		Short: "Ask an existing tenant to link to the partner: a pending org and an approval URL",
		Long: `Ask an existing tenant to link to the partner. The tenant is recorded as a
pending org (link status pending) and the approval URL goes to standard output
alone: send it to EMAIL, who becomes the tenant's contact email. The request
is valid 7 days; its token (pcr_…) is stored only as a hash and never shown
again. With -o json or csv you get the request's details too.

Until someone with the URL runs "orgs connect accept", the tenant is not
connected: it is not listed or counted by default (orgs list --link-status
pending shows it) and can't be opened or get login links. "orgs connect
reject" turns the request down (link status rejected).

` + tenantHelp + `

Exit codes: 2 bad --email or detail; 5 the ref ID or shortcode is taken.`,
		Example: `  partnerctl orgs connect --name "Harbor Dental" --email it@harbor.example --ref HD-1 --shortcode HBD
  partnerctl orgs connect --name "Harbor Dental" --email it@harbor.example | mail -s "Link to Northwind" it@harbor.example
  partnerctl orgs connect accept 'https://login.example.com/connect?token=pcr_…'`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			p.Tenant = tenant.tenant()
			nc, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.NewConnect, error) {
				return c.ConnectOrg(ctx, p)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Asked %s (%s) to link to the partner: pending until %s accepts, by %s\n",
				nc.OrgName, nc.OrgID, nc.Email, output.ConfirmTime(nc.ExpiresAt))
			if o.Format == output.FormatTable {
				_, err := fmt.Fprintln(f.IO.Out, nc.URL)
				return err
			}
			return output.PrintOne(f.IO.Out, views.NewConnect, nc, o)
		},
	}
	cmd.Flags().StringVar(&p.Name, "name", "", "the tenant's name")
	cmd.Flags().StringVar(&p.Email, "email", "", "who approves the link; the tenant's contact email")
	cmd.Flags().StringVar(&p.Ref, "ref", "", "your own reference ID for the tenant (unique)")
	tenant.register(cmd)
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("email")
	cmd.AddCommand(newCmdSettleConnect(f, true), newCmdSettleConnect(f, false))
	return cmd
}

// newCmdSettleConnect builds `orgs connect accept` and `orgs connect reject`.
func newCmdSettleConnect(f *cmdutil.Factory, accept bool) *cobra.Command {
	verb, done, effect := "reject", "rejected", "the tenant stays out of the console (link status rejected)"
	if accept {
		verb, done, effect = "accept", "accepted", "the tenant becomes a connected org"
	}
	return &cobra.Command{
		Use:   verb + " TOKEN|URL",
		Short: "Settle a connect request: " + verb + " it (the token is the credential, no login needed)",
		Long: fmt.Sprintf(`%s a connect request by its approval URL or bare pcr_… token: %s. No
current user is needed: the token is the credential. "-" reads the token from
the first line of standard input, which keeps it out of the process list.

Exit codes: 3 the token was never issued; 5 the request was already accepted
or rejected, has expired (after 7 days), or its org was deleted (the message
says which).`, titleCase(verb), effect),
		Example: fmt.Sprintf(`  partnerctl orgs connect %s 'https://login.example.com/connect?token=pcr_…'
  pbpaste | partnerctl orgs connect %s -`, verb, verb),
		Args: cmdutil.ExactArgs("TOKEN|URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			tok, err := cmdutil.ReadSecretArg(f, args[0])
			if err != nil {
				return err
			}
			v, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.ConnectView, error) {
				if accept {
					return c.AcceptConnect(ctx, tok)
				}
				return c.RejectConnect(ctx, tok)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "%s %s the link to the partner for %s (%s)\n", v.Email, done, v.OrgName, v.OrgID)
			return output.PrintOne(f.IO.Out, views.ConnectRequests, v, o)
		},
	}
}

func titleCase(s string) string { return string(s[0]-'a'+'A') + s[1:] }
