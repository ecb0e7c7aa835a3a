package boltstore

import (
	"bytes"
	"fmt"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// A membership is stored under its key (org id, 0, email) as a version
// byte, the role and the login method (uvarint length + bytes each), the
// joined time (unix seconds varint + nanoseconds uvarint), and a byte that
// says whether the expiry time follows. As JSON a record repeated its key:
// in a store of a million orgs after 10M events, 534k memberships took
// 102 MB of pages, 192 bytes each. JSON records of earlier builds are still
// read; each is rewritten in this form the next time it changes.
const memberCodecV1 = 1

func encodeMembership(b []byte, m *domain.Membership) []byte {
	b = append(b, memberCodecV1)
	b = appendString(b, string(m.Role))
	b = appendString(b, m.LoginMethod)
	b = appendTime(b, m.JoinedAt)
	if m.ExpiresAt == nil {
		return append(b, 0)
	}
	return appendTime(append(b, 1), *m.ExpiresAt)
}

// decodeMembership reads the membership stored under key (binary, or JSON
// of earlier builds, which names its own org and email).
func decodeMembership(key, raw []byte) (domain.Membership, error) {
	var m domain.Membership
	if len(raw) > 0 && raw[0] == '{' {
		return m, jsonUnmarshal(raw, &m)
	}
	org, email, ok := bytes.Cut(key, []byte{0})
	if !ok || len(raw) == 0 || raw[0] != memberCodecV1 {
		return m, fmt.Errorf("corrupt membership record in store")
	}
	m.OrgID, m.Email = string(org), string(email)
	r := orgReader{b: raw[1:]}
	var role string
	r.strings(&role, &m.LoginMethod)
	m.Role = domain.Role(role)
	m.JoinedAt = r.time()
	switch r.byte() {
	case 0:
	case 1:
		at := r.time()
		m.ExpiresAt = &at
	default:
		r.bad = true
	}
	if r.bad || len(r.b) != 0 {
		return domain.Membership{}, fmt.Errorf("corrupt membership record in store")
	}
	return m, nil
}
