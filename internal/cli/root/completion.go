package root

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
)

// wireCompletions adds dynamic completion across the tree, derived from what
// each command documents: every --org flag completes orgs, and the
// positional placeholders of a command's usage line (ORG, LICENSE, a link's
// ID) complete org names/refs/ids, license ids/numbers and link ids.
func wireCompletions(cmd *cobra.Command, f *cmdutil.Factory) {
	for _, sub := range cmd.Commands() {
		wireCompletions(sub, f)
	}
	if cmd.Flags().Lookup("org") != nil {
		_ = cmd.RegisterFlagCompletionFunc("org", cmdutil.Complete(f, cmdutil.Orgs))
	}
	if !cmd.HasParent() {
		cmdutil.FlagValues(cmd, "output", "table", "json", "csv")
	}
	if cmd.ValidArgsFunction != nil {
		return
	}
	var lists []cmdutil.Completer
	for _, word := range positionalPlaceholders(cmd.Use) {
		switch {
		case word == "ORG":
			lists = append(lists, cmdutil.Orgs)
		case word == "LICENSE":
			lists = append(lists, cmdutil.Licenses)
		case word == "ID" && cmd.Parent() != nil && cmd.Parent().Name() == "link":
			lists = append(lists, cmdutil.Links)
		default:
			lists = append(lists, nil)
		}
	}
	for _, l := range lists {
		if l != nil {
			cmd.ValidArgsFunction = cmdutil.CompleteArgs(f, lists...)
			return
		}
	}
}

// positionalPlaceholders reads "show ORG [--explain]" and "show [ORG]" as
// [ORG]; for alternatives such as "LICENSE|--org ORG" the first one counts.
func positionalPlaceholders(use string) []string {
	words := strings.Fields(use)
	var out []string
	for _, w := range words[min(1, len(words)):] {
		if inner, optional := strings.CutPrefix(w, "["); optional && strings.HasSuffix(inner, "]") {
			w = strings.TrimSuffix(inner, "]")
		}
		if strings.HasPrefix(w, "[") || strings.HasPrefix(w, "-") || strings.HasPrefix(w, "(") {
			break
		}
		w, alt, _ := strings.Cut(w, "|")
		if w != strings.ToUpper(w) {
			break
		}
		out = append(out, w)
		if strings.HasPrefix(alt, "-") { // "LICENSE|--org ORG": the rest belongs to the flag
			break
		}
	}
	return out
}
