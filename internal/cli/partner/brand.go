package partner

import (
	"context"
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

func newCmdBrand(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "brand",
		Short: "Show and set white-label colors and logo",
		Args:  cmdutil.NoArgs,
	}
	cmd.AddCommand(newCmdBrandShow(f), newCmdBrandSet(f))
	return cmd
}

func newCmdBrandShow(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Show the brand colors and logo URL",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmdutil.ReadOne(f, views.Brand, func(ctx context.Context, c *console.Console) (console.BrandView, error) { return c.Brand(ctx) })
		},
	}
}

func newCmdBrandSet(f *cmdutil.Factory) *cobra.Command {
	var sidebar, button, status, toggle, logo string
	cmd := &cobra.Command{
		Use:   "set [--sidebar-color #rrggbb] [--button-color #rrggbb] [--status-color #rrggbb] [--toggle-color #rrggbb] [--logo-url URL]",
		Short: "Set brand colors (#rrggbb) and the logo URL",
		Long: `Set the white-label colors of the sidebar, buttons, status and toggles (each
#rrggbb, stored lower-case) and the logo URL. The logo is the partner's logo:
the same one "partner show" and the console header card use. It needs admin
or owner of the admin org.`,
		Example: `  partnerctl partner brand set --sidebar-color "#1F2937" --button-color "#2563eb"`,
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ch := console.BrandChanges{
				SidebarColor: cmdutil.Changed(cmd, "sidebar-color", sidebar),
				ButtonColor:  cmdutil.Changed(cmd, "button-color", button),
				StatusColor:  cmdutil.Changed(cmd, "status-color", status),
				ToggleColor:  cmdutil.Changed(cmd, "toggle-color", toggle),
				LogoURL:      cmdutil.Changed(cmd, "logo-url", logo),
			}
			return cmdutil.WriteOne(f, views.Brand, func(ctx context.Context, c *console.Console) (console.BrandView, error) { return c.SetBrand(ctx, ch) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&sidebar, "sidebar-color", "", "sidebar color, #rrggbb")
	fl.StringVar(&button, "button-color", "", "button color, #rrggbb")
	fl.StringVar(&status, "status-color", "", "status color, #rrggbb")
	fl.StringVar(&toggle, "toggle-color", "", "toggle color, #rrggbb")
	fl.StringVar(&logo, "logo-url", "", "logo URL (http or https)")
	return cmd
}
