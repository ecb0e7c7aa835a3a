package console

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/health"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// A sorted listing that spilled (see DefaultHeldMatches) reads its orgs again by
// id, spillWindowSize keys at a time, fetchBatch ids a call: on bbolt, past
// 1M matches (8 × DefaultHeldMatches packed); elsewhere past 128k.
const (
	spillWindowSize = 1 << 15
	fetchBatch      = 1024
)

// ListOrgs runs a query and returns its page with every view made.
func (c *Console) ListOrgs(ctx context.Context, q OrgQuery) (OrgPage, error) {
	var views chunked[OrgView]
	page, err := c.StreamOrgs(ctx, q, func(rows iter.Seq2[OrgView, error]) error {
		views = chunked[OrgView]{}
		for v, err := range rows {
			if err != nil {
				return err
			}
			views.add(v)
		}
		return nil
	})
	page.Orgs = views.slice()
	return page, err
}

// StreamOrgs runs a query and hands its rows to emit, which must range over
// them before it returns: they are read from the store as emit asks for them,
// inside the read transaction, so a listing of any size holds what the
// store's name order holds (a bounded window of records in bbolt, a cursor's
// batch in PostgreSQL) or, in any other order, a compact key per match (see
// orgSorter) with the org packed when the backend packs (store.OrgPacker),
// and a window of views. The page it returns has no Orgs; its Matches and
// GateMatches are complete only once emit has read every row. emit is called
// once, unless the query fails before any row.
//
// With no filter, the default order and no gate it reads only the requested
// page from the name index, so the first page costs the same at any number
// of orgs.
func (c *Console) StreamOrgs(ctx context.Context, q OrgQuery, emit func(rows iter.Seq2[OrgView, error]) error) (OrgPage, error) {
	if err := q.Validate(); err != nil {
		return OrgPage{}, err
	}
	var page OrgPage
	now := c.Now()
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		page = OrgPage{Filtered: q.filtered(), Page: q.Page, PerPage: q.PerPage}
		total, err := tx.CountOrgs(ctx)
		if err != nil {
			return err
		}
		page.Total = total
		if !q.filtered() && q.Sort == SortName && !q.Desc && !q.gated() && q.PerPage > 0 {
			return firstPages(ctx, tx, q, now, &page, emit)
		}
		licensed, err := orgLicenses(ctx, tx, now)
		if err != nil {
			return err
		}
		l := &orgLister{ctx: ctx, tx: tx, q: &q, now: now, licensed: licensed, page: &page, hold: c.heldMatches}
		if !q.HoldsMatches() {
			return emit(l.inNameOrder())
		}
		return l.sorted(total, emit)
	})
	return page, err
}

// HoldsMatches says whether StreamOrgs keeps the matches (or their sort
// keys) before it emits them: every listing but a whole one in the store's
// name order, which emits each org as it reads it.
func (q *OrgQuery) HoldsMatches() bool {
	return q.Sort != SortName || q.Desc || q.PerPage > 0 || q.Search != "" || q.devices() != nil
}

func (q *OrgQuery) gated() bool { return len(q.FailOn) > 0 || q.FailOnUnlicensed }

// firstPages reads one page of every connected org in name order, straight
// from the store's name order: only the page's orgs are read.
func firstPages(ctx context.Context, tx store.Tx, q OrgQuery, now time.Time, page *OrgPage, emit func(iter.Seq2[OrgView, error]) error) error {
	page.settlePage(page.Total)
	var views []OrgView
	for o, err := range tx.Orgs(ctx, store.OrgQuery{Order: store.OrderName, Offset: page.Offset, Limit: q.PerPage}) {
		if err != nil {
			return err
		}
		v, err := viewWithLicense(ctx, tx, o, now)
		if err != nil {
			return err
		}
		views = append(views, v)
	}
	return emit(func(yield func(OrgView, error) bool) {
		for _, v := range views {
			if !yield(v, nil) {
				return
			}
		}
	})
}

// orgLister is one listing's reading of the store.
type orgLister struct {
	ctx      context.Context
	tx       store.Tx
	q        *OrgQuery
	now      time.Time
	licensed map[string]*orgLicenseSummary
	page     *OrgPage
	hold     int // Console.heldMatches
}

// match applies the rules to o: its health verdict, sessions in 30 days
// and license status, then the query's filters on them.
func (l *orgLister) match(o *domain.Org) (orgMatch, bool) {
	m := orgMatch{org: o, verdict: health.Evaluate(o, l.now), sessions30d: o.SessionsLast30Days(l.now)}
	m.licenseStatus, m.licenseReason = l.licensed[o.ID].status(l.now)
	if len(l.q.Statuses) > 0 && !hasStatus(l.q.Statuses, m.verdict.Status) {
		return m, false
	}
	if l.q.License != "" && m.licenseStatus != l.q.License {
		return m, false
	}
	return m, true
}

// count records a match in the page's counts.
func (l *orgLister) count(m *orgMatch) {
	l.page.Matches++
	if l.q.gatedBy(m.verdict.Status, m.licenseStatus) {
		l.page.GateMatches++
	}
}

// inNameOrder streams every match in the store's name order.
func (l *orgLister) inNameOrder() iter.Seq2[OrgView, error] {
	return func(yield func(OrgView, error) bool) {
		// Borrowed: the view copies the org out (see borrowedView), and a
		// list of 100k orgs no longer allocates 100k of them.
		for o, err := range l.tx.Orgs(l.ctx, store.OrgQuery{Links: l.q.Links, Order: store.OrderName, Borrow: true}) {
			if err != nil {
				yield(OrgView{}, err)
				return
			}
			m, ok := l.match(o)
			if !ok {
				continue
			}
			l.count(&m)
			if !yield(m.borrowedView(), nil) {
				return
			}
		}
		l.page.settlePage(l.page.Matches)
	}
}

// sorted reads every match in storage order, keeping its sort key, orders
// the keys, then emits the page's matches: those it held, or read again by
// id in that order.
func (l *orgLister) sorted(total int, emit func(iter.Seq2[OrgView, error]) error) error {
	reserve := 0
	if !l.q.filtered() {
		reserve = total // every connected org matches
	}
	pack, _ := l.tx.(store.OrgPacker)
	s := newOrgSorter(l.q.Sort, l.q.Desc, l.hold, reserve, pack)
	// Packed, a match is copied before the next org is read: the backend
	// may decode every org into the same one.
	for o, err := range l.tx.Orgs(l.ctx, store.OrgQuery{Search: l.q.Search, Links: l.q.Links, Devices: l.q.devices(), Borrow: pack != nil}) {
		if err != nil {
			return err
		}
		m, ok := l.match(o)
		if !ok {
			continue
		}
		l.count(&m)
		s.add(m)
	}
	s.sort()
	l.page.settlePage(len(s.keys))
	keys := s.keys
	if l.q.PerPage > 0 {
		keys = keys[l.page.Offset:min(l.page.Offset+l.q.PerPage, len(keys))]
	}
	return emit(func(yield func(OrgView, error) bool) {
		switch {
		case s.pack != nil && !s.spilled:
			// One org unpacked into again, its views borrowed (see
			// borrowedView): a sort of a million orgs allocated a million.
			o := new(domain.Org)
			for i := range keys {
				if err := s.pack.UnpackOrg(s.packed(&keys[i]), o); err != nil {
					yield(OrgView{}, err)
					return
				}
				m, _ := l.match(o) // the same snapshot: it matched when packed
				if !yield(m.borrowedView(), nil) {
					return
				}
			}
			return
		case !s.spilled:
			for i := range keys {
				if !yield(s.held[keys[i].i].view(), nil) {
					return
				}
			}
			return
		}
		w := spillWindow{l: l, s: s}
		for len(keys) > 0 {
			n := min(spillWindowSize, len(keys))
			views, err := w.read(keys[:n])
			if err != nil {
				yield(OrgView{}, err)
				return
			}
			for i := range views {
				if !yield(views[i], nil) {
					return
				}
			}
			keys = keys[n:]
		}
	})
}

// spillWindow reads the orgs of a window of sorted keys again. They are
// asked for in storage order (seq), not list order: a store that keeps its
// records in seq order then reads neighbouring pages, which on a bbolt file
// of a million orgs is the difference between faulting each page once per
// window and once per org.
type spillWindow struct {
	l     *orgLister
	s     *orgSorter
	order []int
	ids   []string
	views []OrgView
}

func (w *spillWindow) read(keys []orgKey) ([]OrgView, error) {
	w.order = w.order[:0]
	for i := range keys {
		w.order = append(w.order, i)
	}
	slices.SortFunc(w.order, func(a, b int) int { return cmp.Compare(keys[a].seq, keys[b].seq) })
	w.views = slices.Grow(w.views[:0], len(keys))[:len(keys)]
	for len(w.order) > 0 {
		batch := w.order[:min(fetchBatch, len(w.order))]
		w.order = w.order[len(batch):]
		w.ids = w.ids[:0]
		for _, i := range batch {
			w.ids = append(w.ids, w.s.id(&keys[i]))
		}
		orgs, err := w.l.tx.OrgsByID(w.l.ctx, w.ids)
		if err != nil {
			return nil, err
		}
		for n, i := range batch {
			if orgs[n].ID != w.ids[n] {
				return nil, fmt.Errorf("org %s left the store during its listing", w.ids[n])
			}
			m, _ := w.l.match(&orgs[n]) // the same snapshot: it matched when the keys were made
			w.views[i] = m.view()
		}
	}
	return w.views, nil
}
