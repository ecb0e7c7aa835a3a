package orgs

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/internal/progress"
	"github.com/partnerctl/partnerctl/internal/runtimetune"
	"github.com/partnerctl/partnerctl/internal/views"
	"github.com/partnerctl/partnerctl/pkg/console"
)

func newCmdImport(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE|-",
		Short: "Create orgs from a CSV file (name,ref_id[,owner_email], tenant details by header), all or nothing",
		Long: `Create one org per row of a comma-separated CSV file (UTF-8). Without a header
the columns are name, ref_id and optionally owner_email. A header row (its
cells name columns) may order them freely and add the optional tenant
details: enterprise_name, customer_name, contact_email, shortcode, address,
language and logo_url. The header must name the name column; an unknown
column is refused, naming it, and so is a file separated by semicolons or
tabs, or saved as UTF-16.

Either every row is created or none: an invalid row exits 2, a ref ID or
shortcode repeated in the file or already in use exits 5, and each problem is
listed with its line number. Imported orgs are connected (link status
accepted).

It prints the created orgs; a row with owner_email also gets its owner's
invitation (owner_email, invite_id, invite_url, invite_expires_at; null
otherwise), so -o json is all a provisioning script needs.`,
		Example: `  printf 'name,ref_id\nAcme Bakery,ACME-001\n' | partnerctl orgs import -
  printf 'name,shortcode,language\nHarbor Dental,HBD,pt-BR\n' | partnerctl orgs import -
  partnerctl orgs import customers.csv -o json`,
		Args: cmdutil.ExactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			if err := cmdutil.CheckImportAccess(f, args[0]); err != nil {
				return err
			}
			in, size, closeIn, err := cmdutil.OpenInput(f, args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			runtimetune.ForOrgImport(size)
			bar := progress.New(f.IO, size, "importing orgs")
			// The input is parsed before the store is locked: a slow
			// producer on stdin must not keep every other command waiting.
			rows, err := console.ReadOrgCSV(bar.Reader(in))
			if err != nil {
				bar.Finish()
				return err
			}
			res, err := cmdutil.Write(f, func(ctx context.Context, c *console.Console) (console.OrgImportResult, error) {
				return c.ImportOrgRows(ctx, rows)
			})
			bar.Finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Imported %d org(s)\n", res.Len())
			urlPrinted := views.Created.Prints(views.InviteURLKey, o, true)
			for i := range res.Invites {
				printOwnerInvites(f, urlPrinted, &res.Invites[i])
			}
			return output.PrintList(f.IO.Out, views.Created, views.ImportedOrgs(&res), o)
		},
	}
}
