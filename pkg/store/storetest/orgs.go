package storetest

import (
	"errors"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var orgTests = []test{
	{"PutGetReplace", testOrgPutGet},
	{"DeletedOrgsLeaveListsAndLookups", testDeletedOrg},
	{"AdminOrgNeverListedCountedOrFound", testAdminOrg},
	{"CountOrgsFollowsCreateDeleteUndelete", testCountOrgs},
	{"OrgsByIDIsAligned", testOrgsByID},
	{"LiveOrgIDsResolvesIDsAndRefs", testLiveOrgIDs},
	{"LiveOrgIDsWithNoRefsStored", testLiveOrgIDsNoRefs},
	{"PutOrgCountersChangesOnlyCounters", testPutOrgCounters},
	{"PutOrgCountersOfAnUnknownOrgFails", testPutOrgCountersUnknown},
}

// fullOrg is an org with every field set.
func fullOrg(seq uint64) domain.Org {
	return domain.Org{ID: orgID(seq), Seq: seq, Name: "Bäckerei Müller", RefID: "BAK-1", CreatedAt: at(1),
		Users: 3, DataSources: 2, AITrained: true, Integrations: 1, SessionsTotal: 7, LastActiveAt: ptr(at(90)),
		Messages: 40, Subscribers: 12, Devices: domain.Devices{Total: 4, Registered: 1, Onboarded: 2, Provisioned: 1},
		SessionDays: []domain.DayCount{{Day: domain.DayOf(at(-3000)), Count: 2}, {Day: domain.DayOf(at(90)), Count: 5}}}
}

func testOrgPutGet(h *harness) {
	var o domain.Org
	h.update(func(tx store.Tx) error {
		seq, err := tx.NextSeq(h.ctx, "org")
		must(h.t, err)
		o = fullOrg(seq)
		must(h.t, tx.PutOrg(h.ctx, o))
		same(h.t, "Org read in its transaction", getOrg(h.t, h.ctx, tx, o.ID), o)
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "Org", getOrg(h.t, h.ctx, tx, o.ID), o)
		_, err := tx.Org(h.ctx, "org_999999")
		notFound(h.t, "Org of an unknown id", err)
		_, err = tx.Org(h.ctx, strings.ToUpper(o.ID))
		notFound(h.t, "Org of an id in another case (ids are exact)", err)
		_, err = tx.Org(h.ctx, "")
		notFound(h.t, `Org("")`, err)
		return nil
	})
	// Replace: every field may change except id and seq.
	o.Name, o.RefID, o.Users, o.LastActiveAt, o.SessionDays, o.AITrained = "Bäckerei Schmidt", "", 0, nil, nil, false
	h.update(func(tx store.Tx) error { return tx.PutOrg(h.ctx, o) })
	h.view(func(tx store.Tx) error {
		same(h.t, "Org replaced", getOrg(h.t, h.ctx, tx, o.ID), o)
		same(h.t, "orgs", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{}), []string{o.ID})
		return nil
	})
}

func testDeletedOrg(h *harness) {
	var a, b domain.Org
	h.update(func(tx store.Tx) error {
		a = putNewOrg(h.t, h.ctx, tx, "Alpha", "ALPHA-1")
		b = putNewOrg(h.t, h.ctx, tx, "Beta", "BETA-1")
		return nil
	})
	a.DeletedAt = ptr(at(100))
	h.update(func(tx store.Tx) error { return tx.PutOrg(h.ctx, a) })
	h.view(func(tx store.Tx) error {
		same(h.t, "a deleted org is still read by id", getOrg(h.t, h.ctx, tx, a.ID), a)
		for _, c := range []struct {
			q    store.OrgQuery
			want []string
		}{
			{store.OrgQuery{}, []string{b.ID}},
			{store.OrgQuery{Order: store.OrderName}, []string{b.ID}},
			{store.OrgQuery{Search: "alpha"}, nil},
			{store.OrgQuery{Search: "ALPHA-1", Order: store.OrderName}, nil},
		} {
			same(h.t, label("Orgs(%+v) after a delete", c.q), collectOrgs(h.t, tx, h.ctx, c.q), c.want)
		}
		all := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{All: true})
		slices.Sort(all)
		same(h.t, "Orgs(All) lists deleted orgs", all, []string{a.ID, b.ID})
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs after a delete", n, 1)
		_, err = tx.OrgIDByRef(h.ctx, "ALPHA-1")
		notFound(h.t, "OrgIDByRef of a deleted org's ref", err)
		ids, err := tx.OrgIDsByName(h.ctx, "Alpha")
		must(h.t, err)
		same(h.t, "OrgIDsByName of a deleted org's name", len(ids), 0)
		live, err := tx.LiveOrgIDs(h.ctx, []string{a.ID, "alpha-1", b.ID})
		must(h.t, err)
		same(h.t, "LiveOrgIDs of a deleted org", live, []string{"", "", b.ID})
		return nil
	})
	// The freed ref can be taken by another org.
	var c domain.Org
	h.update(func(tx store.Tx) error {
		c = putNewOrg(h.t, h.ctx, tx, "Alpha", "alpha-1")
		return nil
	})
	h.view(func(tx store.Tx) error {
		id, err := tx.OrgIDByRef(h.ctx, "ALPHA-1")
		must(h.t, err)
		same(h.t, "OrgIDByRef of a ref freed by a delete and taken again", id, c.ID)
		ids, err := tx.OrgIDsByName(h.ctx, "ALPHA")
		must(h.t, err)
		same(h.t, "OrgIDsByName after a delete and a new org of that name", ids, []string{c.ID})
		return nil
	})
}

func testAdminOrg(h *harness) {
	var admin, o domain.Org
	h.update(func(tx store.Tx) error {
		_, admin = putAdmin(h.t, h.ctx, tx, "Acme HQ", "HQ-1")
		o = putNewOrg(h.t, h.ctx, tx, "Acme Customer", "CUST-1")
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "the admin org is read by id", getOrg(h.t, h.ctx, tx, admin.ID), admin)
		for _, q := range []store.OrgQuery{{}, {Order: store.OrderName}, {Search: "acme"}, {Search: "HQ"}, {Search: "acme", Order: store.OrderName}} {
			want := []string{o.ID}
			if q.Search == "HQ" {
				want = nil
			}
			same(h.t, label("Orgs(%+v) never lists the admin org", q), collectOrgs(h.t, tx, h.ctx, q), want)
		}
		all := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{All: true})
		slices.Sort(all)
		same(h.t, "Orgs(All) lists the admin org", all, []string{admin.ID, o.ID})
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs leaves out the admin org", n, 1)
		_, err = tx.OrgIDByRef(h.ctx, "hq-1")
		notFound(h.t, "OrgIDByRef of the admin org's ref", err)
		ids, err := tx.OrgIDsByName(h.ctx, "acme hq")
		must(h.t, err)
		same(h.t, "OrgIDsByName of the admin org's name", len(ids), 0)
		live, err := tx.LiveOrgIDs(h.ctx, []string{admin.ID, "HQ-1"})
		must(h.t, err)
		same(h.t, "LiveOrgIDs of the admin org", live, []string{"", ""})
		return nil
	})
	// An org made the admin org leaves the lists too (and comes back).
	o.Admin = true
	h.update(func(tx store.Tx) error { return tx.PutOrg(h.ctx, o) })
	h.view(func(tx store.Tx) error {
		same(h.t, "Orgs after flagging an org admin", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{}), []string(nil))
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs after flagging an org admin", n, 0)
		_, err = tx.OrgIDByRef(h.ctx, "CUST-1")
		notFound(h.t, "OrgIDByRef after flagging an org admin", err)
		return nil
	})
	o.Admin = false
	h.update(func(tx store.Tx) error { return tx.PutOrg(h.ctx, o) })
	h.view(func(tx store.Tx) error {
		same(h.t, "Orgs after unflagging", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName}), []string{o.ID})
		id, err := tx.OrgIDByRef(h.ctx, "cust-1")
		must(h.t, err)
		same(h.t, "OrgIDByRef after unflagging", id, o.ID)
		return nil
	})
}

func testCountOrgs(h *harness) {
	count := func(tx store.Tx, what string, want int) {
		h.t.Helper()
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs "+what, n, want)
	}
	h.view(func(tx store.Tx) error { count(tx, "of a fresh store", 0); return nil })
	var orgs []domain.Org
	h.update(func(tx store.Tx) error {
		orgs = nil
		for _, n := range []string{"A", "B", "C"} {
			orgs = append(orgs, putNewOrg(h.t, h.ctx, tx, n, "R-"+n))
		}
		count(tx, "after three creates, in their transaction", 3)
		must(h.t, tx.PutOrg(h.ctx, orgs[0])) // putting an org again changes nothing
		count(tx, "after putting an org again", 3)
		return nil
	})
	h.view(func(tx store.Tx) error { count(tx, "after three creates", 3); return nil })
	h.update(func(tx store.Tx) error {
		d := orgs[1]
		d.DeletedAt = ptr(at(5))
		must(h.t, tx.PutOrg(h.ctx, d))
		count(tx, "after a delete, in its transaction", 2)
		must(h.t, tx.PutOrg(h.ctx, d)) // deleting again changes nothing
		count(tx, "after deleting again", 2)
		return nil
	})
	h.view(func(tx store.Tx) error { count(tx, "after a delete", 2); return nil })
	// A replacement that brings a deleted org back counts it again.
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutOrg(h.ctx, orgs[1]))
		count(tx, "after an undelete, in its transaction", 3)
		return nil
	})
	h.view(func(tx store.Tx) error {
		count(tx, "after an undelete", 3)
		id, err := tx.OrgIDByRef(h.ctx, "r-b")
		must(h.t, err)
		same(h.t, "OrgIDByRef after an undelete", id, orgs[1].ID)
		same(h.t, "name order after an undelete", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName}),
			[]string{orgs[0].ID, orgs[1].ID, orgs[2].ID})
		return nil
	})
	// Counter changes through PutOrg leave the count alone.
	h.update(func(tx store.Tx) error {
		o := orgs[2]
		o.Messages, o.Users = 9, 2
		must(h.t, tx.PutOrg(h.ctx, o))
		must(h.t, tx.PutOrgCounters(h.ctx, []*domain.Org{&o}))
		count(tx, "after counter updates", 3)
		return nil
	})
	h.view(func(tx store.Tx) error { count(tx, "after counter updates", 3); return nil })
}

func testOrgsByID(h *harness) {
	var a, b, d, admin domain.Org
	h.update(func(tx store.Tx) error {
		_, admin = putAdmin(h.t, h.ctx, tx, "HQ", "")
		a = putNewOrg(h.t, h.ctx, tx, "A", "")
		b = putNewOrg(h.t, h.ctx, tx, "B", "")
		d = putNewOrg(h.t, h.ctx, tx, "D", "")
		d.DeletedAt = ptr(at(3))
		must(h.t, tx.PutOrg(h.ctx, d))
		return nil
	})
	h.view(func(tx store.Tx) error {
		got, err := tx.OrgsByID(h.ctx, []string{b.ID, "org_777777", a.ID, d.ID, admin.ID, b.ID, ""})
		must(h.t, err)
		same(h.t, "OrgsByID (aligned, zero Org for unknown ids, deleted and admin orgs included)",
			got, []domain.Org{b, {}, a, d, admin, b, {}})
		got, err = tx.OrgsByID(h.ctx, nil)
		must(h.t, err)
		same(h.t, "OrgsByID(nil)", len(got), 0)
		return nil
	})
}

func testLiveOrgIDs(h *harness) {
	var a, b, c, d, e, admin domain.Org
	h.update(func(tx store.Tx) error {
		_, admin = putAdmin(h.t, h.ctx, tx, "HQ", "HQ-REF")
		a = putNewOrg(h.t, h.ctx, tx, "A", "Bak-1")
		b = putNewOrg(h.t, h.ctx, tx, "B", "")
		// c's ref is a's id in upper case: as a key, a's exact id names a.
		c = putNewOrg(h.t, h.ctx, tx, "C", strings.ToUpper(a.ID))
		d = putNewOrg(h.t, h.ctx, tx, "D", "DEL-1")
		d.DeletedAt = ptr(at(4))
		must(h.t, tx.PutOrg(h.ctx, d))
		// e, the last org made, has a ref that sorts among the ids.
		e = putNewOrg(h.t, h.ctx, tx, "E", a.ID+"-e")
		return nil
	})
	keys := []string{a.ID, "Bak-1", "BAK-1", "bak-1", b.ID, "", d.ID, "DEL-1", admin.ID, "hq-ref", "org_424242", "nope",
		strings.ToUpper(a.ID), "\u212Aak-1", e.ID, a.ID + "-e", strings.ToUpper(a.ID + "-E")}
	want := []string{a.ID, a.ID, a.ID, a.ID, b.ID, "", "", "", "", "", "", "", c.ID, "", e.ID, e.ID, e.ID}
	h.view(func(tx store.Tx) error {
		got, err := tx.LiveOrgIDs(h.ctx, keys)
		must(h.t, err)
		same(h.t, label("LiveOrgIDs(%q)", keys), got, want)
		return nil
	})
	// Once a is deleted, its id no longer names a live org, so the key
	// falls back to the ref that folds to it.
	a.DeletedAt = ptr(at(6))
	h.update(func(tx store.Tx) error { return tx.PutOrg(h.ctx, a) })
	h.view(func(tx store.Tx) error {
		got, err := tx.LiveOrgIDs(h.ctx, []string{a.ID, "bak-1"})
		must(h.t, err)
		same(h.t, "LiveOrgIDs after a delete", got, []string{c.ID, ""})
		return nil
	})
}

// testLiveOrgIDsNoRefs: in a store whose orgs have no refs (an import's
// first look), ids still resolve and refs resolve to nothing, including a
// ref given in the same transaction before the lookup.
func testLiveOrgIDsNoRefs(h *harness) {
	var a, b domain.Org
	h.update(func(tx store.Tx) error {
		a = putNewOrg(h.t, h.ctx, tx, "A", "")
		b = putNewOrg(h.t, h.ctx, tx, "B", "")
		return nil
	})
	keys := []string{"REF-1", b.ID, strings.ToUpper(a.ID), "", a.ID, "zz"}
	h.view(func(tx store.Tx) error {
		got, err := tx.LiveOrgIDs(h.ctx, keys)
		must(h.t, err)
		same(h.t, label("LiveOrgIDs(%q)", keys), got, []string{"", b.ID, "", "", a.ID, ""})
		return nil
	})
	h.update(func(tx store.Tx) error {
		b.RefID = "REF-1"
		must(h.t, tx.PutOrg(h.ctx, b))
		got, err := tx.LiveOrgIDs(h.ctx, keys)
		must(h.t, err)
		same(h.t, "LiveOrgIDs after a ref is given, in its transaction", got, []string{b.ID, b.ID, "", "", a.ID, ""})
		return nil
	})
}

// counterOrg is o with every event-fed counter changed.
func counterOrg(o domain.Org, n int) domain.Org {
	o.Users, o.DataSources, o.AITrained, o.Integrations = n, n+1, n%2 == 0, n+2
	o.SessionsTotal, o.LastActiveAt, o.Messages, o.Subscribers = n+3, ptr(at(1000+n)), n+4, n+5
	o.Devices = domain.Devices{Total: n + 6, Registered: n + 6}
	o.SessionDays = []domain.DayCount{{Day: domain.DayOf(at(1000 + n)), Count: int32(n + 3)}}
	return o
}

func testPutOrgCounters(h *harness) {
	var orgs []domain.Org
	h.update(func(tx store.Tx) error {
		orgs = nil
		for _, n := range []string{"Gamma", "Alpha", "Beta"} {
			orgs = append(orgs, putNewOrg(h.t, h.ctx, tx, n, "REF-"+n))
		}
		return nil
	})
	// Counters of orgs read in the transaction, in no particular order.
	want := make([]domain.Org, len(orgs))
	h.update(func(tx store.Tx) error {
		var ptrs []*domain.Org
		for i := len(orgs) - 1; i >= 0; i-- {
			o := counterOrg(getOrg(h.t, h.ctx, tx, orgs[i].ID), i+1)
			want[i] = o
			ptrs = append(ptrs, &o)
		}
		must(h.t, tx.PutOrgCounters(h.ctx, ptrs))
		same(h.t, "an org after PutOrgCounters, in its transaction", getOrg(h.t, h.ctx, tx, orgs[0].ID), want[0])
		return nil
	})
	h.view(func(tx store.Tx) error {
		got, err := tx.OrgsByID(h.ctx, []string{orgs[0].ID, orgs[1].ID, orgs[2].ID})
		must(h.t, err)
		same(h.t, "orgs after PutOrgCounters", got, want)
		return nil
	})
	// An org whose other fields differ from the stored ones: only its
	// counters are taken; name, ref, state and their lookups stay.
	h.update(func(tx store.Tx) error {
		stale := counterOrg(orgs[0], 40)
		stale.Name, stale.RefID, stale.Admin, stale.DeletedAt, stale.CreatedAt = "Zulu", "REF-Zulu", true, ptr(at(7)), at(8)
		must(h.t, tx.PutOrgCounters(h.ctx, []*domain.Org{&stale}))
		want[0] = counterOrg(orgs[0], 40)
		same(h.t, "an org after PutOrgCounters of a different org value", getOrg(h.t, h.ctx, tx, orgs[0].ID), want[0])
		id, err := tx.OrgIDByRef(h.ctx, "ref-gamma")
		must(h.t, err)
		same(h.t, "the stored ref still finds the org", id, orgs[0].ID)
		_, err = tx.OrgIDByRef(h.ctx, "REF-Zulu")
		notFound(h.t, "OrgIDByRef of a ref given only to PutOrgCounters", err)
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "an org after PutOrgCounters of a different org value", getOrg(h.t, h.ctx, tx, orgs[0].ID), want[0])
		ids, err := tx.OrgIDsByName(h.ctx, "gamma")
		must(h.t, err)
		same(h.t, "the stored name still finds the org", ids, []string{orgs[0].ID})
		ids, err = tx.OrgIDsByName(h.ctx, "zulu")
		must(h.t, err)
		same(h.t, "OrgIDsByName of a name given only to PutOrgCounters", len(ids), 0)
		id, err := tx.OrgIDByRef(h.ctx, "REF-GAMMA")
		must(h.t, err)
		same(h.t, "OrgIDByRef", id, orgs[0].ID)
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs", n, 3)
		same(h.t, "name order", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName}),
			[]string{orgs[1].ID, orgs[2].ID, orgs[0].ID})
		return nil
	})
}

func testPutOrgCountersUnknown(h *harness) {
	var o domain.Org
	h.update(func(tx store.Tx) error { o = putNewOrg(h.t, h.ctx, tx, "Known", ""); return nil })
	err := h.st.Update(h.ctx, func(tx store.Tx) error {
		known := counterOrg(o, 5)
		ghost := counterOrg(domain.Org{ID: "org_555555", Seq: 555555, Name: "Ghost"}, 5)
		return tx.PutOrgCounters(h.ctx, []*domain.Org{&known, &ghost})
	})
	if !errors.Is(err, store.ErrNotFound) {
		h.t.Fatalf("PutOrgCounters with an unknown org: %v, want store.ErrNotFound", err)
	}
	h.view(func(tx store.Tx) error {
		same(h.t, "the known org after the failed Update", getOrg(h.t, h.ctx, tx, o.ID), o)
		_, err := tx.Org(h.ctx, "org_555555")
		notFound(h.t, "the unknown org", err)
		return nil
	})
}
