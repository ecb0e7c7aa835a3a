package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// controlLeak reports whether s holds anything a terminal would act on or
// that reorders text: ESC, other C0 controls but tab and newline, DEL, C1,
// bidi embeddings, overrides and isolates.
func controlLeak(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\t' && r != '\n', r >= 0x7f && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfffd:
			return true
		}
	}
	return false
}

// TestHostileTextNeverReachesATerminal: names refuse control and invisible
// characters at input (exit 2, nothing stored); free text that is stored
// (a link reason with a bidi override) and feed text quoted in line errors
// come out escaped in every format, JSON keeping the exact value; CSV
// neutralises formula cells unless --csv-raw.
func TestHostileTextNeverReachesATerminal(t *testing.T) {
	dir := t.TempDir()
	p := newProc(t, filepath.Join(dir, "p.db"))

	_, errOut, code := p.run("init", "--partner-name", "Evil\x1b]52;c;aGk=\x07", "--support-email", "a@b.example",
		"--admin-org", "HQ", "--admin-email", "admin@b.example")
	if code != 2 || controlLeak(errOut) || !strings.Contains(errOut, "--partner-name must be valid UTF-8 without control characters") {
		t.Fatalf("init with an escape in the name: exit %d: %q", code, errOut)
	}
	if _, err := os.Stat(p.db); !os.IsNotExist(err) {
		t.Fatalf("a refused init left a store: %v", err)
	}
	p.init()
	p.must("orgs", "create", "--name", "Bakery", "--ref", "BAK-1")
	before := p.must("partner", "show", "-o", "json")

	refused := [][]string{
		{"partner", "update", "--name", "A\u202eB"},
		{"partner", "update", "--name", "Zero\u200bWidth"},
		{"partner", "update", "--contact-name", "X\x1b[2J"},
		{"partner", "update", "--contact-name", "Dana\u2066"},
		{"partner", "update", "--contact-phone", "1\x1b[2J"},
		{"partner", "update", "--logo-url", "https://x.example/\u202egnp.exe"},
		{"orgs", "create", "--name", "Evil\u202eCo"},
		{"orgs", "create", "--name", "Join\u200dMe"},
		{"orgs", "create", "--name", "C1\u009b2J"},
		{"orgs", "update", "BAK-1", "--name", "\x1b[31mRed"},
		{"link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy", "--reason", "r\x1b]8;;https://evil.example\x1b\\"},
		{"licenses", "issue", "--start", "2026-12-01", "--end", "2027-11-30", "--number", "L\u202e1"},
	}
	for _, args := range refused {
		_, errOut, code := p.run(args...)
		if code != 2 || controlLeak(errOut) {
			t.Errorf("partnerctl %q: exit %d, want 2: %q", args, code, errOut)
		}
	}
	if after := p.must("partner", "show", "-o", "json"); after != before {
		t.Fatalf("a refused update changed the partner:\n%s\n%s", before, after)
	}
	if out := p.must("orgs", "list", "--fields", "name", "--no-headers"); out != "Bakery\n" {
		t.Fatalf("a refused org was stored: %q", out)
	}

	// free text keeps what it can mean; bidi controls come out escaped
	p.must("link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy", "--reason", "ticket \u202e1234")
	if out := p.must("link", "list", "--fields", "reason", "--no-headers"); out != `ticket \u202e1234`+"\n" {
		t.Errorf("link list: %q", out)
	}
	if out := p.must("link", "list", "--fields", "reason", "-o", "csv", "--no-headers"); out != `ticket \u202e1234`+"\n" {
		t.Errorf("link list -o csv: %q", out)
	}
	out := p.must("link", "list", "--fields", "reason", "-o", "json")
	var links []struct{ Reason string }
	if err := json.Unmarshal([]byte(out), &links); err != nil || controlLeak(out) || len(links) != 1 || links[0].Reason != "ticket \u202e1234" {
		t.Errorf("link list -o json: %q (%v)", out, err)
	}
	if out := p.must("audit", "list", "--fields", "detail", "--no-headers"); controlLeak(out) || !strings.Contains(out, `reason: ticket \u202e1234`) {
		t.Errorf("audit list: %q", out)
	}

	// feed text quoted in line errors and skip notices
	feed := writeFile(t, filepath.Join(dir, "events.jsonl"),
		`{"id":"e1","org":"\u001b]52;c;aGk=\u0007","type":"session.started","at":"2026-11-20T10:00:00Z"}`+"\n"+
			"{\"id\":\"e2\",\"org\":\"BAK-1\",\"type\":\"\x1b[2J\u202e\",\"at\":\"2026-11-20T10:00:00Z\"}\n")
	for _, args := range [][]string{{"events", "import", feed}, {"events", "import", feed, "--skip-invalid"}} {
		_, errOut, _ := p.run(args...)
		if controlLeak(errOut) || !strings.Contains(errOut, "line 2") {
			t.Errorf("partnerctl %q wrote controls on stderr: %q", args, errOut)
		}
	}

	// CSV formula cells: text is neutralised, numbers are not
	p.must("orgs", "create", "--name", `=HYPERLINK("https://evil.example","Open")`, "--ref", "-1")
	want := "'=HYPERLINK(\"\"https://evil.example\"\",\"\"Open\"\")\",'-1,0\n"
	if out := p.must("orgs", "list", "-o", "csv", "--no-headers", "--fields", "name,ref_id,users", "--search", "evil"); out != "\""+want {
		t.Errorf("csv: %q, want %q", out, "\""+want)
	}
	want = "\"=HYPERLINK(\"\"https://evil.example\"\",\"\"Open\"\")\",-1,0\n"
	if out := p.must("orgs", "list", "-o", "csv", "--csv-raw", "--no-headers", "--fields", "name,ref_id,users", "--search", "evil"); out != want {
		t.Errorf("csv --csv-raw: %q, want %q", out, want)
	}
}
