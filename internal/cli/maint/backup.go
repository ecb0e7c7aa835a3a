package maint

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dustin/go-humanize"
	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// NewCmdBackup builds `partnerctl backup FILE`.
func NewCmdBackup(f *cmdutil.Factory) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the store to FILE",
		Long: `Write a consistent copy of the store, as of one instant, to FILE. The copy is
itself a working store: use it with --db, check it with doctor, or put it in
place of the original to restore.

The store is opened read-only, so other readers carry on; writers wait only
while the pages are copied (not while the copy is synced to disk). The copy
is written to a temporary file next to FILE (mode 0600) and renamed into
place, so FILE is never half-written. An existing FILE is refused (exit 5)
unless --force is given; FILE may not be the store itself (exit 2).

A PostgreSQL store is a database: back it up with its own tools (pg_dump,
or the server's backups); backup refuses it with exit 2.`,
		Example: `  partnerctl backup ~/backups/partnerctl-$(date +%F).db
  partnerctl backup nightly.db --force && partnerctl doctor --db nightly.db`,
		Args: cmdutil.ExactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, path, err := f.OpenStore(boltstore.ReadOnly, true)
			if err != nil {
				return err
			}
			b, ok := st.(store.Backuper)
			if !ok {
				st.Close()
				return fail.Usagef("this store can't be backed up by partnerctl").WithCode(fail.CodeNoBackup)
			}
			closed := false
			release := func() {
				if !closed {
					closed = true
					_ = st.Close()
				}
			}
			defer release()
			n, err := b.Backup(f.Context(), args[0], store.BackupOptions{Force: force, Written: release})
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Backed up %s to %s (%s)\n", path, args[0], humanize.IBytes(uint64(n)))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")
	return cmd
}
