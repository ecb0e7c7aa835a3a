package orgs

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/cli/browser"
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// OpenOptions are the inputs of `orgs open`.
type OpenOptions struct {
	Org string
	Web bool
	// For time-boxes the partner access (1m to 24h); 0 for none.
	For time.Duration
	// Browse opens a URL in the system browser; tests replace it.
	Browse func(url string) error
}

// NewCmdOpen builds `orgs open`; browse nil means the system browser
// (github.com/cli/browser).
func NewCmdOpen(f *cmdutil.Factory, browse func(string) error) *cobra.Command {
	opts := &OpenOptions{Browse: browse}
	if opts.Browse == nil {
		opts.Browse = func(url string) error {
			browser.Stdout = f.IO.ErrOut // a browser's chatter must not mix with the URL on stdout
			browser.Stderr = f.IO.ErrOut
			return browser.OpenURL(url)
		}
	}
	cmd := &cobra.Command{
		Use:   "open ORG [--web] [--for DURATION]",
		Short: "Jump into an org: make it your active org and print its inbox URL",
		Long: `Make ORG your active org (saved in the store, per user) and print its inbox
URL: the scheme and host of the partner's login base URL, then
/orgs/<org id>/inbox.

Opening grants you the basic partner role in ORG unless you already have a
role there (which is kept). The partner role is not a seat: the org's users
count does not change. It lets you work in the org as a member of its team,
but managing teammates or deleting the org's data needs the customer's admin
to grant you a role. Opening is recorded in the audit trail (org.opened).

--for DURATION (1m to 24h) time-boxes the partner access: from then on the
grant is gone (no job needs to run: it is computed from the clock), and
"orgs current" says it expired. Opening again sets a new end, or none
without --for. A customer role you hold there is kept and never time-boxed.

--web also opens the URL in the system browser. Where there is none (a
server, a container, SSH) the URL is still printed, stderr says that no
browser could be opened, and the exit code is 0: the org was opened.

` + orgArgHelp + `

Exit codes: 2 --for outside 1m–24h; 3 no such org, or it was deleted; 4 not a
member of the admin org.`,
		Example: `  partnerctl orgs open CUST-0042
  partnerctl orgs open CUST-0042 --for 30m
  partnerctl orgs open "Acme Bakery" --web
  partnerctl orgs current
  partnerctl orgs close`,
		Args: cmdutil.ExactArgs("ORG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Org = args[0]
			return runOpen(f, opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Web, "web", "w", false, "also open the inbox in the system browser")
	cmd.Flags().DurationVar(&opts.For, "for", 0, "end the partner access after this long (1m to 24h)")
	return cmd
}

func runOpen(f *cmdutil.Factory, opts *OpenOptions) error {
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	v, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.ActiveOrg, error) {
		return c.OpenOrgFor(ctx, opts.Org, opts.For)
	})
	if err != nil {
		return err
	}
	as := v.Role
	if v.ExpiresAt != nil {
		as += " until " + output.ConfirmTime(*v.ExpiresAt)
	}
	fmt.Fprintf(f.IO.ErrOut, "Opened %s (%s) as %s; `partnerctl orgs close` returns to the admin org\n", v.OrgName, v.OrgID, as)
	if opts.For > 0 && v.ExpiresAt == nil {
		fmt.Fprintf(f.IO.ErrOut, "You are %s of %s: that role is kept, so --for sets no end\n", v.Role, v.OrgName)
	}
	if o.Format == output.FormatTable {
		if _, err := fmt.Fprintln(f.IO.Out, output.SafeText(v.InboxURL)); err != nil {
			return err
		}
	} else if err := output.PrintOne(f.IO.Out, views.ActiveOrg, v, o); err != nil {
		return err
	}
	if opts.Web {
		if err := opts.Browse(v.InboxURL); errors.Is(err, exec.ErrNotFound) {
			fmt.Fprintln(f.IO.ErrOut, "No browser could be opened: none was found on this machine; open the URL above yourself")
		} else if err != nil {
			fmt.Fprintf(f.IO.ErrOut, "No browser could be opened (%v); open the URL above yourself\n", err)
		} else {
			fmt.Fprintln(f.IO.ErrOut, "Opened the inbox in your browser")
		}
	}
	return nil
}

func newCmdCurrent(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "current",
		Short: "Show your active org (the admin org when none is open)",
		Long: `Show the org you opened with orgs open, with your role there, its inbox URL
and when time-boxed access ends (expires_at). When none is open, or the one
you opened was deleted since, it is the admin org (admin_org true). When your
access to the org you opened is over (it expired, or was ended by your
removal or a change of your scope), it is the admin org too and stderr says
so; lapsed_org_id and lapsed_reason (expired or ended) tell scripts.`,
		Example: "  partnerctl orgs current -o json",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			v, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) (console.ActiveOrg, error) { return c.CurrentOrg(ctx) })
			if err != nil {
				return err
			}
			if l := v.Lapsed; l != nil {
				org := l.OrgID
				if l.OrgName != "" {
					org = l.OrgName + " (" + l.OrgID + ")"
				}
				if l.Reason == console.LapseExpired {
					fmt.Fprintf(f.IO.ErrOut, "Your partner access to %s expired at %s; you are back in the admin org %s\n",
						org, output.ConfirmTime(*l.At), v.OrgName)
				} else {
					fmt.Fprintf(f.IO.ErrOut, "Your access to %s has ended; you are back in the admin org %s\n", org, v.OrgName)
				}
			}
			return output.PrintOne(f.IO.Out, views.ActiveOrg, v, o)
		},
	}
}

func newCmdClose(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "close",
		Short: "Return to the admin org",
		Long: `Leave the org you opened and return to the admin org (audited as org.closed).
The partner role opening granted stays. With no org open it changes nothing.`,
		Example: "  partnerctl orgs close",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			type result struct {
				now    console.ActiveOrg
				closed *console.ActiveOrg
			}
			r, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (result, error) {
				now, closed, err := c.CloseOrg(ctx)
				return result{now, closed}, err
			})
			if err != nil {
				return err
			}
			if r.closed == nil {
				fmt.Fprintf(f.IO.ErrOut, "No org was open; you are in the admin org %s\n", r.now.OrgName)
			} else {
				fmt.Fprintf(f.IO.ErrOut, "Closed %s (%s); back in the admin org %s\n", r.closed.OrgName, r.closed.OrgID, r.now.OrgName)
			}
			return nil
		},
	}
}
