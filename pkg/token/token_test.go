package token

import (
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

func TestNewShapeAndUniqueness(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		tok, err := New(LinkPrefix)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, "plk_") || len(tok) != len("plk_")+43 {
			t.Fatalf("token %q: want plk_ and 43 base64url characters", tok)
		}
		if strings.ContainsAny(tok, "+/=") {
			t.Fatalf("token %q is not unpadded base64url", tok)
		}
		if !WellFormed(LinkPrefix, tok) {
			t.Fatalf("WellFormed(%q) = false", tok)
		}
		if seen[tok] {
			t.Fatalf("duplicate token %q", tok)
		}
		seen[tok] = true
	}
}

func TestHashNeverEqualsTokenAndIsStable(t *testing.T) {
	tok, err := New(LinkPrefix)
	if err != nil {
		t.Fatal(err)
	}
	h := Hash(tok)
	if h == tok || strings.Contains(h, tok[len(LinkPrefix):]) {
		t.Fatalf("hash %q reveals the token", h)
	}
	if len(h) != 64 || h != Hash(tok) {
		t.Fatalf("hash %q: want 64 stable hex characters", h)
	}
	if Hash(tok+"x") == h {
		t.Fatal("different tokens, same hash")
	}
	// A known vector, so the stored format can't drift silently.
	if got := Hash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("Hash(abc) = %s", got)
	}
}

func TestEqual(t *testing.T) {
	a := Hash("plk_a")
	if !Equal(a, Hash("plk_a")) || Equal(a, Hash("plk_b")) || Equal(a, a[:10]) {
		t.Fatal("Equal is wrong")
	}
}

func TestParse(t *testing.T) {
	tok := "plk_" + strings.Repeat("A", 43)
	for _, tc := range []struct{ in, want string }{
		{tok, tok},
		{"  " + tok + "\n", tok},
		{"https://login.example.com/magic?token=" + tok, tok},
		{"https://login.example.com/magic?org=1&token=" + tok + "&x=y", tok},
		{"http://localhost:8080/?token=" + tok, tok},
		{"plk_short", "plk_short"}, // well-formedness is not Parse's business: unknown, not invalid
	} {
		got, err := Parse(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "   ", "https://login.example.com/magic", "https://login.example.com/magic?tok=" + tok, "https://x.example/?token="} {
		_, err := Parse(in)
		if !fail.Is(err, fail.Usage) {
			t.Errorf("Parse(%q) error = %v; want a usage error", in, err)
		}
		if err != nil && strings.Contains(err.Error(), tok) {
			t.Errorf("Parse(%q) error repeats the token", in)
		}
	}
}

func TestWellFormed(t *testing.T) {
	good := "plk_" + strings.Repeat("A", 43)
	for _, bad := range []string{"", "plk_", "pit_" + strings.Repeat("A", 43), good + "A", good[:len(good)-1], "plk_" + strings.Repeat("+", 43)} {
		if WellFormed(LinkPrefix, bad) {
			t.Errorf("WellFormed(%q) = true", bad)
		}
	}
	if !WellFormed(LinkPrefix, good) {
		t.Errorf("WellFormed(%q) = false", good)
	}
}
