package storetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var queryTests = []test{
	{"SearchMatchesNewSearchOnNameOrRef", testSearchOracle},
	{"PagingEdges", testPagingEdges},
	{"AllListsEveryOrg", testQueryAll},
	{"BorrowYieldsTheSameOrgs", testBorrow},
}

// pieces make random names and refs that exercise case folding.
var pieces = []string{"a", "A", "b", "B", "ä", "Ä", "i", "I", "İ", "ı", "s", "S", "ſ", "k", "K", "\u212A", "ß", "ẞ",
	"σ", "Σ", "ς", "é", "É", "🍎", " ", "-", "x", "1", "ﬁ"}

func randomText(rng *rand.Rand, maxPieces int) string {
	var b strings.Builder
	for range 1 + rng.IntN(maxPieces) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// randomOrgs puts n orgs with random names and refs (unique among live
// orgs by Fold), some deleted, and the admin org; it returns every org.
func randomOrgs(h *harness, rng *rand.Rand, n int) []domain.Org {
	h.t.Helper()
	var orgs []domain.Org
	h.update(func(tx store.Tx) error {
		orgs = orgs[:0]
		_, admin := putAdmin(h.t, h.ctx, tx, "a A ä Ä i s k σ", "a-admin")
		orgs = append(orgs, admin)
		for i := range n {
			seq, err := tx.NextSeq(h.ctx, "org")
			must(h.t, err)
			o := domain.Org{ID: orgID(seq), Seq: seq, Name: randomText(rng, 8), CreatedAt: at(i)}
			if rng.IntN(2) == 0 {
				o.RefID = strings.ReplaceAll(randomText(rng, 4), " ", "_") + fmt.Sprintf("#%d", i)
			}
			if rng.IntN(10) == 0 {
				o.DeletedAt = ptr(at(i + 1))
			}
			orgs = append(orgs, o)
		}
		for _, i := range rng.Perm(len(orgs)) {
			must(h.t, tx.PutOrg(h.ctx, orgs[i]))
		}
		return nil
	})
	return orgs
}

// matching is the oracle of an org query: the live customer orgs that
// store.NewSearch matches, in name order.
func matching(orgs []domain.Org, search string) []string {
	s := store.NewSearch(search)
	var keep []domain.Org
	for _, o := range orgs {
		if o.Live() && !o.Admin && o.Connected() && s.MatchOrg(&o) {
			keep = append(keep, o)
		}
	}
	return byNameOrder(keep)
}

// needle is a search text cut from a name or ref (whole characters), its
// case changed here and there.
func needle(rng *rand.Rand, orgs []domain.Org) string {
	o := orgs[rng.IntN(len(orgs))]
	text := o.Name
	if o.RefID != "" && rng.IntN(2) == 0 {
		text = o.RefID
	}
	runes := []rune(text)
	i := rng.IntN(len(runes))
	j := i + 1 + rng.IntN(min(4, len(runes)-i))
	cut := runes[i:j]
	for k, r := range cut {
		switch rng.IntN(3) {
		case 0:
			cut[k] = []rune(strings.ToUpper(string(r)))[0]
		case 1:
			cut[k] = []rune(strings.ToLower(string(r)))[0]
		}
	}
	return string(cut)
}

func testSearchOracle(h *harness) {
	rng := h.rng()
	orgs := randomOrgs(h, rng, 250)
	needles := []string{"", "a", "A", "ä", "Ä", "i", "I", "İ", "i̇", "ı", "s", "S", "ſ", "k", "K", "\u212A", "ss", "ß", "ẞ",
		"σ", "Σ", "ς", "é", "🍎", " ", "-", "#1", "a-admin", "x1", "fi", "ﬁ", "zzz", "ab", "Ab", "aB"}
	for range 120 {
		needles = append(needles, needle(rng, orgs))
	}
	h.view(func(tx store.Tx) error {
		hits := 0
		for _, n := range needles {
			want := matching(orgs, n)
			hits += len(want)
			got := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Search: n, Order: store.OrderName})
			same(h.t, label("Orgs(Search %q, OrderName)", n), got, want)
			anyOrder := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Search: n})
			slices.Sort(anyOrder)
			slices.Sort(want)
			same(h.t, label("Orgs(Search %q, OrderAny) as a set", n), anyOrder, want)
		}
		if hits == 0 {
			h.t.Fatal("no search matched anything: the oracle test is vacuous")
		}
		return nil
	})
}

func testPagingEdges(h *harness) {
	rng := h.rng()
	orgs := randomOrgs(h, rng, 60)
	h.view(func(tx store.Tx) error {
		for _, search := range []string{"", "a", "zzz-no-match"} {
			all := matching(orgs, search)
			n := len(all)
			offsets := []int{0, 1, n / 2, n - 1, n, n + 1, math.MaxInt - 1, math.MaxInt}
			limits := []int{0, 1, 2, n - 1, n, n + 1, math.MaxInt - 1, math.MaxInt}
			for _, off := range offsets {
				for _, lim := range limits {
					if off < 0 || lim < 0 {
						continue
					}
					start := min(off, n)
					end := n
					if lim > 0 && lim < n-start {
						end = start + lim
					}
					want := all[start:end]
					q := store.OrgQuery{Search: search, Order: store.OrderName, Offset: off, Limit: lim}
					same(h.t, label("Orgs(%+v) of %d matches", q, n), collectOrgs(h.t, tx, h.ctx, q), want)
					q.Order = store.OrderAny
					same(h.t, label("how many Orgs(%+v) of %d matches", q, n), len(collectOrgs(h.t, tx, h.ctx, q)), len(want))
				}
			}
			// Consecutive pages in name order make up the whole list.
			for _, per := range []int{1, 7, 25} {
				var pages []string
				for off := 0; off < n+per; off += per {
					pages = append(pages, collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Search: search, Order: store.OrderName, Offset: off, Limit: per})...)
				}
				same(h.t, label("pages of %d (search %q) put together", per, search), pages, all)
			}
		}
		return nil
	})
}

func testQueryAll(h *harness) {
	rng := h.rng()
	orgs := randomOrgs(h, rng, 40)
	var every []string
	for _, o := range orgs {
		every = append(every, o.ID)
	}
	slices.Sort(every)
	h.view(func(tx store.Tx) error {
		for _, order := range []store.OrgOrder{store.OrderAny, store.OrderName} {
			got := collect(h.t, tx.Orgs(h.ctx, store.OrgQuery{All: true, Order: order}))
			var ids []string
			for _, o := range got {
				ids = append(ids, o.ID)
			}
			slices.Sort(ids)
			same(h.t, label("Orgs(All, order %d): every stored org, deleted and admin too", order), ids, every)
			byID := map[string]domain.Org{}
			for _, o := range orgs {
				byID[o.ID] = o
			}
			for _, o := range got {
				same(h.t, "org listed by Orgs(All)", *o, byID[o.ID])
			}
		}
		// Search, Offset and Limit still apply.
		s := store.NewSearch("a")
		var want []string
		for _, o := range orgs {
			if s.MatchOrg(&o) {
				want = append(want, o.ID)
			}
		}
		slices.Sort(want)
		got := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{All: true, Search: "A"})
		slices.Sort(got)
		same(h.t, "Orgs(All, Search A)", got, want)
		same(h.t, "how many Orgs(All, Offset 3, Limit 5)", len(collectOrgs(h.t, tx, h.ctx, store.OrgQuery{All: true, Offset: 3, Limit: 5})), 5)
		same(h.t, "how many Orgs(All, Offset len-2)", len(collectOrgs(h.t, tx, h.ctx, store.OrgQuery{All: true, Offset: len(every) - 2})), 2)
		return nil
	})
}

// A borrowed listing (OrgQuery.Borrow) may hand the same *domain.Org again,
// overwritten: copied as they come, its orgs are those of a listing that
// does not borrow, counters and session days included, whatever the org
// before each had.
func testBorrow(h *harness) {
	rng := h.rng()
	orgs := randomOrgs(h, rng, 80)
	h.update(func(tx store.Tx) error {
		for i := range orgs {
			o := &orgs[i]
			if o.Admin || i%3 == 0 {
				continue // some orgs keep no counters, after others that do
			}
			o.Users, o.SessionsTotal = i, 2*i
			o.LastActiveAt = ptr(at(1000 + i))
			for d := range 1 + i%5 {
				o.SessionDays = append(o.SessionDays, domain.DayCount{Day: int32(20000 + d*(1+i%3)), Count: int32(1 + d)})
			}
			must(h.t, tx.PutOrg(h.ctx, *o))
		}
		return nil
	})
	copied := func(seq func(func(*domain.Org, error) bool)) []domain.Org {
		var out []domain.Org
		for o, err := range seq {
			must(h.t, err)
			c := *o
			c.SessionDays = slices.Clone(o.SessionDays)
			if o.LastActiveAt != nil {
				c.LastActiveAt = ptr(*o.LastActiveAt)
			}
			out = append(out, c)
		}
		return out
	}
	h.view(func(tx store.Tx) error {
		for _, q := range []store.OrgQuery{{}, {Order: store.OrderName}, {Search: "a"}, {All: true}, {Order: store.OrderName, Offset: 3, Limit: 9}} {
			want := copied(tx.Orgs(h.ctx, q))
			if len(want) == 0 {
				h.t.Fatalf("Orgs(%+v) listed nothing: the test is vacuous", q)
			}
			q.Borrow = true
			same(h.t, label("Orgs(%+v) copied as they come", q), copied(tx.Orgs(h.ctx, q)), want)
		}
		return nil
	})
}
