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
// itself (doctor, backup, db migrate), which its 0600 mode guards (on
// PostgreSQL only the schema's owner can migrate it). The interactive
// console needs a real terminal, so its access is tested in one
// (TestConsoleRefusesNonMembers in console_pty_test.go).
var accessExempt = []string{"init", "login", "logout", "whoami", "demo", "link redeem", "users invites accept",
	"orgs connect accept", "orgs connect reject", "version", "help", "completion", "doctor", "backup", "db migrate", "console"}

// The identities every console command runs as, in this order: the admin
// org's owner, an admin, a member, a member scoped to BAK-1, a member who
// was removed, the owner of the customer org BAK-1 (not in the admin org),
// a stranger, and nobody.
var identities = []struct {
	name, as, stderr string
}{
	{"owner", "you@acme.example", ""},
	{"admin", "ada@acme.example", ""},
	{"member", "sam@acme.example", ""},
	{"scoped member", "sue@acme.example", ""},
	{"removed member", "rex@acme.example", `partnerctl: rex@acme.example is not a member of the admin org "Acme HQ"; `},
	{"customer owner", "olga@bakery.example", ""},
	{"stranger", "stranger@else.example", `partnerctl: stranger@else.example is not a member of the admin org "Acme HQ"; `},
	{"no user", "", "partnerctl: no current user; run `partnerctl login EMAIL` or pass --as EMAIL (a member of the admin org)\n"},
}

// Exit codes per identity (SPEC §14's role table): what members of the
// admin org may do, what needs admin, what needs owner.
var (
	memberLevel = [8]int{0, 0, 0, 0, 4, 4, 4, 4}
	adminLevel  = [8]int{0, 0, 4, 4, 4, 4, 4, 4}
	ownerLevel  = [8]int{0, 4, 4, 4, 4, 4, 4, 4}
)

// accessRow is one command line and the exit code each identity gets.
// $DIR is the test's folder (input files).
type accessRow struct {
	cmd   string
	args  []string
	codes [8]int
}

// accessMatrix has at least one row for every console command.
var accessMatrix = []accessRow{
	{"orgs list", []string{"orgs", "list"}, memberLevel},
	{"orgs show", []string{"orgs", "show", "BAK-1"}, memberLevel},
	{"orgs create", []string{"orgs", "create", "--name", "Cafe", "--ref", "CAF-9"}, memberLevel},
	{"orgs import", []string{"orgs", "import", "$DIR/orgs.csv"}, memberLevel},
	{"orgs connect", []string{"orgs", "connect", "--name", "Harbor", "--email", "it@harbor.example"}, memberLevel},
	{"orgs update", []string{"orgs", "update", "BAK-1", "--name", "Bakery Two"}, memberLevel},
	{"orgs delete", []string{"orgs", "delete", "BAK-1", "--yes"}, adminLevel},
	{"orgs open", []string{"orgs", "open", "BAK-1"}, memberLevel},
	{"orgs open", []string{"orgs", "open", "BAK-1", "--for", "30m"}, memberLevel},
	{"orgs current", []string{"orgs", "current"}, memberLevel},
	{"orgs close", []string{"orgs", "close"}, memberLevel},
	{"orgs stats", []string{"orgs", "stats"}, memberLevel},
	{"report changes", []string{"report", "changes", "--dry-run"}, memberLevel},
	{"partner show", []string{"partner", "show"}, memberLevel},
	{"partner update", []string{"partner", "update", "--contact-name", "Dana"}, adminLevel},
	{"events import", []string{"events", "import", "$DIR/events.jsonl"}, memberLevel},
	{"audit list", []string{"audit", "list"}, memberLevel},
	// an org's owners and admins read its own trail
	{"audit list", []string{"audit", "list", "--org", "BAK-1"}, [8]int{0, 0, 0, 0, 4, 0, 4, 4}},
	{"link create", []string{"link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy"}, memberLevel},
	{"link list", []string{"link", "list"}, memberLevel},
	// lnk_000001 is the owner's: revoking a teammate's link needs admin
	{"link revoke", []string{"link", "revoke", "lnk_000001"}, adminLevel},
	// lnk_000002 is sam's own
	{"link revoke", []string{"link", "revoke", "lnk_000002"}, [8]int{0, 0, 0, 4, 4, 4, 4, 4}},

	{"licenses issue", []string{"licenses", "issue", "--start", "2026-12-01", "--end", "2027-11-30", "--org", "BAK-1"}, adminLevel},
	{"licenses list", []string{"licenses", "list"}, memberLevel},
	{"licenses show", []string{"licenses", "show", "L-000001"}, memberLevel},
	{"licenses assign", []string{"licenses", "assign", "lic_000001", "FLO-1", "--force"}, adminLevel},
	{"licenses renew", []string{"licenses", "renew", "lic_000001", "--end", "2028-01-31"}, adminLevel},
	{"licenses deactivate", []string{"licenses", "deactivate", "lic_000001", "--reason", "unpaid"}, adminLevel},
	{"partner brand show", []string{"partner", "brand", "show"}, memberLevel},
	{"partner brand set", []string{"partner", "brand", "set", "--button-color", "#2563EB"}, adminLevel},

	{"partner login-methods show", []string{"partner", "login-methods", "show"}, memberLevel},
	{"partner login-methods set", []string{"partner", "login-methods", "set", "password,google"}, adminLevel},
	{"users list", []string{"users", "list"}, memberLevel},
	{"users list", []string{"users", "list", "--org", "BAK-1"}, [8]int{0, 0, 0, 0, 4, 0, 4, 4}},
	{"users list", []string{"users", "list", "--admin-org"}, memberLevel},
	// BAK-1 has an owner: only its owners and admins invite there
	{"users invite", []string{"users", "invite", "ceo@bakery.example", "--org", "BAK-1", "--role", "owner"}, [8]int{4, 4, 4, 4, 4, 0, 4, 4}},
	{"users invite", []string{"users", "invite", "new@acme.example", "--admin-org"}, adminLevel},
	{"users invite", []string{"users", "invite", "new@acme.example", "--admin-org", "--role", "owner"}, ownerLevel},
	{"users invites list", []string{"users", "invites", "list"}, memberLevel},
	// inv_000008 is the owner's; inv_000009 is sam's, for Cafe (not in
	// sue's scope: to her it does not exist)
	{"users invites resend", []string{"users", "invites", "resend", "inv_000008"}, adminLevel},
	{"users invites resend", []string{"users", "invites", "resend", "inv_000009"}, [8]int{0, 0, 0, 3, 4, 4, 4, 4}},
	{"users invites delete", []string{"users", "invites", "delete", "inv_000008"}, adminLevel},
	{"users promote", []string{"users", "promote", "sam@acme.example", "--admin-org", "--role", "admin"}, adminLevel},
	{"users promote", []string{"users", "promote", "sam@acme.example", "--admin-org", "--role", "owner"}, ownerLevel},
	// partner admins promote in customer orgs; sam, who has partner access
	// to BAK-1, may not
	{"users promote", []string{"users", "promote", "mo@bakery.example", "--org", "BAK-1", "--role", "admin"}, [8]int{0, 0, 4, 4, 4, 0, 4, 4}},
	{"users demote", []string{"users", "demote", "kim@bakery.example", "--org", "BAK-1"}, [8]int{0, 0, 4, 4, 4, 0, 4, 4}},
	{"users demote", []string{"users", "demote", "ada@acme.example", "--admin-org"}, adminLevel},
	{"users demote", []string{"users", "demote", "olga@bakery.example", "--org", "BAK-1"}, [8]int{4, 4, 4, 4, 4, 4, 4, 4}},
	{"users remove", []string{"users", "remove", "sam@acme.example", "--admin-org"}, adminLevel},
	{"users remove", []string{"users", "remove", "you@acme.example", "--admin-org"}, [8]int{5, 4, 4, 4, 4, 4, 4, 4}},
	{"users remove", []string{"users", "remove", "mo@bakery.example", "--org", "BAK-1"}, [8]int{4, 4, 4, 4, 4, 0, 4, 4}},
	// sam's partner access to BAK-1: partner admins may end it
	{"users remove", []string{"users", "remove", "sam@acme.example", "--org", "BAK-1"}, [8]int{0, 0, 4, 4, 4, 0, 4, 4}},
	{"users scope", []string{"users", "scope", "sue@acme.example", "--orgs", "BAK-1,FLO-1"}, adminLevel},
	{"users scope", []string{"users", "scope", "sue@acme.example", "--all"}, adminLevel},
}

// runCLI runs partnerctl in-process with env and returns its exit code and output.
func runCLI(env map[string]string, args ...string) (code int, stdout, stderr string) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IO: ios, Getenv: func(k string) string { return env[k] }}
	code = root.Main(f, args)
	return code, out.String(), errOut.String()
}

// accessStore builds the store every access check starts from, in dir; it
// returns the store file's bytes.
func accessStore(t *testing.T, dir string) []byte {
	t.Helper()
	template := filepath.Join(dir, "template.db")
	env := map[string]string{"PARTNERCTL_DB": template, "PARTNERCTL_NOW": "2026-11-23T12:00:00Z", "HOME": dir}
	var url string // of the last invitation sent
	for _, step := range []struct {
		as   string
		args []string
	}{
		{"", []string{"init", "--partner-name", "Acme", "--support-email", "help@acme.example", "--admin-org", "Acme HQ", "--admin-email", "you@acme.example"}},
		{"", []string{"orgs", "create", "--name", "Bakery", "--ref", "BAK-1"}},
		{"", []string{"orgs", "create", "--name", "Florist", "--ref", "FLO-1"}},
		{"", []string{"link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy"}},
		{"", []string{"licenses", "issue", "--start", "2026-11-01", "--end", "2027-10-31", "--org", "BAK-1"}},
		{"", []string{"users", "invite", "ada@acme.example", "--admin-org", "--role", "admin"}},
		{"", []string{"users", "invites", "accept", "$URL"}},
		{"", []string{"users", "invite", "sam@acme.example", "--admin-org"}},
		{"", []string{"users", "invites", "accept", "$URL"}},
		{"", []string{"users", "invite", "sue@acme.example", "--admin-org"}},
		{"", []string{"users", "invites", "accept", "$URL"}},
		{"", []string{"users", "invite", "rex@acme.example", "--admin-org"}},
		{"", []string{"users", "invites", "accept", "$URL"}},
		{"", []string{"users", "invite", "olga@bakery.example", "--org", "BAK-1", "--role", "owner"}},
		{"", []string{"users", "invites", "accept", "$URL"}},
		{"olga@bakery.example", []string{"users", "invite", "mo@bakery.example", "--org", "BAK-1"}},
		{"", []string{"users", "invites", "accept", "$URL"}},
		{"olga@bakery.example", []string{"users", "invite", "kim@bakery.example", "--org", "BAK-1", "--role", "admin"}},
		{"", []string{"users", "invites", "accept", "$URL"}},
		{"sam@acme.example", []string{"link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy"}},
		{"sam@acme.example", []string{"orgs", "open", "BAK-1"}},
		{"rex@acme.example", []string{"link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy"}},
		{"", []string{"link", "create", "FLO-1", "--email", "ceo@florist.example", "--no-copy"}},
		{"", []string{"users", "scope", "sue@acme.example", "--orgs", "BAK-1"}},
		{"", []string{"users", "remove", "rex@acme.example", "--admin-org"}},
		{"", []string{"users", "invite", "pending@acme.example", "--admin-org"}},
		{"sam@acme.example", []string{"orgs", "create", "--name", "Cafe", "--ref", "CAF-1", "--owner", "cafe@cafe.example"}},
		{"", []string{"logout"}},
	} {
		args := slices.Clone(step.args)
		for i, a := range args {
			if a == "$URL" {
				args[i] = url
			}
		}
		env["PARTNERCTL_USER"] = step.as
		code, out, errOut := runCLI(env, args...)
		if code != 0 {
			t.Fatalf("setup %v as %q: exit %d: %s", args, step.as, code, errOut)
		}
		if args[0] == "users" && args[1] == "invite" {
			url = strings.TrimSpace(out)
		}
	}
	must(t, os.WriteFile(filepath.Join(dir, "orgs.csv"), []byte("name,ref_id\nNew Co,NEW-1\n"), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "events.jsonl"),
		[]byte(`{"id":"evt_1","org":"BAK-1","type":"session.started","at":"2026-11-20T10:00:00Z"}`+"\n"), 0o600))
	want, err := os.ReadFile(template)
	must(t, err)
	return want
}

// TestConsoleAccessMatrix runs every console command as each identity, on
// a fresh copy of the same store, and checks the exit code SPEC §14's role
// table gives; a refused command prints one line on stderr, nothing on
// stdout, and changes nothing.
func TestConsoleAccessMatrix(t *testing.T) {
	dir := t.TempDir()
	want := accessStore(t, dir)
	for _, row := range accessMatrix {
		for i, id := range identities {
			t.Run(strings.Join(row.args, " ")+"/"+id.name, func(t *testing.T) {
				home := t.TempDir()
				db := filepath.Join(home, "p.db")
				must(t, os.WriteFile(db, want, 0o600))
				args := make([]string, len(row.args))
				for i, a := range row.args {
					args[i] = strings.ReplaceAll(a, "$DIR", dir)
				}
				e := map[string]string{"PARTNERCTL_DB": db, "PARTNERCTL_NOW": "2026-11-23T12:00:00Z", "HOME": home, "PARTNERCTL_USER": id.as}
				code, out, errOut := runCLI(e, args...)
				if code != row.codes[i] {
					t.Fatalf("exit %d, want %d; stderr %q", code, row.codes[i], errOut)
				}
				if code == 0 {
					return
				}
				if !strings.HasPrefix(errOut, id.stderr) || strings.Count(errOut, "\n") != 1 || out != "" {
					t.Fatalf("stdout %q stderr %q; want only one line %q…", out, errOut, id.stderr)
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

// TestScopedMemberCantTellHiddenFromMissing runs every command that names
// an org (or a record of one) as a teammate scoped to BAK-1, once with an
// org outside the scope and once with one that does not exist: the exit
// code and the message must be the same, so a scope never hints that
// other orgs exist.
func TestScopedMemberCantTellHiddenFromMissing(t *testing.T) {
	dir := t.TempDir()
	want := accessStore(t, dir)
	for _, tc := range []struct {
		args          []string
		hidden, ghost string
		code          int
	}{
		{[]string{"orgs", "show", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"orgs", "show", "$K"}, "Florist", "Ghost", 3},
		{[]string{"orgs", "show", "$K"}, "org_000003", "org_000099", 3},
		{[]string{"orgs", "update", "$K", "--name", "X"}, "FLO-1", "NOPE-9", 3},
		{[]string{"orgs", "open", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"orgs", "open", "$K"}, "org_000003", "org_000099", 3},
		{[]string{"link", "create", "$K", "--email", "a@b.example", "--no-copy"}, "FLO-1", "NOPE-9", 3},
		{[]string{"link", "list", "--org", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"link", "revoke", "$K"}, "lnk_000004", "lnk_000099", 3},
		{[]string{"licenses", "list", "--org", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"audit", "list", "--org", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"users", "list", "--org", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"users", "invite", "a@b.example", "--org", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"users", "promote", "a@b.example", "--org", "$K", "--role", "admin"}, "FLO-1", "NOPE-9", 3},
		{[]string{"users", "demote", "a@b.example", "--org", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"users", "remove", "a@b.example", "--org", "$K"}, "FLO-1", "NOPE-9", 3},
		{[]string{"users", "invites", "resend", "$K"}, "inv_000009", "inv_000099", 3},
		{[]string{"events", "import", "$DIR/$K.jsonl"}, "FLO-1", "NOPE-9", 2},
	} {
		t.Run(strings.Join(tc.args, " ")+"/"+tc.hidden, func(t *testing.T) {
			run := func(key string) (int, string) {
				home := t.TempDir()
				db := filepath.Join(home, "p.db")
				must(t, os.WriteFile(db, want, 0o600))
				must(t, os.WriteFile(filepath.Join(dir, key+".jsonl"),
					[]byte(`{"id":"evt_9","org":"`+key+`","type":"session.started","at":"2026-11-20T10:00:00Z"}`+"\n"), 0o600))
				args := make([]string, len(tc.args))
				for i, a := range tc.args {
					args[i] = strings.ReplaceAll(strings.ReplaceAll(a, "$K", key), "$DIR", dir)
				}
				e := map[string]string{"PARTNERCTL_DB": db, "PARTNERCTL_NOW": "2026-11-23T12:00:00Z", "HOME": home, "PARTNERCTL_USER": "sue@acme.example"}
				code, out, errOut := runCLI(e, args...)
				if out != "" {
					t.Fatalf("%s: stdout %q", key, out)
				}
				return code, strings.ReplaceAll(errOut, key, "KEY")
			}
			hc, hmsg := run(tc.hidden)
			gc, gmsg := run(tc.ghost)
			if hc != tc.code || gc != tc.code {
				t.Fatalf("exit %d for the hidden org, %d for the missing one; want %d both\n%s%s", hc, gc, tc.code, hmsg, gmsg)
			}
			if hmsg != gmsg {
				t.Fatalf("the messages differ:\nhidden:  %q\nmissing: %q", hmsg, gmsg)
			}
		})
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
		covered := slices.ContainsFunc(accessMatrix, func(r accessRow) bool { return r.cmd == path })
		if !covered && !slices.Contains(accessExempt, path) && !slices.Contains(accessExempt, top) {
			missing = append(missing, path)
		}
	}
	walk(cmd)
	for _, row := range accessMatrix {
		if found, _, err := cmd.Find(row.args); err != nil || strings.TrimPrefix(found.CommandPath(), "partnerctl ") != row.cmd {
			t.Errorf("access matrix row %q runs %v, not that command", row.cmd, row.args)
		}
	}
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
