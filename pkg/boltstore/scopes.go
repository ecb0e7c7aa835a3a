package boltstore

import (
	"context"
	"iter"
	"slices"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Scopes live in their own bucket, email → JSON list of org ids, so that
// "no scope" (no key) and "a scope of no org" ([]) stay apart.

func (t *boltTx) Scope(_ context.Context, email string) ([]string, bool, error) {
	raw := t.b(bucketScopes).Get([]byte(email))
	if raw == nil {
		return nil, false, nil
	}
	ids := []string{}
	if err := jsonUnmarshal(raw, &ids); err != nil {
		return nil, false, err
	}
	return ids, true, nil
}

func (t *boltTx) SetScope(_ context.Context, email string, orgIDs []string) error {
	ids := slices.Compact(slices.Sorted(slices.Values(orgIDs)))
	if ids == nil {
		ids = []string{}
	}
	return putJSON(t.b(bucketScopes), []byte(email), ids)
}

func (t *boltTx) DeleteScope(_ context.Context, email string) error {
	return t.b(bucketScopes).Delete([]byte(email))
}

func (t *boltTx) Scopes(ctx context.Context) iter.Seq2[domain.Scope, error] {
	return func(yield func(domain.Scope, error) bool) {
		c := t.b(bucketScopes).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			s := domain.Scope{Email: string(k), OrgIDs: []string{}}
			if err := jsonUnmarshal(v, &s.OrgIDs); err != nil {
				yield(domain.Scope{}, err)
				return
			}
			if !yield(s, nil) {
				return
			}
			if err := ctx.Err(); err != nil {
				yield(domain.Scope{}, err)
				return
			}
		}
	}
}

var _ store.ScopeTx = (*boltTx)(nil)
