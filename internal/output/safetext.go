package output

// Text a user or a feed supplied (names, refs, reasons, contact fields,
// event fields) must never put a terminal control sequence on anyone's
// screen: an ESC starts CSI (clear the screen, move the cursor), OSC 52
// (write the clipboard) and OSC 8 (a disguised link); C1 controls are the
// same sequences in one byte; bidi overrides make text read in another order
// than it is. Every printer passes such text through here once, at output:
// tables and CSV show it escaped (\x1b, \u202e), JSON as \u escapes, which
// decode back to the exact value.

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// unsafeRune reports whether r must not reach a terminal as it is: C0
// controls other than tab and newline, DEL, C1 controls, the Unicode line
// and paragraph separators, and the bidi embeddings, overrides and isolates.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t' && r != '\n'
	case r < 0x7f:
		return false
	case r <= 0x9f: // DEL and C1
		return true
	}
	return r == 0x2028 || r == 0x2029 || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// SafeText returns s with every unsafe rune (see unsafeRune) and every byte
// of invalid UTF-8 shown as a visible escape: \x1b, \x7f, \xff, \u009b,
// \u202e. Text without any comes back as it is, without allocating.
func SafeText(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// firstUnsafe is the index of s's first unsafe rune or invalid byte, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// safeJSON rewrites encoded JSON so every unsafe rune inside its strings is
// a \u escape: encoding/json already escapes C0 controls and replaces
// invalid UTF-8, but writes DEL, C1 controls and bidi controls as they are.
// Outside strings JSON is plain ASCII, so the rewrite can't change meaning.
func safeJSON(b []byte) []byte {
	i := firstUnsafe(string(b))
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+12)
	out = append(out, b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// SafeWriter returns a writer that passes every write through SafeText: for
// diagnostics on stderr, which quote names and input lines. Raw returns the
// writer underneath, for a progress bar's own control sequences.
func SafeWriter(w io.Writer) io.Writer { return &safeWriter{w: w} }

type safeWriter struct{ w io.Writer }

func (s *safeWriter) Write(p []byte) (int, error) {
	if firstUnsafe(string(p)) < 0 {
		return s.w.Write(p)
	}
	if _, err := io.WriteString(s.w, SafeText(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Raw is the writer underneath.
func (s *safeWriter) Raw() io.Writer { return s.w }

// RawWriter returns the writer under a SafeWriter, or w itself.
func RawWriter(w io.Writer) io.Writer {
	if r, ok := w.(interface{ Raw() io.Writer }); ok {
		return r.Raw()
	}
	return w
}

// formulaStart reports whether a spreadsheet would run a cell starting
// like s as a formula (OWASP CSV injection): =, +, -, @, tab or CR first.
func formulaStart(s string) bool {
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// csvText is a text cell as CSV writes it: escaped, then, unless raw,
// neutralised with a leading ' when it would start a formula.
func csvText(s string, raw bool) string {
	s = SafeText(s)
	if !raw && formulaStart(s) {
		return "'" + s
	}
	return s
}

// csvCell is a column value as CSV writes it. Only text is neutralised:
// numbers (a negative count), booleans and times are partnerctl's own.
func csvCell(v any, raw bool) string {
	switch v.(type) {
	case nil, int, int64, uint64, float64, bool, time.Time, *time.Time:
		return SafeText(plainCell(v))
	}
	return csvText(plainCell(v), raw)
}

// safeHumanCell renders a terminal cell. A Human renderer mixes the row's
// text with the style's own color sequences, so its result can't be escaped
// as a whole: it is rendered once without color, and when that shows no
// unsafe text (the row's text appears in it as is) the colored rendering is
// used; otherwise the escaped colorless one.
func safeHumanCell[T any](c Column[T], row T, ctx Context) string {
	if c.Human == nil || !ctx.Style.Color {
		return SafeText(humanCell(c, row, ctx))
	}
	plain := ctx
	plain.Style.Color = false
	if s := humanCell(c, row, plain); firstUnsafe(s) >= 0 {
		return SafeText(s)
	}
	return humanCell(c, row, ctx)
}
