package tui

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// clean makes text from users or feeds (names, refs, emails, errors) safe
// to draw: control characters, escape sequences and bidi overrides are
// shown escaped (\x1b, \u202e) instead of acting on the terminal.
func clean(s string) string {
	safe := true
	for _, r := range s {
		if unsafeRune(r) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == unicode.ReplacementChar:
			b.WriteRune(r)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	if unicode.IsControl(r) {
		return true
	}
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f: // marks that reorder text
		return true
	case 0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}

// fit truncates s (which may carry ANSI styles) to width cells, ending it
// with … when anything was cut. It never wraps.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// pad fits s to exactly width cells, left-aligned.
func pad(s string, width int) string {
	s = fit(s, width)
	if w := ansi.StringWidth(s); w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// padLeft fits s to exactly width cells, right-aligned.
func padLeft(s string, width int) string {
	s = fit(s, width)
	if w := ansi.StringWidth(s); w < width {
		s = strings.Repeat(" ", width-w) + s
	}
	return s
}

// spread puts left and right on one line of width cells, right-aligned
// right; when both don't fit, left is cut first.
func spread(left, right string, width int) string {
	rw := ansi.StringWidth(right)
	if rw+1 >= width {
		return fit(right, width)
	}
	left = fit(left, width-rw-1)
	return left + strings.Repeat(" ", width-rw-ansi.StringWidth(left)) + right
}

// wrapText word-wraps plain text to width and hard-breaks words longer than
// a line (URLs). Panes use it; table cells never wrap.
func wrapText(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	return strings.Split(ansi.Hardwrap(ansi.Wordwrap(s, width, ""), width, true), "\n")
}
