// Package version holds `partnerctl version`.
package version

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/buildinfo"
	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/output"
)

type info = buildinfo.Info

var table = output.Table[info]{
	Columns: []output.Column[info]{
		{Key: "version", Header: "VERSION", Value: func(i *info) any { return i.Version }},
		{Key: "commit", Header: "COMMIT", Value: func(i *info) any { return i.Commit }},
		{Key: "date", Header: "DATE", Value: func(i *info) any { return i.Date }},
		{Key: "go_version", Header: "GO", Value: func(i *info) any { return i.GoVersion }},
		{Key: "platform", Header: "PLATFORM", Value: func(i *info) any { return i.Platform }},
	},
	Default: []string{"version", "commit", "date", "go_version", "platform"},
}

// NewCmdVersion builds `version`.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Show the version, commit and build date",
		Long: `Show the version, commit and build date stamped by the release build, as
one line (the same as --version): "partnerctl 1.2.3 (commit abc1234, built
2026-11-23)". -o json gives {"version","commit","date","go_version",
"platform"}; -o csv and --fields print those fields as a table.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.OutputOptions()
			if err != nil {
				return err
			}
			info := buildinfo.Get()
			if o.Format == output.FormatTable && len(o.Fields) == 0 {
				_, err := fmt.Fprintln(f.IO.Out, info.Line())
				return err
			}
			return output.PrintOne(f.IO.Out, table, info, o)
		},
	}
}
