package boltstore

import (
	"bytes"
	"encoding/json"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func memberKey(orgID, email string) []byte {
	return []byte(orgID + "\x00" + email)
}

func (t *tx) Membership(orgID, email string) (domain.Membership, error) {
	var m domain.Membership
	raw := t.getPending(bucketMembers, memberKey(orgID, email))
	if raw == nil {
		return m, store.ErrNotFound
	}
	return m, jsonUnmarshal(raw, &m)
}

func (t *tx) PutMembership(m domain.Membership) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	t.putLater(bucketMembers, memberKey(m.OrgID, m.Email), raw)
	return nil
}

func (t *tx) DeleteMembership(orgID, email string) error {
	t.deleteLater(bucketMembers, memberKey(orgID, email))
	return nil
}

func (t *tx) ForEachMembership(orgID string, fn func(m domain.Membership) bool) error {
	var prefix []byte
	if orgID != "" {
		prefix = []byte(orgID + "\x00")
	}
	if err := t.flushPending(bucketMembers); err != nil {
		return err
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
