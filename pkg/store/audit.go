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
	// AuditEntries lists entries in the order they were appended, oldest
	// first (not sorted by At: a client's clock may step back).
	AuditEntries(ctx context.Context, f AuditFilter) iter.Seq2[domain.AuditEntry, error]
}

// AuditFilter narrows AuditEntries; zero fields match everything. OrgID
// and Actor match exactly; Since compares with the time the entry holds.
type AuditFilter struct {
	OrgID string
	Actor string
	Since time.Time // entries at or after
}
