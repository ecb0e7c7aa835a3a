package cmdutil

import (
	"fmt"
	"github.com/partnerctl/partnerctl/pkg/console"
	"strings"

	"github.com/spf13/cobra"
)

// FlagValues makes flag complete to its fixed set of values (never to file
// names): what TAB offers after --sort, --state, --role and the like.
func FlagValues(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, v := range values {
			if strings.HasPrefix(v, typed) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// FlagValueList is FlagValues for a comma-separated list (--status
// inactive,new): it completes the value after the last comma, offering the
// ones not listed yet, and adds no space so another ",value" can follow.
func FlagValueList(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
		done, last := "", typed
		if i := strings.LastIndexByte(typed, ','); i >= 0 {
			done, last = typed[:i+1], typed[i+1:]
		}
		listed := strings.Split(done, ",")
		var out []cobra.Completion
		for _, v := range values {
			if strings.HasPrefix(v, last) && !contains(listed, v) {
				out = append(out, done+v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// PageSizes are the --per-page values, as completion offers them.
func PageSizes() []string {
	out := make([]string, len(console.PageSizes))
	for i, n := range console.PageSizes {
		out[i] = fmt.Sprint(n)
	}
	return out
}
