package boltstore

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Connect requests are JSON records keyed by sequence; connect_hashes maps
// each request's token hash to its id.

func (t *boltTx) ConnectRequestByTokenHash(_ context.Context, hash string) (domain.ConnectRequest, error) {
	var r domain.ConnectRequest
	id := t.get(bucketConnHash, []byte(hash))
	if id == nil {
		return r, store.ErrNotFound
	}
	return r, t.getRecord(connectRecords, string(id), &r)
}

func (t *boltTx) PutConnectRequest(_ context.Context, r domain.ConnectRequest) error {
	if err := putJSONRecord(t, connectRecords, r.ID, r.Seq, r); err != nil {
		return err
	}
	return t.b(bucketConnHash).Put([]byte(r.TokenHash), []byte(r.ID))
}

func (t *boltTx) ConnectRequests(ctx context.Context, orgID string) iter.Seq2[domain.ConnectRequest, error] {
	return eachJSON(ctx, t, connectRecords, func(r *domain.ConnectRequest) bool { return orgID == "" || r.OrgID == orgID })
}
