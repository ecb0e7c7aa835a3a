package boltstore

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Links are records keyed by sequence; link_hashes maps a token hash to
// the link id.

func (t *boltTx) Link(_ context.Context, id string) (domain.Link, error) {
	var l domain.Link
	return l, t.getRecord(linkRecords, id, &l)
}

func (t *boltTx) LinkByTokenHash(ctx context.Context, hash string) (domain.Link, error) {
	id := t.get(bucketLinkHash, []byte(hash))
	if id == nil {
		return domain.Link{}, store.ErrNotFound
	}
	return t.Link(ctx, string(id))
}

func (t *boltTx) PutLink(_ context.Context, l domain.Link) error {
	hashes := t.b(bucketLinkHash)
	// A replaced link whose hash changed is no longer found by the old one.
	if raw := t.record(linkRecords, l.ID); raw != nil {
		var prev domain.Link
		if err := jsonUnmarshal(raw, &prev); err != nil {
			return err
		}
		if prev.TokenHash != l.TokenHash && string(hashes.Get([]byte(prev.TokenHash))) == l.ID {
			if err := hashes.Delete([]byte(prev.TokenHash)); err != nil {
				return err
			}
		}
	}
	if err := putJSONRecord(t, linkRecords, l.ID, l.Seq, l); err != nil {
		return err
	}
	return hashes.Put([]byte(l.TokenHash), []byte(l.ID))
}

func (t *boltTx) Links(ctx context.Context, orgID string) iter.Seq2[domain.Link, error] {
	return eachJSON(ctx, t, linkRecords, func(l *domain.Link) bool { return orgID == "" || l.OrgID == orgID })
}

// eachJSON lists the JSON records of kind k in sequence order that keep
// accepts.
func eachJSON[T any](ctx context.Context, t *boltTx, k recordKind, keep func(*T) bool) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		err := t.eachRecord(k, func(raw []byte) (bool, error) {
			var v T
			if err := jsonUnmarshal(raw, &v); err != nil {
				return false, err
			}
			if !keep(&v) {
				return true, nil
			}
			return yield(v, nil), ctx.Err()
		})
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}
