// Package token makes and checks the bearer tokens of one-time links: 256
// bits from crypto/rand, URL-safe, behind a recognisable prefix. Only a
// token's hash is ever stored; the token itself is shown once, when made.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// LinkPrefix starts every one-time login link token.
const LinkPrefix = "plk_"

// InvitePrefix starts every invitation token.
const InvitePrefix = "pit_"

// ConnectPrefix starts every token of a request asking a tenant to link to
// the partner.
const ConnectPrefix = "pcr_"

// Bytes is how much randomness a token carries: 32 bytes, 256 bits.
const Bytes = 32

var enc = base64.RawURLEncoding

// New returns prefix followed by 32 random bytes in unpadded base64url.
func New(prefix string) (string, error) {
	b := make([]byte, Bytes)
	if _, err := rand.Read(b); err != nil {
		return "", fail.Wrap(fail.Internal, err, "cannot read random bytes for a token")
	}
	return prefix + enc.EncodeToString(b), nil
}

// Hash is the hex SHA-256 of tok: what the store keeps instead of the
// token. The token is 256 random bits, so a fast unsalted hash is enough:
// nobody can guess a preimage.
func Hash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// Equal compares two hashes in constant time.
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// Parse accepts a bare token or a URL carrying it as ?token= (as printed by
// the command that made it) and returns the token. It only checks that there
// is one: whether it was ever issued is the store's question, so a token of
// the wrong shape is simply unknown. Errors never repeat the input, which may
// be a secret.
func Parse(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "?") || strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return "", fail.Usagef("cannot read the link: it is neither a URL nor a token")
		}
		s = strings.TrimSpace(u.Query().Get("token"))
		if s == "" {
			return "", fail.Usagef("the URL has no token= parameter")
		}
	}
	if s == "" {
		return "", fail.Usagef("a token or a link URL is required")
	}
	return s, nil
}

// WellFormed reports whether tok is prefix plus exactly 32 bytes of
// unpadded base64url, the shape New makes.
func WellFormed(prefix, tok string) bool {
	body, ok := strings.CutPrefix(tok, prefix)
	if !ok || len(body) != enc.EncodedLen(Bytes) {
		return false
	}
	b, err := enc.DecodeString(body)
	return err == nil && len(b) == Bytes
}
