// Package maint holds the store maintenance commands: doctor and backup.
package maint

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/boltstore"
	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// NewCmdDoctor builds `partnerctl doctor`.
func NewCmdDoctor(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check the store's integrity",
		Long: `Check the store without changing it: bbolt's own page-level consistency
check, then partnerctl's invariants: the schema version and every bucket are
present, no counter is negative, session days are sorted, the live org count
matches the live customer orgs, the name and ref indexes agree with the org
records both ways, the id sequence is ahead of every org, every membership's
and device's org exists, and the partner's admin org exists.

Each problem is printed on its own line and the exit code is 1; a healthy
store prints one "ok" line and exits 0. doctor opens the store read-only, so
it can run while other partnerctl processes read it. A file that is not a
bbolt database at all (random bytes, truncated) exits 1 saying so.`,
		Example: `  partnerctl doctor
  partnerctl doctor --db backup.db`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := f.StoreOptions(boltstore.ReadOnly)
			if err != nil {
				return err
			}
			opts.NoSchemaCheck = true
			st, err := boltstore.Open(opts)
			if err != nil {
				return err
			}
			rep, err := st.Doctor()
			if cerr := st.Close(); err == nil && cerr != nil {
				err = fail.Wrap(fail.Internal, cerr, "cannot close the store")
			}
			if err != nil {
				return err
			}
			if !rep.OK() {
				for _, p := range rep.Problems {
					fmt.Fprintf(f.IO.Out, "problem: %s\n", p)
				}
				return fail.Internalf("doctor found %d problem(s) in %s", len(rep.Problems), rep.Path).
					WithHint("restore a backup, or report the problems")
			}
			fmt.Fprintf(f.IO.Out, "ok: %s passed bbolt's consistency check and %d invariant checks (%d orgs, %d memberships, %d events, %d audit entries)\n",
				rep.Path, rep.Invariants, rep.Orgs, rep.Members, rep.Events, rep.Audit)
			return nil
		},
	}
}
