// Package events holds `events import`, which feeds activity into the org counters.
package events

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/helptopics"
	"github.com/partnerctl/partnerctl/internal/progress"
	"github.com/partnerctl/partnerctl/internal/runtimetune"
	"github.com/partnerctl/partnerctl/internal/secretscan"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// NewCmdEvents builds the `events` group.
func NewCmdEvents(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Feed platform activity into the org counters",
		Long:  helptopics.EventsSchema(),
		Args:  cmdutil.NoArgs,
	}
	cmd.AddCommand(newCmdImport(f))
	return cmd
}

func newCmdImport(f *cmdutil.Factory) *cobra.Command {
	var skipInvalid bool
	cmd := &cobra.Command{
		Use:   "import [FILE|-] [--skip-invalid]",
		Short: "Import JSON Lines events (idempotent on event id)",
		Long: `Import events, one JSON object a line, from FILE or standard input:

  {"id":"evt_1","org":"CUST-0042","type":"session.started","at":"2026-11-20T10:00:00Z"}

"org" is an org id or ref ID. By default the import is all or nothing: if any
line is invalid nothing is written, the first bad lines are listed as
"line N: reason", and the exit code is 2. --skip-invalid imports the valid
lines and reports the others. An event whose id was imported before is
skipped as a duplicate, whatever org it names now, so re-running an import
is safe. Memory grows with the orgs the feed touches, not with its length.
Standard input is read to its end before the store is locked, so a slow
producer keeps no other command waiting: up to 32 MiB in memory, then in a
temporary file in the store's folder, up to 4096 MiB (for more, import a
file). See "partnerctl help events" for every type.`,
		Example: `  partnerctl events import activity.jsonl
  platform-export --since yesterday | partnerctl events import - --skip-invalid`,
		Args: cmdutil.MaxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "-"
			if len(args) == 1 {
				path = args[0]
			}
			if err := cmdutil.CheckImportAccess(f, path); err != nil {
				return err
			}
			in, size, closeIn, err := cmdutil.OpenInput(f, path)
			if err != nil {
				return err
			}
			defer closeIn()
			bar := progress.New(f.IO, size, "importing events")
			opts := console.EventImportOptions{SkipInvalid: skipInvalid, Progress: bar.Set, TempDir: f.StoreDir(),
				InRanges: runtimetune.ForRangedImport}
			// A stream is read to its end before the store is locked: a
			// slow producer must not keep every other command waiting.
			feed, err := console.PrepareEvents(in, opts)
			if err != nil {
				bar.Finish()
				return err
			}
			defer feed.Close()
			runtimetune.ForImport(feed.Size())
			res, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.EventImportResult, error) {
				return c.ImportEvents(ctx, feed, opts)
			})
			bar.Finish()
			if err != nil {
				return err
			}
			for _, l := range res.Invalid {
				fmt.Fprintf(f.IO.ErrOut, "skipped %s\n", secretscan.Redact(l.String()))
			}
			if more := res.Skipped - len(res.Invalid); more > 0 {
				fmt.Fprintf(f.IO.ErrOut, "skipped %d more invalid line(s)\n", more)
			}
			fmt.Fprintf(f.IO.ErrOut, "Imported %d event(s), %d duplicate(s), %d skipped\n", res.Imported, res.Duplicates, res.Skipped)
			return nil
		},
	}
	cmd.Flags().BoolVar(&skipInvalid, "skip-invalid", false, "import the valid lines and report the invalid ones")
	return cmd
}
