package store

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// ScopeTx keeps which customer orgs each scoped teammate may see (`users
// scope`). A scope is store data, not session state: it must hold on every
// machine that opens the store, and a database can enforce it itself.
type ScopeTx interface {
	// Scope returns the org ids email is limited to, in byte order, with
	// scoped true; scoped is false (and ids nil) when email has no scope.
	// A scope may hold no org at all: that teammate sees none.
	Scope(ctx context.Context, email string) (orgIDs []string, scoped bool, err error)
	// SetScope limits email to orgIDs, replacing any earlier scope. Ids
	// given twice are kept once; an empty (or nil) list is a scope of no
	// org, not the absence of one.
	SetScope(ctx context.Context, email string, orgIDs []string) error
	// DeleteScope lifts email's scope; lifting none is no error.
	DeleteScope(ctx context.Context, email string) error
	// Scopes lists every scope by email in byte order, ids in byte order.
	Scopes(ctx context.Context) iter.Seq2[domain.Scope, error]
}
