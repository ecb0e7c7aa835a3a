package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// MetaTx holds the store-wide records: the partner, how the store was made,
// the saved session, and id sequences.
type MetaTx interface {
	// Partner returns ErrNotFound on a store without one.
	Partner() (domain.Partner, error)
	PutPartner(p domain.Partner) error
	Kind() (domain.StoreKind, error)
	SetKind(k domain.StoreKind) error
	// Setting reads a saved local setting (the current user, active orgs); "" when unset.
	Setting(key string) (string, error)
	PutSetting(key, value string) error
	// NextSeq returns the next number of a named sequence, starting at 1.
	NextSeq(name string) (uint64, error)
	// Reset deletes every record, leaving an empty store of the current schema.
	Reset() error
}
