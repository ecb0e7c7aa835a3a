package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// AuditTx appends to and reads the audit trail. There is no way to change
// or remove an entry.
type AuditTx interface {
	AppendAudit(e domain.AuditEntry) error
	// ForEachAudit visits entries oldest first.
	ForEachAudit(fn func(e domain.AuditEntry) bool) error
}
