package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// ExactArgs requires the named positional arguments, as a usage error (exit 2).
func ExactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return fail.Usagef("%s: missing %s", Name(cmd), strings.Join(names[len(args):], " ")).WithHint("%s", SeeHelp(cmd))
		case len(args) > len(names):
			return fail.Usagef("%s: unexpected argument %q", Name(cmd), args[len(names)]).WithHint("%s", SeeHelp(cmd))
		}
		return nil
	}
}

// MaxArgs allows up to n positional arguments.
func MaxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return fail.Usagef("%s: unexpected argument %q", Name(cmd), args[n]).WithHint("%s", SeeHelp(cmd))
		}
		return nil
	}
}

// Name is the command's path without the program name ("orgs show"), for
// messages that partnerctl's own "partnerctl: " prefix already starts.
func Name(cmd *cobra.Command) string {
	if !cmd.HasParent() {
		return cmd.Name()
	}
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// SeeHelp is the hint of a usage error: the command's own --help.
func SeeHelp(cmd *cobra.Command) string {
	return fmt.Sprintf("see `%s --help`", cmd.CommandPath())
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
