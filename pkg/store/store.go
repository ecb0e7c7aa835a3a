// Package store declares the persistence partnerctl's rules run on. The rules
// (pkg/console) see only these interfaces; internal/boltstore implements them
// over bbolt, and a shared-server backend could implement them again.
//
// Every command runs in one transaction: Update for commands that change
// anything, View for those that only read. A failed Update leaves nothing.
package store

import "errors"

// SchemaVersion is the layout this build reads and writes. Stores record the
// version they were created with; a newer one is refused rather than misread.
const SchemaVersion = 1

// ErrNotFound is returned by lookups of records that do not exist.
var ErrNotFound = errors.New("not found")

// Store is an opened store.
type Store interface {
	View(fn func(Tx) error) error
	Update(fn func(Tx) error) error
	Close() error
}

// Tx is one transaction. Read methods work in both View and Update; write
// methods only in Update. Each noun's methods live in their own interface.
type Tx interface {
	MetaTx
	OrgTx
	MemberTx
	EventTx
	AuditTx
	LinkTx
	LicenseTx
	InviteTx
}
