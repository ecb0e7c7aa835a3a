package domain

import (
	"errors"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

func TestParseShortcodeBoundaries(t *testing.T) {
	for in, want := range map[string]string{
		"AB":           "AB",           // shortest
		"ABCDEF123456": "ABCDEF123456", // longest
		" NW01 ":       "NW01",         // surrounding spaces dropped
		"09":           "09",           // digits alone are fine
	} {
		if got, err := ParseShortcode(in); err != nil || got != want {
			t.Errorf("ParseShortcode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "A", "ABCDEF1234567", // too short, too long
		"nw01", "Nw01", // lower case is refused, not changed
		"NW-01", "NW 01", "NW_01", "ÄB", "NW\x0001", "ＡＢ", // only A-Z and 0-9
	} {
		_, err := ParseShortcode(in)
		if !fail.Is(err, fail.Usage) {
			t.Errorf("ParseShortcode(%q) = %v, want a usage error", in, err)
		}
		var fe *fail.Error
		if errors.As(err, &fe) && (len(fe.Fields) != 1 || fe.Fields[0] != "shortcode") {
			t.Errorf("ParseShortcode(%q) names fields %v", in, fe.Fields)
		}
	}
}

func TestParseLanguageCanonicalises(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "EN": "en", "pt-BR": "pt-BR", "pt-br": "pt-BR", "pt_BR": "pt-BR",
		"zh-Hant-TW": "zh-Hant-TW", "es-419": "es-419", " de ": "de", "i-klingon": "tlh",
	} {
		if got, err := ParseLanguage(in); err != nil || got != want {
			t.Errorf("ParseLanguage(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "   ", "xx", "und", "root", "english", "en--US", "e", "en-US-", "pt-\nBR"} {
		if _, err := ParseLanguage(in); !fail.Is(err, fail.Usage) {
			t.Errorf("ParseLanguage(%q) = %v, want a usage error", in, err)
		}
	}
}

func TestLinkStatusOfEarlierRecordsIsAccepted(t *testing.T) {
	for s, connected := range map[LinkStatus]bool{"": true, LinkAccepted: true, LinkPending: false, LinkRejected: false} {
		o := Org{LinkStatus: s}
		if o.Connected() != connected {
			t.Errorf("LinkStatus %q: Connected() = %v", s, o.Connected())
		}
	}
	if o := (Org{}); o.Link() != LinkAccepted {
		t.Errorf("zero org's link = %q", o.Link())
	}
}

// A connect request is valid for exactly 7 days: settled at 7 days minus
// a nanosecond, expired at 7 days.
func TestConnectRequestExpiresAtExactlySevenDays(t *testing.T) {
	made := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	r := ConnectRequest{CreatedAt: made, ExpiresAt: made.Add(ConnectValidity)}
	if ConnectValidity != 168*time.Hour {
		t.Fatalf("validity %s", ConnectValidity)
	}
	if got := r.State(made.Add(ConnectValidity-time.Nanosecond), made); got != ConnectPending {
		t.Errorf("just before 7 days: %s", got)
	}
	if got := r.State(made.Add(ConnectValidity), made); got != ConnectExpired {
		t.Errorf("at 7 days: %s", got)
	}
	at := made.Add(time.Hour)
	r.RejectedAt = &at
	if got := r.State(made.Add(30*24*time.Hour), made); got != ConnectRejected {
		t.Errorf("a settled request stays settled: %s", got)
	}
}
