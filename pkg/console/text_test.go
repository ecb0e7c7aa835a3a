package console

import (
	"testing"
	"unicode/utf8"
)

// invisible skips ASCII without the table lookups: that is exact only
// while no ASCII rune is invisible.
func TestNoASCIIRuneIsInvisible(t *testing.T) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if invisibleRune(r) {
			t.Fatalf("%U is invisible: invisible's ASCII shortcut is wrong", r)
		}
	}
}

func TestInvisible(t *testing.T) {
	for s, want := range map[string]bool{
		"Acme Corp":            false,
		"Ünïcödé Café":         false,
		"Acme\u200bCorp":       true,  // zero-width space
		"Acme\u00adCorp":       true,  // soft hyphen, Latin-1's one Cf
		"\u202eevil":           true,  // right-to-left override
		"line\u2028separator":  true,  // Zl
		"para\u2029separator":  true,  // Zp
		"\ufeffBOM first":      true,  // byte order mark
		"plain ASCII, 100% ok": false, // the shortcut alone
	} {
		if got := invisible(s); got != want {
			t.Errorf("invisible(%q) = %v, want %v", s, got, want)
		}
	}
}
