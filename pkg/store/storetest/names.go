package storetest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var nameTests = []test{
	{"NameOrderIsFoldBytesThenSeq", testNameOrder},
	{"OrgIDsByNameFoldsLikeFold", testOrgIDsByName},
	{"OrgIDByRefFoldsLikeFold", testOrgIDByRef},
	{"RenamesAndReRefsMoveLookups", testRenames},
	{"LookupsInsideTheTransaction", testLookupsInTransaction},
}

// trickyNames differ in ways collations disagree on: accents, dotted and
// dotless i, long s, the Kelvin sign, final sigma, sharp s, emoji, digits,
// prefixes. Fold (strings.ToLower) and byte order decide, nothing else.
var trickyNames = []string{
	"Äpfel", "apfel", "Apfel", "Zebra", "zebra", "ärger", "İstanbul", "istanbul", "ſtar", "Star", "star", "STAR",
	"🍎 Apple", "apple", "ΟΔΟΣ", "οδος", "Kelvin", "\u212Aelvin", "straße", "STRASSE", "ab", "ab c", "Ab", "a", "b",
	"Émile", "emile", "ÉMILE", "1000", "999", "Zoë", "zoe", "日本", "ﬁle", "FILE",
}

// byNameOrder sorts orgs into name order: the byte order of Fold(name),
// then Seq. It is the contract's definition, used as the suite's oracle.
func byNameOrder(orgs []domain.Org) []string {
	sorted := slices.Clone(orgs)
	slices.SortFunc(sorted, func(a, b domain.Org) int {
		return cmp.Or(strings.Compare(store.Fold(a.Name), store.Fold(b.Name)), cmp.Compare(a.Seq, b.Seq))
	})
	ids := make([]string, len(sorted))
	for i, o := range sorted {
		ids[i] = o.ID
	}
	return ids
}

// putShuffled creates an org per name, with sequences taken in list order
// but records put in a shuffled order.
func putShuffled(h *harness, names []string, ref func(i int) string) []domain.Org {
	h.t.Helper()
	rng := h.rng()
	var orgs []domain.Org
	h.update(func(tx store.Tx) error {
		orgs = orgs[:0]
		for i, n := range names {
			seq, err := tx.NextSeq(h.ctx, "org")
			must(h.t, err)
			orgs = append(orgs, domain.Org{ID: orgID(seq), Seq: seq, Name: n, RefID: ref(i), CreatedAt: at(i)})
		}
		for _, i := range rng.Perm(len(orgs)) {
			must(h.t, tx.PutOrg(h.ctx, orgs[i]))
		}
		return nil
	})
	return orgs
}

func namesOf(orgs []domain.Org, ids []string) []string {
	byID := map[string]string{}
	for _, o := range orgs {
		byID[o.ID] = o.Name
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out
}

func testNameOrder(h *harness) {
	orgs := putShuffled(h, trickyNames, func(int) string { return "" })
	want := byNameOrder(orgs)
	// The oracle itself: byte order of the folded names, not a language's
	// alphabet ("zebra" before "äpfel"), equal names by Seq.
	gotNames := namesOf(orgs, want)
	for _, pair := range [][2]string{{"apfel", "Apfel"}, {"Zebra", "zebra"}, {"zebra", "Äpfel"}, {"Äpfel", "ärger"},
		{"ärger", "ſtar"}, {"Star", "star"}, {"star", "STAR"}, {"ab", "ab c"}, {"1000", "999"}, {"Émile", "ÉMILE"}} {
		if slices.Index(gotNames, pair[0]) > slices.Index(gotNames, pair[1]) {
			h.t.Fatalf("the suite's name order puts %q after %q: %q", pair[0], pair[1], gotNames)
		}
	}
	h.view(func(tx store.Tx) error {
		got := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName})
		same(h.t, "Orgs in name order", namesOf(orgs, got), gotNames)
		return nil
	})
	// The same order inside the writing transaction, before it commits.
	h.update(func(tx store.Tx) error {
		o := putNewOrg(h.t, h.ctx, tx, "Äpfel", "")
		all := append(slices.Clone(orgs), o)
		got := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName})
		same(h.t, "Orgs in name order, in the transaction that added one", namesOf(all, got), namesOf(all, byNameOrder(all)))
		same(h.t, "ids in name order, in the transaction that added one", got, byNameOrder(all))
		return nil
	})
}

func testOrgIDsByName(h *harness) {
	orgs := putShuffled(h, trickyNames, func(int) string { return "" })
	h.view(func(tx store.Tx) error {
		probes := append(slices.Clone(trickyNames), "STAR", "ſTAR", "KELVIN", "\u212AELVIN", "İSTANBUL", "i̇stanbul",
			"οδοσ", "ΟΔΟς", "STRASSE", "Straße", "äPFEL", "ÄPFEL", "", "nope", "ab ", "fILE", "ﬁLE")
		for _, p := range probes {
			var want []domain.Org
			for _, o := range orgs {
				if store.Fold(o.Name) == store.Fold(p) {
					want = append(want, o)
				}
			}
			got, err := tx.OrgIDsByName(h.ctx, p)
			must(h.t, err)
			same(h.t, label("OrgIDsByName(%q)", p), got, byNameOrder(want))
		}
		// The oracle's answers, spelled out for the cases collations get wrong.
		for p, n := range map[string]int{"star": 3, "ſtar": 1, "kelvin": 2, "istanbul": 2, "İstanbul": 2, "i̇stanbul": 0,
			"οδοσ": 1, "οδος": 1, "strasse": 1, "file": 1, "ﬁle": 1, "émile": 2} {
			got, err := tx.OrgIDsByName(h.ctx, p)
			must(h.t, err)
			if len(got) != n {
				h.t.Fatalf("OrgIDsByName(%q) found %d orgs, want %d", p, len(got), n)
			}
		}
		return nil
	})
}

func testOrgIDByRef(h *harness) {
	refs := []string{"BAK-1", "\u212A-7", "ſ-1", "S-2", "İST", "ıst", "ΣΙΓΜΑ", "Ärger-3", "🍎-4", "straße-5", "ﬁ-6"}
	orgs := putShuffled(h, refs, func(i int) string { return refs[i] })
	h.view(func(tx store.Tx) error {
		probes := []string{"BAK-1", "bak-1", "Bak-1", "k-7", "K-7", "\u212A-7", "ſ-1", "s-1", "S-1", "s-2", "ſ-2",
			"İST", "i̇st", "IST", "ist", "ıst", "IST", "σιγμα", "ΣΙΓΜΑ", "σιγμας", "ärger-3", "ÄRGER-3", "🍎-4", "STRASSE-5", "straße-5",
			"FI-6", "ﬁ-6", "", "nope", "bak-1 "}
		for _, p := range probes {
			want := ""
			for _, o := range orgs {
				if p != "" && store.Fold(o.RefID) == store.Fold(p) {
					want = o.ID
				}
			}
			got, err := tx.OrgIDByRef(h.ctx, p)
			if want == "" {
				notFound(h.t, label("OrgIDByRef(%q)", p), err)
				continue
			}
			must(h.t, err)
			same(h.t, label("OrgIDByRef(%q)", p), got, want)
		}
		for p, ok := range map[string]bool{"k-7": true, "s-1": false, "i̇st": false, "IST": true, "ıst": true, "σιγμα": true, "FI-6": false} {
			_, err := tx.OrgIDByRef(h.ctx, p)
			if (err == nil) != ok {
				h.t.Fatalf("OrgIDByRef(%q): %v, want found=%v", p, err, ok)
			}
		}
		return nil
	})
}

// lookups checks what the name and ref lookups and name order say in tx.
func lookups(h *harness, tx store.Tx, when string, names map[string][]string, refs map[string]string, order []string) {
	h.t.Helper()
	for n, want := range names {
		got, err := tx.OrgIDsByName(h.ctx, n)
		must(h.t, err)
		same(h.t, label("%s: OrgIDsByName(%q)", when, n), got, want)
	}
	for r, want := range refs {
		got, err := tx.OrgIDByRef(h.ctx, r)
		if want == "" {
			notFound(h.t, label("%s: OrgIDByRef(%q)", when, r), err)
			continue
		}
		must(h.t, err)
		same(h.t, label("%s: OrgIDByRef(%q)", when, r), got, want)
	}
	same(h.t, when+": name order", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName}), order)
}

func testRenames(h *harness) {
	var a, b, c domain.Org
	h.update(func(tx store.Tx) error {
		a = putNewOrg(h.t, h.ctx, tx, "Alpha", "R1")
		b = putNewOrg(h.t, h.ctx, tx, "Bravo", "R2")
		c = putNewOrg(h.t, h.ctx, tx, "Charlie", "")
		return nil
	})
	// Rename and re-ref a; swap the refs of a and b through a third ref;
	// give c a ref; all in one transaction, checked before and after commit.
	check := func(tx store.Tx, when string) {
		lookups(h, tx, when,
			map[string][]string{"alpha": nil, "omega": {a.ID}, "OMEGA": {a.ID}, "bravo": {b.ID}, "charlie": {c.ID}},
			map[string]string{"r1": b.ID, "R2": a.ID, "tmp": "", "r3": c.ID, "": ""},
			[]string{b.ID, c.ID, a.ID})
	}
	h.update(func(tx store.Tx) error {
		a.Name, a.RefID = "Omega", "TMP"
		must(h.t, tx.PutOrg(h.ctx, a))
		lookups(h, tx, "after the first rename", map[string][]string{"alpha": nil, "omega": {a.ID}},
			map[string]string{"r1": "", "tmp": a.ID}, []string{b.ID, c.ID, a.ID})
		b.RefID = "r1"
		must(h.t, tx.PutOrg(h.ctx, b))
		a.RefID = "r2"
		must(h.t, tx.PutOrg(h.ctx, a))
		c.RefID = "R3"
		must(h.t, tx.PutOrg(h.ctx, c))
		check(tx, "in the renaming transaction")
		return nil
	})
	h.view(func(tx store.Tx) error { check(tx, "after commit"); return nil })
	// Removing a ref frees it; a rename to a name that folds the same as
	// another org's keeps both, in Seq order.
	h.update(func(tx store.Tx) error {
		c.RefID, c.Name = "", "BRAVO"
		must(h.t, tx.PutOrg(h.ctx, c))
		return nil
	})
	h.view(func(tx store.Tx) error {
		lookups(h, tx, "after removing a ref", map[string][]string{"bravo": {b.ID, c.ID}, "charlie": nil},
			map[string]string{"r3": ""}, []string{b.ID, c.ID, a.ID})
		return nil
	})
}

func testLookupsInTransaction(h *harness) {
	var kept domain.Org
	h.update(func(tx store.Tx) error {
		kept = putNewOrg(h.t, h.ctx, tx, "Kept", "KEEP")
		return nil
	})
	h.update(func(tx store.Tx) error {
		// Created and deleted in one transaction: never found.
		gone := putNewOrg(h.t, h.ctx, tx, "Gone", "GONE")
		lookups(h, tx, "after a create", map[string][]string{"gone": {gone.ID}}, map[string]string{"gone": gone.ID},
			[]string{gone.ID, kept.ID})
		gone.DeletedAt = ptr(at(3))
		must(h.t, tx.PutOrg(h.ctx, gone))
		// A ref freed in this transaction is taken by a new org in it.
		kept.DeletedAt = ptr(at(3))
		must(h.t, tx.PutOrg(h.ctx, kept))
		taker := putNewOrg(h.t, h.ctx, tx, "Taker", "keep")
		lookups(h, tx, "after deletes and a new org",
			map[string][]string{"gone": nil, "kept": nil, "taker": {taker.ID}},
			map[string]string{"gone": "", "KEEP": taker.ID}, []string{taker.ID})
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs in the transaction", n, 1)
		return nil
	})
	h.view(func(tx store.Tx) error {
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs after commit", n, 1)
		id, err := tx.OrgIDByRef(h.ctx, "Keep")
		must(h.t, err)
		if id == kept.ID {
			h.t.Fatalf("OrgIDByRef(Keep) still finds the deleted org")
		}
		return nil
	})
}
