package storetest

import (
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var metaTests = []test{
	{"PartnerPutGetReplace", testPartner},
	{"KindEmptyUntilSet", testKind},
	{"SettingsPutGetRemove", testSettings},
	{"NextSeqStartsAtOnePerName", testNextSeq},
	{"ResetLeavesAnEmptyStore", testReset},
}

func testPartner(h *harness) {
	h.view(func(tx store.Tx) error {
		_, err := tx.Partner(h.ctx)
		notFound(h.t, "Partner of a fresh store", err)
		return nil
	})
	p := domain.Partner{ID: "prt_1", Name: "Acme Partners", SupportEmail: "help@acme.example",
		LogoURL: "https://acme.example/logo.svg", LoginBaseURL: "https://login.acme.example/magic",
		ContactName: "Zoë Ünal", ContactPhone: "+1 555 0100", CreatedAt: at(0), AdminOrgID: "org_000001",
		Brand: domain.Brand{SidebarColor: "#112233", ButtonColor: "#445566"}}
	h.update(func(tx store.Tx) error { return tx.PutPartner(h.ctx, p) })
	h.view(func(tx store.Tx) error {
		got, err := tx.Partner(h.ctx)
		must(h.t, err)
		same(h.t, "Partner", got, p)
		return nil
	})
	p.Name, p.Brand = "Acme Partners GmbH", domain.Brand{}
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutPartner(h.ctx, p))
		got, err := tx.Partner(h.ctx)
		must(h.t, err)
		same(h.t, "Partner replaced, read in its transaction", got, p)
		return nil
	})
	h.view(func(tx store.Tx) error {
		got, err := tx.Partner(h.ctx)
		must(h.t, err)
		same(h.t, "Partner replaced", got, p)
		return nil
	})
}

func testKind(h *harness) {
	h.view(func(tx store.Tx) error {
		k, err := tx.Kind(h.ctx)
		must(h.t, err)
		same(h.t, "Kind of a fresh store", k, domain.StoreKind(""))
		return nil
	})
	for _, want := range []domain.StoreKind{domain.KindDemo, domain.KindInit} {
		h.update(func(tx store.Tx) error { return tx.SetKind(h.ctx, want) })
		h.view(func(tx store.Tx) error {
			k, err := tx.Kind(h.ctx)
			must(h.t, err)
			same(h.t, "Kind", k, want)
			return nil
		})
	}
}

func testSettings(h *harness) {
	keys := []string{"login_methods", "brand/logo", "Ünïcode key", "LOGIN_METHODS"}
	h.view(func(tx store.Tx) error {
		for _, k := range keys {
			v, err := tx.Setting(h.ctx, k)
			must(h.t, err)
			same(h.t, label("unset setting %q", k), v, "")
		}
		return nil
	})
	h.update(func(tx store.Tx) error {
		for i, k := range keys {
			must(h.t, tx.PutSetting(h.ctx, k, label("value %d: ✓ %s", i, k)))
		}
		return nil
	})
	h.update(func(tx store.Tx) error {
		must(h.t, tx.PutSetting(h.ctx, keys[0], "password,google"))
		return tx.PutSetting(h.ctx, keys[1], "")
	})
	want := map[string]string{keys[0]: "password,google", keys[1]: "", keys[2]: label("value 2: ✓ %s", keys[2]),
		keys[3]: label("value 3: ✓ %s", keys[3])}
	h.view(func(tx store.Tx) error {
		for _, k := range keys {
			v, err := tx.Setting(h.ctx, k)
			must(h.t, err)
			same(h.t, label("setting %q (keys are case-sensitive; \"\" removes)", k), v, want[k])
		}
		return nil
	})
}

func testNextSeq(h *harness) {
	var got []uint64
	h.update(func(tx store.Tx) error {
		got = got[:0]
		for _, name := range []string{"org", "org", "link", "org", "link", "invite"} {
			n, err := tx.NextSeq(h.ctx, name)
			must(h.t, err)
			got = append(got, n)
		}
		return nil
	})
	same(h.t, "NextSeq of org, org, link, org, link, invite", got, []uint64{1, 2, 1, 3, 2, 1})
	h.update(func(tx store.Tx) error {
		n, err := tx.NextSeq(h.ctx, "org")
		must(h.t, err)
		same(h.t, "NextSeq(org) in the next transaction", n, uint64(4))
		n, err = tx.NextSeq(h.ctx, "license")
		must(h.t, err)
		same(h.t, "NextSeq of a new name", n, uint64(1))
		return nil
	})
}

func testReset(h *harness) {
	var p domain.Partner
	h.update(func(tx store.Tx) error {
		p, _ = putAdmin(h.t, h.ctx, tx, "Acme HQ", "")
		must(h.t, tx.SetKind(h.ctx, domain.KindDemo))
		must(h.t, tx.PutSetting(h.ctx, "login_methods", "password"))
		o := putNewOrg(h.t, h.ctx, tx, "Bakery", "BAK-1")
		must(h.t, tx.PutMembership(h.ctx, domain.Membership{OrgID: o.ID, Email: "a@bakery.example", Role: domain.RoleOwner, JoinedAt: at(1)}))
		must(h.t, tx.PutDeviceStates(h.ctx, map[store.DeviceKey]domain.DeviceState{{OrgID: o.ID, Device: "d1"}: {State: "registered", At: at(2)}}))
		must(h.t, tx.ClaimEvents(h.ctx, []string{"evt_1"}, make([]bool, 1)))
		must(h.t, tx.AppendAudit(h.ctx, domain.AuditEntry{At: at(3), Actor: "a@acme.example", Action: "org.created", OrgID: o.ID}))
		newLink(h.t, h.ctx, tx, o.ID, hashOf("link"))
		newInvite(h.t, h.ctx, tx, o.ID, "b@bakery.example", hashOf("invite"))
		newLicense(h.t, h.ctx, tx, o.ID)
		must(h.t, tx.SetScope(h.ctx, "sue@acme.example", []string{o.ID}))
		return nil
	})
	// A reset in a failed transaction leaves everything (checked further in
	// Transactions); a committed one leaves an empty store that works.
	h.rolledBack(func(tx store.Tx) error { return tx.Reset(h.ctx) })
	h.view(func(tx store.Tx) error {
		got, err := tx.Partner(h.ctx)
		must(h.t, err)
		same(h.t, "Partner after a rolled-back Reset", got, p)
		return nil
	})
	h.update(func(tx store.Tx) error {
		// A sequence counted before the reset starts again after it.
		_, err := tx.NextSeq(h.ctx, "org")
		must(h.t, err)
		must(h.t, tx.Reset(h.ctx))
		// The transaction goes on over the empty store, as demo's does.
		assertEmpty(h, tx)
		n, err := tx.NextSeq(h.ctx, "org")
		must(h.t, err)
		same(h.t, "NextSeq(org) after Reset", n, uint64(1))
		o := domain.Org{ID: orgID(n), Seq: n, Name: "Bakery", RefID: "BAK-1", CreatedAt: at(9)}
		must(h.t, tx.PutOrg(h.ctx, o))
		id, err := tx.OrgIDByRef(h.ctx, "bak-1")
		must(h.t, err)
		same(h.t, "ref of an org made after Reset", id, o.ID)
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "orgs after Reset and one create", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{All: true}), []string{"org_000001"})
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs", n, 1)
		return nil
	})
}

// assertEmpty checks that tx sees no record of any kind.
func assertEmpty(h *harness, tx store.Tx) {
	h.t.Helper()
	ctx, t := h.ctx, h.t
	_, err := tx.Partner(ctx)
	notFound(t, "Partner after Reset", err)
	k, err := tx.Kind(ctx)
	must(t, err)
	same(t, "Kind after Reset", k, domain.StoreKind(""))
	v, err := tx.Setting(ctx, "login_methods")
	must(t, err)
	same(t, "setting after Reset", v, "")
	n, err := tx.CountOrgs(ctx)
	must(t, err)
	same(t, "CountOrgs after Reset", n, 0)
	same(t, "orgs after Reset", len(collect(t, tx.Orgs(ctx, store.OrgQuery{All: true}))), 0)
	_, err = tx.Org(ctx, "org_000002")
	notFound(t, "Org after Reset", err)
	_, err = tx.OrgIDByRef(ctx, "BAK-1")
	notFound(t, "OrgIDByRef after Reset", err)
	same(t, "memberships after Reset", len(collect(t, tx.Memberships(ctx, store.MemberFilter{}))), 0)
	ds, err := tx.DeviceStates(ctx, []store.DeviceKey{{OrgID: "org_000002", Device: "d1"}})
	must(t, err)
	same(t, "device states after Reset", len(ds), 0)
	same(t, "audit after Reset", len(collect(t, tx.AuditEntries(ctx, store.AuditFilter{}))), 0)
	same(t, "links after Reset", len(collect(t, tx.Links(ctx, ""))), 0)
	same(t, "invites after Reset", len(collect(t, tx.Invites(ctx, ""))), 0)
	same(t, "licenses after Reset", len(collect(t, tx.Licenses(ctx, ""))), 0)
	_, err = tx.LinkByTokenHash(ctx, hashOf("link"))
	notFound(t, "LinkByTokenHash after Reset", err)
	_, err = tx.InviteByTokenHash(ctx, hashOf("invite"))
	notFound(t, "InviteByTokenHash after Reset", err)
	same(t, "scopes after Reset", len(collect(t, tx.Scopes(ctx))), 0)
	fresh := make([]bool, 1)
	must(t, tx.ClaimEvents(ctx, []string{"evt_1"}, fresh))
	same(t, "an event claimed before Reset is fresh again", fresh[0], true)
}
