package store

import (
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// OrgTx stores orgs, keeps them findable by ref, shortcode and name, and
// counts the connected ones. The admin org is stored like any org but is
// never listed, found by ref, shortcode or name, or counted.
//
// Link status: a live customer org whose LinkStatus is accepted, or ""
// (records made before link statuses existed), is connected. Lookups by
// ref, shortcode and name find live customer orgs whatever their link
// status; Orgs lists connected ones unless the query names other statuses;
// CountOrgs counts connected ones only.
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
	// OrgIDByShortcode finds the live customer org whose Tenant.Shortcode
	// is code, compared byte for byte (shortcodes are upper-case), or
	// returns ErrNotFound (always for "").
	OrgIDByShortcode(ctx context.Context, code string) (string, error)
	// LiveOrgIDs resolves keys that name an org the way an event does (its
	// id or its ref): ids[i] is the id of the live customer org keys[i]
	// names, or "". A key that is the id of a live customer org names it,
	// even when it is also another org's ref.
	LiveOrgIDs(ctx context.Context, keys []string) (ids []string, err error)
	// PutOrg creates or replaces an org. A deleted org leaves the ref and
	// name lookups and the count. Refs are unique among live customer orgs
	// by Fold: the caller checks OrgIDByRef first, and a backend may refuse
	// a second live org with a taken ref. Shortcodes are unique among live
	// customer orgs the same way (byte for byte), checked first with
	// OrgIDByShortcode. A LinkStatus other than "" and those of
	// domain.LinkStatuses is refused with an error.
	PutOrg(ctx context.Context, o domain.Org) error
	// PutOrgCounters saves the event-fed counters (users, data sources,
	// sessions and session days, last activity, messages, subscribers,
	// devices, AI flag) of existing orgs, leaving everything else as it is
	// (the stored name, ref and state win over the given org's). An org
	// that does not exist fails the call with an error wrapping ErrNotFound.
	PutOrgCounters(ctx context.Context, orgs []*domain.Org) error
	// Orgs lists the live customer orgs that match q.
	Orgs(ctx context.Context, q OrgQuery) iter.Seq2[*domain.Org, error]
	// CountOrgs is the number of connected orgs: live customer orgs whose
	// link status is accepted (or ""). Pending and rejected tenants are not
	// counted: the count is the "connected orgs" of the console.
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

// OrgQuery selects live customer orgs. The backend executes every field:
// the search, the link statuses and the device range are properties of the
// stored record, so a database can answer them with its indexes. What
// depends on the clock or on other records (health status, licenses) and
// sorts other than name order are the core's.
type OrgQuery struct {
	// Search keeps orgs that Search.MatchOrg matches: Fold(Search) is
	// contained in Fold(name), Fold(ref) or Fold(shortcode); "" keeps all.
	Search string
	// Links keeps orgs whose link status (see OrgTx) is one of these; nil
	// or empty keeps the connected orgs only (accepted, or "").
	Links []domain.LinkStatus
	// Devices, when set, keeps orgs whose Devices.Total is within it.
	Devices *DeviceRange
	Order   OrgOrder
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
	// still apply, Links and Devices do not.
	All bool
	// Borrow lets the backend yield the same *domain.Org again and again,
	// overwritten by each next org, for a caller that keeps nothing of an
	// org past its loop body (counting, printing as it reads): a full scan
	// then allocates one org, not one per org. Backends may ignore it.
	Borrow bool
}

// DeviceRange bounds an org's Devices.Total, both ends included.
type DeviceRange struct{ Min, Max int }

// Contains reports whether n is within the range, bounds included.
func (r DeviceRange) Contains(n int) bool { return r.Min <= n && n <= r.Max }

// KeepsLink reports whether q keeps an org of link status s: the one
// definition of the Links filter, for backends that filter in Go.
func (q *OrgQuery) KeepsLink(s domain.LinkStatus) bool {
	if s == "" {
		s = domain.LinkAccepted
	}
	if len(q.Links) == 0 {
		return s == domain.LinkAccepted
	}
	for _, l := range q.Links {
		if l == s || (l == "" && s == domain.LinkAccepted) {
			return true
		}
	}
	return false
}

// OnlyConnected reports whether q keeps connected orgs only (its Links is
// empty or names accepted alone).
func (q *OrgQuery) OnlyConnected() bool {
	for _, s := range q.Links {
		if s != domain.LinkAccepted && s != "" {
			return false
		}
	}
	return true
}
