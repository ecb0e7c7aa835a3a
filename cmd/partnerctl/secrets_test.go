package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/internal/secretscan"
)

// tokenIssuers make tokens in the store under test and return them; each
// gets the store's proc and the scanner, and must check (with issue) every
// output except the one place the token is meant to be shown. Between them
// they leave tokens in every state: active, used, revoked, resent, deleted.
// A new kind of token gets an issuer here.
var tokenIssuers = []func(t *testing.T, p proc, s *secretscan.Scanner) []string{
	// login links: one revoked, one redeemed, so every state is in the store
	func(t *testing.T, p proc, s *secretscan.Scanner) []string {
		revoked := issue(t, p, s, "link", "create", "CUST-0001", "--email", "someone@cust.example", "--no-copy", "--reason", "support call")
		p.must("link", "revoke", "lnk_000001")
		used := issue(t, p, s, "link", "create", "CUST-0002", "--email", "ceo@cust.example", "--no-copy")
		checked(t, p, s, "link", "redeem", used)
		return []string{revoked, used}
	},
	// invitations: one resent (its first token dead), accepted; one deleted
	func(t *testing.T, p proc, s *secretscan.Scanner) []string {
		first := issue(t, p, s, "users", "invite", "owner@cust.example", "--org", "CUST-0002", "--role", "owner")
		resent := issue(t, p, s, "users", "invites", "resend", "inv_000001")
		checked(t, p, s, "users", "invites", "accept", resent)
		deleted := issue(t, p, s, "users", "invite", "temp@cust.example", "--admin-org")
		p.must("users", "invites", "delete", "inv_000002")
		return []string{first, resent, deleted}
	},
	// connect requests: one accepted, one rejected, one pending
	func(t *testing.T, p proc, s *secretscan.Scanner) []string {
		accepted := issue(t, p, s, "orgs", "connect", "--name", "Tenant One", "--email", "it@one.example", "--ref", "TEN-1")
		checked(t, p, s, "orgs", "connect", "accept", accepted)
		rejected := issue(t, p, s, "orgs", "connect", "--name", "Tenant Two", "--email", "it@two.example")
		checked(t, p, s, "orgs", "connect", "reject", rejected)
		// A pending one stays in the store for every scan; its token is not
		// returned, or the failing commands below would settle it (its
		// prefix still makes it found anywhere it leaks).
		issue(t, p, s, "orgs", "connect", "--name", "Tenant Three", "--email", "it@three.example", "--shortcode", "TT3")
		return []string{accepted, rejected}
	},
}

// checked runs a command that consumes a token and scans everything it prints.
func checked(t *testing.T, p proc, s *secretscan.Scanner, args ...string) {
	t.Helper()
	out, errOut, code := p.run(args...)
	if code != 0 {
		t.Fatalf("partnerctl %s: exit %d: %s", args[0]+" "+args[1], code, errOut)
	}
	s.Check(args[0]+" "+args[1]+" (stdout)", []byte(out))
	s.Check(args[0]+" "+args[1]+" (stderr)", []byte(errOut))
}

// leakCommands are scanned in every output format; every command that
// lists token-bearing records belongs here.
var leakCommands = [][]string{
	{"whoami"},
	{"partner", "show"},
	{"orgs", "list"},
	{"orgs", "list", "--link-status", "all"},
	{"orgs", "show", "CUST-0001"},
	{"orgs", "show", "TT3"},
	{"orgs", "show", "CUST-0001", "--explain"},
	{"orgs", "stats"},
	{"doctor"},
	{"link", "list"},
	{"link", "list", "--state", "used"},
	{"users", "invites", "list"},
	{"users", "list"},
	{"audit", "list"},
}

// leakErrors are failing commands whose messages are scanned; the token
// placeholder {token} is replaced by each known token (an error about a
// token must not repeat it).
var leakErrors = [][]string{
	{"orgs", "show", "{token}"},
	{"orgs", "show", "no-such-org"},
	{"events", "import", "{file}"},
	{"link", "redeem", "{token}"},
	{"users", "invites", "accept", "{token}"},
	{"orgs", "connect", "accept", "{token}"},
	{"orgs", "connect", "reject", "{token}"},
}

// issue runs a command that shows a token once, on stdout: its stderr is
// scanned, and the token it printed is returned.
func issue(t *testing.T, p proc, s *secretscan.Scanner, args ...string) string {
	t.Helper()
	out, errOut, code := p.run(args...)
	if code != 0 {
		t.Fatalf("partnerctl %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	s.Check(strings.Join(args, " ")+" (stderr)", []byte(errOut))
	tok := secretscan.Pattern.FindString(out)
	if tok == "" {
		t.Fatalf("partnerctl %s printed no token: %q", strings.Join(args, " "), out)
	}
	return tok
}

// TestNoTokenLeaks: no token appears in the store file, a backup, any list
// or JSON/CSV output, or any error message.
func TestNoTokenLeaks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	p := newProc(t, db)
	p.must("demo", "--orgs", "20")
	s := &secretscan.Scanner{}
	for _, issuer := range tokenIssuers {
		s.Known = append(s.Known, issuer(t, p, s)...)
	}
	tokens := append([]string{"plk_" + strings.Repeat("Z", 43)}, s.Known...)
	// event lines that quote tokens where a value is expected
	var lines strings.Builder
	for i, tok := range tokens {
		lines.WriteString(`{"id":"t` + string(rune('a'+i)) + `","org":"CUST-0001","type":"` + tok + `","at":"2026-11-20T10:00:00Z"}` + "\n")
		lines.WriteString(`{"id":"u` + string(rune('a'+i)) + `","org":"` + tok + `","type":"session.started","at":"2026-11-20T10:00:00Z"}` + "\n")
	}
	badEvents := writeFile(t, filepath.Join(dir, "bad.jsonl"), lines.String())

	scan := func(args ...string) {
		out, errOut, _ := p.run(args...)
		name := strings.Join(args, " ")
		s.Check(name+" (stdout)", []byte(out))
		s.Check(name+" (stderr)", []byte(errOut))
	}
	// a partial import reports the bad lines it skipped
	s.Known = append(s.Known, tokens[0])
	scan("events", "import", "--skip-invalid", badEvents)
	s.Known = s.Known[:len(s.Known)-1]
	for _, args := range leakCommands {
		for _, format := range []string{"table", "json", "csv"} {
			scan(append(append([]string{}, args...), "-o", format)...)
		}
	}
	for _, args := range leakErrors {
		for _, tok := range tokens {
			expanded := make([]string, len(args))
			for i, a := range args {
				a = strings.ReplaceAll(a, "{token}", tok)
				expanded[i] = strings.ReplaceAll(a, "{file}", badEvents)
			}
			out, errOut, code := p.run(expanded...)
			if code == 0 {
				t.Errorf("partnerctl %s succeeded; leakErrors are failing commands", strings.Join(expanded, " "))
			}
			s.Known = append(s.Known, tok) // scanned for this token too
			s.Check(strings.Join(args, " ")+" (stdout)", []byte(out))
			s.Check(strings.Join(args, " ")+" (stderr)", []byte(strings.ReplaceAll(errOut, badEvents, "FILE")))
			s.Known = s.Known[:len(s.Known)-1]
		}
	}
	backup := filepath.Join(dir, "backup.db")
	p.must("backup", backup)
	for _, f := range []string{db, backup} {
		if err := s.CheckFile(f); err != nil {
			t.Fatal(err)
		}
	}
	if leaks := s.Leaks(); len(leaks) > 0 {
		t.Fatalf("tokens leaked:\n%s", strings.Join(leaks, "\n"))
	}
	t.Logf("%d outputs and files scanned, %d issued tokens", s.Places(), len(s.Known))
}
