package storetest

import (
	"slices"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Scopes (`users scope`) and the query restriction they drive (OrgQuery.Only).

var scopeTests = []test{
	{"SetGetReplaceDelete", testScopeCRUD},
	{"EmptyScopeIsNotNoScope", testScopeEmpty},
	{"ListedByEmail", testScopeList},
	{"FailedTransactionLeavesNoScope", testScopeRollback},
}

func testScopeCRUD(h *harness) {
	const sue = "sue@acme.example"
	h.view(func(tx store.Tx) error {
		ids, scoped, err := tx.Scope(h.ctx, sue)
		must(h.t, err)
		same(h.t, "Scope in a fresh store", scoped, false)
		same(h.t, "Scope ids in a fresh store", ids, []string(nil))
		return nil
	})
	h.update(func(tx store.Tx) error {
		must(h.t, tx.SetScope(h.ctx, sue, []string{"org_000003", "org_000001", "org_000003"}))
		ids, scoped, err := tx.Scope(h.ctx, sue)
		must(h.t, err)
		same(h.t, "Scope in its transaction (byte order, each id once)", ids, []string{"org_000001", "org_000003"})
		same(h.t, "scoped in its transaction", scoped, true)
		return nil
	})
	h.view(func(tx store.Tx) error {
		ids, scoped, err := tx.Scope(h.ctx, sue)
		must(h.t, err)
		same(h.t, "Scope", ids, []string{"org_000001", "org_000003"})
		same(h.t, "scoped", scoped, true)
		_, scoped, err = tx.Scope(h.ctx, "SUE@acme.example")
		must(h.t, err)
		same(h.t, "Scope of the email in another case (emails are exact)", scoped, false)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.SetScope(h.ctx, sue, []string{"org_000002"}) })
	h.view(func(tx store.Tx) error {
		ids, _, err := tx.Scope(h.ctx, sue)
		must(h.t, err)
		same(h.t, "Scope replaced", ids, []string{"org_000002"})
		return nil
	})
	h.update(func(tx store.Tx) error {
		must(h.t, tx.DeleteScope(h.ctx, sue))
		_, scoped, err := tx.Scope(h.ctx, sue)
		must(h.t, err)
		same(h.t, "scoped after DeleteScope, in its transaction", scoped, false)
		// Lifting what is not there is no error.
		must(h.t, tx.DeleteScope(h.ctx, sue))
		return tx.DeleteScope(h.ctx, "nobody@example.com")
	})
	h.view(func(tx store.Tx) error {
		_, scoped, err := tx.Scope(h.ctx, sue)
		must(h.t, err)
		same(h.t, "scoped after DeleteScope", scoped, false)
		same(h.t, "Scopes after DeleteScope", len(collect(h.t, tx.Scopes(h.ctx))), 0)
		return nil
	})
}

// A teammate whose every org was deleted stays scoped to nothing: losing
// the scope would widen what they see.
func testScopeEmpty(h *harness) {
	h.update(func(tx store.Tx) error {
		must(h.t, tx.SetScope(h.ctx, "a@acme.example", nil))
		return tx.SetScope(h.ctx, "b@acme.example", []string{})
	})
	h.view(func(tx store.Tx) error {
		for _, email := range []string{"a@acme.example", "b@acme.example"} {
			ids, scoped, err := tx.Scope(h.ctx, email)
			must(h.t, err)
			same(h.t, "scoped to no org: "+email, scoped, true)
			same(h.t, "ids of a scope of no org: "+email, len(ids), 0)
		}
		return nil
	})
}

func testScopeList(h *harness) {
	h.update(func(tx store.Tx) error {
		must(h.t, tx.SetScope(h.ctx, "zed@acme.example", []string{"org_000002"}))
		must(h.t, tx.SetScope(h.ctx, "amy@acme.example", []string{"org_000009", "org_000001"}))
		must(h.t, tx.SetScope(h.ctx, "Bob@acme.example", nil))
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "Scopes", collect(h.t, tx.Scopes(h.ctx)), []domain.Scope{
			{Email: "Bob@acme.example", OrgIDs: []string{}},
			{Email: "amy@acme.example", OrgIDs: []string{"org_000001", "org_000009"}},
			{Email: "zed@acme.example", OrgIDs: []string{"org_000002"}},
		})
		// A consumer that stops early is fine.
		for range tx.Scopes(h.ctx) {
			break
		}
		return nil
	})
}

func testScopeRollback(h *harness) {
	h.update(func(tx store.Tx) error { return tx.SetScope(h.ctx, "kept@acme.example", []string{"org_000001"}) })
	h.rolledBack(func(tx store.Tx) error {
		must(h.t, tx.SetScope(h.ctx, "new@acme.example", []string{"org_000001"}))
		must(h.t, tx.SetScope(h.ctx, "kept@acme.example", []string{"org_000002"}))
		return nil
	})
	h.rolledBack(func(tx store.Tx) error { return tx.DeleteScope(h.ctx, "kept@acme.example") })
	h.view(func(tx store.Tx) error {
		same(h.t, "Scopes after rolled-back changes", collect(h.t, tx.Scopes(h.ctx)),
			[]domain.Scope{{Email: "kept@acme.example", OrgIDs: []string{"org_000001"}}})
		return nil
	})
}

// A time-boxed grant comes back with its end, and stays listed after it:
// expiry is decided by the rules from the clock, never by the store.
func testMemberExpiry(h *harness) {
	grant := member("org_000001", "sam@acme.example", domain.RolePartner, 1)
	grant.ExpiresAt = ptr(at(31))
	plain := member("org_000001", "ann@bakery.example", domain.RoleOwner, 2)
	h.update(func(tx store.Tx) error { return tx.PutMemberships(h.ctx, []domain.Membership{grant, plain}) })
	h.view(func(tx store.Tx) error {
		got, err := tx.Membership(h.ctx, grant.OrgID, grant.Email)
		must(h.t, err)
		same(h.t, "time-boxed Membership", got, grant)
		got, err = tx.Membership(h.ctx, plain.OrgID, plain.Email)
		must(h.t, err)
		same(h.t, "Membership without an end", got, plain)
		if got.ExpiresAt != nil {
			h.t.Fatalf("a membership put without an end came back with one: %v", got.ExpiresAt)
		}
		same(h.t, "Memberships", collect(h.t, tx.Memberships(h.ctx, store.MemberFilter{OrgID: "org_000001"})),
			[]domain.Membership{plain, grant})
		return nil
	})
	grant.ExpiresAt = nil
	h.update(func(tx store.Tx) error { return tx.PutMembership(h.ctx, grant) })
	h.view(func(tx store.Tx) error {
		got, err := tx.Membership(h.ctx, grant.OrgID, grant.Email)
		must(h.t, err)
		if got.ExpiresAt != nil {
			h.t.Fatalf("replacing a grant without an end kept the old end %v", got.ExpiresAt)
		}
		return nil
	})
}

var onlyTests = []test{
	{"OnlyKeepsThoseOrgs", testOnlyOracle},
	{"EmptyOnlyKeepsNone", testOnlyEmpty},
}

// testOnlyOracle checks OrgQuery.Only against the oracle: the live customer
// orgs among Only that the search matches, in name order, then paged.
func testOnlyOracle(h *harness) {
	rng := h.rng()
	orgs := randomOrgs(h, rng, 120)
	h.view(func(tx store.Tx) error {
		hits := 0
		for round := range 60 {
			var only []string
			for _, o := range orgs {
				if rng.IntN(4) == 0 {
					only = append(only, o.ID)
				}
			}
			if round%3 == 0 && len(only) > 0 {
				only = append(only, only[0], "org_999999", "") // repeats and unknown ids are ignored
			}
			if round%5 == 0 {
				only = append(only, orgs[0].ID) // the admin org is never listed
			}
			keep := map[string]bool{}
			for _, id := range only {
				keep[id] = true
			}
			var kept []domain.Org
			for _, o := range orgs {
				if keep[o.ID] {
					kept = append(kept, o)
				}
			}
			search := ""
			if round%2 == 1 {
				search = needle(rng, orgs)
			}
			want := matching(kept, search)
			hits += len(want)
			q := store.OrgQuery{Only: only, Search: search, Order: store.OrderName}
			same(h.t, label("Orgs(%+v)", q), collectOrgs(h.t, tx, h.ctx, q), want)
			q.Order = store.OrderAny
			anyOrder := collectOrgs(h.t, tx, h.ctx, q)
			slices.Sort(anyOrder)
			sorted := slices.Sorted(slices.Values(want))
			same(h.t, label("Orgs(%+v) as a set", q), anyOrder, sorted)
			q.Order = store.OrderName
			for _, page := range [][2]int{{0, 1}, {1, 2}, {len(want) - 1, 5}, {len(want), 1}, {len(want) + 3, 0}} {
				off, lim := max(page[0], 0), page[1]
				q.Offset, q.Limit = off, lim
				start := min(off, len(want))
				end := len(want)
				if lim > 0 {
					end = min(start+lim, len(want))
				}
				same(h.t, label("Orgs(%+v) page", q), collectOrgs(h.t, tx, h.ctx, q), want[start:end])
			}
			// All ignores Only: checks see every record.
			all := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{All: true, Only: only})
			same(h.t, "how many Orgs(All, Only)", len(all), len(orgs))
		}
		if hits == 0 {
			h.t.Fatal("no restricted query matched anything: the oracle test is vacuous")
		}
		return nil
	})
}

func testOnlyEmpty(h *harness) {
	h.update(func(tx store.Tx) error {
		putNewOrg(h.t, h.ctx, tx, "Bakery", "BAK-1")
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "Orgs(Only empty)", len(collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Only: []string{}})), 0)
		same(h.t, "Orgs(Only nil)", len(collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Only: nil})), 1)
		return nil
	})
}
