package boltstore

import (
	"github.com/partnerctl/partnerctl/pkg/domain"
)

func (t *tx) AppendAudit(e domain.AuditEntry) error {
	b := t.b(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	return putJSON(b, u64(seq), e)
}

func (t *tx) ForEachAudit(fn func(e domain.AuditEntry) bool) error {
	c := t.b(bucketAudit).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e domain.AuditEntry
		if err := jsonUnmarshal(v, &e); err != nil {
			return err
		}
		if !fn(e) {
			return nil
		}
	}
	return nil
}
