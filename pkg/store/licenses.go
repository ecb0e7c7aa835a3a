package store

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// LicenseTx stores licenses.
type LicenseTx interface {
	// License returns ErrNotFound for an unknown id.
	License(ctx context.Context, id string) (domain.License, error)
	PutLicense(ctx context.Context, l domain.License) error
	// Licenses lists licenses in Seq order, of one org when orgID != ""
	// (found without reading the others).
	Licenses(ctx context.Context, orgID string) iter.Seq2[domain.License, error]
}
