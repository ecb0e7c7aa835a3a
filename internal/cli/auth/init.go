// Package auth holds the identity commands: init, login, logout, whoami.
package auth

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
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

--login-base-url is your platform's login page, where one-time login links
and invitations send people. Without it they point at the placeholder
` + console.DefaultLoginBaseURL + `, which signs nobody in: init warns, and so do
partner show, link create and users invite, until "partner update
--login-base-url URL" sets it.

On the store "partnerctl demo" filled, init exits 5 and says so; add
--replace-demo to replace the demo with your partner, or use --db to keep it.

A new store is built in a temporary file beside the path and put in place
only once it is complete, so an interrupted init leaves no store or a whole
one; of two processes creating the same store at once one wins and the other
exits 5. An empty file at the path (from mktemp or touch) counts as no store
and is replaced. A symlink at the path is followed to an existing store but
never used to create one: a link to nothing, or to an empty file, is refused
(exit 2).`,
		Example: `  partnerctl init --partner-name "Acme Partners" --support-email help@acme.example \
    --admin-org "Acme HQ" --admin-email you@acme.example \
    --login-base-url https://app.acme.example/login`,
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
	fl.StringVar(&opts.Params.LoginBaseURL, "login-base-url", "", "your platform's login page, where login links and invitations send people")
	fl.BoolVar(&opts.Params.ReplaceDemo, "replace-demo", false, "replace the demo in this store (its data is deleted); never a real store")
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
	// Bad input is refused before a store (a file, a schema) is made.
	if err := opts.Params.Validate(); err != nil {
		return err
	}
	s, err := f.Open(boltstore.Create)
	if err != nil {
		return err
	}
	view, err := s.Init(f.Context(), opts.Params)
	if err == nil {
		err = s.Publish() // a new store appears at its path only now, complete
	}
	if err != nil {
		s.Discard()
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "Initialised %s for %s; logged in as %s (owner of %s)\n",
		s.Path, view.Name, opts.Params.AdminEmail, view.AdminOrgName)
	cmdutil.WarnPlaceholderLoginBase(f, s.Console)
	if err := s.Store.Close(); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot close the store")
	}
	return output.PrintOne(f.IO.Out, views.Partner, view, o)
}
