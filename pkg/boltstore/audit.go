package boltstore

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func (t *boltTx) AppendAudit(_ context.Context, e domain.AuditEntry) error {
	b := t.b(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	b.FillPercent = fillSorted
	return putJSON(b, u64(seq), e)
}

func (t *boltTx) AuditEntries(ctx context.Context, f store.AuditFilter) iter.Seq2[domain.AuditEntry, error] {
	return func(yield func(domain.AuditEntry, error) bool) {
		c := t.b(bucketAudit).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e domain.AuditEntry
			if err := jsonUnmarshal(v, &e); err != nil {
				yield(e, err)
				return
			}
			if (f.OrgID != "" && e.OrgID != f.OrgID) || (f.Actor != "" && e.Actor != f.Actor) || e.At.Before(f.Since) {
				continue
			}
			if !yield(e, nil) {
				return
			}
			if err := ctx.Err(); err != nil {
				yield(domain.AuditEntry{}, err)
				return
			}
		}
	}
}
