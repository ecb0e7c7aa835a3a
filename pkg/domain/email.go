package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// ParseEmail normalises an address (trimmed, lower-case) and checks it with a
// deliberately simple rule: one @, a non-empty local part, a dotted domain,
// no spaces, control characters or list separators. Invalid input is a usage
// error. Control characters are refused because an address is printed in
// tables and written to CSV, where a NUL or escape would corrupt the output.
func ParseEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	at := strings.IndexByte(e, '@')
	ok := at > 0 && at == strings.LastIndexByte(e, '@') && !strings.ContainsAny(e, "<>,;\"'()[]\\") &&
		utf8.ValidString(s) && strings.IndexFunc(e, unprintable) < 0
	if ok {
		domain := e[at+1:]
		dot := strings.LastIndexByte(domain, '.')
		ok = dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
	}
	if !ok || len(e) > 254 {
		return "", fail.Usagef("invalid email %q", s)
	}
	return e, nil
}

func unprintable(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r)
}
