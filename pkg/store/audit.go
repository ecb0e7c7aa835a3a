package store

import (
	"context"
	"iter"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// AuditTx appends to and reads the audit trail. There is no way to change
// or remove an entry.
type AuditTx interface {
	// AppendAudit records e. A backend that knows the acting identity and
	// time better than its client (a database login and its clock) records
	// those instead of e's.
	AppendAudit(ctx context.Context, e domain.AuditEntry) error
	// AuditEntries lists entries oldest first.
	AuditEntries(ctx context.Context, f AuditFilter) iter.Seq2[domain.AuditEntry, error]
}

// AuditFilter narrows AuditEntries; zero fields match everything.
type AuditFilter struct {
	OrgID string
	Actor string
	Since time.Time // entries at or after
}
