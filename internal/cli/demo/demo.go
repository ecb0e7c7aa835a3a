// Package demo holds `partnerctl demo`, the no-setup tour.
package demo

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/orgs"
	"github.com/partnerctl/partnerctl/internal/progress"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// Options are the inputs of `demo`.
type Options struct {
	F     *cmdutil.Factory
	Orgs  int
	Force bool
}

// NewCmdDemo builds `demo`; runF replaces the run step in tests.
func NewCmdDemo(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "demo [--orgs N]",
		Short: "Fill a demo store with realistic orgs and show the console",
		Long: `Fill a store with a demo partner (Northwind Partners), its admin
(` + console.DemoAdminEmail + `, made the current user) and N realistic orgs
covering every health status, then print the console.

With no --db it uses the default store, creating it if needed. Run again on a
demo store, it rebuilds it relative to the current time, unless changes were
made in it by hand (orgs created, links sent, orgs opened: anything in the
audit trail): then it exits 5 and changes nothing, and --force rebuilds it
anyway. It never touches a store made by "partnerctl init" (exit 5).

The next commands to try are printed on stderr as you can run them: with
"go run ./cmd/partnerctl" when partnerctl is not installed on your PATH, and
with --db when you gave one.

A new store is created as init creates one: complete or not at all (see
"partnerctl init --help").`,
		Example: `  partnerctl demo
  partnerctl demo --db /tmp/demo.db --orgs 5000`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return run(opts, cmd)
		},
	}
	cmd.Flags().IntVar(&opts.Orgs, "orgs", console.DefaultDemoOrgs, "how many orgs to create")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "rebuild a demo store even if it has changes made by hand (they are lost)")
	return cmd
}

func run(opts *Options, cmd *cobra.Command) error {
	f := opts.F
	s, err := f.Open(boltstore.Create)
	if err != nil {
		return err
	}
	bar := progress.NewCount(f.IO, opts.Orgs, "seeding demo orgs")
	err = s.Demo(f.Context(), opts.Orgs, opts.Force, bar.SetInt)
	bar.Finish()
	if err == nil {
		err = s.Publish() // a new store appears at its path only now, complete
	}
	if err != nil {
		s.Discard()
		return err
	}
	if err := s.Store.Close(); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot close the store")
	}
	fmt.Fprintf(f.IO.ErrOut, "Demo store ready at %s with %d orgs; logged in as %s\n", s.Path, opts.Orgs, console.DemoAdminEmail)
	printNext(f, console.DemoExplainRef(opts.Orgs))
	f.IO.StartPager()
	list := orgs.NewCmdList(f, nil)
	list.SetArgs(nil)
	return list.RunE(list, nil)
}

// printNext suggests the next commands, written so that they run as printed
// in this shell.
func printNext(f *cmdutil.Factory, explainRef string) {
	prog, onPath := f.Prog()
	if f.Flags.DB != "" {
		prog += " --db " + cmdutil.ShellQuote(f.Flags.DB)
	}
	fmt.Fprintf(f.IO.ErrOut, "Next: %s orgs list --status inactive · %[1]s orgs show %s --explain · %[1]s orgs stats\n", prog, explainRef)
	if !onPath {
		fmt.Fprintln(f.IO.ErrOut, "partnerctl is not on your PATH; to type just `partnerctl`, install it from the checkout with `go install ./cmd/partnerctl` and add $(go env GOPATH)/bin to PATH")
	}
}
