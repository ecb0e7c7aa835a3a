package console

import (
	"unicode"
	"unicode/utf8"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// Text rules at input. Printers escape whatever is unsafe on a terminal
// (internal/output), but text that can't be meant is refused where it comes
// in: a name that other people read in every table must look like what it
// is, so names refuse, besides control characters, the invisible formatting
// characters (Unicode category Cf: zero-width spaces and joiners, bidi marks,
// embeddings, overrides and isolates, the BOM) and line separators. Free
// text (reasons, a phone number) refuses control characters only.

// printable reports whether s is valid UTF-8 without control characters
// (C0, DEL, C1), so it can't break a line or carry a terminal escape.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// invisible reports whether s holds a character that changes how text
// around it looks without being seen itself. ASCII has none (a test checks
// it), so an ASCII rune skips the table lookups: they were a seventh of the
// parse of a million-row orgs CSV.
func invisible(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf {
			continue
		}
		if invisibleRune(r) {
			return true
		}
	}
	return false
}

// checkNameText refuses control and invisible characters in the input
// field's value, a name.
func checkNameText(field, s string) error {
	if !printable(s) {
		return fail.Fieldf(fail.Usage, "{"+field+"} must be valid UTF-8 without control characters")
	}
	if invisible(s) {
		return fail.Fieldf(fail.Usage, "{"+field+"} must not contain invisible characters (zero-width, bidi controls)")
	}
	return nil
}

// checkLineText refuses control characters in the input field's value, one
// line of free text.
func checkLineText(field, s string) error {
	if !printable(s) {
		return fail.Fieldf(fail.Usage, "{"+field+"} must be one line of valid UTF-8 without control characters")
	}
	return nil
}

func invisibleRune(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp)
}
