package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// ExactArgs requires the named positional arguments, as a usage error (exit 2).
func ExactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return fail.Usagef("%s: missing %s", cmd.CommandPath(), strings.Join(names[len(args):], " "))
		case len(args) > len(names):
			return fail.Usagef("%s: unexpected argument %q", cmd.CommandPath(), args[len(names)])
		}
		return nil
	}
}

// MaxArgs allows up to n positional arguments.
func MaxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return fail.Usagef("%s: unexpected argument %q", cmd.CommandPath(), args[n])
		}
		return nil
	}
}

// NoArgs refuses positional arguments.
var NoArgs = MaxArgs(0)

// Changed returns a pointer to v when the flag was given, else nil: how
// update commands tell "set to empty" from "leave alone".
func Changed(cmd *cobra.Command, flag string, v string) *string {
	if !cmd.Flags().Changed(flag) {
		return nil
	}
	return &v
}
