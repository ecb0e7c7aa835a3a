package domain

import (
	"strings"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// ParseEmail normalises an address (trimmed, lower-case) and checks it with a
// deliberately simple rule: one @, a non-empty local part, a dotted domain,
// no spaces or list separators. Invalid input is a usage error.
func ParseEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	at := strings.IndexByte(e, '@')
	ok := at > 0 && at == strings.LastIndexByte(e, '@') && !strings.ContainsAny(e, " \t\r\n<>,;\"'()[]\\")
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
