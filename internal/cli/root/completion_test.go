package root

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/iostreams"
)

// valueFlags are the flags that take one of a fixed set of values: on every
// command that has one, TAB must offer those values, never file names.
var valueFlags = map[string]bool{
	"output": true, "status": true, "fail-on": true, "sort": true, "state": true, "role": true,
	"license": true, "login-method": true, "link-status": true, "per-page": true, "org": true,
}

func TestEveryValueFlagCompletes(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	root := NewCmdRoot(&cmdutil.Factory{IO: io, Getenv: func(string) string { return "" }})
	checked := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if !valueFlags[fl.Name] {
				return
			}
			checked++
			if _, ok := c.GetFlagCompletionFunc(fl.Name); !ok {
				t.Errorf("%s --%s has no completion: TAB would offer file names", c.CommandPath(), fl.Name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if checked < 15 {
		t.Fatalf("checked only %d flags: the walk is broken", checked)
	}
}

func TestPositionalPlaceholders(t *testing.T) {
	for use, want := range map[string]string{
		"show ORG [--explain]":       "ORG",
		"show [ORG] [--explain]":     "ORG",
		"create [ORG] --email EMAIL": "ORG",
		"assign LICENSE ORG":         "LICENSE ORG",
		"show LICENSE|--org ORG":     "LICENSE",
		"list [--org ORG]":           "",
	} {
		got := ""
		for i, w := range positionalPlaceholders(use) {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != want {
			t.Errorf("positionalPlaceholders(%q) = %q, want %q", use, got, want)
		}
	}
}
