package cmdutil

import (
	"errors"
	"testing"
)

func TestInvocation(t *testing.T) {
	found := func(string) (string, error) { return "/usr/local/bin/partnerctl", nil }
	missing := func(string) (string, error) { return "", errors.New("not found") }
	exe := func(p string) func() (string, error) { return func() (string, error) { return p, nil } }
	cases := []struct {
		look   func(string) (string, error)
		exe    func() (string, error)
		prog   string
		onPath bool
	}{
		{found, exe("/tmp/go-build123/b001/exe/partnerctl"), "partnerctl", true},
		{missing, exe("/tmp/go-build123/b001/exe/partnerctl"), GoRun, false},
		{missing, exe("/home/me/src/partnerctl/partnerctl"), "/home/me/src/partnerctl/partnerctl", false},
	}
	for _, c := range cases {
		if prog, onPath := Invocation(c.look, c.exe); prog != c.prog || onPath != c.onPath {
			t.Errorf("Invocation = %q, %v; want %q, %v", prog, onPath, c.prog, c.onPath)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"CUST-0042":   "CUST-0042",
		"Acme Bakery": "'Acme Bakery'",
		"Bob's":       `'Bob'\''s'`,
		"":            "''",
		"/tmp/d.db":   "/tmp/d.db",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
