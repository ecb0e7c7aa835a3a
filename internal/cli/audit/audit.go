// Package audit holds `audit list`, the read-only view of the audit trail.
package audit

import (
	"context"
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// NewCmdAudit builds the `audit` group.
func NewCmdAudit(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read the audit trail: who changed what, in which org, when",
		Long: `Every command that changes the store records who did it (the current
user, or for link redeem the link's email), what (a dotted action such as
org.created, org.opened, link.created, link.redeemed, link.revoked), in which
org, and when. Entries are only ever appended: no command edits or removes
them.`,
		Args: cmdutil.NoArgs,
	}
	cmd.AddCommand(newCmdList(f))
	return cmd
}

func newCmdList(f *cmdutil.Factory) *cobra.Command {
	var q console.AuditQuery
	var all bool
	cmd := &cobra.Command{
		Use:     "list [--org ORG | --all] [--actor EMAIL] [--since DATE|DURATION]",
		Aliases: []string{"ls"},
		Short:   "List audit entries, oldest first",
		Long: `List audit entries, oldest first. JSON keys: at actor action org_id org_name
detail.

--org takes an org id, ref ID or exact name; deleted orgs (by id) and the
admin org are accepted, since their history stays. Without --org it is the
org you opened with "orgs open" (stderr says so), or every org when none is
open; --all lists every org's entries whatever is open. --since takes a date
(2026-11-01, midnight UTC), an RFC 3339 time, or a duration back from now
(90m, 24h, 7d); entries at or after it are listed.

Members of the admin org read the whole trail (a scoped member: that of their
orgs). An org's own owners and admins, without console access, read their
org's with --org ORG: what the partner's people did there, under their own
names.

Exit codes: 2 bad --actor or --since; 3 no such org; 4 not a member of the
admin org (nor an owner or admin of the org given).`,
		Example: `  partnerctl audit list --since 24h
  partnerctl audit list --org CUST-0042 --actor alex@northwind.example -o json`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			if all && q.Org != "" {
				return fail.Usagef("--all can't be combined with --org")
			}
			rows, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) ([]domain.AuditEntry, error) {
				if !all && q.Org == "" {
					if cur, ok := cmdutil.OpenOrg(ctx, c); ok {
						cmdutil.SayUsingOpenOrg(f, cur, "--org ORG or --all")
						q.Org = cur.OrgID
					}
				}
				return c.Audit(ctx, q)
			})
			if err != nil {
				return err
			}
			// The audit records real time (PARTNERCTL_NOW never pins it): "2
			// hours ago" is counted from the real clock too.
			o.Now = f.RealNow()
			o.Empty = "No audit entries yet: every change is recorded as it is made"
			if q.Org != "" || q.Actor != "" || q.Since != "" {
				o.Empty = "No audit entries match; try `partnerctl audit list` without filters"
			}
			return output.PrintList(f.IO.Out, views.Audit, rows, o)
		},
	}
	cmd.Flags().StringVar(&q.Org, "org", "", "only entries about this org (id, ref ID or name)")
	cmd.Flags().BoolVar(&all, "all", false, "every org's entries, even with an org open")
	cmd.Flags().StringVar(&q.Actor, "actor", "", "only entries by this user (email)")
	cmd.Flags().StringVar(&q.Since, "since", "", "only entries at or after a date, time or duration ago (2026-11-01, 24h, 7d)")
	return cmdutil.Paged(cmd)
}
