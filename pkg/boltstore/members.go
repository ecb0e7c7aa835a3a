package boltstore

import (
	"bytes"
	"context"
	"iter"
	"slices"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func memberKey(orgID, email string) []byte {
	return []byte(orgID + "\x00" + email)
}

func (t *boltTx) Membership(_ context.Context, orgID, email string) (domain.Membership, error) {
	key := memberKey(orgID, email)
	raw := t.get(bucketMembers, key)
	if raw == nil {
		return domain.Membership{}, store.ErrNotFound
	}
	return decodeMembership(key, raw)
}

func (t *boltTx) MembershipsByKey(ctx context.Context, keys []store.MemberKey) (map[store.MemberKey]domain.Membership, error) {
	out := map[store.MemberKey]domain.Membership{}
	for _, k := range sortedMemberKeys(keys) {
		raw := t.get(bucketMembers, k.key)
		if raw == nil {
			continue
		}
		m, err := decodeMembership(k.key, raw)
		if err != nil {
			return nil, err
		}
		out[k.MemberKey] = m
	}
	return out, nil
}

func (t *boltTx) PutMembership(ctx context.Context, m domain.Membership) error {
	return t.PutMemberships(ctx, []domain.Membership{m})
}

// PutMemberships puts in key order: bbolt keeps the keys a transaction
// inserts in the node they land in until commit, and random inserts of
// thousands of keys made every insert move a growing node.
func (t *boltTx) PutMemberships(_ context.Context, ms []domain.Membership) error {
	type keyed struct {
		key []byte
		m   *domain.Membership
	}
	sorted := make([]keyed, len(ms))
	for i := range ms {
		sorted[i] = keyed{memberKey(ms[i].OrgID, ms[i].Email), &ms[i]}
	}
	slices.SortFunc(sorted, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
	b := t.b(bucketMembers)
	b.FillPercent = fillSorted
	for _, k := range sorted {
		t.scratch = encodeMembership(t.scratch[:0], k.m)
		if err := b.Put(k.key, t.keep(t.scratch)); err != nil {
			return err
		}
	}
	return nil
}

func (t *boltTx) DeleteMembership(ctx context.Context, orgID, email string) error {
	return t.DeleteMemberships(ctx, []store.MemberKey{{OrgID: orgID, Email: email}})
}

func (t *boltTx) DeleteMemberships(_ context.Context, keys []store.MemberKey) error {
	b := t.b(bucketMembers)
	for _, k := range sortedMemberKeys(keys) {
		if err := b.Delete(k.key); err != nil {
			return err
		}
	}
	return nil
}

type memberKeyed struct {
	store.MemberKey
	key []byte
}

// sortedMemberKeys orders keys as the bucket does, each key encoded once.
func sortedMemberKeys(keys []store.MemberKey) []memberKeyed {
	sorted := make([]memberKeyed, len(keys))
	for i, k := range keys {
		sorted[i] = memberKeyed{k, memberKey(k.OrgID, k.Email)}
	}
	slices.SortFunc(sorted, func(a, b memberKeyed) int { return bytes.Compare(a.key, b.key) })
	return sorted
}

func (t *boltTx) Memberships(ctx context.Context, f store.MemberFilter) iter.Seq2[domain.Membership, error] {
	return func(yield func(domain.Membership, error) bool) {
		var prefix []byte
		if f.OrgID != "" {
			prefix = []byte(f.OrgID + "\x00")
		}
		c := t.b(bucketMembers).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if f.Email != "" && !bytes.HasSuffix(k, []byte("\x00"+f.Email)) {
				continue
			}
			m, err := decodeMembership(k, v)
			if err != nil {
				yield(m, err)
				return
			}
			if !yield(m, nil) {
				return
			}
			if err := ctx.Err(); err != nil {
				yield(domain.Membership{}, err)
				return
			}
		}
	}
}
