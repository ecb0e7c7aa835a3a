package tui

import (
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/health"
)

// orgList is the loaded list and the positions of the orgs that pass the
// current filters. The list is read once; filtering is a pass over memory
// with the core's own index (console.OrgIndex), which decides exactly as
// `orgs list --search` does.
type orgList struct {
	all     []console.OrgView
	index   *console.OrgIndex
	matches []int32 // indexes into all, in list (name) order
}

func newOrgList(orgs []console.OrgView) orgList {
	l := orgList{all: orgs, index: console.NewOrgIndex(orgs), matches: make([]int32, 0, len(orgs))}
	l.filter(console.OrgQuery{})
	return l
}

// filter keeps the orgs q's filters pass, reusing the matches buffer.
func (l *orgList) filter(q console.OrgQuery) { l.matches = l.index.Filter(q, l.matches[:0]) }

func (l *orgList) len() int { return len(l.matches) }

// at is the i-th match.
func (l *orgList) at(i int) *console.OrgView { return &l.all[l.matches[i]] }

// filters are the console's filter settings, turned into an OrgQuery.
type filters struct {
	search  string
	status  int // 0 = any, else health.All[status-1]
	license int // index into licenseFilters
}

// licenseFilters are the license filter's values, in the order `l` cycles.
var licenseFilters = []string{"", console.OrgLicenseActive, console.OrgLicenseNone}

func (f filters) query() console.OrgQuery {
	q := console.OrgQuery{Search: f.search, License: licenseFilters[f.license]}
	if f.status > 0 {
		q.Statuses = []health.Status{health.All[f.status-1]}
	}
	return q
}

func (f filters) active() bool { return f.search != "" || f.status != 0 || f.license != 0 }

func (f filters) statusLabel() string {
	if f.status == 0 {
		return "All"
	}
	return health.All[f.status-1].Label()
}

func (f filters) licenseLabel() string {
	switch licenseFilters[f.license] {
	case console.OrgLicenseActive:
		return "Active"
	case console.OrgLicenseNone:
		return "None"
	}
	return "All"
}

// pageSizes are the rows-per-page choices, as `orgs list --per-page`.
var pageSizes = console.PageSizes

// pager is the paging maths over n matches with the selection at sel.
type pager struct{ n, perPage, sel int }

func (p pager) pages() int    { return max(1, (p.n+p.perPage-1)/p.perPage) }
func (p pager) page() int     { return p.sel / p.perPage } // 0-based
func (p pager) start() int    { return p.page() * p.perPage }
func (p pager) end() int      { return min(p.n, p.start()+p.perPage) }
func (p pager) isFirst() bool { return p.page() == 0 }
func (p pager) isLast() bool  { return p.page() >= p.pages()-1 }
func (p pager) firstOf(pg int) int {
	pg = max(0, min(pg, p.pages()-1))
	return min(pg*p.perPage, max(0, p.n-1))
}
