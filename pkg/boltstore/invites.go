package boltstore

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Invites are records keyed by sequence; invite_hashes maps every token
// hash ever issued for an invite to its id, so a resent invite's old link
// can say why it no longer works.

func (t *boltTx) Invite(_ context.Context, id string) (domain.Invite, error) {
	var i domain.Invite
	return i, t.getRecord(inviteRecords, id, &i)
}

func (t *boltTx) PutInvite(_ context.Context, i domain.Invite) error {
	if err := t.b(bucketInvHash).Put([]byte(i.TokenHash), []byte(i.ID)); err != nil {
		return err
	}
	return putJSONRecord(t, inviteRecords, i.ID, i.Seq, i)
}

func (t *boltTx) InviteByTokenHash(ctx context.Context, hash string) (domain.Invite, error) {
	id := t.get(bucketInvHash, []byte(hash))
	if id == nil {
		return domain.Invite{}, store.ErrNotFound
	}
	return t.Invite(ctx, string(id))
}

func (t *boltTx) Invites(ctx context.Context, orgID string) iter.Seq2[domain.Invite, error] {
	return eachJSON(ctx, t, inviteRecords, func(i *domain.Invite) bool { return orgID == "" || i.OrgID == orgID })
}
