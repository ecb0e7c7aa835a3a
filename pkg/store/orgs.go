package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// OrgTx stores orgs and keeps their name and ref indexes.
type OrgTx interface {
	// Org returns the org with this id, live or deleted, or ErrNotFound.
	Org(id string) (domain.Org, error)
	// OrgIDByRef finds the live org whose ref matches, case-insensitively.
	OrgIDByRef(ref string) (string, error)
	// OrgIDsByName lists live orgs whose name matches, case-insensitively.
	OrgIDsByName(name string) ([]string, error)
	// PutOrg creates or replaces an org. A deleted org leaves the indexes
	// and the live count; the admin org is never indexed or counted.
	PutOrg(o domain.Org) error
	// ForEachOrg visits live customer orgs in name order (case-insensitive,
	// then id), skipping the first `skip`. fn returns false to stop.
	ForEachOrg(skip int, fn func(o *domain.Org) bool) error
	// ScanOrgs visits live customer orgs in storage order, not name order:
	// the fast way to evaluate every org. When match is not nil, only orgs
	// for which match(name, ref) is true are decoded and visited (the
	// slices are valid during the call only). fn returns false to stop.
	ScanOrgs(match func(name, ref []byte) bool, fn func(o *domain.Org) bool) error
	// CountOrgs is the number of live customer orgs.
	CountOrgs() (int, error)
}
