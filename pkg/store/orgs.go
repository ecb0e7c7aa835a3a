package store

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// OrgTx stores orgs, keeps them findable by ref and name, and counts the
// live customer orgs. The admin org is stored like any org but is never
// listed, found by ref or name, or counted.
type OrgTx interface {
	// Org returns the org with this id, live or deleted, or ErrNotFound.
	Org(ctx context.Context, id string) (domain.Org, error)
	// OrgsByID returns the orgs with these ids, in the same order; an id
	// with no org gives a zero Org (empty ID).
	OrgsByID(ctx context.Context, ids []string) ([]domain.Org, error)
	// OrgIDByRef finds the live customer org whose ref folds to Fold(ref),
	// or returns ErrNotFound (always for "").
	OrgIDByRef(ctx context.Context, ref string) (string, error)
	// OrgIDsByName lists the live customer orgs whose name folds to
	// Fold(name), in name order.
	OrgIDsByName(ctx context.Context, name string) ([]string, error)
	// LiveOrgIDs resolves keys that name an org the way an event does (its
	// id or its ref): ids[i] is the id of the live customer org keys[i]
	// names, or "". A key that is the id of a live customer org names it,
	// even when it is also another org's ref.
	LiveOrgIDs(ctx context.Context, keys []string) (ids []string, err error)
	// PutOrg creates or replaces an org. A deleted org leaves the ref and
	// name lookups and the count. Refs are unique among live customer orgs
	// by Fold: the caller checks OrgIDByRef first, and a backend may refuse
	// a second live org with a taken ref.
	PutOrg(ctx context.Context, o domain.Org) error
	// PutOrgCounters saves the event-fed counters (users, data sources,
	// sessions and session days, last activity, messages, subscribers,
	// devices, AI flag) of existing orgs, leaving everything else as it is
	// (the stored name, ref and state win over the given org's). An org
	// that does not exist fails the call with an error wrapping ErrNotFound.
	PutOrgCounters(ctx context.Context, orgs []*domain.Org) error
	// Orgs lists the live customer orgs that match q.
	Orgs(ctx context.Context, q OrgQuery) iter.Seq2[*domain.Org, error]
	// CountOrgs is the number of live customer orgs.
	CountOrgs(ctx context.Context) (int, error)
}

// OrgOrder is the order Orgs lists in.
type OrgOrder int

const (
	// OrderAny lists in whatever order the backend reads fastest.
	OrderAny OrgOrder = iota
	// OrderName is name order (see the package doc).
	OrderName
)

// OrgQuery selects live customer orgs.
type OrgQuery struct {
	// Search keeps orgs whose Fold(name) or Fold(ref) contains
	// Fold(Search); "" keeps all.
	Search string
	Order  OrgOrder
	// Offset skips that many matches (in Order); Limit caps how many are
	// listed, 0 for no cap.
	Offset, Limit int
	// Only, when not nil, keeps the orgs whose id it holds and no other
	// (an empty, non-nil Only keeps none): a scoped teammate's orgs,
	// filtered where the backend reads rather than after. The other rules
	// still apply: only live customer orgs, Search, Order, Offset and Limit
	// (counted among the orgs Only keeps). Ids of no such org are ignored.
	// All ignores Only.
	Only []string
	// All lists every stored org, deleted ones and the admin org too, in
	// any order (Order is ignored), for checks; Search, Offset and Limit
	// still apply.
	All bool
}
