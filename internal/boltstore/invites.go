package boltstore

import (
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func (t *tx) Invite(id string) (domain.Invite, error) {
	var i domain.Invite
	return i, getJSON(t.b(bucketInvites), []byte(id), &i)
}

func (t *tx) PutInvite(i domain.Invite) error {
	if err := t.b(bucketInvHash).Put([]byte(i.TokenHash), []byte(i.ID)); err != nil {
		return err
	}
	return putJSON(t.b(bucketInvites), []byte(i.ID), i)
}

func (t *tx) InviteIDByHash(hash string) (string, error) {
	id := t.b(bucketInvHash).Get([]byte(hash))
	if id == nil {
		return "", store.ErrNotFound
	}
	return string(id), nil
}

func (t *tx) ForEachInvite(fn func(i *domain.Invite) bool) error {
	c := t.b(bucketInvites).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var i domain.Invite
		if err := jsonUnmarshal(v, &i); err != nil {
			return err
		}
		if !fn(&i) {
			return nil
		}
	}
	return nil
}
