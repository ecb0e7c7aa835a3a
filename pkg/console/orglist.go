package console

import (
	"math"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/health"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Sort orders for ListOrgs.
const (
	SortName        = "name"
	SortCreated     = "created"
	SortLastActive  = "last-active"
	SortSessions30d = "sessions-30d"
	SortSessions    = "sessions"
	SortDevices     = "devices"
)

// SortOrders lists the accepted --sort values.
var SortOrders = []string{SortName, SortCreated, SortLastActive, SortSessions30d, SortSessions, SortDevices}

// PageLast, as OrgQuery.Page, is the last page (of at least one).
const PageLast = -1

// FailOnUnlicensed is the --fail-on value that gates on orgs without an
// active license.
const FailOnUnlicensed = "unlicensed"

// PageSizes are the accepted --per-page values.
var PageSizes = []int{10, 25, 50, 100}

// OrgQuery selects, orders and pages orgs.
type OrgQuery struct {
	Search   string          // case-insensitive substring of name, ref ID or shortcode
	Statuses []health.Status // any of these; none = all
	License  string          // "", active or none
	// Links keeps orgs of these link statuses; nil keeps the connected
	// (accepted) orgs only.
	Links []domain.LinkStatus
	// DevicesMin and DevicesMax, when set, bound devices_total (both
	// included).
	DevicesMin, DevicesMax *int
	Sort                   string // one of SortOrders; "" = name
	Desc                   bool
	Page                   int // 1-based, or PageLast; used when PerPage > 0
	PerPage                int // 0 = every match
	FailOn                 []health.Status
	// FailOnUnlicensed adds orgs without an active license to the gate.
	FailOnUnlicensed bool
}

// OrgPage is one page of a query's matches.
type OrgPage struct {
	Orgs     []OrgView
	Matches  int  // orgs that pass the filters
	Total    int  // connected orgs, unfiltered
	Filtered bool // a search or filter was applied
	Offset   int  // index of Orgs[0] among the matches
	Page     int  // the page shown (PageLast resolved)
	PerPage  int
	// Pages is how many pages the matches fill (at least 1) when paging.
	Pages int
	// GateMatches counts matches whose status is named in FailOn, or that
	// are unlicensed when FailOnUnlicensed.
	GateMatches int
}

// Validate checks the query's values, as the CLI's flags give them.
func (q *OrgQuery) Validate() error {
	if q.Sort == "" {
		q.Sort = SortName
	}
	valid := false
	for _, s := range SortOrders {
		valid = valid || s == q.Sort
	}
	if !valid {
		return fail.Fieldf(fail.Usage, "invalid {sort} %q: want one of %s", q.Sort, strings.Join(SortOrders, ", "))
	}
	if q.PerPage != 0 {
		ok := false
		for _, n := range PageSizes {
			ok = ok || n == q.PerPage
		}
		if !ok {
			return fail.Fieldf(fail.Usage, "invalid {per_page} %d: want 10, 25, 50 or 100", q.PerPage)
		}
	}
	if q.License != "" && q.License != OrgLicenseActive && q.License != OrgLicenseNone {
		return fail.Fieldf(fail.Usage, "invalid {license} %q: want active or none", q.License)
	}
	if (q.Page < 0 && q.Page != PageLast) || (q.PerPage != 0 && q.Page == 0) {
		return fail.Fieldf(fail.Usage, "invalid {page} %d: pages start at 1", q.Page)
	}
	for _, b := range []struct {
		field string
		n     *int
	}{{"devices_min", q.DevicesMin}, {"devices_max", q.DevicesMax}} {
		if b.n != nil && *b.n < 0 {
			return fail.Fieldf(fail.Usage, "invalid {"+b.field+"} %d: want 0 or more", *b.n)
		}
	}
	if q.DevicesMin != nil && q.DevicesMax != nil && *q.DevicesMin > *q.DevicesMax {
		return fail.Fieldf(fail.Usage, "{devices_min} %d is more than {devices_max} %d", *q.DevicesMin, *q.DevicesMax)
	}
	for _, l := range q.Links {
		if !containsLink(domain.LinkStatuses, l) {
			return fail.Fieldf(fail.Usage, "invalid {link_status} %q: want accepted, pending, rejected or all", l)
		}
	}
	return nil
}

func (q *OrgQuery) filtered() bool {
	return q.Search != "" || len(q.Statuses) > 0 || q.License != "" || q.devices() != nil || !q.onlyConnected()
}

// devices is the store's device range of the query, nil for none.
func (q *OrgQuery) devices() *store.DeviceRange {
	if q.DevicesMin == nil && q.DevicesMax == nil {
		return nil
	}
	r := store.DeviceRange{Min: 0, Max: math.MaxInt}
	if q.DevicesMin != nil {
		r.Min = *q.DevicesMin
	}
	if q.DevicesMax != nil {
		r.Max = *q.DevicesMax
	}
	return &r
}

func (q *OrgQuery) onlyConnected() bool {
	sq := store.OrgQuery{Links: q.Links}
	return sq.OnlyConnected()
}

// gatedBy reports whether an org of this status and license status trips
// the query's --fail-on gate.
func (q *OrgQuery) gatedBy(status health.Status, licenseStatus string) bool {
	return hasStatus(q.FailOn, status) || (q.FailOnUnlicensed && licenseStatus != OrgLicenseActive)
}

// ParseFailOn reads `--fail-on`: health statuses (with _ or -) and
// unlicensed, comma-separated.
func ParseFailOn(s string) ([]health.Status, bool, error) {
	var statuses []health.Status
	unlicensed := false
	for _, part := range strings.Split(s, ",") {
		p := strings.TrimSpace(part)
		switch {
		case p == "":
			continue
		case strings.EqualFold(p, FailOnUnlicensed):
			unlicensed = true
			continue
		}
		st, err := health.Parse(p)
		if err != nil {
			return nil, false, fail.Fieldf(fail.Usage, "invalid {fail_on} %q: want one of new, setup-incomplete, inactive, healthy, unlicensed", p)
		}
		statuses = append(statuses, st)
	}
	return statuses, unlicensed, nil
}

// pages is how many pages of perPage rows n matches fill: at least one.
func pages(n, perPage int) int {
	if perPage <= 0 || n <= perPage {
		return 1
	}
	return (n-1)/perPage + 1
}

// pageOffset is where page (from 1) of perPage rows starts among n, at most
// n: a page number of any size is past the end, never an overflow.
func pageOffset(page, perPage, n int) int {
	if page <= 1 || perPage <= 0 {
		return 0
	}
	if page-1 > n/perPage {
		return n
	}
	return min((page-1)*perPage, n)
}

// settlePage resolves PageLast and fills the page's place among n matches.
func (p *OrgPage) settlePage(n int) {
	p.Matches = n
	if p.PerPage <= 0 {
		return
	}
	p.Pages = pages(n, p.PerPage)
	if p.Page == PageLast {
		p.Page = p.Pages
	}
	p.Offset = pageOffset(p.Page, p.PerPage, n)
}

func hasStatus(list []health.Status, s health.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// orgMatch is an org that passed a query's filters, with what its view
// adds to it.
type orgMatch struct {
	org                          *domain.Org
	verdict                      health.Verdict
	sessions30d                  int
	licenseStatus, licenseReason string
}

func (m *orgMatch) view() OrgView {
	return OrgView{Org: *m.org, Verdict: m.verdict, Sessions30d: m.sessions30d,
		LicenseStatus: m.licenseStatus, LicenseReason: m.licenseReason}
}

// borrowedView is view for an org the store lends (store.OrgQuery.Borrow)
// and decodes the next one into: the view may be printed after that, so it
// keeps its own last-active time and none of the session days, which the
// next org's decoding reuses (the view has Sessions30d).
func (m *orgMatch) borrowedView() OrgView {
	v := m.view()
	v.SessionDays = nil
	if at := v.LastActiveAt; at != nil {
		own := *at
		v.LastActiveAt = &own
	}
	return v
}
