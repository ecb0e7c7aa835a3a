package store

import (
	"context"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// MetaTx holds the store-wide records: the partner, how the store was made,
// store-wide settings and id sequences. Per-person state (who is logged in,
// which org is open) is not store data.
type MetaTx interface {
	// Partner returns ErrNotFound on a store without one.
	Partner(ctx context.Context) (domain.Partner, error)
	PutPartner(ctx context.Context, p domain.Partner) error
	// Kind is "" on a store that was never given one.
	Kind(ctx context.Context) (domain.StoreKind, error)
	SetKind(ctx context.Context, k domain.StoreKind) error
	// Setting reads a store-wide setting (such as the allowed login
	// methods); "" when unset.
	Setting(ctx context.Context, key string) (string, error)
	// PutSetting saves a store-wide setting; "" removes it.
	PutSetting(ctx context.Context, key, value string) error
	// NextSeq returns the next number of a named sequence, starting at 1.
	NextSeq(ctx context.Context, name string) (uint64, error)
	// Reset deletes every record, leaving an empty store of the current
	// schema: sequences start again at 1, every event id is fresh again.
	Reset(ctx context.Context) error
}
