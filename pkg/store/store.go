// Package store declares the persistence partnerctl's rules run on. The
// rules (pkg/console) see only these interfaces; pkg/boltstore implements
// them over one bbolt file, and a shared database can implement them again.
// storetest checks any implementation against every guarantee below.
//
// # Transactions and isolation
//
// Every command runs in one transaction: Update for commands that change
// anything, View for those that only read.
//
//   - A View sees one consistent snapshot of committed data for its whole
//     life and never waits for writers.
//   - Update transactions are serialized per store: a write transaction sees
//     no concurrent write, so a read–check–write inside one Update (redeem a
//     link, accept an invite, claim a ref) can never succeed twice.
//     A backend gives up waiting for its turn after its lock timeout with a
//     fail.Busy error.
//   - A failed Update (fn returned an error, or the commit failed) leaves
//     nothing: every write of the transaction is discarded.
//   - A backend may run fn again (after a serialization failure or a lost
//     connection) on a fresh transaction, so fn must be re-runnable: it may
//     read its inputs from memory or a seekable file, but must not consume a
//     channel, a pipe or anything else it cannot read again, and it must not
//     act outside the transaction before fn returns.
//   - A View or Update whose context is already done returns an error that
//     wraps the context's error and writes nothing. A context that ends
//     during an Update may make it fail, and then it writes nothing.
//
// # Names, refs and order
//
// "Name order" is the byte order of Fold(name), then the record's Seq:
// Fold is the one case folding of the whole product, and every backend
// orders and matches with it (not with a database collation). Refs match
// case-insensitively through Fold too. Records of one kind are listed in Seq
// (creation) order, whatever their id looks like.
//
// # Records
//
// A record's Seq comes from NextSeq: the caller keeps it unique within its
// kind and never changes it. Records come back as they were put (but see
// AppendAudit). Ids, emails, token hashes, device names and event ids are
// exact strings, compared byte for byte and never folded or normalised;
// device names and event ids come from feeds and may hold any character,
// NUL included. Times keep at least microsecond precision and may come
// back in another location, so compare them with Equal.
//
// # Context and iteration
//
// Every call takes a context. Listing methods return iter.Seq2 sequences:
// a non-nil error ends the sequence, and a consumer that stops early
// releases what the backend holds. Sequences live inside their transaction.
// While a sequence is consumed, other reads of the same transaction may run,
// listings included (the console reads each org's licenses while it lists
// orgs). What a sequence yields is the caller's to keep and change.
//
// # The team
//
// Who may see which org is data here (ScopeTx, Membership.ExpiresAt) and a
// decision of the rules (pkg/console decides it in one place, from that
// data and the clock). A backend that can enforce it itself (a database
// with row-level security) keeps to the same data; OrgQuery.Only lets it
// filter a scope where it reads.
package store

import (
	"context"
	"errors"
	"strings"
)

// SchemaVersion is the newest layout this build reads and writes; a store
// whose schema is newer is refused rather than misread.
const SchemaVersion = 7

// ErrNotFound is returned by lookups of records that do not exist.
var ErrNotFound = errors.New("not found")

// Store is an opened store.
type Store interface {
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a write transaction and commits it when fn
	// returns nil. fn may be run more than once (see the package doc).
	Update(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is one transaction. Read methods work in both View and Update; write
// methods only in Update (in a View they return an error and write
// nothing). Each noun's methods live in their own interface.
type Tx interface {
	MetaTx
	OrgTx
	MemberTx
	EventTx
	AuditTx
	LinkTx
	LicenseTx
	InviteTx
	ConnectTx
	ReportTx
	ScopeTx
}

// Fold is the case folding of names, refs and searches: the same in every
// backend, so "Acme" sorts and matches alike on a laptop and a server.
func Fold(s string) string { return strings.ToLower(s) }
