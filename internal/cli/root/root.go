// Package root assembles partnerctl's command tree and runs it.
package root

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/buildinfo"
	"github.com/partnerctl/partnerctl/internal/cli/audit"
	"github.com/partnerctl/partnerctl/internal/cli/auth"
	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/db"
	"github.com/partnerctl/partnerctl/internal/cli/demo"
	"github.com/partnerctl/partnerctl/internal/cli/events"
	"github.com/partnerctl/partnerctl/internal/cli/helptopics"
	"github.com/partnerctl/partnerctl/internal/cli/licenses"
	"github.com/partnerctl/partnerctl/internal/cli/link"
	"github.com/partnerctl/partnerctl/internal/cli/maint"
	"github.com/partnerctl/partnerctl/internal/cli/orgs"
	"github.com/partnerctl/partnerctl/internal/cli/partner"
	"github.com/partnerctl/partnerctl/internal/cli/report"
	"github.com/partnerctl/partnerctl/internal/cli/ui"
	"github.com/partnerctl/partnerctl/internal/cli/users"
	"github.com/partnerctl/partnerctl/internal/cli/version"
	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// NewCmdRoot builds the command tree over f.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "partnerctl",
		Short: "The partner admin console, in your terminal",
		Long: `partnerctl is a scriptable partner admin console: every connected customer
org with a health verdict, one-time login links, invitations and licenses,
from one terminal, cron job or CI pipeline.

Try it with no setup:  partnerctl demo`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	cmd.SetOut(f.IO.Out)
	cmd.SetErr(f.IO.ErrOut)
	cmd.SetIn(f.IO.In)
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.Flags.DB, "db", "", "store: a file, or a postgres:// URL of a shared database (env PARTNERCTL_DB; default $XDG_DATA_HOME/partnerctl/partnerctl.db)")
	pf.StringVarP(&f.Flags.Output, "output", "o", "table", "output format: table, json or csv")
	pf.StringVar(&f.Flags.Fields, "fields", "", "columns/keys to print, in order (names as in JSON)")
	pf.BoolVar(&f.Flags.NoHeaders, "no-headers", false, "omit the header row (table, csv)")
	pf.StringVar(&f.Flags.As, "as", "", "act as this user (env PARTNERCTL_USER), overriding the one saved by login; on a shared database only yourself")
	pf.DurationVar(&f.Flags.LockTimeout, "lock-timeout", 5*time.Second, "how long to wait for another process holding the store")
	pf.BoolVar(&f.Flags.NoColor, "no-color", false, "no ANSI color (also NO_COLOR, CLICOLOR=0)")
	pf.BoolVar(&f.Flags.CSVRaw, "csv-raw", false, "CSV cells as stored: no ' before a leading = + - @ (see help output-safety)")
	pf.StringVarP(&f.Flags.JQ, "jq", "q", "", "filter JSON output with a jq expression (implies -o json)")
	pf.StringVarP(&f.Flags.Template, "template", "t", "", "format JSON output with a Go template (implies -o json)")
	cmd.SetFlagErrorFunc(flagError)
	cmd.PersistentPreRun = func(c *cobra.Command, _ []string) {
		f.Flags.OutputSet = c.Flags().Changed("output")
		if cmdutil.IsPaged(c) {
			f.IO.StartPager()
		}
	}

	cmd.AddCommand(
		auth.NewCmdInit(f, nil),
		auth.NewCmdLogin(f, nil),
		auth.NewCmdLogout(f),
		auth.NewCmdWhoAmI(f),
		partner.NewCmdPartner(f),
		orgs.NewCmdOrgs(f),
		events.NewCmdEvents(f),
		demo.NewCmdDemo(f, nil),
		audit.NewCmdAudit(f),
		link.NewCmdLink(f, nil),
		licenses.NewCmdLicenses(f),
		version.NewCmdVersion(f),
		users.NewCmdUsers(f),
		maint.NewCmdDoctor(f),
		maint.NewCmdBackup(f),
		db.NewCmdDB(f),
		report.NewCmdReport(f),
		ui.NewCmdConsole(f, nil),
	)
	cmd.AddCommand(helptopics.Commands()...)
	cmd.SetHelpCommand(newCmdHelp())
	cmd.Version = buildinfo.Get().Line()
	cmd.SetVersionTemplate("{{.Version}}\n")
	cmd.DisableAutoGenTag = true
	useBashPatches(cmd)
	refuseUnknownSubcommands(cmd)
	wireCompletions(cmd, f)
	return cmd
}

// Main runs partnerctl with args and returns the process exit code.
func Main(f *cmdutil.Factory, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			f.IO.StopPager()
			fmt.Fprintf(f.IO.ErrOut, "partnerctl: internal error: %v\n", r)
			code = int(fail.Internal)
		}
	}()
	cmd := NewCmdRoot(f)
	cmd.SetArgs(args)
	failed, err := cmd.ExecuteC()
	f.IO.StopPager()
	if err == nil || errors.Is(err, iostreams.ErrClosedPager) {
		return 0
	}
	err = classifyCobraError(failed, err)
	PrintError(f.IO.ErrOut, err)
	return fail.ExitCode(err)
}

// PrintError writes err as partnerctl's one-line error, after the line
// errors of a bad input file and before suggestions of what was meant.
func PrintError(w io.Writer, err error) {
	cmdutil.PrintError(w, err)
	for _, l := range suggestionsOf(err) {
		fmt.Fprintln(w, l)
	}
}
