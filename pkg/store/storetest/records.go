package storetest

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var auditTests = []test{
	{"AppendedAndListedOldestFirst", testAuditOrder},
	{"FiltersByOrgActorSince", testAuditFilters},
	{"EntriesCannotBeChanged", testAuditAppendOnly},
}

var linkTests = []test{
	{"PutGetByIDAndHash", testLinkCRUD},
	{"ListedInSeqOrderByOrg", testLinkList},
	{"AReplacedHashNoLongerFinds", testLinkHashChange},
}

var inviteTests = []test{
	{"PutGetByIDAndHash", testInviteCRUD},
	{"EarlierTokensOfAResentInviteFindIt", testInviteResend},
	{"ListedInSeqOrderByOrg", testInviteList},
}

var licenseTests = []test{
	{"PutGetReplace", testLicenseCRUD},
	{"ListedInSeqOrderByOrgAndMoved", testLicenseList},
}

// A backend that knows the acting identity and time better than its
// client records those instead of the entry's, so the audit checks compare
// what the store returns with what it was given only where the contract
// says it is kept, and filter the stored entries themselves as the oracle.

func auditEntry(i int, org, actor string) domain.AuditEntry {
	return domain.AuditEntry{At: at(i), Actor: actor, Action: "test.action", OrgID: org, OrgName: "Org " + org,
		Detail: fmt.Sprintf("entry %03d ✓", i)}
}

// allAudit lists every entry and checks the fields a backend must keep.
func allAudit(h *harness, tx store.Tx, given []domain.AuditEntry) []domain.AuditEntry {
	h.t.Helper()
	got := collect(h.t, tx.AuditEntries(h.ctx, store.AuditFilter{}))
	if len(got) != len(given) {
		h.t.Fatalf("AuditEntries listed %d entries, want %d", len(got), len(given))
	}
	for i, e := range got {
		g := given[i]
		if e.Action != g.Action || e.OrgID != g.OrgID || e.OrgName != g.OrgName || e.Detail != g.Detail {
			h.t.Fatalf("audit entry %d is %+v, want %+v (oldest first, as appended)", i, e, g)
		}
	}
	return got
}

func testAuditOrder(h *harness) {
	var given []domain.AuditEntry
	h.update(func(tx store.Tx) error {
		given = given[:0]
		for i := range 5 {
			e := auditEntry(i, "org_000001", "ann@acme.example")
			given = append(given, e)
			must(h.t, tx.AppendAudit(h.ctx, e))
		}
		allAudit(h, tx, given) // visible in the appending transaction
		return nil
	})
	h.update(func(tx store.Tx) error {
		for i := 5; i < 12; i++ {
			e := auditEntry(i, fmt.Sprintf("org_%06d", 12-i), "bob@acme.example")
			given = append(given, e)
			must(h.t, tx.AppendAudit(h.ctx, e))
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		got := allAudit(h, tx, given)
		for i, e := range got {
			if e.Actor == "" || e.At.IsZero() {
				h.t.Fatalf("audit entry %d has no actor or time: %+v", i, e)
			}
		}
		return nil
	})
}

func testAuditFilters(h *harness) {
	rng := h.rng()
	orgs := []string{"", "org_000001", "org_000002", "org_1000000"}
	actors := []string{"ann@acme.example", "bob@acme.example", "Ann@acme.example"}
	var given []domain.AuditEntry
	for i := range 60 {
		e := auditEntry(i, orgs[rng.IntN(len(orgs))], actors[rng.IntN(len(actors))])
		if rng.IntN(4) == 0 {
			e.At = at(rng.IntN(60)) // times go back now and then: the list is in append order
		}
		given = append(given, e)
	}
	h.update(func(tx store.Tx) error {
		for _, e := range given[:30] {
			must(h.t, tx.AppendAudit(h.ctx, e))
		}
		return nil
	})
	h.update(func(tx store.Tx) error {
		for _, e := range given[30:] {
			must(h.t, tx.AppendAudit(h.ctx, e))
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		stored := allAudit(h, tx, given)
		sinces := []int{0, 1, 17, 30, 59}
		var filters []store.AuditFilter
		for _, o := range append(orgs, "org_404") {
			for _, a := range append(actors, "", "nobody@acme.example") {
				for _, s := range sinces {
					f := store.AuditFilter{OrgID: o, Actor: a, Since: stored[s].At}
					if s == 0 {
						f.Since = stored[0].At.Add(-1)
					}
					filters = append(filters, f)
				}
				filters = append(filters, store.AuditFilter{OrgID: o, Actor: a})
			}
		}
		for _, f := range filters {
			var want []string
			for _, e := range stored {
				if (f.OrgID == "" || e.OrgID == f.OrgID) && (f.Actor == "" || e.Actor == f.Actor) && !e.At.Before(f.Since) {
					want = append(want, e.Detail)
				}
			}
			var got []string
			for _, e := range collect(h.t, tx.AuditEntries(h.ctx, f)) {
				got = append(got, e.Detail)
			}
			same(h.t, label("AuditEntries(%+v) (org and actor exact, since: at or after)", f), strings.Join(got, ","), strings.Join(want, ","))
		}
		return nil
	})
}

func testAuditAppendOnly(h *harness) {
	e := auditEntry(1, "org_000001", "ann@acme.example")
	h.update(func(tx store.Tx) error { return tx.AppendAudit(h.ctx, e) })
	var firstSeq uint64
	h.view(func(tx store.Tx) error {
		firstSeq = collect(h.t, tx.AuditEntries(h.ctx, store.AuditFilter{}))[0].Seq
		return nil
	})
	// Appending an entry that names the first one's Seq, or repeats it
	// exactly, adds an entry: nothing replaces one.
	changed := e
	changed.Seq, changed.Detail = firstSeq, "rewritten"
	h.update(func(tx store.Tx) error {
		must(h.t, tx.AppendAudit(h.ctx, changed))
		return tx.AppendAudit(h.ctx, e)
	})
	h.view(func(tx store.Tx) error {
		allAudit(h, tx, []domain.AuditEntry{e, changed, e})
		return nil
	})
	// The contract offers no method that could change or remove an entry.
	tx := reflect.TypeFor[store.Tx]()
	for i := range tx.NumMethod() {
		name := tx.Method(i).Name
		if strings.Contains(name, "Audit") && name != "AppendAudit" && name != "AuditEntries" {
			h.t.Fatalf("store.Tx has %s: the audit trail is append-only", name)
		}
	}
}

func testLinkCRUD(h *harness) {
	var l domain.Link
	h.update(func(tx store.Tx) error {
		o := putNewOrg(h.t, h.ctx, tx, "Bakery", "")
		l = newLink(h.t, h.ctx, tx, o.ID, hashOf("token-1"))
		got, err := tx.LinkByTokenHash(h.ctx, l.TokenHash)
		must(h.t, err)
		same(h.t, "LinkByTokenHash in its transaction", got, l)
		return nil
	})
	h.view(func(tx store.Tx) error {
		got, err := tx.Link(h.ctx, l.ID)
		must(h.t, err)
		same(h.t, "Link", got, l)
		got, err = tx.LinkByTokenHash(h.ctx, l.TokenHash)
		must(h.t, err)
		same(h.t, "LinkByTokenHash", got, l)
		_, err = tx.Link(h.ctx, "lnk_999999")
		notFound(h.t, "Link of an unknown id", err)
		_, err = tx.LinkByTokenHash(h.ctx, hashOf("token-2"))
		notFound(h.t, "LinkByTokenHash of a hash never issued", err)
		_, err = tx.LinkByTokenHash(h.ctx, strings.ToUpper(l.TokenHash))
		notFound(h.t, "LinkByTokenHash of the hash in upper case (hashes are exact)", err)
		return nil
	})
	// Redeem and revoke: a replaced link keeps being found by its hash.
	l.RedeemedAt = ptr(at(20))
	l.RevokedAt, l.RevokedBy = ptr(at(21)), "admin@acme.example"
	h.update(func(tx store.Tx) error { return tx.PutLink(h.ctx, l) })
	h.view(func(tx store.Tx) error {
		got, err := tx.LinkByTokenHash(h.ctx, l.TokenHash)
		must(h.t, err)
		same(h.t, "LinkByTokenHash after a replace", got, l)
		same(h.t, "Links after a replace", collect(h.t, tx.Links(h.ctx, "")), []domain.Link{l})
		return nil
	})
}

func testLinkList(h *harness) {
	rng := h.rng()
	var a, b domain.Org
	var links []domain.Link
	h.update(func(tx store.Tx) error {
		a = putNewOrg(h.t, h.ctx, tx, "A", "")
		b = putNewOrg(h.t, h.ctx, tx, "B", "")
		links = links[:0]
		for i := range 12 {
			seq, err := tx.NextSeq(h.ctx, "link")
			must(h.t, err)
			org := a.ID
			if i%3 == 0 {
				org = b.ID
			}
			links = append(links, domain.Link{ID: linkID(seq), Seq: seq, OrgID: org, Email: "x@y.example",
				TokenHash: hashOf(fmt.Sprint("link", i)), CreatedAt: at(i), ExpiresAt: at(i + 15)})
		}
		for _, i := range rng.Perm(len(links)) { // put out of Seq order
			must(h.t, tx.PutLink(h.ctx, links[i]))
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "Links(\"\") in Seq order", collect(h.t, tx.Links(h.ctx, "")), links)
		var wantA, wantB []domain.Link
		for _, l := range links {
			if l.OrgID == a.ID {
				wantA = append(wantA, l)
			} else {
				wantB = append(wantB, l)
			}
		}
		same(h.t, "Links(a) in Seq order", collect(h.t, tx.Links(h.ctx, a.ID)), wantA)
		same(h.t, "Links(b) in Seq order", collect(h.t, tx.Links(h.ctx, b.ID)), wantB)
		same(h.t, "Links of an org without links", len(collect(h.t, tx.Links(h.ctx, "org_404404"))), 0)
		return nil
	})
}

func testLinkHashChange(h *harness) {
	var l domain.Link
	h.update(func(tx store.Tx) error {
		o := putNewOrg(h.t, h.ctx, tx, "Bakery", "")
		l = newLink(h.t, h.ctx, tx, o.ID, hashOf("old"))
		return nil
	})
	l.TokenHash = hashOf("new")
	h.update(func(tx store.Tx) error { return tx.PutLink(h.ctx, l) })
	h.view(func(tx store.Tx) error {
		got, err := tx.LinkByTokenHash(h.ctx, hashOf("new"))
		must(h.t, err)
		same(h.t, "LinkByTokenHash of the new hash", got, l)
		_, err = tx.LinkByTokenHash(h.ctx, hashOf("old"))
		notFound(h.t, "LinkByTokenHash of a hash the link no longer has", err)
		return nil
	})
	checkStorage(h)
}

func testInviteCRUD(h *harness) {
	var i domain.Invite
	h.update(func(tx store.Tx) error {
		o := putNewOrg(h.t, h.ctx, tx, "Bakery", "")
		i = newInvite(h.t, h.ctx, tx, o.ID, "ann@bakery.example", hashOf("inv-1"))
		got, err := tx.InviteByTokenHash(h.ctx, i.TokenHash)
		must(h.t, err)
		same(h.t, "InviteByTokenHash in its transaction", got, i)
		return nil
	})
	h.view(func(tx store.Tx) error {
		got, err := tx.Invite(h.ctx, i.ID)
		must(h.t, err)
		same(h.t, "Invite", got, i)
		got, err = tx.InviteByTokenHash(h.ctx, i.TokenHash)
		must(h.t, err)
		same(h.t, "InviteByTokenHash", got, i)
		_, err = tx.Invite(h.ctx, "inv_999999")
		notFound(h.t, "Invite of an unknown id", err)
		_, err = tx.InviteByTokenHash(h.ctx, hashOf("inv-2"))
		notFound(h.t, "InviteByTokenHash of a hash never issued", err)
		return nil
	})
	i.AcceptedAt = ptr(at(30))
	h.update(func(tx store.Tx) error { return tx.PutInvite(h.ctx, i) })
	h.view(func(tx store.Tx) error {
		got, err := tx.InviteByTokenHash(h.ctx, i.TokenHash)
		must(h.t, err)
		same(h.t, "InviteByTokenHash after accepting", got, i)
		same(h.t, "Invites after a replace", collect(h.t, tx.Invites(h.ctx, "")), []domain.Invite{i})
		return nil
	})
}

func testInviteResend(h *harness) {
	var i domain.Invite
	h.update(func(tx store.Tx) error {
		o := putNewOrg(h.t, h.ctx, tx, "Bakery", "")
		i = newInvite(h.t, h.ctx, tx, o.ID, "ann@bakery.example", hashOf("first"))
		return nil
	})
	// One resend in its own transaction, then two in one transaction.
	i.TokenHash, i.ResentAt, i.ExpiresAt = hashOf("second"), ptr(at(40)), at(40).Add(domain.InviteValidity)
	h.update(func(tx store.Tx) error { return tx.PutInvite(h.ctx, i) })
	h.update(func(tx store.Tx) error {
		i.TokenHash, i.ResentAt = hashOf("third"), ptr(at(41))
		must(h.t, tx.PutInvite(h.ctx, i))
		i.TokenHash, i.ResentAt = hashOf("fourth"), ptr(at(42))
		must(h.t, tx.PutInvite(h.ctx, i))
		got, err := tx.InviteByTokenHash(h.ctx, hashOf("third"))
		must(h.t, err)
		same(h.t, "InviteByTokenHash of a token replaced in this transaction", got, i)
		return nil
	})
	h.view(func(tx store.Tx) error {
		for _, tok := range []string{"first", "second", "third", "fourth"} {
			got, err := tx.InviteByTokenHash(h.ctx, hashOf(tok))
			must(h.t, err)
			same(h.t, label("InviteByTokenHash of the %s token", tok), got, i)
		}
		_, err := tx.InviteByTokenHash(h.ctx, hashOf("fifth"))
		notFound(h.t, "InviteByTokenHash of a hash never issued", err)
		same(h.t, "Invites after resends", collect(h.t, tx.Invites(h.ctx, "")), []domain.Invite{i})
		return nil
	})
	checkStorage(h)
}

func testInviteList(h *harness) {
	rng := h.rng()
	var a, b domain.Org
	var invites []domain.Invite
	h.update(func(tx store.Tx) error {
		a = putNewOrg(h.t, h.ctx, tx, "A", "")
		b = putNewOrg(h.t, h.ctx, tx, "B", "")
		invites = invites[:0]
		for i := range 12 {
			seq, err := tx.NextSeq(h.ctx, "invite")
			must(h.t, err)
			org := a.ID
			if i%4 == 1 {
				org = b.ID
			}
			invites = append(invites, domain.Invite{ID: inviteID(seq), Seq: seq, OrgID: org, Email: fmt.Sprintf("u%d@y.example", i),
				Role: domain.RoleMember, TokenHash: hashOf(fmt.Sprint("invite", i)), CreatedAt: at(i), ExpiresAt: at(i + 15)})
		}
		for _, i := range rng.Perm(len(invites)) {
			must(h.t, tx.PutInvite(h.ctx, invites[i]))
		}
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "Invites(\"\") in Seq order", collect(h.t, tx.Invites(h.ctx, "")), invites)
		var wantA, wantB []domain.Invite
		for _, i := range invites {
			if i.OrgID == a.ID {
				wantA = append(wantA, i)
			} else {
				wantB = append(wantB, i)
			}
		}
		same(h.t, "Invites(a) in Seq order", collect(h.t, tx.Invites(h.ctx, a.ID)), wantA)
		same(h.t, "Invites(b) in Seq order", collect(h.t, tx.Invites(h.ctx, b.ID)), wantB)
		same(h.t, "Invites of an org without invites", len(collect(h.t, tx.Invites(h.ctx, "org_404404"))), 0)
		return nil
	})
}

func testLicenseCRUD(h *harness) {
	var l domain.License
	h.update(func(tx store.Tx) error {
		o := putNewOrg(h.t, h.ctx, tx, "Bakery", "")
		l = newLicense(h.t, h.ctx, tx, o.ID)
		got, err := tx.License(h.ctx, l.ID)
		must(h.t, err)
		same(h.t, "License in its transaction", got, l)
		return nil
	})
	h.view(func(tx store.Tx) error {
		got, err := tx.License(h.ctx, l.ID)
		must(h.t, err)
		same(h.t, "License", got, l)
		_, err = tx.License(h.ctx, "lic_999999")
		notFound(h.t, "License of an unknown id", err)
		return nil
	})
	// Renew and deactivate: replaced in place.
	l.End = l.End.AddDate(1, 0, 0)
	l.Deactivated, l.Unpaid, l.Note = ptr(at(50)), true, "unpaid invoice"
	l.History = append(l.History, domain.LicenseChange{At: at(50), Actor: "admin@acme.example", Action: "deactivated", Detail: "unpaid"})
	h.update(func(tx store.Tx) error { return tx.PutLicense(h.ctx, l) })
	h.view(func(tx store.Tx) error {
		got, err := tx.License(h.ctx, l.ID)
		must(h.t, err)
		same(h.t, "License replaced", got, l)
		same(h.t, "Licenses after a replace", collect(h.t, tx.Licenses(h.ctx, "")), []domain.License{l})
		same(h.t, "Licenses(org) after a replace", collect(h.t, tx.Licenses(h.ctx, l.OrgID)), []domain.License{l})
		return nil
	})
	checkStorage(h)
}

func testLicenseList(h *harness) {
	rng := h.rng()
	var a, b domain.Org
	var lics []domain.License
	h.update(func(tx store.Tx) error {
		a = putNewOrg(h.t, h.ctx, tx, "A", "")
		b = putNewOrg(h.t, h.ctx, tx, "B", "")
		lics = lics[:0]
		for i := range 12 {
			seq, err := tx.NextSeq(h.ctx, "license")
			must(h.t, err)
			org := []string{a.ID, b.ID, ""}[i%3]
			lics = append(lics, domain.License{ID: licenseID(seq), Seq: seq, Number: fmt.Sprint("LIC-", seq), OrgID: org,
				Start: domain.Day(at(0)), End: domain.Day(at(0)).AddDate(0, 1, 0), CreatedAt: at(i)})
		}
		for _, i := range rng.Perm(len(lics)) {
			must(h.t, tx.PutLicense(h.ctx, lics[i]))
		}
		return nil
	})
	check := func(when string) {
		h.t.Helper()
		h.view(func(tx store.Tx) error {
			same(h.t, when+": Licenses(\"\") in Seq order, unassigned ones too", collect(h.t, tx.Licenses(h.ctx, "")), lics)
			for _, org := range []string{a.ID, b.ID, "org_404404"} {
				var want []domain.License
				for _, l := range lics {
					if l.OrgID == org {
						want = append(want, l)
					}
				}
				same(h.t, label("%s: Licenses(%s) in Seq order", when, org), collect(h.t, tx.Licenses(h.ctx, org)), want)
			}
			return nil
		})
	}
	check("after issuing")
	// Move licenses between orgs, assign an unassigned one, unassign one.
	h.update(func(tx store.Tx) error {
		lics[0].OrgID = b.ID  // a → b
		lics[4].OrgID = a.ID  // b → a
		lics[2].OrgID = a.ID  // unassigned → a
		lics[7].OrgID = ""    // b → unassigned
		lics[9].OrgID = b.ID  // a → b, then back to a in the same transaction
		lics[10].OrgID = b.ID // b → b: unchanged
		for _, i := range []int{0, 4, 2, 7, 9, 10} {
			must(h.t, tx.PutLicense(h.ctx, lics[i]))
		}
		lics[9].OrgID = a.ID
		must(h.t, tx.PutLicense(h.ctx, lics[9]))
		got := collect(h.t, tx.Licenses(h.ctx, b.ID))
		for _, l := range got {
			if l.OrgID != b.ID {
				h.t.Fatalf("Licenses(b) in the moving transaction lists %s of %q", l.ID, l.OrgID)
			}
		}
		return nil
	})
	check("after moves")
	checkStorage(h)
}
