package auth

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// LoginOptions are the inputs of `partnerctl login`.
type LoginOptions struct {
	F     *cmdutil.Factory
	Email string
}

// NewCmdLogin builds `login`; runF replaces the run step in tests.
func NewCmdLogin(f *cmdutil.Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{F: f}
	return &cobra.Command{
		Use:   "login EMAIL",
		Short: "Save EMAIL as the current user of this store",
		Long: `Save EMAIL as the user partnerctl acts as. Console commands need a member of
the admin org; --as EMAIL or PARTNERCTL_USER override the saved user for one run.

On a shared PostgreSQL store you are your database login: login (and --as,
PARTNERCTL_USER) may only name the user your login is bound to (exit 4
otherwise). Init binds the login that runs it; accepting an invitation binds
the login that accepts it.`,
		Example: "  partnerctl login you@acme.example",
		Args:    cmdutil.ExactArgs("EMAIL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Email = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runLogin(opts)
		},
	}
}

func runLogin(opts *LoginOptions) error {
	f := opts.F
	o, err := f.OutputOptions()
	if err != nil {
		return err
	}
	who, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.WhoAmI, error) { return c.Login(ctx, opts.Email) })
	if err != nil {
		return err
	}
	if who.ConsoleAccess {
		fmt.Fprintf(f.IO.ErrOut, "Logged in as %s (%s of %s)\n", who.Email, who.AdminRole, who.AdminOrgName)
	} else {
		fmt.Fprintf(f.IO.ErrOut, "Logged in as %s; not a member of the admin org %q, so console commands will be refused\n", who.Email, who.AdminOrgName)
	}
	return output.PrintOne(f.IO.Out, views.WhoAmI, who, o)
}

// NewCmdLogout builds `logout`.
func NewCmdLogout(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the saved current user",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (struct{}, error) { return struct{}{}, c.Logout(ctx) })
			if err == nil {
				fmt.Fprintln(f.IO.ErrOut, "Logged out")
			}
			return err
		},
	}
}

// NewCmdWhoAmI builds `whoami`.
func NewCmdWhoAmI(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "Show the current user and their console access",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			who, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) (console.WhoAmI, error) { return c.WhoAmI(ctx) })
			if err != nil {
				return err
			}
			return output.PrintOne(f.IO.Out, views.WhoAmI, who, o)
		},
	}
}
