// Package partner holds `partner show|update`.
package partner

import (
	"context"
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// NewCmdPartner builds the `partner` group.
func NewCmdPartner(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "partner",
		Short: "Show and edit your partner details",
		Args:  cmdutil.NoArgs,
	}
	cmd.AddCommand(newCmdShow(f), newCmdUpdate(f), newCmdBrand(f), newCmdLoginMethods(f))
	return cmd
}

func newCmdShow(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Show the partner: id, contact, branding basics, admin org, connected orgs",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmdutil.ReadOne(f, views.Partner, func(ctx context.Context, c *console.Console) (console.PartnerView, error) {
				v, err := c.Partner(ctx)
				if err == nil {
					cmdutil.WarnPlaceholderLoginBase(f, c)
				}
				return v, err
			})
		},
	}
}

func newCmdUpdate(f *cmdutil.Factory) *cobra.Command {
	var name, support, logo, loginBase, contact, phone string
	cmd := &cobra.Command{
		Use:     "update [--name] [--support-email] [--logo-url] [--login-base-url] [--contact-name] [--contact-phone]",
		Short:   "Edit partner details (the id and created_at can't be changed)",
		Example: `  partnerctl partner update --contact-name "Dana Lee" --contact-phone "+1 555 0199"`,
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ch := console.PartnerChanges{
				Name:         cmdutil.Changed(cmd, "name", name),
				SupportEmail: cmdutil.Changed(cmd, "support-email", support),
				LogoURL:      cmdutil.Changed(cmd, "logo-url", logo),
				LoginBaseURL: cmdutil.Changed(cmd, "login-base-url", loginBase),
				ContactName:  cmdutil.Changed(cmd, "contact-name", contact),
				ContactPhone: cmdutil.Changed(cmd, "contact-phone", phone),
			}
			return cmdutil.WriteOne(f, views.Partner, func(ctx context.Context, c *console.Console) (console.PartnerView, error) {
				return c.UpdatePartner(ctx, ch)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&name, "name", "", "partner name")
	fl.StringVar(&support, "support-email", "", "support address")
	fl.StringVar(&logo, "logo-url", "", "logo URL (empty to clear)")
	fl.StringVar(&loginBase, "login-base-url", "", "base URL of one-time login links")
	fl.StringVar(&contact, "contact-name", "", "contact person")
	fl.StringVar(&phone, "contact-phone", "", "contact phone")
	return cmd
}
