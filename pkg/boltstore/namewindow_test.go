package boltstore

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Name order is read in windows (records in key order, then handed out in
// name order) and the pages read are dropped every dropEvery records: the
// orgs, their order and any page of them are what a plain sort gives, across
// window boundaries and drops.
func TestNameOrderAcrossWindowsAndDrops(t *testing.T) {
	defer func(above int64) { dropAbove = above }(dropAbove)
	dropAbove = 0 // a small read drops its pages too
	s := openTest(t)
	const n = 3*dropEvery + 17
	rng := rand.New(rand.NewPCG(1, 2))
	var want []domain.Org
	err := s.Update(ctx, func(tx store.Tx) error {
		for i := range n {
			// Few distinct names: ties fall back to seq, across windows.
			o := domain.Org{ID: fmt.Sprintf("org_%07d", i+2), Seq: uint64(i + 2),
				Name: fmt.Sprintf("%c org %d", 'a'+rng.IntN(26), rng.IntN(50)), CreatedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
			want = append(want, o)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(want, func(a, b domain.Org) int {
		return cmp.Or(cmp.Compare(store.Fold(a.Name), store.Fold(b.Name)), cmp.Compare(a.Seq, b.Seq))
	})
	for _, q := range []store.OrgQuery{
		{Order: store.OrderName},
		{Order: store.OrderName, Offset: 31, Limit: 25},
		{Order: store.OrderName, Offset: dropEvery - 3, Limit: 2 * dropEvery},
		{Order: store.OrderName, Search: "z org"},
	} {
		err := s.View(ctx, func(tx store.Tx) error {
			var got []string
			for o, err := range tx.Orgs(ctx, q) {
				if err != nil {
					return err
				}
				got = append(got, o.ID+" "+o.Name)
			}
			var exp []string
			search := store.NewSearch(q.Search)
			for _, o := range want {
				if search.MatchOrg(&o) {
					exp = append(exp, o.ID+" "+o.Name)
				}
			}
			exp = exp[min(q.Offset, len(exp)):]
			if q.Limit > 0 {
				exp = exp[:min(q.Limit, len(exp))]
			}
			if !slices.Equal(got, exp) {
				t.Errorf("%+v: got %d orgs, want %d; first difference at %d", q, len(got), len(exp), firstDiff(got, exp))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// sortBySeq orders a window by record key, packed or (a seq too large to
// pack) by the keys' bytes: the same order either way.
func TestNameWindowSortsBySeq(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, huge := range []bool{false, true} {
		var w nameWindow
		for range 1000 {
			seq := rng.Uint64N(5000)
			if huge && rng.IntN(100) == 0 {
				seq = 1<<63 + rng.Uint64N(10)
			}
			w.hits = append(w.hits, nameHit{key: u64(seq)})
		}
		w.sortBySeq()
		want := make([]int, len(w.hits))
		for i := range want {
			want[i] = i
		}
		slices.SortStableFunc(want, func(a, b int) int { return bytes.Compare(w.hits[a].key, w.hits[b].key) })
		got := w.order
		for i := range got {
			if !bytes.Equal(w.hits[got[i]].key, w.hits[want[i]].key) {
				t.Fatalf("huge seqs %v: position %d holds key %x, want %x", huge, i, w.hits[got[i]].key, w.hits[want[i]].key)
			}
		}
		if !huge && !slices.Equal(got, want) { // packed: equal seqs stay in index order
			t.Errorf("packed order %v…, want %v…", got[:5], want[:5])
		}
	}
}
