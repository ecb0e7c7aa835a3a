package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/store"
)

var claimTests = []test{
	{"ExactSetAgainstAMapOracle", testClaimOracle},
	{"EdgesOfTheClaimedRange", testClaimEdges},
	{"IDsAreExactStrings", testClaimExact},
	{"IDsGivenTwiceAreRefused", testClaimTwice},
	{"NULInIDs", testClaimNUL},
}

// claim calls ClaimEvents with fresh filled with the opposite of what is
// expected, so that every answer is really written.
func claim(h *harness, tx store.Tx, ids []string, rng *rand.Rand) []bool {
	h.t.Helper()
	fresh := make([]bool, len(ids))
	for i := range fresh {
		fresh[i] = rng.IntN(2) == 0
	}
	must(h.t, tx.ClaimEvents(h.ctx, ids, fresh))
	return fresh
}

// probeClaims reports which of ids are claimed, in a transaction that is
// rolled back (so the probe claims nothing).
func probeClaims(h *harness, ids []string) map[string]bool {
	h.t.Helper()
	claimed := map[string]bool{}
	h.rolledBack(func(tx store.Tx) error {
		clear(claimed)
		fresh := make([]bool, len(ids))
		must(h.t, tx.ClaimEvents(h.ctx, ids, fresh))
		for i, id := range ids {
			if !fresh[i] {
				claimed[id] = true
			}
		}
		return nil
	})
	return claimed
}

// idMaker makes event ids of every shape a feed may send: sequential,
// random, sharing prefixes, sorting before everything, beyond ASCII, up to
// 200 bytes, and prefixes and extensions of ids made before.
type idMaker struct {
	rng  *rand.Rand
	next int
	made []string
}

var idRunes = []rune("aZ09_-:.é日本🍎ßſİı\u212AΣσς \u0301")

func (m *idMaker) make() string {
	var id string
	switch k := m.rng.IntN(9); {
	case k < 3:
		m.next++
		id = fmt.Sprintf("evt_%010d", m.next)
	case k == 3:
		id = fmt.Sprintf("%x", m.rng.Uint64())
	case k == 4:
		id = strings.Repeat("a", m.rng.IntN(6)) + fmt.Sprint(m.rng.IntN(10000))
	case k == 5:
		id = fmt.Sprintf("!%d", m.rng.IntN(1<<20))
	case k == 6:
		var b strings.Builder
		for range 1 + m.rng.IntN(20) {
			b.WriteRune(idRunes[m.rng.IntN(len(idRunes))])
		}
		id = b.String()
	case k == 7:
		id = strings.Repeat("long-", 30+m.rng.IntN(9)) + fmt.Sprint(m.rng.IntN(1000))
		id = id[:min(len(id), 200)]
	default:
		if len(m.made) == 0 {
			return m.make()
		}
		r := []rune(m.made[m.rng.IntN(len(m.made))])
		if m.rng.IntN(2) == 0 && len(r) > 1 {
			id = string(r[:1+m.rng.IntN(len(r)-1)])
		} else {
			id = string(r) + string(idRunes[m.rng.IntN(len(idRunes))])
		}
		if len(id) > 200 {
			return m.make()
		}
	}
	if strings.TrimSpace(id) == "" {
		return m.make()
	}
	m.made = append(m.made, id)
	return id
}

// pick is a distinct set of ids in random order: new ones, claimed ones,
// rolled-back ones and any made before.
func (m *idMaker) pick(n int, claimedList, dropped []string) []string {
	seen := map[string]bool{}
	var ids []string
	for len(ids) < n {
		var id string
		switch k := m.rng.IntN(10); {
		case k < 2 && len(claimedList) > 0:
			id = claimedList[m.rng.IntN(len(claimedList))]
		case k < 4 && len(dropped) > 0:
			id = dropped[m.rng.IntN(len(dropped))]
		case k < 5 && len(m.made) > 0:
			id = m.made[m.rng.IntN(len(m.made))]
		default:
			id = m.make()
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	m.rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids
}

// testClaimOracle runs many transactions of claims against a Go map:
// committed claims stay claimed, rolled-back ones leave nothing, an id
// claimed earlier in the same transaction is not fresh again.
func testClaimOracle(h *harness) {
	rng := h.rng()
	m := &idMaker{rng: rng}
	claimed := map[string]bool{}
	var claimedList, dropped []string
	sizes := []int{0, 1, 2, 5, 40, 100}
	for round := range 150 {
		n := sizes[rng.IntN(len(sizes))]
		if round == 20 {
			n = 3000 // one large batch: many of a backend's pages or runs
		}
		ids := m.pick(n, claimedList, dropped)
		// A backend may skip lookups past the greatest id it holds: the
		// edges of the claimed range come back often.
		if rng.IntN(3) == 0 && len(claimedList) > 0 {
			ids = withEdges(rng, ids, claimedList)
		}
		var again []string // a second call in the same transaction
		if rng.IntN(3) == 0 {
			again = m.pick(1+rng.IntN(30), nil, ids)
		}
		rollback := rng.IntN(4) == 0
		var pending map[string]bool
		var order []string // pending's ids, in a repeatable order
		err := h.st.Update(h.ctx, func(tx store.Tx) error {
			pending, order = map[string]bool{}, order[:0]
			for _, call := range [][]string{ids, again} {
				if call == nil {
					continue
				}
				if rng.IntN(2) == 0 {
					// EventsClaimed answers the same and claims nothing: the
					// claim below still finds these ids fresh.
					claimedNow := make([]bool, len(call))
					for i := range claimedNow {
						claimedNow[i] = rng.IntN(2) == 0
					}
					must(h.t, tx.EventsClaimed(h.ctx, call, claimedNow))
					for i, id := range call {
						if want := claimed[id] || pending[id]; claimedNow[i] != want {
							h.t.Fatalf("round %d: EventsClaimed says %q claimed=%v, want %v", round, id, claimedNow[i], want)
						}
					}
				}
				fresh := claim(h, tx, call, rng)
				for i, id := range call {
					want := !claimed[id] && !pending[id]
					if fresh[i] != want {
						h.t.Fatalf("round %d: ClaimEvents says %q fresh=%v, want %v (claimed before: %v, earlier in this transaction: %v)",
							round, id, fresh[i], want, claimed[id], pending[id])
					}
					if !pending[id] {
						order = append(order, id)
					}
					pending[id] = true
				}
			}
			if rollback {
				return errRollback
			}
			return nil
		})
		switch {
		case rollback && err != errRollback:
			h.t.Fatalf("round %d: rolled-back Update returned %v", round, err)
		case rollback:
			for _, id := range order {
				if !claimed[id] {
					dropped = append(dropped, id)
				}
			}
		case err != nil:
			h.t.Fatalf("round %d: %v", round, err)
		default:
			for _, id := range order {
				if !claimed[id] {
					claimed[id] = true
					claimedList = append(claimedList, id)
				}
			}
		}
	}
	// Finally every id ever made: claimed exactly when the oracle says so.
	all := map[string]bool{}
	var ids []string
	for _, id := range append(append([]string{}, m.made...), dropped...) {
		if !all[id] {
			all[id] = true
			ids = append(ids, id)
		}
	}
	got := probeClaims(h, ids)
	for _, id := range ids {
		if got[id] != claimed[id] {
			h.t.Fatalf("after all rounds: %q claimed=%v, want %v", id, got[id], claimed[id])
		}
	}
	if len(claimed) < 1000 || len(dropped) == 0 {
		h.t.Fatalf("the oracle test claimed %d ids and dropped %d: too few to mean much", len(claimed), len(dropped))
	}
}

// withEdges adds the least and greatest claimed ids (in byte order) and
// their neighbours to ids, at random places, keeping ids distinct.
func withEdges(rng *rand.Rand, ids, claimed []string) []string {
	least, greatest := slices.Min(claimed), slices.Max(claimed)
	cut := func(s string) string { r := []rune(s); return string(r[:len(r)-1]) }
	for _, id := range []string{least, greatest, greatest + "0", cut(greatest), cut(least) + "\x00"} {
		if strings.TrimSpace(id) != "" && len(id) <= 200 && !slices.Contains(ids, id) && rng.IntN(4) != 0 {
			i := rng.IntN(len(ids) + 1)
			ids = slices.Insert(ids, i, id)
		}
	}
	return ids
}

// testClaimEdges claims around the greatest and least ids held, where a
// backend's shortcuts (such as "everything after the greatest id is new")
// live.
func testClaimEdges(h *harness) {
	rng := h.rng()
	claimed := map[string]bool{}
	step := func(what string, ids ...string) {
		h.t.Helper()
		h.update(func(tx store.Tx) error {
			fresh := claim(h, tx, ids, rng)
			for i, id := range ids {
				if fresh[i] == claimed[id] {
					h.t.Fatalf("%s: ClaimEvents says %q fresh=%v, want %v", what, id, fresh[i], !claimed[id])
				}
			}
			return nil
		})
		for _, id := range ids {
			claimed[id] = true
		}
	}
	step("a first batch", "e05", "e06", "e07", "e08")
	step("the greatest id again, first", "e08", "e09", "e10")
	step("the greatest id again, last", "e11", "e12", "e10")
	step("the greatest id alone", "e12")
	step("overlapping the tail", "e11", "e13", "e12", "e14")
	step("the least id and before it", "e05", "e04", "e00")
	step("the least id alone", "e00")
	step("prefixes and extensions of the edges", "e", "e1", "e14\x00", "e140", "e00\x00", "e0")
	step("everything again, shuffled", shuffled(rng, keys(claimed))...)
	step("around and between", "d", "e045", "e145", "f", "e", "e14")
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func shuffled(rng *rand.Rand, s []string) []string {
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

func testClaimExact(h *harness) {
	rng := h.rng()
	ids := []string{"evt_1", "EVT_1", "Evt_1", "é", "e\u0301", "a ", "a", " a", "ﬁ", "fi", "ſ", "s", "S", "\u212A", "K", "k",
		"İ", "i̇", "i", "ß", "ss", "σ", "ς", "Σ", "0", "00", "1", "01"}
	h.update(func(tx store.Tx) error {
		fresh := claim(h, tx, ids, rng)
		for i, id := range ids {
			if !fresh[i] {
				h.t.Fatalf("ClaimEvents: %q is not fresh in a fresh store (ids are exact strings, not folded or normalised)", id)
			}
		}
		return nil
	})
	got := probeClaims(h, append(ids, "evt_2", "é "))
	same(h.t, "claimed ids", len(got), len(ids))
}

func testClaimTwice(h *harness) {
	err := h.st.Update(h.ctx, func(tx store.Tx) error {
		return tx.ClaimEvents(h.ctx, []string{"evt_1", "evt_2", "evt_1"}, make([]bool, 3))
	})
	if err == nil {
		h.t.Fatal("ClaimEvents accepted an id given twice in one call")
	}
	same(h.t, "claims after the refused call", probeClaims(h, []string{"evt_1", "evt_2"}), map[string]bool{})
	h.view(func(tx store.Tx) error {
		if tx.EventsClaimed(h.ctx, []string{"evt_1", "evt_2", "evt_1"}, make([]bool, 3)) == nil {
			h.t.Fatal("EventsClaimed accepted an id given twice in one call")
		}
		return nil
	})
	// Across calls, and across transactions, an id may come again.
	h.update(func(tx store.Tx) error {
		must(h.t, tx.ClaimEvents(h.ctx, []string{"evt_1"}, make([]bool, 1)))
		fresh := []bool{true, false}
		must(h.t, tx.ClaimEvents(h.ctx, []string{"evt_2", "evt_1"}, fresh))
		same(h.t, "fresh of a second call in one transaction", fresh, []bool{true, false})
		return nil
	})
}

// A feed's id is any JSON string of up to 200 bytes, NUL included: a
// backend keeps ids byte for byte.
func testClaimNUL(h *harness) {
	rng := h.rng()
	ids := []string{"a\x00b", "a", "a\x00", "\x00", "\x00\x00", "a\x00c", "b"}
	h.update(func(tx store.Tx) error {
		fresh := claim(h, tx, ids[:4], rng)
		same(h.t, "fresh of ids with NUL", fresh, []bool{true, true, true, true})
		return nil
	})
	same(h.t, "claimed ids with NUL", probeClaims(h, ids),
		map[string]bool{"a\x00b": true, "a": true, "a\x00": true, "\x00": true})
}
