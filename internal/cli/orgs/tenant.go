package orgs

import (
	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
)

// tenantFlags are the tenant detail flags of `orgs create`, `update` and
// `connect`: one per field, named after its JSON key.
type tenantFlags struct {
	enterprise, customer, contact, shortcode, address, language, logo string
	// contactFlag is false for `orgs connect`, whose --email is the contact.
	contactFlag bool
}

const tenantHelp = `Tenant details (all optional): --enterprise-name, --customer-name,
--contact-email (the email the tenant was created with), --shortcode (the
company shortcode: 2 to 12 upper-case letters or digits, unique among live
orgs), --address, --language (a BCP 47 tag such as en or pt-BR) and
--logo-url.`

func (t *tenantFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&t.enterprise, "enterprise-name", "", "the tenant's enterprise name")
	fl.StringVar(&t.customer, "customer-name", "", "the tenant's customer name")
	if t.contactFlag {
		fl.StringVar(&t.contact, "contact-email", "", "the email the tenant was created with (usually a company address)")
	}
	fl.StringVar(&t.shortcode, "shortcode", "", "company shortcode: 2 to 12 upper-case letters or digits, unique")
	fl.StringVar(&t.address, "address", "", "postal address, one line")
	fl.StringVar(&t.language, "language", "", "language, a BCP 47 tag such as en or pt-BR")
	fl.StringVar(&t.logo, "logo-url", "", "the tenant's logo, an http(s) URL")
}

// tenant is the details given, for a new org.
func (t *tenantFlags) tenant() domain.Tenant {
	return domain.Tenant{EnterpriseName: t.enterprise, CustomerName: t.customer, ContactEmail: t.contact,
		Shortcode: t.shortcode, Address: t.address, Language: t.language, LogoURL: t.logo}
}

// changes is the details given, for an update: a flag not given is nil,
// and --flag "" clears its field.
func (t *tenantFlags) changes(cmd *cobra.Command) console.TenantChanges {
	return console.TenantChanges{
		EnterpriseName: cmdutil.Changed(cmd, "enterprise-name", t.enterprise),
		CustomerName:   cmdutil.Changed(cmd, "customer-name", t.customer),
		ContactEmail:   cmdutil.Changed(cmd, "contact-email", t.contact),
		Shortcode:      cmdutil.Changed(cmd, "shortcode", t.shortcode),
		Address:        cmdutil.Changed(cmd, "address", t.address),
		Language:       cmdutil.Changed(cmd, "language", t.language),
		LogoURL:        cmdutil.Changed(cmd, "logo-url", t.logo),
	}
}
