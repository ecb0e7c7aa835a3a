// Package db holds `partnerctl db`: the store's schema.
package db

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// NewCmdDB builds `partnerctl db`.
func NewCmdDB(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Manage the store's schema",
	}
	cmd.AddCommand(newCmdMigrate(f))
	return cmd
}

func newCmdMigrate(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Upgrade the store's schema to this partnerctl's",
		Long: `Upgrade a store made by an earlier partnerctl to this one's schema.

A PostgreSQL store (--db postgres://…) keeps its schema version; after an
upgrade of partnerctl every other command refuses an older schema (exit 1)
until one person runs this. The migrations are part of the binary and run in
one transaction under the writer lock: other partnerctl processes wait (up to
--lock-timeout), and a failure leaves the schema as it was. A database whose
schema is newer than this partnerctl is refused (exit 1): upgrade partnerctl.

A bbolt store file upgrades itself when a command first writes to it; here it
is opened for writing, which does that.`,
		Example: `  partnerctl db migrate --db postgres://ann@db.example.com/acme_partners`,
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, name, err := f.OpenStore(boltstore.ReadWrite, false)
			if err != nil {
				return err
			}
			defer st.Close()
			m, ok := st.(store.Migrator)
			if !ok {
				fmt.Fprintf(f.IO.ErrOut, "%s is up to date (schema v%d): a store file upgrades itself when opened for writing\n", name, store.SchemaVersion)
				return nil
			}
			from, to, err := m.Migrate(f.Context())
			if err != nil {
				return err
			}
			if from == to {
				fmt.Fprintf(f.IO.ErrOut, "%s is up to date (schema v%d)\n", name, to)
				return nil
			}
			fmt.Fprintf(f.IO.ErrOut, "Migrated %s from schema v%d to v%d\n", name, from, to)
			return nil
		},
	}
}
