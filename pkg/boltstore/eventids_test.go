package boltstore

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/store"
)

// seenOf asks the store about ids (any order) and returns the recorded ones.
func seenOf(t *testing.T, tx store.Tx, ids []string) map[string]bool {
	t.Helper()
	sorted := slices.Compact(slices.Sorted(slices.Values(ids)))
	seen := make([]bool, len(sorted))
	if err := tx.(*boltTx).eventsSeen(sorted, seen); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for i, id := range sorted {
		if seen[i] {
			out[id] = true
		}
	}
	return out
}

// The runs behave like a set of strings: ids recorded in order, out of
// order, before, between and after earlier ones, over many transactions,
// are all found, nothing else is, and the runs stay ordered, disjoint and
// within their size limits.
func TestEventIDRunsAreAnExactSet(t *testing.T) {
	s := openTest(t)
	rng := rand.New(rand.NewPCG(6, 1))
	want := map[string]bool{}
	var all []string
	for round := range 40 {
		var fresh []string
		for len(fresh) < 1+rng.IntN(400) {
			var id string
			switch round % 4 {
			case 0: // a feed's sequential ids
				id = fmt.Sprintf("evt_%010d", len(want)+len(fresh)+1_000_000)
			case 1: // random, anywhere
				id = fmt.Sprintf("%x", rng.Uint64())
			case 2: // shorter and longer ids sharing prefixes
				id = strings.Repeat("a", rng.IntN(5)) + fmt.Sprint(rng.IntN(100000))
			default: // before everything
				id = fmt.Sprintf("0%d", rng.IntN(1<<30))
			}
			if !want[id] && !slices.Contains(fresh, id) {
				fresh = append(fresh, id)
			}
		}
		slices.Sort(fresh)
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.(*boltTx).markEventsSeen(fresh) }); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for _, id := range fresh {
			want[id] = true
		}
		all = append(all, fresh...)
	}
	// Every recorded id, and as many that were not.
	probe := slices.Clone(all)
	for i := range len(all) {
		probe = append(probe, all[i]+"x", "~"+all[i])
	}
	err := s.View(ctx, func(tx store.Tx) error {
		got := seenOf(t, tx, probe)
		if len(got) != len(want) {
			t.Errorf("found %d ids, want %d", len(got), len(want))
		}
		for id := range want {
			if !got[id] {
				t.Errorf("recorded id %q not found", id)
				break
			}
		}
		maxID, err := tx.(*boltTx).maxClaimedID(true)
		if want := slices.Max(all); maxID != want {
			t.Errorf("MaxEventID = %q, want %q", maxID, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(btx *bolt.Tx) error {
		b := btx.Bucket(bucketEventIDs)
		n, err := countEventIDs(b)
		if err != nil || n != len(want) {
			t.Errorf("countEventIDs = %d, %v; want %d", n, err, len(want))
		}
		return b.ForEach(func(k, v []byte) error {
			var r idRun
			if err := r.decode(k, v); err != nil {
				return err
			}
			if len(v) > runMaxBytes || len(r.ids) > runMaxIDs {
				t.Errorf("run %q: %d ids in %d bytes, over the limits", k, len(r.ids), len(v))
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ClaimEvents in ranges: each round claims every fourth id of a feed
// (among the runs earlier rounds wrote) with some claimed before; it says
// exactly which were new, and a claim of nothing new writes nothing.
func TestClaimEventsAmongStoredRuns(t *testing.T) {
	s := openTest(t)
	id := func(n int) string { return fmt.Sprintf("evt_%07d", n) }
	claimed := map[string]bool{}
	for round := range 4 {
		var ids []string
		for n := round; n < 20_000; n += 4 {
			ids = append(ids, id(n))
		}
		for n := 0; n < 20_000; n += 997 { // claimed before, or in this round
			if !slices.Contains(ids, id(n)) {
				ids = append(ids, id(n))
			}
		}
		fresh := make([]bool, len(ids))
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.ClaimEvents(ctx, ids, fresh) }); err != nil {
			t.Fatal(err)
		}
		for i, x := range ids {
			if fresh[i] == claimed[x] {
				t.Fatalf("round %d: %s fresh = %v, claimed before = %v", round, x, fresh[i], claimed[x])
			}
			claimed[x] = true
		}
	}
	err := s.View(ctx, func(tx store.Tx) error {
		probe := []string{id(0), id(19_999), id(20_000), id(7) + "x", "evt_"}
		got := seenOf(t, tx, probe)
		if want := map[string]bool{id(0): true, id(19_999): true}; !maps.Equal(got, want) {
			t.Errorf("seen %v, want %v", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		ids := []string{id(3), id(5000), id(19_998)}
		fresh := make([]bool, len(ids))
		if err := tx.ClaimEvents(ctx, ids, fresh); err != nil {
			return err
		}
		if slices.Contains(fresh, true) {
			t.Errorf("ids claimed before came back fresh: %v", fresh)
		}
		stats := tx.(*boltTx).btx.Stats()
		if n := stats.GetNodeCount(); n != 0 {
			t.Errorf("a claim of no new id touched %d nodes", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Sequential ids cost a few bytes each: the runs are front-coded.
func TestSequentialEventIDsAreStoredCompactly(t *testing.T) {
	s := openTest(t)
	ids := make([]string, 100_000)
	for i := range ids {
		ids[i] = fmt.Sprintf("evt_%010d", i+1)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.(*boltTx).markEventsSeen(ids) }); err != nil {
		t.Fatal(err)
	}
	var bytes, runs int
	_ = s.db.View(func(btx *bolt.Tx) error {
		return btx.Bucket(bucketEventIDs).ForEach(func(k, v []byte) error {
			bytes += len(k) + len(v)
			runs++
			return nil
		})
	})
	if perID := float64(bytes) / float64(len(ids)); perID > 6 || runs != len(ids)/runMaxIDs+1 {
		t.Fatalf("%d runs, %.1f bytes per id", runs, perID)
	}
}

// Stores written by earlier builds kept one key per id in bucket "events":
// those ids still count as imported.
func TestEventIDsOfEarlierBuildsAreStillSeen(t *testing.T) {
	s := openTest(t)
	err := s.db.Update(func(btx *bolt.Tx) error {
		for _, id := range []string{"old-1", "old-9"} {
			if err := btx.Bucket(bucketEvents).Put([]byte(id), []byte{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.(*boltTx).markEventsSeen([]string{"new-1", "old-5"}) }); err != nil {
		t.Fatal(err)
	}
	_ = s.View(ctx, func(tx store.Tx) error {
		got := seenOf(t, tx, []string{"old-1", "old-5", "old-9", "new-1", "new-2", "old-2"})
		if fmt.Sprint(got) != "map[new-1:true old-1:true old-5:true old-9:true]" {
			t.Errorf("seen = %v", got)
		}
		if m, _ := tx.(*boltTx).maxClaimedID(true); m != "old-9" {
			t.Errorf("MaxEventID = %q, want the legacy bucket's old-9", m)
		}
		return nil
	})
}

func TestEventIDCallsRefuseUnsortedIDs(t *testing.T) {
	s := openTest(t)
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.(*boltTx).markEventsSeen([]string{"b", "a"}); err == nil {
			t.Error("MarkEventsSeen accepted unsorted ids")
		}
		if err := tx.(*boltTx).markEventsSeen([]string{"a", "a"}); err == nil {
			t.Error("MarkEventsSeen accepted a repeat")
		}
		if err := tx.(*boltTx).eventsSeen([]string{"b", "a"}, make([]bool, 2)); err == nil {
			t.Error("EventsSeen accepted unsorted ids")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A damaged run is an error, never a wrong answer or a panic.
func TestCorruptEventIDRunIsAnError(t *testing.T) {
	s := openTest(t)
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.(*boltTx).markEventsSeen([]string{"e1", "e2", "e3"}) }); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{{0x05, 0x01, 'x'}, {0x00, 0x09, 'x'}, {0x01, 0x00}, {0xff}} {
		err := s.db.Update(func(btx *bolt.Tx) error { return btx.Bucket(bucketEventIDs).Put([]byte("e1"), bad) })
		if err != nil {
			t.Fatal(err)
		}
		err = s.View(ctx, func(tx store.Tx) error { return tx.(*boltTx).eventsSeen([]string{"e2"}, make([]bool, 1)) })
		if err == nil || !strings.Contains(err.Error(), "corrupt event id run") {
			t.Errorf("run %x: EventsSeen = %v", bad, err)
		}
		rep, err := s.CheckStorage(ctx, nil)
		if err != nil || !strings.Contains(strings.Join(rep.Problems, "\n"), "corrupt event id run") {
			t.Errorf("run %x: doctor = %+v, %v", bad, rep.Problems, err)
		}
	}
}

// FuzzIDRunDecode: any bytes decode to ascending ids or to an error.
func FuzzIDRunDecode(f *testing.F) {
	f.Add([]byte("e1"), appendRunID(appendRunID(nil, []byte("e1"), []byte("e2")), []byte("e2"), []byte("e30")))
	f.Add([]byte("a"), []byte{0x05, 0x01, 'x'})
	f.Add([]byte(""), []byte{0x00, 0x00})
	f.Add([]byte("ab"), []byte{0x00, 0x02, 'a', 'c'}) // shares more than it says: "ac" follows
	f.Add([]byte("ab"), []byte{0x00, 0x02, 'a', 'a'}) // "aa" does not
	f.Add([]byte("ab"), []byte{0x01, 0x00})           // "a", a prefix, does not
	f.Add([]byte("ab"), []byte{0x02, 0x01, 0x00})     // "ab\x00" does
	f.Fuzz(func(t *testing.T, first, rest []byte) {
		var r idRun
		if err := r.decode(first, rest); err != nil {
			return
		}
		for i := 1; i < len(r.ids); i++ {
			if string(r.ids[i-1]) >= string(r.ids[i]) {
				t.Fatalf("ids out of order: %q", r.ids)
			}
		}
	})
}

// BenchmarkEventIDRuns records 100,000 sequential ids in batches of 10,000,
// then looks all of them up again (a re-run of the same feed).
func BenchmarkEventIDRuns(b *testing.B) {
	ids := make([]string, 100_000)
	for i := range ids {
		ids[i] = fmt.Sprintf("evt_%010d", i+1)
	}
	seen := make([]bool, len(ids))
	for b.Loop() {
		b.StopTimer()
		s := openTestB(b)
		b.StartTimer()
		err := s.Update(ctx, func(tx store.Tx) error {
			for i := 0; i < len(ids); i += 10_000 {
				if err := tx.(*boltTx).markEventsSeen(ids[i : i+10_000]); err != nil {
					return err
				}
			}
			return tx.(*boltTx).eventsSeen(ids, seen)
		})
		if err != nil || !seen[len(seen)-1] {
			b.Fatal(err)
		}
		s.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ids)), "ns/id")
}

// BenchmarkClaimEventsInRanges claims 200,000 sequential ids the way an
// import in 16 org ranges does: each range every 16th id, among the runs
// the ranges before it wrote, a transaction per range.
//
// /staged: as an import in ranges does now (while only it commits), each
// range stages its ids and the last range merges them all with its own.
func BenchmarkClaimEventsInRanges(b *testing.B) {
	b.Run("claimed", func(b *testing.B) { benchmarkClaimEventsInRanges(b, false) })
	b.Run("staged", func(b *testing.B) { benchmarkClaimEventsInRanges(b, true) })
}

func benchmarkClaimEventsInRanges(b *testing.B, staged bool) {
	const n, ranges = 200_000, 16
	parts := make([][]string, ranges)
	for i := range n {
		parts[i%ranges] = append(parts[i%ranges], fmt.Sprintf("evt_%010d", i+1))
	}
	fresh := make([]bool, n/ranges)
	claim := func(tx store.Tx, r int) error {
		if !staged {
			return tx.ClaimEvents(ctx, parts[r], fresh)
		}
		fresh[0] = true
		st := tx.(store.EventStager)
		if err := st.StageEvents(ctx, parts[r]); err != nil || r < ranges-1 {
			return err
		}
		return st.ClaimStagedEvents(ctx)
	}
	for b.Loop() {
		b.StopTimer()
		s := openTestB(b)
		b.StartTimer()
		for r := range parts {
			if err := s.Update(ctx, func(tx store.Tx) error { return claim(tx, r) }); err != nil || !fresh[0] {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/id")
}
