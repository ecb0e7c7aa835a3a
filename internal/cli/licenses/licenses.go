// Package licenses holds the `licenses` commands.
package licenses

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

const statusHelp = `A license is active when today (UTC) is within its start and end dates,
inclusive, and it has not been deactivated; otherwise it is inactive with a
reason: not_started, expired, deactivated or unpaid.`

// NewCmdLicenses builds the `licenses` group.
func NewCmdLicenses(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "licenses",
		Aliases: []string{"license"},
		Short:   "Issue, assign, renew and review licenses",
		Long: "Licenses entitle orgs to the platform. Issuing, assigning, renewing and\n" +
			"deactivating need admin or owner of the admin org.\n\n" + statusHelp,
		Args: cmdutil.NoArgs,
	}
	cmd.AddCommand(newCmdIssue(f), newCmdList(f), newCmdShow(f), newCmdAssign(f), newCmdRenew(f), newCmdDeactivate(f))
	return cmd
}

// write runs a state-changing license operation and prints the license.
func write(f *cmdutil.Factory, fn func(ctx context.Context, c *console.Console) (console.LicenseView, error)) error {
	return cmdutil.WriteOne(f, views.Licenses, fn)
}

func newCmdIssue(f *cmdutil.Factory) *cobra.Command {
	var p console.IssueParams
	cmd := &cobra.Command{
		Use:   "issue --start DATE --end DATE [--org ORG] [--number N]",
		Short: "Issue a license, optionally to an org",
		Long: `Issue a license valid from --start to --end (inclusive). Dates are YYYY-MM-DD
or RFC 3339 times (their UTC day). The number defaults to L-000001 style.

` + statusHelp,
		Example: `  partnerctl licenses issue --start 2026-12-01 --end 2027-11-30 --org CUST-0042`,
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return write(f, func(ctx context.Context, c *console.Console) (console.LicenseView, error) {
				return c.IssueLicense(ctx, p)
			})
		},
	}
	cmd.Flags().StringVar(&p.Start, "start", "", "first day of validity")
	cmd.Flags().StringVar(&p.End, "end", "", "last day of validity")
	cmd.Flags().StringVar(&p.Org, "org", "", "org to assign it to (id, ref or name)")
	cmd.Flags().StringVar(&p.Number, "number", "", "license number (default L-<id>)")
	_ = cmd.MarkFlagRequired("start")
	_ = cmd.MarkFlagRequired("end")
	return cmd
}

func newCmdList(f *cmdutil.Factory) *cobra.Command {
	var q console.LicenseQuery
	var within string
	cmd := &cobra.Command{
		Use:   "list [--status active|inactive] [--expiring-within 30d] [--org ORG]",
		Short: "List licenses with their status",
		Long: `List licenses in issue order. --expiring-within lists active licenses whose
end date falls within that many days from today: the renewal report.

` + statusHelp,
		Example: `  partnerctl licenses list --status inactive
  partnerctl licenses list --expiring-within 30d -o csv   # monthly renewal review`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q.ExpiringWithin = -1
			if cmd.Flags().Changed("expiring-within") {
				var err error
				if q.ExpiringWithin, err = console.ParseDays("expiring_within", within); err != nil {
					return err
				}
			}
			empty := "No licenses yet; issue one with `partnerctl licenses issue --start DATE --end DATE --org ORG`"
			if cmd.Flags().Changed("status") || cmd.Flags().Changed("expiring-within") || q.Org != "" {
				empty = "No licenses match; try `partnerctl licenses list` without filters"
			}
			return cmdutil.ReadList(f, views.Licenses, empty, func(ctx context.Context, c *console.Console) ([]console.LicenseView, error) {
				return c.ListLicenses(ctx, q)
			})
		},
	}
	cmd.Flags().StringVar(&q.Status, "status", "", "only active or inactive licenses")
	cmdutil.FlagValues(cmd, "status", string(domain.LicenseActive), string(domain.LicenseInactive))
	cmd.Flags().StringVar(&within, "expiring-within", "", "only active licenses ending within this window (30d, 72h)")
	cmd.Flags().StringVar(&q.Org, "org", "", "only this org's licenses")
	return cmdutil.Paged(cmd)
}

func newCmdShow(f *cmdutil.Factory) *cobra.Command {
	var org string
	cmd := &cobra.Command{
		Use:   "show LICENSE|--org ORG",
		Short: "Show a license (or an org's licenses) with the full history",
		Long: `Show a license, by id or number, with its history: every change, when and by
whom. --org shows every license of an org.

JSON prints the license objects with a "history" array; CSV and plain tables
print one history entry a row (license_id, at, actor, action, detail).`,
		Example: `  partnerctl licenses show L-000001
  partnerctl licenses show --org CUST-0042 -o json`,
		Args: cmdutil.MaxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (org != "") {
				return fail.Usagef("give a LICENSE or --org ORG (one of them)")
			}
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			ls, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) ([]console.LicenseView, error) {
				if org != "" {
					return c.ListLicenses(ctx, console.LicenseQuery{Org: org, ExpiringWithin: -1})
				}
				l, err := c.ShowLicense(ctx, args[0])
				return []console.LicenseView{l}, err
			})
			if err != nil {
				return err
			}
			if org != "" {
				o.Empty = fmt.Sprintf("No licenses for %s; issue one with `partnerctl licenses issue --start DATE --end DATE --org %s`",
					cmdutil.ShellQuote(org), cmdutil.ShellQuote(org))
			}
			return printShow(f, ls, o, org == "")
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "show every license of this org")
	return cmdutil.Paged(cmd)
}

// licenseJSON is a license with its history, as `licenses show -o json` prints it.
type licenseJSON struct {
	ID             string        `json:"id"`
	Number         string        `json:"number"`
	Status         string        `json:"status"`
	InactiveReason *string       `json:"inactive_reason"`
	Org            *string       `json:"org"`
	OrgName        *string       `json:"org_name"`
	Start          string        `json:"start"`
	End            string        `json:"end"`
	CreatedAt      string        `json:"created_at"`
	Note           *string       `json:"note"`
	History        []historyJSON `json:"history"`
}

type historyJSON struct {
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Detail string `json:"detail"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toJSON(l console.LicenseView) licenseJSON {
	j := licenseJSON{ID: l.ID, Number: l.Number, Status: string(l.Status), InactiveReason: optional(l.Reason),
		Org: optional(l.OrgID), OrgName: optional(l.OrgName), Start: l.Start.Format(time.DateOnly),
		End: l.End.Format(time.DateOnly), CreatedAt: l.CreatedAt.UTC().Format(time.RFC3339), Note: optional(l.Note),
		History: []historyJSON{}}
	for _, h := range l.History {
		j.History = append(j.History, historyJSON{h.At.UTC().Format(time.RFC3339), h.Actor, h.Action, h.Detail})
	}
	return j
}

func printShow(f *cmdutil.Factory, ls []console.LicenseView, o output.Options, single bool) error {
	switch {
	case o.Format == output.FormatJSON && single:
		return output.PrintJSON(f.IO.Out, toJSON(ls[0]), o)
	case o.Format == output.FormatJSON:
		all := make([]licenseJSON, 0, len(ls))
		for _, l := range ls {
			all = append(all, toJSON(l))
		}
		return output.PrintJSON(f.IO.Out, all, o)
	case !o.Terminal():
		return output.PrintList(f.IO.Out, views.LicenseChanges, views.LicenseHistory(ls), o)
	}
	for i, l := range ls {
		if i > 0 {
			fmt.Fprintln(f.IO.Out)
		}
		if err := output.PrintOne(f.IO.Out, views.Licenses, l, o); err != nil {
			return err
		}
		fmt.Fprintln(f.IO.Out, "\nHistory")
		hist := o
		hist.Fields = []string{"at", "actor", "action", "detail"}
		if err := output.PrintList(f.IO.Out, views.LicenseChanges, views.LicenseHistory([]console.LicenseView{l}), hist); err != nil {
			return err
		}
	}
	if len(ls) == 0 {
		fmt.Fprintln(f.IO.ErrOut, o.Empty)
	}
	return nil
}

func newCmdAssign(f *cmdutil.Factory) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "assign LICENSE ORG [--force]",
		Short: "Assign a license to an org (moving it from another org takes --force or a yes)",
		Long: `Assign a license to an org. A license that another org holds is not moved
silently: on a terminal you are asked to confirm; elsewhere --force is
required (without it: exit 5, nothing changes). What moved, and from where,
is said on stderr.`,
		Example: `  partnerctl licenses assign L-000007 CUST-0042
  partnerctl licenses assign L-000007 CUST-0042 --force   # take it from the org that holds it`,
		Args: cmdutil.ExactArgs("LICENSE", "ORG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			p := console.AssignParams{License: args[0], Org: args[1], Move: force}
			assign := func() (console.Assignment, error) {
				return cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.Assignment, error) {
					return c.AssignLicenseTo(ctx, p)
				})
			}
			a, err := assign()
			if code, _ := fail.CodeOf(err); code == fail.CodeLicenseHeld && !force && f.IO.IsStdinTTY() {
				ok, cerr := cmdutil.Confirm(f.IO, fmt.Sprintf("License %s belongs to %s (%s). Move it to %s?", args[0], a.FromName, a.FromID, args[1]))
				if cerr != nil {
					return cerr
				}
				if !ok {
					fmt.Fprintln(f.IO.ErrOut, "Nothing assigned")
					return nil
				}
				// Moved only from the org the answer was about.
				p.Move, p.From = true, a.FromID
				a, err = assign()
			}
			if err != nil {
				return err
			}
			if a.FromID != "" {
				fmt.Fprintf(f.IO.ErrOut, "Moved license %s (%s) from %s (%s) to %s (%s)\n", a.Number, a.ID, a.FromName, a.FromID, a.OrgName, a.OrgID)
			} else {
				fmt.Fprintf(f.IO.ErrOut, "Assigned license %s (%s) to %s (%s)\n", a.Number, a.ID, a.OrgName, a.OrgID)
			}
			return output.PrintOne(f.IO.Out, views.Licenses, a.LicenseView, o)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "move the license even when another org holds it")
	return cmd
}

func newCmdRenew(f *cmdutil.Factory) *cobra.Command {
	var end string
	cmd := &cobra.Command{
		Use:   "renew LICENSE --end DATE",
		Short: "Move a license's end date; a renewal also lifts an unpaid deactivation",
		Long: `Set a new end date. A renewal is a payment: a license deactivated as unpaid
becomes active again (within its dates); any other deactivation stays.`,
		Example: `  partnerctl licenses renew L-000001 --end 2027-12-31`,
		Args:    cmdutil.ExactArgs("LICENSE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return write(f, func(ctx context.Context, c *console.Console) (console.LicenseView, error) {
				return c.RenewLicense(ctx, args[0], end)
			})
		},
	}
	cmd.Flags().StringVar(&end, "end", "", "new last day of validity")
	_ = cmd.MarkFlagRequired("end")
	return cmd
}

func newCmdDeactivate(f *cmdutil.Factory) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "deactivate LICENSE --reason R",
		Short: "Switch a license off (reason unpaid, or any text)",
		Long: `Deactivate a license. --reason unpaid marks it inactive for non-payment
(inactive_reason "unpaid"; a renewal lifts it). Any other reason is kept as a
note and makes it inactive_reason "deactivated".`,
		Example: `  partnerctl licenses deactivate L-000003 --reason unpaid
  partnerctl licenses deactivate L-000004 --reason "customer churned"`,
		Args: cmdutil.ExactArgs("LICENSE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return write(f, func(ctx context.Context, c *console.Console) (console.LicenseView, error) {
				return c.DeactivateLicense(ctx, args[0], reason)
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why: unpaid, or free text")
	cmdutil.FlagValues(cmd, "reason", domain.ReasonUnpaid)
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}
