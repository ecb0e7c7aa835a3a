package token

import (
	"net/url"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// FuzzParseToken: Parse never panics; it fails only with a usage error that
// never repeats the input (which may be a secret), or returns a non-empty
// token without surrounding space. WellFormed never panics, and a fresh
// token survives Parse bare and inside a link URL.
// FuzzParseToken: Parse never panics, fails only with a usage error that
// does not repeat its input, and always finds a real token in a URL whatever
// else the query holds.
func FuzzParseToken(f *testing.F) {
	for _, s := range []string{
		"plk_" + strings.Repeat("A", 43),
		"https://login.example.com/magic?org=1&token=plk_" + strings.Repeat("B", 43),
		"https://login.example.com/magic", "?token=", "%zz?token=a", "pit_x", "", " \t\n",
	} {
		f.Add(s)
	}
	fresh, err := New(LinkPrefix)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tok, err := Parse(in)
		if err != nil {
			if !fail.Is(err, fail.Usage) {
				t.Fatalf("Parse(%q): %v is not a usage error", in, err)
			}
			if secret := strings.TrimSpace(in); len(secret) >= 8 && strings.Contains(err.Error(), secret) {
				t.Fatalf("Parse error %q repeats the input", err)
			}
		} else if tok == "" || tok != strings.TrimSpace(tok) {
			t.Fatalf("Parse(%q) = %q", in, tok)
		}
		_ = WellFormed(LinkPrefix, in)
		_ = WellFormed(InvitePrefix, in)
		for _, s := range []string{fresh, "https://x.example/l?token=" + url.QueryEscape(fresh) + "&n=" + url.QueryEscape(in)} {
			if got, err := Parse(s); err != nil || got != fresh {
				t.Fatalf("Parse(%q) = %q, %v; want the token back", s, got, err)
			}
		}
	})
}
