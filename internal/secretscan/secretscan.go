// Package secretscan finds bearer tokens where they must never be: in the
// store file, in command output, in error messages. Tests use it to prove
// that a token is shown once, when it is made, and never again.
package secretscan

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Pattern matches anything shaped like a one-time login link token (plk_),
// an invitation token (pit_) or a connect request token (pcr_). Real tokens
// carry 43 base64url characters; 20 is enough to tell a token from prose
// such as "plk_ tokens".
var Pattern = regexp.MustCompile(`plk_[A-Za-z0-9_-]{20,}|pit_[A-Za-z0-9_-]{20,}|pcr_[A-Za-z0-9_-]{20,}`)

// Find returns every token-shaped string in data, plus every occurrence of
// a known token or of its body without the prefix (a store that kept the
// random part alone would still leak it).
func Find(data []byte, known ...string) []string {
	var found []string
	for _, m := range Pattern.FindAll(data, -1) {
		found = append(found, string(m))
	}
	for _, k := range known {
		body := k
		if i := strings.IndexByte(k, '_'); i >= 0 && i < 5 {
			body = k[i+1:]
		}
		if len(body) >= 16 && bytes.Contains(data, []byte(body)) && !bytes.Contains(data, []byte(k)) {
			found = append(found, "body of "+k)
		}
	}
	return found
}

// Scanner collects what a test looked at and what leaked where.
type Scanner struct {
	// Known are tokens the test was handed (by `link create`, `users
	// invite`, ...): each may appear only in the output that made it.
	Known  []string
	leaks  []string
	places int
}

// Check scans data, labelled where for the report.
func (s *Scanner) Check(where string, data []byte) {
	s.places++
	for _, f := range Find(data, s.Known...) {
		s.leaks = append(s.leaks, fmt.Sprintf("%s: %s", where, f))
	}
}

// CheckFile scans a file's bytes (bbolt stores keys and values as they are,
// so a token kept in the store shows up here).
func (s *Scanner) CheckFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s.Check(path, b)
	return nil
}

// Leaks lists every leak found, "where: what".
func (s *Scanner) Leaks() []string { return s.leaks }

// Places is how many outputs and files were scanned.
func (s *Scanner) Places() int { return s.places }

// Redact replaces every token-shaped string in msg by its prefix and
// "[redacted]": error messages may quote user input, and a token pasted in
// the wrong place must not end up in a terminal log or a CI transcript.
func Redact(msg string) string {
	return Pattern.ReplaceAllStringFunc(msg, func(tok string) string { return tok[:4] + "[redacted]" })
}
