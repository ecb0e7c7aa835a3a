// Package link holds the `link` commands: one-time login links.
package link

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/clipboard"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// NewCmdLink builds the `link` group. clip is where `link create` copies
// URLs; nil means the system clipboard.
func NewCmdLink(f *cmdutil.Factory, clip Clipboard) *cobra.Command {
	if clip == nil {
		clip = SystemClipboard{}
	}
	cmd := &cobra.Command{
		Use:     "link",
		Aliases: []string{"links"},
		Short:   "One-time login links: create, redeem, list, revoke",
		Long: `A one-time login link signs one email address into one customer org, once,
within 15 minutes. Its token (plk_…, 256 bits from crypto/rand) is shown only
when the link is made; the store keeps only its SHA-256 hash, so no command
can show it again.`,
		Args: cmdutil.NoArgs,
	}
	cmd.AddCommand(newCmdCreate(f, clip), newCmdRedeem(f), newCmdList(f), newCmdRevoke(f))
	return cmd
}

// CreateOptions are the inputs of `link create`.
type CreateOptions struct {
	Params       console.LinkParams
	Copy, NoCopy bool
}

func newCmdCreate(f *cmdutil.Factory, clip Clipboard) *cobra.Command {
	opts := &CreateOptions{}
	cmd := &cobra.Command{
		Use:   "create [ORG] --email EMAIL [--ttl DURATION] [--reason TEXT] [--copy|--no-copy]",
		Short: "Make a one-time login URL that signs EMAIL into ORG",
		Long: `Make a one-time login URL, <login_base_url>?token=plk_…, that signs EMAIL into
ORG once. It expires after --ttl (default and maximum 15m).

The URL alone goes to standard output, so it pipes cleanly; with -o json or
csv you get the link's details too. When standard output is a terminal the URL
is also copied to the clipboard (--copy forces it, --no-copy skips it). On a
machine without a clipboard (no xclip, xsel or wl-copy: servers, containers,
CI) the command still succeeds and says on stderr that nothing was copied.

The token is never shown again: not by link list, not in the audit trail.

ORG is an org id (org_…), a ref ID, or an exact name (any case). Without ORG
it is the org you opened with "orgs open" (stderr says so).

Exit codes: 2 bad --email, --ttl or --reason; 3 no such org; 4 not a member of
the admin org.`,
		Example: `  partnerctl link create CUST-0042 --email ceo@bakery.example --reason "support call"
  partnerctl link create "Acme Bakery" --email ops@acme.example --ttl 5m --no-copy | mail -s login ops@acme.example`,
		Args: cmdutil.MaxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Params.Org = args[0]
			}
			if opts.Copy && opts.NoCopy {
				return fail.Usagef("--copy and --no-copy contradict each other")
			}
			if cmd.Flags().Changed("ttl") && opts.Params.TTL <= 0 {
				return fail.Usagef("invalid --ttl %s: a login link lives from 1s to 15m", opts.Params.TTL)
			}
			return runCreate(f, cmd, clip, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Params.Email, "email", "", "the address the link signs in (required)")
	fl.DurationVar(&opts.Params.TTL, "ttl", console.MaxLinkTTL, "how long the link works, at most 15m")
	fl.StringVar(&opts.Params.Reason, "reason", "", "why the link was made (kept in link list and the audit trail)")
	fl.BoolVar(&opts.Copy, "copy", false, "copy the URL to the clipboard even when stdout is not a terminal")
	fl.BoolVar(&opts.NoCopy, "no-copy", false, "don't copy the URL to the clipboard")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

func runCreate(f *cmdutil.Factory, cmd *cobra.Command, clip Clipboard, opts *CreateOptions) error {
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	l, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.NewLink, error) {
		p := opts.Params
		var err error
		if p.Org, err = cmdutil.OrgOrOpen(ctx, f, c, cmd, p.Org, "ORG"); err != nil {
			return console.NewLink{}, err
		}
		l, err := c.CreateLink(ctx, p)
		if err == nil {
			cmdutil.WarnPlaceholderLoginBase(f, c)
		}
		return l, err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Created login link %s for %s into %s (%s); it works once, until %s\n",
		l.ID, l.Email, l.OrgName, l.OrgID, output.ConfirmTime(l.ExpiresAt))
	if o.Format == output.FormatTable {
		if _, err := fmt.Fprintln(f.IO.Out, output.SafeText(l.URL)); err != nil {
			return err
		}
	} else if err := output.PrintOne(f.IO.Out, views.NewLink, l, o); err != nil {
		return err
	}
	if opts.Copy || (f.IO.IsStdoutTTY() && !opts.NoCopy) {
		copyURL(f, clip, l.URL)
	}
	return nil
}

// copyURL copies url to the clipboard and says how that went. A missing or
// failing clipboard is not an error: the URL is on stdout already.
func copyURL(f *cmdutil.Factory, clip Clipboard, url string) {
	if err := clipboard.Copy(clip, url); err != nil {
		fmt.Fprintf(f.IO.ErrOut, "Not copied: %v; copy the URL from the output\n", err)
		return
	}
	fmt.Fprintln(f.IO.ErrOut, "Copied the URL to the clipboard")
}

func newCmdRedeem(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "redeem TOKEN|URL",
		Short: "Use a one-time login link (no current user needed: the token is the credential)",
		Long: `Redeem a one-time login link, given its URL or its bare plk_… token, and print
the org, the email it signs in and when. A link works exactly once: of any
number of concurrent redeems, one succeeds.

Give "-" and the token or URL on standard input (its first line): a token on
the command line is visible to other users of the machine in the process
list and stays in your shell history, so that form works but warns on stderr.

Exit codes: 3 the token was never issued; 5 the link was already used, has
expired, was revoked, or its org was deleted (the message says which).`,
		Example: `  pbpaste | partnerctl link redeem -
  partnerctl link redeem - -o json < token.txt
  partnerctl link redeem - <<< "$LOGIN_URL"`,
		Args: cmdutil.ExactArgs("TOKEN|URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			in, err := cmdutil.ReadSecretArg(f, args[0])
			if err != nil {
				return err
			}
			v, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.LinkView, error) { return c.RedeemLink(ctx, in) })
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Signed %s into %s (%s)\n", v.Email, v.OrgName, v.OrgID)
			return output.PrintOne(f.IO.Out, views.Redeemed, v, o)
		},
	}
}

func newCmdList(f *cmdutil.Factory) *cobra.Command {
	var q console.LinkQuery
	cmd := &cobra.Command{
		Use:     "list [--org ORG] [--state active|used|expired|revoked]",
		Aliases: []string{"ls"},
		Short:   "List login links and their state (never their tokens)",
		Long: `List one-time login links, oldest first, with who made them, why, and their
state: active, used, expired (at expires_at exactly) or revoked. Tokens are
never shown. Links of deleted orgs leave the list, as the orgs do.`,
		Example: `  partnerctl link list --state active
  partnerctl link list --org CUST-0042 -o json`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			rows, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) ([]console.LinkView, error) { return c.Links(ctx, q) })
			if err != nil {
				return err
			}
			o.Empty = "No login links yet; make one with `partnerctl link create ORG --email EMAIL`"
			if q.Org != "" || q.State != "" {
				o.Empty = "No login links match; try `partnerctl link list` without --org or --state"
			}
			return output.PrintList(f.IO.Out, views.Links, rows, o)
		},
	}
	cmd.Flags().StringVar(&q.Org, "org", "", "only links into this org (id, ref ID or name)")
	cmd.Flags().StringVar(&q.State, "state", "", "only links in this state: active, used, expired or revoked")
	cmdutil.FlagValues(cmd, "state", string(domain.LinkActive), string(domain.LinkUsed), string(domain.LinkExpired), string(domain.LinkRevoked))
	return cmdutil.Paged(cmd)
}

func newCmdRevoke(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Stop an active login link from working",
		Long: `Revoke an active login link by its id (lnk_…, see link list). Members of the
admin org revoke the links they created; its admins and owners anyone's.

Exit codes: 3 no such link; 4 someone else's link and you are a member of the
admin org below admin; 5 the link is already used, revoked or expired, or its
org was deleted.`,
		Example: "  partnerctl link revoke lnk_000042",
		Args:    cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			v, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.LinkView, error) {
				return c.RevokeLink(ctx, args[0])
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Revoked login link %s for %s into %s\n", v.ID, v.Email, v.OrgName)
			return output.PrintOne(f.IO.Out, views.Links, v, o)
		},
	}
}
