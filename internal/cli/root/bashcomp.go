package root

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// bashPatches fix one thing in cobra's bash completion script (v2): with
// several candidates it hands bash the names unescaped, for a tidy menu, so
// when they share a prefix with a space ("Acme Bakery", "Acme Studios") bash
// inserts "Acme " as typed text and the shell then splits it into two
// arguments. Patched, every candidate is escaped the way a single one
// already was (printf %q): TAB inserts "Acme\ ", and the menu shows the
// names as they are typed. zsh (_describe) and fish quote candidates
// themselves and need nothing.
var bashPatches = []struct{ old, new string }{
	{ // candidates without descriptions: escape them all, not only a lone one
		"        if (( ${#COMPREPLY[@]} == 1 )); then\n            COMPREPLY[0]=$(printf \"%q\" \"${COMPREPLY[0]}\")\n        fi\n",
		"        (( ${#COMPREPLY[@]} )) && IFS=$'\\n' read -ra COMPREPLY -d '' < <(printf \"%q\\n\" \"${COMPREPLY[@]}\")\n",
	},
	{ // with descriptions: keep the escaped value, then the description
		"        COMPREPLY+=(\"$compline\")\n",
		"        COMPREPLY+=(\"$comp${compline#\"${compline%%$tab*}\"}\")\n",
	},
	{ // and measure the escaped value for the menu's alignment
		"        comp=${compline%%$tab*}\n        if ((${#comp}>longest)); then",
		"        if ((${#comp}>longest)); then",
	},
	{ // a lone candidate is escaped already
		"        COMPREPLY[0]=$(printf \"%q\" \"${COMPREPLY[0]%%$tab*}\")\n",
		"        COMPREPLY[0]=${COMPREPLY[0]%%$tab*}\n",
	},
}

// GenBashCompletion writes cmd's bash completion script: cobra's, with
// bashPatches applied. It fails if cobra's script no longer has the lines
// to patch, so an upgrade can't silently bring the bug back.
func GenBashCompletion(cmd *cobra.Command, w io.Writer) error {
	var b bytes.Buffer
	if err := cmd.GenBashCompletionV2(&b, true); err != nil {
		return err
	}
	script := b.String()
	for i, p := range bashPatches {
		if !strings.Contains(script, p.old) {
			return fmt.Errorf("bash completion: cobra's script changed, patch %d no longer applies", i+1)
		}
		script = strings.Replace(script, p.old, p.new, 1)
	}
	_, err := io.WriteString(w, script)
	return err
}

// useBashPatches makes `completion bash` print the patched script.
func useBashPatches(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		for _, shell := range c.Commands() {
			if shell.Name() == "bash" {
				shell.RunE = func(sub *cobra.Command, _ []string) error { return GenBashCompletion(root, sub.OutOrStdout()) }
				shell.Run = nil
			}
		}
	}
}
