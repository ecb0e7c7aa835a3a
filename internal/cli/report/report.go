// Package report holds the `report` commands: reports for cron jobs.
package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// NewCmdReport builds the `report` group.
func NewCmdReport(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Reports for cron jobs: what changed since the last run",
		Long: `Reports made for cron: each run lists what changed since the previous run of
the same report, so a daily mail holds the news, not the same list again.`,
		Args: cmdutil.NoArgs,
	}
	cmd.AddCommand(NewCmdChanges(f, nil))
	return cmd
}

// ChangesOptions are the inputs of `report changes`.
type ChangesOptions struct {
	F      *cmdutil.Factory
	Query  console.ChangesQuery
	FailOn string
}

// NewCmdChanges builds `report changes`; runF replaces the run step in tests.
func NewCmdChanges(f *cmdutil.Factory, runF func(*ChangesOptions) error) *cobra.Command {
	opts := &ChangesOptions{F: f}
	cmd := &cobra.Command{
		Use:   "changes [--name NAME] [--dry-run] [--fail-on KIND,...]",
		Short: "List what changed since the last run of this report",
		Long: `List what changed since the last run of the report called --name (default
"default"), one row per change:

  status_changed       an org's health status changed (from → to)
  appeared             an org was created (or this is the report's first run)
  deleted              an org was deleted
  link_status_changed  an org's link status changed (from → to)
  license_expired      a license expired (once per expiry)
  license_expiring     an active license ends within 14 days (once per expiry;
                       a renewal starts a new expiry)

JSON keys: kind org_id org_name from to at detail. "at" is when the change
happened where the store knows it (creation, deletion, a license's expiry at
the end of its last day), else the time of the run.

The first run of a report lists every org as appeared. After a successful run
the store remembers what the report saw, in the same transaction that read
it, so no change is listed twice or lost between runs; --dry-run lists the
changes without remembering them. Reports of different names keep their own
state: a daily and a weekly job don't disturb each other.

A teammate scoped to some orgs (users scope) reports on those only, and their
report of a name is their own, apart from the one the rest of the team shares:
their runs neither list the orgs they can't see nor disturb what the team's
runs saw. Their first run of a name lists their orgs as appeared; an org that
leaves their scope leaves their report without a row.

--fail-on turns the report into a gate: it prints as usual, then exits 7 when
a row of one of the listed kinds was printed.

Exit codes: 2 bad --name or --fail-on; 4 not a member of the admin org; 6 the
store is busy (nothing was remembered: the next run lists the changes again);
7 the gate matched.`,
		Example: `  partnerctl report changes
  partnerctl report changes --dry-run -o json
  partnerctl report changes --name weekly --fail-on status_changed,deleted

  # crontab: mail me the changes every morning at 7 (a quiet day sends nothing)
  0 7 * * * partnerctl report changes --no-headers | mail -E -s "partnerctl: what changed" ops@acme.example`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runChanges(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Query.Name, "name", console.DefaultReportName, "the report's name: its own memory of the last run")
	fl.BoolVar(&opts.Query.DryRun, "dry-run", false, "list the changes without remembering this run")
	fl.StringVar(&opts.FailOn, "fail-on", "", "exit 7 when a change of one of these kinds is listed (comma-separated)")
	_ = cmd.RegisterFlagCompletionFunc("fail-on", completeKinds)
	_ = cmd.RegisterFlagCompletionFunc("name", cobra.NoFileCompletions)
	return cmd
}

// completeKinds completes the kind after the last comma of a --fail-on list.
func completeKinds(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	done := toComplete[:strings.LastIndexByte(toComplete, ',')+1]
	var out []string
	for _, k := range console.ChangeKinds {
		if !strings.Contains(","+done, ","+string(k)+",") {
			out = append(out, done+string(k))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

func runChanges(opts *ChangesOptions) error {
	f := opts.F
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	q := opts.Query
	if q.FailOn, err = console.ParseChangeKinds("fail_on", opts.FailOn); err != nil {
		return err
	}
	run := cmdutil.Write[console.ChangeReport]
	if q.DryRun {
		run = cmdutil.Read[console.ChangeReport] // a dry run changes nothing: a reader's open
	}
	rep, err := run(f, func(ctx context.Context, c *console.Console) (console.ChangeReport, error) {
		return c.ReportChanges(ctx, q)
	})
	if err != nil {
		return err
	}
	if o.Terminal() {
		fmt.Fprintln(f.IO.Out, heading(rep))
		if len(rep.Changes) == 0 {
			return nil
		}
		fmt.Fprintln(f.IO.Out)
	}
	if err := output.PrintList(f.IO.Out, views.Changes, rep.Changes, o); err != nil {
		return err
	}
	if rep.GateMatches > 0 {
		return &fail.Error{Kind: fail.HealthGate,
			Msg: fmt.Sprintf("health gate: %d change(s) of kind %s", rep.GateMatches, strings.ReplaceAll(opts.FailOn, ",", " or "))}
	}
	return nil
}

// heading says what a terminal's table is compared with.
func heading(rep console.ChangeReport) string {
	s := fmt.Sprintf("Report %q", rep.Name)
	if rep.Own {
		s += " of your orgs" // a scoped teammate's own, not the team's
	}
	if rep.Since.IsZero() {
		s += ": first run, every org is new to it"
	} else {
		s += fmt.Sprintf(": %d change(s) since %s", len(rep.Changes), rep.Since.UTC().Format(time.DateTime+" MST"))
	}
	if !rep.Saved {
		s += " (dry run: not remembered)"
	}
	return s
}
