// Package ui holds `partnerctl console`: the interactive console of
// internal/tui on a terminal.
package ui

import (
	"fmt"
	"github.com/partnerctl/partnerctl/pkg/tempfile"
	"os"
	"slices"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/clipboard"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/tui"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// Options are the inputs of `console`.
type Options struct {
	Search  string
	PerPage int
}

// NewCmdConsole builds `console` (alias `ui`). clip is where login links
// are copied; nil means the system clipboard.
func NewCmdConsole(f *cmdutil.Factory, clip clipboard.Clipboard) *cobra.Command {
	if clip == nil {
		clip = clipboard.System{}
	}
	opts := &Options{}
	cmd := &cobra.Command{
		Use:     "console [--search Q] [--per-page N]",
		Aliases: []string{"ui"},
		Short:   "The interactive console: search, page, open orgs and copy login links",
		Long: `Open the partner admin console full-screen on this terminal: the header card,
every connected org with its health, a search box that narrows the list as you
type, status and license filters, 10/25/50/100 rows per page, and on each row
its details, Open and a login link.

Keys (press ? in the console for this list):
  ↑ ↓  (k j)        previous / next row
  ← →  (pgup pgdn)  previous / next page;  home end (g G) first / last page
  /                 search: type to narrow by name or ref ID (any case, as
                    orgs list --search); enter or esc returns to the table
  s  l              cycle the status filter / the license filter
  r                 rows per page: 10, 25, 50, 100
  x                 clear the search and filters;  ctrl+r  reload the list
  enter             details of the row, with why it has its status
  o                 open the org (as orgs open: your active org, audited)
  c                 copy a login link: asks for the email, then makes the
                    link (as link create, audited) and copies its URL
  ?                 keys;  q or esc  quit;  ctrl+c  quit from anywhere

The list is read once when the console starts (ctrl+r reads it again) and
filtered in memory with the core's own search, so it keeps up with typing on
any number of orgs. Details, Open and login links each open the store for
that one call, exactly as orgs show, orgs open and link create do; Open and
login links are audited as those commands are (org.opened, link.created).

Letters are commands in the table and text in the search box: / moves into
it, enter or esc back. esc goes back one level (search box, pane) and quits
from the table. Changing the search or a filter goes back to the first page;
changing rows per page keeps the selected org on screen.

A login link's URL goes to the clipboard. Where there is no clipboard (no
xclip, xsel or wl-copy: servers, containers, SSH) the console shows the URL
and says so, and prints it on standard output again when you quit.

The console needs a terminal: with standard output redirected it exits 2
(use orgs list, orgs open and link create in scripts). NO_COLOR, CLICOLOR=0
and --no-color turn color off (bold and reverse video stay). It fits
terminals from 80x24 up, dropping columns (ACTIONS first, then AI, DATA,
USERS, SESSIONS, LICENSE) or cutting them with … rather than wrapping, and
redraws when the terminal is resized. The terminal is restored on every
exit, Ctrl-C and crashes included.

Exit codes: 2 not a terminal or a bad flag; 4 not a member of the admin org.`,
		Example: `  partnerctl console
  partnerctl ui --search acme --per-page 10`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConsole(f, clip, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Search, "search", "s", "", "start with this search")
	cmd.Flags().IntVar(&opts.PerPage, "per-page", tui.DefaultPerPage, "rows per page to start with: 10, 25, 50 or 100")
	cmdutil.FlagValues(cmd, "per-page", cmdutil.PageSizes()...)
	return cmd
}

func runConsole(f *cmdutil.Factory, clip clipboard.Clipboard, opts *Options) error {
	if !slices.Contains(console.PageSizes, opts.PerPage) {
		return fail.Usagef("invalid --per-page %d: want 10, 25, 50 or 100", opts.PerPage)
	}
	if f.Flags.Output != "table" || f.Flags.Fields != "" {
		return fail.Usagef("the console is a screen, not a format: -o and --fields don't apply").
			WithHint("use `partnerctl orgs list -o %s` for machine output", f.Flags.Output)
	}
	out, ok := f.IO.Out.(*os.File)
	if !ok || !f.IO.IsStdoutTTY() || !isatty.IsTerminal(out.Fd()) {
		return fail.Usagef("the console needs a terminal, and standard output is not one").
			WithHint("in scripts and pipes use `partnerctl orgs list`, `orgs open` and `link create`")
	}
	c := core{f: f}
	snap, err := c.Load()
	if err != nil {
		return err
	}
	color := f.IO.ColorEnabled() && !f.Flags.NoColor && f.Getenv("CLICOLOR") != "0"
	m := tui.New(tui.Options{
		Console: c, Clipboard: clip, Snapshot: snap, Color: color,
		Search: opts.Search, PerPage: opts.PerPage,
	})
	progOpts := []tea.ProgramOption{tea.WithOutput(out)}
	if !color {
		// Bold and reverse video stay; no color reaches the terminal.
		progOpts = append(progOpts, tea.WithColorProfile(colorprofile.ASCII))
	}
	// The console handles SIGINT and SIGTERM itself (the terminal comes
	// back first) and makes no temporary file.
	tempfile.HandOverSignals()
	runErr := tui.Run(m, progOpts...)
	// The terminal is restored: links the clipboard could not take are
	// printed whole, one URL a line, as link create prints them.
	for _, l := range m.Uncopied() {
		fmt.Fprintf(f.IO.ErrOut, "Login link %s for %s into %s, until %s (not copied: no clipboard):\n",
			l.ID, l.Email, l.OrgName, output.ConfirmTime(l.ExpiresAt))
		fmt.Fprintln(f.IO.Out, l.URL)
	}
	return runErr
}
