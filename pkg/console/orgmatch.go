package console

import (
	"bytes"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/store"
)

// Matcher returns the query's filters (Search, Statuses, License, Links
// and the device range) as a pure function of one org's view, deciding
// exactly as ListOrgs does. Sort, paging and FailOn are not filters and are
// ignored.
func (q OrgQuery) Matcher() func(v *OrgView) bool {
	search := store.NewSearch(q.Search) // what every backend's Orgs matches
	return func(v *OrgView) bool {
		if !search.MatchOrg(&v.Org) {
			return false
		}
		return q.passesFilters(v)
	}
}

// passesFilters is the status, license, link and device part of the query.
func (q *OrgQuery) passesFilters(v *OrgView) bool {
	if len(q.Statuses) > 0 && !hasStatus(q.Statuses, v.Status()) {
		return false
	}
	sq := store.OrgQuery{Links: q.Links, Devices: q.devices()}
	if !sq.KeepsLink(v.LinkStatus) || (sq.Devices != nil && !sq.Devices.Contains(v.Devices.Total)) {
		return false
	}
	return q.License == "" || v.LicenseStatus == q.License
}

// OrgIndex is a list of orgs, as ListOrgs returned it, prepared to be
// filtered again and again: the interactive console holds one and filters
// it on every keystroke. Each name, ref and shortcode is case-folded once,
// into one buffer that a search scans with bytes.Index, so a keystroke
// costs a scan of a few bytes per org instead of a visit to every org's
// strings.
// Filter decides exactly as Matcher (and so ListOrgs) does: the search's
// containsFold is strings.ToLower(hay) containing the lower-cased search,
// and that is what the buffer holds (store.Fold; FuzzOrgIndex checks the
// two agree).
type OrgIndex struct {
	orgs   []OrgView
	folded []byte  // per org: lower(name) NUL lower(ref) NUL lower(shortcode) NUL
	start  []int32 // org i's bytes are folded[start[i]:start[i+1]]
}

// NewOrgIndex indexes orgs, which it keeps (and does not change).
func NewOrgIndex(orgs []OrgView) *OrgIndex {
	x := &OrgIndex{orgs: orgs, start: make([]int32, 0, len(orgs)+1)}
	size := 0
	for i := range orgs {
		size += len(orgs[i].Name) + len(orgs[i].RefID) + len(orgs[i].Tenant.Shortcode) + 3
	}
	x.folded = make([]byte, 0, size+size/8) // folding may grow a few letters
	for i := range orgs {
		x.start = append(x.start, int32(len(x.folded)))
		x.folded = append(x.folded, store.Fold(orgs[i].Name)...)
		x.folded = append(x.folded, 0)
		x.folded = append(x.folded, store.Fold(orgs[i].RefID)...)
		x.folded = append(x.folded, 0)
		x.folded = append(x.folded, store.Fold(orgs[i].Tenant.Shortcode)...)
		x.folded = append(x.folded, 0)
	}
	x.start = append(x.start, int32(len(x.folded)))
	return x
}

// Len is the number of orgs indexed.
func (x *OrgIndex) Len() int { return len(x.orgs) }

// Org is the i-th org, in the order given to NewOrgIndex.
func (x *OrgIndex) Org(i int) *OrgView { return &x.orgs[i] }

// Filter appends to dst the positions of the orgs that pass q's filters
// (Search, Statuses, License, Links, devices), in order, and returns it.
func (x *OrgIndex) Filter(q OrgQuery, dst []int32) []int32 {
	needle := store.Fold(q.Search)
	plain := len(q.Statuses) == 0 && q.License == "" && q.onlyConnected() && q.devices() == nil
	if needle == "" {
		for i := range x.orgs {
			if plain || q.passesFilters(&x.orgs[i]) {
				dst = append(dst, int32(i))
			}
		}
		return dst
	}
	if strings.IndexByte(needle, 0) >= 0 {
		// NUL separates the fields in the buffer: such a search could match
		// across them, so it takes the per-org path.
		match := q.Matcher()
		for i := range x.orgs {
			if match(&x.orgs[i]) {
				dst = append(dst, int32(i))
			}
		}
		return dst
	}
	n := []byte(needle)
	org, pos := 0, 0
	for pos < len(x.folded) {
		k := bytes.Index(x.folded[pos:], n)
		if k < 0 {
			break
		}
		at := int32(pos + k)
		for x.start[org+1] <= at {
			org++
		}
		if plain || q.passesFilters(&x.orgs[org]) {
			dst = append(dst, int32(org))
		}
		org++ // one hit is enough: go on from the next org's name
		pos = int(x.start[org])
	}
	return dst
}
