package boltstore

import (
	"bytes"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

func memberKey(orgID, email string) []byte {
	return []byte(orgID + "\x00" + email)
}

func (t *tx) Membership(orgID, email string) (domain.Membership, error) {
	var m domain.Membership
	return m, getJSON(t.b(bucketMembers), memberKey(orgID, email), &m)
}

func (t *tx) PutMembership(m domain.Membership) error {
	return putJSON(t.b(bucketMembers), memberKey(m.OrgID, m.Email), m)
}

func (t *tx) DeleteMembership(orgID, email string) error {
	return t.b(bucketMembers).Delete(memberKey(orgID, email))
}

func (t *tx) ForEachMembership(orgID string, fn func(m domain.Membership) bool) error {
	var prefix []byte
	if orgID != "" {
		prefix = []byte(orgID + "\x00")
	}
	c := t.b(bucketMembers).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var m domain.Membership
		if err := jsonUnmarshal(v, &m); err != nil {
			return err
		}
		if !fn(m) {
			return nil
		}
	}
	return nil
}
