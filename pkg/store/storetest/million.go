package storetest

import (
	"fmt"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Ids formatted with %06d stop sorting like their sequences past 999,999
// ("org_1000000" < "org_999999"): every Seq-ordered listing must follow Seq.

var millionTests = []test{
	{"OrgsInNameOrderFollowSeq", testMillionOrgs},
	{"LinksInvitesLicensesFollowSeq", testMillionRecords},
	{"AuditFollowsAppendOrder", testMillionAudit},
}

const firstBig, lastBig = 999_990, 1_000_010

func bigSeqs() []uint64 {
	var s []uint64
	for n := uint64(firstBig); n <= lastBig; n++ {
		s = append(s, n)
	}
	return s
}

func idsOf(prefix string, seqs []uint64) []string {
	var ids []string
	for _, s := range seqs {
		ids = append(ids, fmt.Sprintf("%s_%06d", prefix, s))
	}
	return ids
}

func testMillionOrgs(h *harness) {
	rng := h.rng()
	seqs := bigSeqs()
	h.update(func(tx store.Tx) error {
		for _, i := range rng.Perm(len(seqs)) {
			name := []string{"Same Name", "same name", "SAME NAME"}[i%3]
			o := domain.Org{ID: orgID(seqs[i]), Seq: seqs[i], Name: name, RefID: fmt.Sprintf("R%d", seqs[i]), CreatedAt: at(i)}
			must(h.t, tx.PutOrg(h.ctx, o))
		}
		return nil
	})
	want := idsOf("org", seqs)
	h.view(func(tx store.Tx) error {
		same(h.t, "Orgs in name order (equal names: Seq order)", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName}), want)
		same(h.t, "Orgs searched, in name order", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Search: "NAME", Order: store.OrderName}), want)
		same(h.t, "a page across the millionth org", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName, Offset: 8, Limit: 4}), want[8:12])
		ids, err := tx.OrgIDsByName(h.ctx, "same NAME")
		must(h.t, err)
		same(h.t, "OrgIDsByName", ids, want)
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs", n, len(seqs))
		live, err := tx.LiveOrgIDs(h.ctx, []string{"org_1000000", "r1000001", "org_999999", "org_100000"})
		must(h.t, err)
		same(h.t, "LiveOrgIDs", live, []string{"org_1000000", "org_1000001", "org_999999", ""})
		got, err := tx.OrgsByID(h.ctx, []string{"org_1000010", "org_999990"})
		must(h.t, err)
		same(h.t, "OrgsByID seqs", []uint64{got[0].Seq, got[1].Seq}, []uint64{1_000_010, 999_990})
		return nil
	})
}

func testMillionRecords(h *harness) {
	rng := h.rng()
	seqs := bigSeqs()
	orgA, orgB := "org_999999", "org_1000000"
	owner := func(i int) string {
		if i%2 == 0 {
			return orgA
		}
		return orgB
	}
	h.update(func(tx store.Tx) error {
		for i, id := range []string{orgA, orgB} {
			must(h.t, tx.PutOrg(h.ctx, domain.Org{ID: id, Seq: uint64(999_999 + i), Name: id, CreatedAt: at(i)}))
		}
		for _, i := range rng.Perm(len(seqs)) {
			s := seqs[i]
			must(h.t, tx.PutLink(h.ctx, domain.Link{ID: linkID(s), Seq: s, OrgID: owner(i), Email: "a@b.example",
				TokenHash: hashOf(fmt.Sprint("link", s)), CreatedAt: at(i), ExpiresAt: at(i + 15)}))
			must(h.t, tx.PutInvite(h.ctx, domain.Invite{ID: inviteID(s), Seq: s, OrgID: owner(i), Email: "a@b.example",
				Role: domain.RoleMember, TokenHash: hashOf(fmt.Sprint("invite", s)), CreatedAt: at(i), ExpiresAt: at(i + 15)}))
			must(h.t, tx.PutLicense(h.ctx, domain.License{ID: licenseID(s), Seq: s, Number: fmt.Sprint("LIC-", s), OrgID: owner(i),
				Start: domain.Day(at(0)), End: domain.Day(at(0)), CreatedAt: at(i)}))
		}
		return nil
	})
	var wantA, wantB []uint64
	for i, s := range seqs {
		if owner(i) == orgA {
			wantA = append(wantA, s)
		} else {
			wantB = append(wantB, s)
		}
	}
	h.view(func(tx store.Tx) error {
		for _, c := range []struct {
			org  string
			want []uint64
		}{{"", seqs}, {orgA, wantA}, {orgB, wantB}} {
			var links, invites, licenses []string
			for _, l := range collect(h.t, tx.Links(h.ctx, c.org)) {
				links = append(links, l.ID)
			}
			for _, i := range collect(h.t, tx.Invites(h.ctx, c.org)) {
				invites = append(invites, i.ID)
			}
			for _, l := range collect(h.t, tx.Licenses(h.ctx, c.org)) {
				licenses = append(licenses, l.ID)
			}
			same(h.t, label("Links(%q) in Seq order", c.org), links, idsOf("lnk", c.want))
			same(h.t, label("Invites(%q) in Seq order", c.org), invites, idsOf("inv", c.want))
			same(h.t, label("Licenses(%q) in Seq order", c.org), licenses, idsOf("lic", c.want))
		}
		l, err := tx.LinkByTokenHash(h.ctx, hashOf("link1000000"))
		must(h.t, err)
		same(h.t, "LinkByTokenHash", l.ID, "lnk_1000000")
		i, err := tx.InviteByTokenHash(h.ctx, hashOf("invite999999"))
		must(h.t, err)
		same(h.t, "InviteByTokenHash", i.ID, "inv_999999")
		lic, err := tx.License(h.ctx, "lic_1000010")
		must(h.t, err)
		same(h.t, "License", lic.Seq, uint64(1_000_010))
		return nil
	})
}

func testMillionAudit(h *harness) {
	orgs := []string{"org_999999", "org_1000000", "org_1000001"}
	var details []string
	h.update(func(tx store.Tx) error {
		details = details[:0]
		for i := range 30 {
			d := fmt.Sprintf("entry %02d", i)
			details = append(details, d)
			must(h.t, tx.AppendAudit(h.ctx, domain.AuditEntry{At: at(i), Actor: "a@acme.example", Action: "test", OrgID: orgs[i%3], Detail: d}))
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		for k, org := range orgs {
			var got, want []string
			for _, e := range collect(h.t, tx.AuditEntries(h.ctx, store.AuditFilter{OrgID: org})) {
				got = append(got, e.Detail)
			}
			for i := k; i < len(details); i += 3 {
				want = append(want, details[i])
			}
			same(h.t, label("AuditEntries of %s in append order", org), strings.Join(got, ","), strings.Join(want, ","))
		}
		return nil
	})
}
