// Package auth holds the identity commands: init, login, logout, whoami.
package auth

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/boltstore"
	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// InitOptions are the inputs of `partnerctl init`.
type InitOptions struct {
	F      *cmdutil.Factory
	Params console.InitParams
}

// NewCmdInit builds `init`; runF replaces the run step in tests.
func NewCmdInit(f *cmdutil.Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{F: f}
	cmd := &cobra.Command{
		Use:   "init --partner-name NAME --support-email EMAIL --admin-org NAME --admin-email EMAIL",
		Short: "Create a store with your partner account and its admin org",
		Long: `Create the store, the partner (an immutable ptr_ id), its one admin org, and
make ADMIN-EMAIL an owner of the admin org and the current user.

Members of the admin org have console access. A store can be initialised once.

A new store is built in a temporary file beside the path and put in place
only once it is complete, so an interrupted init leaves no store or a whole
one; of two processes creating the same store at once one wins and the other
exits 5. An empty file at the path (from mktemp or touch) counts as no store
and is replaced. A symlink at the path is followed to an existing store but
never used to create one: a link to nothing, or to an empty file, is refused
(exit 2).`,
		Example: `  partnerctl init --partner-name "Acme Partners" --support-email help@acme.example \
    --admin-org "Acme HQ" --admin-email you@acme.example`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runInit(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Params.PartnerName, "partner-name", "", "your partner (company) name")
	fl.StringVar(&opts.Params.SupportEmail, "support-email", "", "the support address customers see")
	fl.StringVar(&opts.Params.AdminOrgName, "admin-org", "", "name of your admin org")
	fl.StringVar(&opts.Params.AdminEmail, "admin-email", "", "first admin: owner of the admin org and current user")
	fl.StringVar(&opts.Params.LogoURL, "logo-url", "", "logo URL for white-label branding")
	fl.StringVar(&opts.Params.LoginBaseURL, "login-base-url", "", "base URL of one-time login links (default "+console.DefaultLoginBaseURL+")")
	for _, name := range []string{"partner-name", "support-email", "admin-org", "admin-email"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func runInit(opts *InitOptions) error {
	f := opts.F
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	s, err := f.Open(boltstore.Create)
	if err != nil {
		return err
	}
	view, err := s.Init(opts.Params)
	if err == nil {
		err = s.Store.Publish() // a new store appears at its path only now, complete
	}
	if err != nil {
		s.Store.Discard()
		return err
	}
	if err := s.Store.Close(); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot close the store")
	}
	fmt.Fprintf(f.IO.ErrOut, "Initialised %s for %s; logged in as %s (owner of %s)\n",
		s.Store.Path(), view.Name, opts.Params.AdminEmail, view.AdminOrgName)
	return output.PrintOne(f.IO.Out, views.Partner, view, o)
}
