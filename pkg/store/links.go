package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// LinkTx stores one-time login links and finds them by token hash.
type LinkTx interface {
	// Link returns the link with this id, or ErrNotFound.
	Link(id string) (domain.Link, error)
	// LinkIDByHash finds the link whose token hashes to hash, or ErrNotFound.
	LinkIDByHash(hash string) (string, error)
	// PutLink creates or replaces a link and indexes its token hash.
	PutLink(l domain.Link) error
	// ForEachLink visits links oldest first. fn returns false to stop.
	ForEachLink(fn func(l domain.Link) bool) error
}
