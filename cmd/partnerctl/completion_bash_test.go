package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const bashCompletionLib = "/usr/share/bash-completion/bash_completion"

// completeInBash completes the last of words the way bash does when TAB is
// pressed: the generated script, sourced into a real bash with the
// bash-completion package, run as a completion function. It returns
// COMPREPLY, one entry a line, and what the shell makes of the first entry
// as typed text (its arguments, one a line).
func completeInBash(t *testing.T, p proc, words ...string) (reply []string, parsed []string) {
	t.Helper()
	script := `
source ` + bashCompletionLib + `
source <("$PARTNERCTL_BIN" completion bash)
partnerctl() { "$PARTNERCTL_BIN" "$@"; }
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9; COLUMNS=200
__start_partnerctl partnerctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"
echo "--"
eval "set -- ${COMPREPLY[0]%%  (*}"
printf '%s\n' "$@"
`
	cmd := exec.Command("bash", append([]string{"-c", script, "bash"}, words...)...)
	cmd.Env = append(p.cmd().Env, "PARTNERCTL_BIN="+p.bin, "PATH="+filepath.Dir(p.bin)+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	before, after, _ := strings.Cut(string(out), "--\n")
	return strings.Split(strings.TrimSuffix(before, "\n"), "\n"), strings.Split(strings.TrimSuffix(after, "\n"), "\n")
}

// TestBashCompletion presses TAB in bash: names with spaces insert as one
// argument, flags with a fixed set of values offer those values.
func TestBashCompletion(t *testing.T) {
	if _, err := os.Stat(bashCompletionLib); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs the bash-completion package (.ci/run installs it): %v", err)
		}
		t.Skip("bash-completion is not installed")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	p := newProc(t, filepath.Join(t.TempDir(), "p.db"))
	p.init()
	for _, name := range []string{"Acme Bakery", "Acme Studios", "Bolt Logistics"} {
		p.must("orgs", "create", "--name", name)
	}
	t.Run("a shared prefix with a space is escaped", func(t *testing.T) {
		reply, _ := completeInBash(t, p, "partnerctl", "orgs", "show", "Ac")
		if len(reply) != 2 {
			t.Fatalf("COMPREPLY %q; want the two Acme orgs", reply)
		}
		for _, r := range reply {
			// bash inserts the common prefix of the entries: "Acme\ ", never "Acme "
			if !strings.HasPrefix(r, `Acme\ `) {
				t.Errorf("entry %q: bash would insert an unescaped space", r)
			}
		}
	})
	t.Run("one match becomes one argument", func(t *testing.T) {
		reply, parsed := completeInBash(t, p, "partnerctl", "orgs", "show", `Acme\ St`)
		if len(reply) != 1 || reply[0] != `Acme\ Studios` || len(parsed) != 1 || parsed[0] != "Acme Studios" {
			t.Fatalf("COMPREPLY %q parsed as %q; want Acme\\ Studios, one argument", reply, parsed)
		}
	})
	for _, c := range []struct {
		words []string
		want  string
	}{
		{[]string{"partnerctl", "orgs", "list", "-o", ""}, "table json csv"},
		{[]string{"partnerctl", "orgs", "list", "--sort", "l"}, "last-active"},
		{[]string{"partnerctl", "orgs", "list", "--status", "inactive,s"}, `inactive\,setup-incomplete`},
		{[]string{"partnerctl", "orgs", "list", "--license", ""}, "active none"},
		{[]string{"partnerctl", "link", "list", "--state", ""}, "active used expired revoked"},
		{[]string{"partnerctl", "users", "invite", "x@y.example", "--role", ""}, "owner admin member"},
		{[]string{"partnerctl", "users", "invite", "x@y.example", "--login-method", ""}, "any password google oauth"},
		{[]string{"partnerctl", "licenses", "list", "--status", ""}, "active inactive"},
	} {
		reply, _ := completeInBash(t, p, c.words...)
		if got := strings.Join(reply, " "); got != c.want {
			t.Errorf("%s<TAB> = %q; want %q", strings.Join(c.words, " "), got, c.want)
		}
	}
}
