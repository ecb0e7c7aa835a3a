package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
	"github.com/partnerctl/partnerctl/internal/iostreams"
)

// Commands that need no admin-org member: they set up a store, manage the
// saved identity, take their own credential (a token), or maintain the file
// itself (doctor, backup), which its 0600 mode guards. The interactive
// console needs a real terminal, so its access is tested in one
// (TestConsoleRefusesNonMembers in console_pty_test.go).
var accessExempt = []string{"init", "login", "logout", "whoami", "demo", "link redeem", "users invites accept",
	"orgs connect accept", "orgs connect reject", "version", "help", "completion", "doctor", "backup", "console"}

// accessMatrix holds, for every console command, arguments that succeed for
// a member of the admin org. $DIR is the test's folder (input files).
var accessMatrix = map[string][]string{
	"orgs list":      {"orgs", "list"},
	"orgs show":      {"orgs", "show", "BAK-1"},
	"orgs create":    {"orgs", "create", "--name", "Florist", "--ref", "FLO-1"},
	"orgs connect":   {"orgs", "connect", "--name", "Harbor", "--email", "it@harbor.example"},
	"orgs import":    {"orgs", "import", "$DIR/orgs.csv"},
	"orgs update":    {"orgs", "update", "BAK-1", "--name", "Bakery Two"},
	"orgs delete":    {"orgs", "delete", "BAK-1", "--yes"},
	"orgs open":      {"orgs", "open", "BAK-1"},
	"orgs current":   {"orgs", "current"},
	"orgs close":     {"orgs", "close"},
	"orgs stats":     {"orgs", "stats"},
	"partner show":   {"partner", "show"},
	"partner update": {"partner", "update", "--contact-name", "Dana"},
	"events import":  {"events", "import", "$DIR/events.jsonl"},
	"audit list":     {"audit", "list"},
	"report changes": {"report", "changes"},
	"link create":    {"link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy"},
	"link list":      {"link", "list"},
	"link revoke":    {"link", "revoke", "lnk_000001"},

	"licenses issue":      {"licenses", "issue", "--start", "2026-12-01", "--end", "2027-11-30", "--org", "BAK-1"},
	"licenses list":       {"licenses", "list"},
	"licenses show":       {"licenses", "show", "L-000001"},
	"licenses assign":     {"licenses", "assign", "lic_000001", "BAK-1"},
	"licenses renew":      {"licenses", "renew", "lic_000001", "--end", "2028-01-31"},
	"licenses deactivate": {"licenses", "deactivate", "lic_000001", "--reason", "unpaid"},
	"partner brand show":  {"partner", "brand", "show"},
	"partner brand set":   {"partner", "brand", "set", "--button-color", "#2563EB"},

	"partner login-methods show": {"partner", "login-methods", "show"},
	"partner login-methods set":  {"partner", "login-methods", "set", "password,google"},
	"users list":                 {"users", "list"},
	"users invite":               {"users", "invite", "ceo@bakery.example", "--org", "BAK-1", "--role", "owner"},
	"users invites list":         {"users", "invites", "list"},
	"users invites resend":       {"users", "invites", "resend", "inv_000002"},
	"users invites delete":       {"users", "invites", "delete", "inv_000002"},
	"users promote":              {"users", "promote", "sam@acme.example", "--admin-org", "--role", "admin"},
}

// runCLI runs partnerctl in-process with env and returns its exit code and output.
func runCLI(env map[string]string, args ...string) (code int, stdout, stderr string) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IO: ios, Getenv: func(k string) string { return env[k] }}
	code = root.Main(f, args)
	return code, out.String(), errOut.String()
}

// TestConsoleAccessMatrix runs every console command as a member of the admin
// org (exit 0), as a stranger and with no user at all (both exit 4, and
// nothing changes), each on a fresh copy of the same store.
func TestConsoleAccessMatrix(t *testing.T) {
	dir := t.TempDir()
	template := filepath.Join(dir, "template.db")
	env := map[string]string{"PARTNERCTL_DB": template, "PARTNERCTL_NOW": "2026-11-23T12:00:00Z", "HOME": dir}
	var url string // the first invitation's, accepted during setup
	for _, args := range [][]string{
		{"init", "--partner-name", "Acme", "--support-email", "help@acme.example", "--admin-org", "Acme HQ", "--admin-email", "you@acme.example"},
		{"orgs", "create", "--name", "Bakery", "--ref", "BAK-1"},
		{"link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy"},
		{"licenses", "issue", "--start", "2026-11-01", "--end", "2027-10-31"},
		{"users", "invite", "sam@acme.example", "--admin-org"},
		{"users", "invite", "bob@acme.example", "--admin-org"},
		{"users", "invites", "accept", "$URL"},
		{"logout"},
	} {
		for i, a := range args {
			if a == "$URL" {
				args[i] = url
			}
		}
		code, out, errOut := runCLI(env, args...)
		if code != 0 {
			t.Fatalf("setup %v: exit %d: %s", args, code, errOut)
		}
		if args[0] == "users" && args[1] == "invite" && args[2] == "sam@acme.example" {
			url = strings.TrimSpace(out)
		}
	}
	must(t, os.WriteFile(filepath.Join(dir, "orgs.csv"), []byte("name,ref_id\nNew Co,NEW-1\n"), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "events.jsonl"),
		[]byte(`{"id":"evt_1","org":"BAK-1","type":"session.started","at":"2026-11-20T10:00:00Z"}`+"\n"), 0o600))
	want, err := os.ReadFile(template)
	must(t, err)

	identities := []struct {
		name   string
		as     string
		code   int
		stderr string
	}{
		{"admin member", "you@acme.example", 0, ""},
		{"stranger", "stranger@else.example", 4, `partnerctl: stranger@else.example is not a member of the admin org "Acme HQ"; `},
		{"no user", "", 4, "partnerctl: no current user; run `partnerctl login EMAIL` or pass --as EMAIL (a member of the admin org)\n"},
	}
	for name, tmpl := range accessMatrix {
		for _, id := range identities {
			t.Run(name+"/"+id.name, func(t *testing.T) {
				db := filepath.Join(t.TempDir(), "p.db")
				must(t, os.WriteFile(db, want, 0o600))
				args := make([]string, len(tmpl))
				for i, a := range tmpl {
					args[i] = strings.ReplaceAll(a, "$DIR", dir)
				}
				e := map[string]string{"PARTNERCTL_DB": db, "PARTNERCTL_NOW": env["PARTNERCTL_NOW"], "HOME": dir, "PARTNERCTL_USER": id.as}
				code, out, errOut := runCLI(e, args...)
				if code != id.code {
					t.Fatalf("exit %d, want %d; stderr %q", code, id.code, errOut)
				}
				if id.code == 0 {
					return
				}
				if !strings.HasPrefix(errOut, id.stderr) || strings.Count(errOut, "\n") != 1 || out != "" {
					t.Fatalf("stdout %q stderr %q; want only %q…", out, errOut, id.stderr)
				}
				after, err := os.ReadFile(db)
				must(t, err)
				if !bytes.Equal(after, want) {
					t.Fatal("a refused command changed the store")
				}
			})
		}
	}
}

// TestAccessMatrixCoversEveryCommand fails when a command is added without
// a row in accessMatrix (or in accessExempt).
func TestAccessMatrixCoversEveryCommand(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := root.NewCmdRoot(&cmdutil.Factory{IO: ios, Getenv: func(string) string { return "" }})
	cmd.SetOut(io.Discard)
	var missing []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.HasSubCommands() || !c.Runnable() || c.Hidden || c == cmd {
			return
		}
		path := strings.TrimPrefix(c.CommandPath(), "partnerctl ")
		top := strings.Fields(path)[0]
		if _, ok := accessMatrix[path]; !ok && !slices.Contains(accessExempt, path) && !slices.Contains(accessExempt, top) {
			missing = append(missing, path)
		}
	}
	walk(cmd)
	if len(missing) > 0 {
		t.Fatalf("commands without a row in the access matrix (cmd/partnerctl/access_test.go): %s", strings.Join(missing, ", "))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
