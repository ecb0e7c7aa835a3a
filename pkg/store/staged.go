package store

import "context"

// StagedOrgCreator is a backend that can commit a large creation of orgs
// in several transactions and still make it all or nothing: a store whose
// transactions keep every change in memory until they commit (bbolt) needs
// that to create a million orgs in bounded memory.
//
// CreateOrgsStaged runs fn once per step, each step in a write transaction
// of its own, in order. Steps before the last may only create orgs
// (NextSeq("org") and PutOrg of new orgs); the last may write anything.
// Until the last step commits no other transaction, of this process or
// another, sees any of it; if a step fails, or the process dies, the orgs
// the earlier steps created are removed and the org sequence and count are
// as they were (by this call, or by the next open of the store). With one
// step it is one transaction.
type StagedOrgCreator interface {
	CreateOrgsStaged(ctx context.Context, steps int, fn func(tx Tx, step int) error) error
}
