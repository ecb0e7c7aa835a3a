package console

import (
	"cmp"
	"context"
	"slices"
	"strings"

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
)

// SortOrders lists the accepted --sort values.
var SortOrders = []string{SortName, SortCreated, SortLastActive, SortSessions30d, SortSessions}

// PageSizes are the accepted --per-page values.
var PageSizes = []int{10, 25, 50, 100}

// OrgQuery selects, orders and pages orgs.
type OrgQuery struct {
	Search   string          // case-insensitive substring of name or ref ID
	Statuses []health.Status // any of these; none = all
	License  string          // "", active or none
	Sort     string          // one of SortOrders; "" = name
	Desc     bool
	Page     int // 1-based; used when PerPage > 0
	PerPage  int // 0 = every match
	FailOn   []health.Status
}

// OrgPage is one page of a query's matches.
type OrgPage struct {
	Orgs     []OrgView
	Matches  int  // orgs that pass the filters
	Total    int  // connected orgs, unfiltered
	Filtered bool // a search or filter was applied
	Offset   int  // index of Orgs[0] among the matches
	Page     int
	PerPage  int
	// GateMatches counts matches whose status is named in FailOn.
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
	if q.Page < 0 || (q.PerPage != 0 && q.Page == 0) {
		return fail.Fieldf(fail.Usage, "invalid {page} %d: pages start at 1", q.Page)
	}
	return nil
}

func (q *OrgQuery) filtered() bool { return q.Search != "" || len(q.Statuses) > 0 || q.License != "" }

// ListOrgs runs a query. With no filter, the default order and no gate it
// reads only the requested page from the name index, so the first page costs
// the same at any number of orgs; otherwise it evaluates every org.
func (c *Console) ListOrgs(ctx context.Context, q OrgQuery) (OrgPage, error) {
	if err := q.Validate(); err != nil {
		return OrgPage{}, err
	}
	page := OrgPage{Filtered: q.filtered(), Page: q.Page, PerPage: q.PerPage}
	now := c.Now()
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		page = OrgPage{Filtered: q.filtered(), Page: q.Page, PerPage: q.PerPage}
		total, err := tx.CountOrgs(ctx)
		if err != nil {
			return err
		}
		page.Total = total
		if !q.filtered() && q.Sort == SortName && !q.Desc && len(q.FailOn) == 0 && q.PerPage > 0 {
			page.Matches = total
			page.Offset = pageOffset(q.Page, q.PerPage, total)
			for o, err := range tx.Orgs(ctx, store.OrgQuery{Order: store.OrderName, Offset: page.Offset, Limit: q.PerPage}) {
				if err != nil {
					return err
				}
				v, err := viewWithLicense(ctx, tx, o, now)
				if err != nil {
					return err
				}
				page.Orgs = append(page.Orgs, v)
			}
			return nil
		}
		licensed, err := activeLicenseOrgs(ctx, tx, now)
		if err != nil {
			return err
		}
		var found viewChunks
		for o, err := range tx.Orgs(ctx, store.OrgQuery{Search: q.Search}) {
			if err != nil {
				return err
			}
			v := viewOf(o, now)
			v.LicenseStatus = orgLicenseStatus(licensed, o.ID)
			if len(q.Statuses) > 0 && !hasStatus(q.Statuses, v.Status()) {
				continue
			}
			if q.License != "" && v.LicenseStatus != q.License {
				continue
			}
			if hasStatus(q.FailOn, v.Status()) {
				page.GateMatches++
			}
			found.add(v)
		}
		matches := found.slice()
		sortOrgs(matches, q.Sort, q.Desc)
		page.Matches = len(matches)
		page.Orgs = matches
		if q.PerPage > 0 {
			page.Offset = pageOffset(q.Page, q.PerPage, len(matches))
			page.Orgs = matches[page.Offset:min(page.Offset+q.PerPage, len(matches))]
		}
		return nil
	})
	return page, err
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

// viewChunks collects views in fixed-size chunks and joins them once:
// appending 300-byte views to one slice copied (and faulted in) about five
// times the final size as it grew.
type viewChunks struct {
	full [][]OrgView
	cur  []OrgView
	n    int
}

func (c *viewChunks) add(v OrgView) {
	if len(c.cur) == cap(c.cur) {
		if c.cur != nil {
			c.full = append(c.full, c.cur)
		}
		c.cur = make([]OrgView, 0, 1024)
	}
	c.cur = append(c.cur, v)
	c.n++
}

func (c *viewChunks) slice() []OrgView {
	if c.n == 0 {
		return nil
	}
	out := make([]OrgView, 0, c.n)
	for _, f := range c.full {
		out = append(out, f...)
	}
	return append(out, c.cur...)
}

func hasStatus(list []health.Status, s health.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sortOrgs orders by the chosen key; Desc reverses that key only, ties
// always fall back to name order (store.Fold, then seq), so the order is
// total and stable. It sorts indexes with each name folded once, then moves each view once:
// OrgView is large and lower-casing in the comparison allocated per call.
func sortOrgs(orgs []OrgView, by string, desc bool) {
	folded := make([]string, len(orgs))
	idx := make([]int, len(orgs))
	for i := range orgs {
		folded[i], idx[i] = store.Fold(orgs[i].Name), i
	}
	primary := func(a, b *OrgView) int {
		switch by {
		case SortCreated:
			return a.CreatedAt.Compare(b.CreatedAt)
		case SortLastActive:
			switch {
			case a.LastActiveAt == nil && b.LastActiveAt == nil:
				return 0
			case a.LastActiveAt == nil:
				return -1
			case b.LastActiveAt == nil:
				return 1
			}
			return a.LastActiveAt.Compare(*b.LastActiveAt)
		case SortSessions30d:
			return a.Sessions30d - b.Sessions30d
		case SortSessions:
			return a.SessionsTotal - b.SessionsTotal
		}
		return 0
	}
	// The order is total (ties end on the unique seq), so an unstable sort
	// gives the same result as a stable one, faster.
	slices.SortFunc(idx, func(i, j int) int {
		a, b := &orgs[i], &orgs[j]
		if c := primary(a, b); c != 0 {
			if desc {
				return -c
			}
			return c
		}
		if by == SortName && desc {
			i, j = j, i
		}
		if c := strings.Compare(folded[i], folded[j]); c != 0 {
			return c
		}
		return cmp.Compare(orgs[i].Seq, orgs[j].Seq)
	})
	// Apply the permutation in place, following its cycles.
	for start := range idx {
		if idx[start] < 0 {
			continue
		}
		tmp := orgs[start]
		cur := start
		for {
			next := idx[cur]
			idx[cur] = -1
			if next == start {
				orgs[cur] = tmp
				break
			}
			orgs[cur] = orgs[next]
			cur = next
		}
	}
}
