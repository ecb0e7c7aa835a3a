package root

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// suggested is an error followed by lines that point at what was probably
// meant, printed under the error line.
type suggested struct {
	error
	lines []string
}

func (s *suggested) Unwrap() error { return s.error }

// suggestionsOf returns the extra lines of err, if any.
func suggestionsOf(err error) []string {
	var s *suggested
	if errors.As(err, &s) {
		return s.lines
	}
	return nil
}

// refuseUnknownSubcommands gives the root and every command group a run
// step: with no argument it shows the group's help, with one it is a usage
// error (exit 2) that suggests the nearest subcommand. Without it cobra
// prints help and exits 0 on a mistyped subcommand, which a script would
// take for success.
func refuseUnknownSubcommands(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if cmd.Run != nil || cmd.RunE != nil || !cmd.HasSubCommands() {
		return
	}
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return unknownCommand(c, args[0])
		}
		return c.Help()
	}
}

// unknownCommand is the error for a mistyped subcommand of c.
func unknownCommand(c *cobra.Command, typed string) error {
	err := fail.Usagef("unknown command %q for %q", typed, c.CommandPath()).WithHint("%s", cmdutil.SeeHelp(c))
	return withSuggestions(err, c, typed, false)
}

// withSuggestions adds "Did you mean this?" and the nearest subcommands of
// c (help topics too, when topics is set) to err.
func withSuggestions(err error, c *cobra.Command, typed string, topics bool) error {
	var lines []string
	for _, sub := range c.Commands() {
		if sub.Hidden || !(sub.IsAvailableCommand() || (topics && sub.IsAdditionalHelpTopicCommand())) {
			continue
		}
		for _, name := range append([]string{sub.Name()}, sub.Aliases...) {
			if near(typed, name) {
				path := sub.CommandPath()
				if topics { // what was typed was `help …`
					path = c.Root().Name() + " help " + cmdutil.Name(sub)
				}
				lines = append(lines, "  "+path)
				break
			}
		}
	}
	if len(lines) == 0 {
		return err
	}
	return &suggested{err, append([]string{"Did you mean this?"}, lines...)}
}

// near is cobra's rule for suggestions: within two edits, or a prefix.
func near(typed, name string) bool {
	typed, name = strings.ToLower(typed), strings.ToLower(name)
	return typed != "" && (strings.HasPrefix(name, typed) || editDistance(typed, name) <= 2)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// newCmdHelp replaces cobra's help command, which prints the root's help
// and exits 0 for a topic that doesn't exist: here that is a usage error
// (exit 2) suggesting the nearest command or topic.
func newCmdHelp() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command|topic]",
		Short: "Help about any command or topic",
		Long: `Help about any command or topic: "partnerctl help orgs list" is
"partnerctl orgs list --help"; topics such as exit-codes and environment
have no command of their own.`,
		ValidArgsFunction: func(c *cobra.Command, args []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range target.Commands() {
				if (sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand()) && sub != c && strings.HasPrefix(sub.Name(), typed) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil {
				return err
			}
			if len(rest) > 0 {
				err := fail.Usagef("no help topic or command %q", strings.Join(args, " ")).
					WithHint("see `%s --help`", target.CommandPath())
				return withSuggestions(err, target, rest[0], true)
			}
			target.InitDefaultHelpFlag()
			target.InitDefaultVersionFlag()
			return target.Help()
		},
	}
}

// classifyCobraError gives cobra's own usage errors the usage kind and a
// hint naming the --help of the command that failed.
func classifyCobraError(c *cobra.Command, err error) error {
	var fe *fail.Error
	if errors.As(err, &fe) {
		return err
	}
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand", "invalid argument", "flag needs", "required flag", "accepts ", "requires ", "if any flags in the group"} {
		if strings.HasPrefix(msg, prefix) {
			if c == nil {
				return fail.Usagef("%s", msg)
			}
			return fail.Usagef("%s", msg).WithHint("%s", cmdutil.SeeHelp(c))
		}
	}
	return err
}

// flagError is every command's flag parsing error: a usage error naming
// the command's own --help.
func flagError(c *cobra.Command, err error) error {
	return fail.Usagef("%v", err).WithHint("%s", cmdutil.SeeHelp(c))
}
