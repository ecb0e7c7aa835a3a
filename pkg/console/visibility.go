package console

import (
	"context"
	"iter"
	"slices"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// visibility is which customer orgs the acting user may see. It is decided
// here and nowhere else: console commands read the store through
// visibility.tx, so every list, count, stats, completion, audit trail,
// report and link list agrees, and an org outside it is simply not found
// (exit 3, with the same message as an org that does not exist). That is
// what row-level security does in a database, which can enforce the same
// scope itself (store.ScopeTx, store.OrgQuery.Only).
type visibility struct {
	adminOrgID string
	scoped     bool
	ids        map[string]bool // the customer orgs a scoped teammate sees
}

// everyOrg is the visibility of an unscoped teammate.
func everyOrg(adminOrgID string) visibility { return visibility{adminOrgID: adminOrgID} }

// onlyOrgs is the visibility of a teammate scoped to ids.
func onlyOrgs(adminOrgID string, ids []string) visibility {
	v := visibility{adminOrgID: adminOrgID, scoped: true, ids: map[string]bool{}}
	for _, id := range ids {
		v.ids[id] = true
	}
	return v
}

// sees reports whether the org with this id is visible. The admin org
// always is: it is the team's own, not a customer's.
func (v visibility) sees(orgID string) bool {
	return !v.scoped || orgID == v.adminOrgID || v.ids[orgID]
}

// seesCustomer is sees for records that belong to a customer org (audit
// entries): those of the admin org or of no org are hidden from a scoped
// teammate, who sees only their orgs.
func (v visibility) seesCustomer(orgID string) bool {
	return !v.scoped || (orgID != v.adminOrgID && v.ids[orgID])
}

// only is the id list a store query is restricted to.
func (v visibility) only() []string {
	out := make([]string, 0, len(v.ids))
	for id := range v.ids {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// tx is the store as the actor may see it: tx itself when they see
// everything.
func (v *visibility) tx(tx store.Tx) store.Tx {
	if !v.scoped {
		return tx
	}
	return &scopedTx{Tx: unscoped(tx), vis: v}
}

// unscoped is the whole store behind a scoped view: for the few checks
// that must see every org (a ref is unique among all of them), whose
// messages then name no hidden org.
func unscoped(tx store.Tx) store.Tx {
	if s, ok := tx.(*scopedTx); ok {
		return s.Tx
	}
	return tx
}

// addToScope makes new orgs visible to the scoped teammate who created
// them, in the stored scope too: they see what they create.
func addToScope(ctx context.Context, tx store.Tx, actor string, orgIDs ...string) error {
	s, ok := tx.(*scopedTx)
	if !ok || len(orgIDs) == 0 {
		return nil
	}
	for _, id := range orgIDs {
		s.vis.ids[id] = true
	}
	return s.Tx.SetScope(ctx, actor, s.vis.only())
}

// scopedTx hides what a scoped teammate may not see. Reads of records of
// hidden orgs find nothing; writes go through unchanged (the console
// reaches them only through reads it has made).
type scopedTx struct {
	store.Tx
	vis *visibility
}

func (t *scopedTx) Org(ctx context.Context, id string) (domain.Org, error) {
	o, err := t.Tx.Org(ctx, id)
	if err == nil && !t.vis.sees(o.ID) {
		return domain.Org{}, store.ErrNotFound
	}
	return o, err
}

func (t *scopedTx) OrgsByID(ctx context.Context, ids []string) ([]domain.Org, error) {
	orgs, err := t.Tx.OrgsByID(ctx, ids)
	for i := range orgs {
		if orgs[i].ID != "" && !t.vis.sees(orgs[i].ID) {
			orgs[i] = domain.Org{}
		}
	}
	return orgs, err
}

func (t *scopedTx) OrgIDByRef(ctx context.Context, ref string) (string, error) {
	id, err := t.Tx.OrgIDByRef(ctx, ref)
	if err == nil && !t.vis.sees(id) {
		return "", store.ErrNotFound
	}
	return id, err
}

func (t *scopedTx) OrgIDByShortcode(ctx context.Context, code string) (string, error) {
	id, err := t.Tx.OrgIDByShortcode(ctx, code)
	if err == nil && !t.vis.sees(id) {
		return "", store.ErrNotFound
	}
	return id, err
}

func (t *scopedTx) OrgIDsByName(ctx context.Context, name string) ([]string, error) {
	ids, err := t.Tx.OrgIDsByName(ctx, name)
	return slices.DeleteFunc(ids, func(id string) bool { return !t.vis.sees(id) }), err
}

func (t *scopedTx) LiveOrgIDs(ctx context.Context, keys []string) ([]string, error) {
	ids, err := t.Tx.LiveOrgIDs(ctx, keys)
	for i, id := range ids {
		if id != "" && !t.vis.sees(id) {
			ids[i] = ""
		}
	}
	return ids, err
}

// Orgs restricts the query in the store (OrgQuery.Only), so a backend
// filters where it reads.
func (t *scopedTx) Orgs(ctx context.Context, q store.OrgQuery) iter.Seq2[*domain.Org, error] {
	if q.All {
		return filterSeq(t.Tx.Orgs(ctx, q), func(o *domain.Org) bool { return t.vis.sees(o.ID) })
	}
	only := t.vis.only()
	if q.Only != nil {
		only = slices.DeleteFunc(slices.Clone(q.Only), func(id string) bool { return !t.vis.ids[id] })
	}
	q.Only = only
	return t.Tx.Orgs(ctx, q)
}

// CountOrgs is the number of connected orgs the teammate sees: the
// "Connected orgs" of their header card.
func (t *scopedTx) CountOrgs(ctx context.Context) (int, error) {
	orgs, err := t.Tx.OrgsByID(ctx, t.vis.only())
	n := 0
	for _, o := range orgs {
		if o.ID != "" && o.Live() && !o.Admin && o.Connected() {
			n++
		}
	}
	return n, err
}

func (t *scopedTx) Membership(ctx context.Context, orgID, email string) (domain.Membership, error) {
	if !t.vis.sees(orgID) {
		return domain.Membership{}, store.ErrNotFound
	}
	return t.Tx.Membership(ctx, orgID, email)
}

func (t *scopedTx) MembershipsByKey(ctx context.Context, keys []store.MemberKey) (map[store.MemberKey]domain.Membership, error) {
	found, err := t.Tx.MembershipsByKey(ctx, keys)
	for k := range found {
		if !t.vis.sees(k.OrgID) {
			delete(found, k)
		}
	}
	return found, err
}

func (t *scopedTx) Memberships(ctx context.Context, f store.MemberFilter) iter.Seq2[domain.Membership, error] {
	return filterSeq(t.Tx.Memberships(ctx, f), func(m domain.Membership) bool { return t.vis.sees(m.OrgID) })
}

func (t *scopedTx) AuditEntries(ctx context.Context, f store.AuditFilter) iter.Seq2[domain.AuditEntry, error] {
	return filterSeq(t.Tx.AuditEntries(ctx, f), func(e domain.AuditEntry) bool { return t.vis.seesCustomer(e.OrgID) })
}

func (t *scopedTx) Link(ctx context.Context, id string) (domain.Link, error) {
	l, err := t.Tx.Link(ctx, id)
	if err == nil && !t.vis.sees(l.OrgID) {
		return domain.Link{}, store.ErrNotFound
	}
	return l, err
}

func (t *scopedTx) LinkByTokenHash(ctx context.Context, hash string) (domain.Link, error) {
	l, err := t.Tx.LinkByTokenHash(ctx, hash)
	if err == nil && !t.vis.sees(l.OrgID) {
		return domain.Link{}, store.ErrNotFound
	}
	return l, err
}

func (t *scopedTx) Links(ctx context.Context, orgID string) iter.Seq2[domain.Link, error] {
	return filterSeq(t.Tx.Links(ctx, orgID), func(l domain.Link) bool { return t.vis.sees(l.OrgID) })
}

// Licenses that no org holds are the partner's stock, not an org's: a
// scoped teammate doesn't see them.
func (t *scopedTx) License(ctx context.Context, id string) (domain.License, error) {
	l, err := t.Tx.License(ctx, id)
	if err == nil && !t.vis.seesCustomer(l.OrgID) {
		return domain.License{}, store.ErrNotFound
	}
	return l, err
}

func (t *scopedTx) Licenses(ctx context.Context, orgID string) iter.Seq2[domain.License, error] {
	return filterSeq(t.Tx.Licenses(ctx, orgID), func(l domain.License) bool { return t.vis.seesCustomer(l.OrgID) })
}

func (t *scopedTx) Invite(ctx context.Context, id string) (domain.Invite, error) {
	i, err := t.Tx.Invite(ctx, id)
	if err == nil && !t.vis.sees(i.OrgID) {
		return domain.Invite{}, store.ErrNotFound
	}
	return i, err
}

func (t *scopedTx) InviteByTokenHash(ctx context.Context, hash string) (domain.Invite, error) {
	i, err := t.Tx.InviteByTokenHash(ctx, hash)
	if err == nil && !t.vis.sees(i.OrgID) {
		return domain.Invite{}, store.ErrNotFound
	}
	return i, err
}

func (t *scopedTx) Invites(ctx context.Context, orgID string) iter.Seq2[domain.Invite, error] {
	return filterSeq(t.Tx.Invites(ctx, orgID), func(i domain.Invite) bool { return t.vis.sees(i.OrgID) })
}

// Scopes shows other teammates' scopes only as far as this one sees.
func (t *scopedTx) Scope(ctx context.Context, email string) ([]string, bool, error) {
	ids, scoped, err := t.Tx.Scope(ctx, email)
	return slices.DeleteFunc(ids, func(id string) bool { return !t.vis.ids[id] }), scoped, err
}

func (t *scopedTx) Scopes(ctx context.Context) iter.Seq2[domain.Scope, error] {
	return func(yield func(domain.Scope, error) bool) {
		for s, err := range t.Tx.Scopes(ctx) {
			if err == nil {
				s.OrgIDs = slices.DeleteFunc(s.OrgIDs, func(id string) bool { return !t.vis.ids[id] })
			}
			if !yield(s, err) || err != nil {
				return
			}
		}
	}
}

// filterSeq yields the values of seq that keep accepts, and every error.
func filterSeq[T any](seq iter.Seq2[T, error], keep func(T) bool) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err == nil && !keep(v) {
				continue
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}
