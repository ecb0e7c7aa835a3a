package store

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// LinkTx stores one-time login links and finds them by token hash.
type LinkTx interface {
	// Link returns the link with this id, or ErrNotFound.
	Link(ctx context.Context, id string) (domain.Link, error)
	// LinkByTokenHash finds the link whose token hashes to hash (its current
	// TokenHash), or ErrNotFound.
	LinkByTokenHash(ctx context.Context, hash string) (domain.Link, error)
	// PutLink creates or replaces a link.
	PutLink(ctx context.Context, l domain.Link) error
	// Links lists links in Seq order, of one org when orgID != "".
	Links(ctx context.Context, orgID string) iter.Seq2[domain.Link, error]
}
