package partner

import (
	"context"
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

func newCmdLoginMethods(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "login-methods",
		Short: "Show or set how users may log in (password, google, oauth)",
		Long: `The login methods users of your platform may use. Invitations can only name an
allowed method (or "any"). All three are allowed until you set them. Setting
them needs admin or owner of the admin org.`,
		Args: cmdutil.NoArgs,
	}
	print := func(methods []string) error {
		o, err := f.OutputOptions()
		if err != nil {
			return err
		}
		rows := make([]views.LoginMethod, len(methods))
		for i, m := range methods {
			rows[i] = views.LoginMethod{Name: m}
		}
		return output.PrintList(f.IO.Out, views.LoginMethods, rows, o)
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "List the allowed login methods",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ms, err := cmdutil.Read(f, func(ctx context.Context, c *console.Console) ([]string, error) { return c.LoginMethods(ctx) })
			if err != nil {
				return err
			}
			return print(ms)
		},
	}, &cobra.Command{
		Use:     "set METHODS",
		Short:   "Set the allowed login methods, comma-separated",
		Example: `  partnerctl partner login-methods set password,google`,
		Args:    cmdutil.ExactArgs("METHODS"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ms, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) ([]string, error) {
				return c.SetLoginMethods(ctx, args[0])
			})
			if err != nil {
				return err
			}
			return print(ms)
		},
	})
	return cmd
}
