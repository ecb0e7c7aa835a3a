package ingest

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestKeyTableNumbersDistinctStringsInOrder(t *testing.T) {
	tab := newKeyTable()
	if got := tab.Find("acme"); got != -1 {
		t.Fatalf("Find in an empty table = %d, want -1", got)
	}
	// Enough entries to grow the slots several times past the first 1024.
	const n = 5000
	for i := range n {
		if got := tab.Add(fmt.Sprintf("org-%d", i)); got != i {
			t.Fatalf("Add(org-%d) = %d, want %d", i, got, i)
		}
	}
	for _, s := range []string{"", "a", "org-"} { // prefixes of entries, and the empty string
		if got := tab.Find(s); got != -1 {
			t.Fatalf("Find(%q) = %d, want -1", s, got)
		}
	}
	if got := tab.Add(""); got != n {
		t.Fatalf("Add(\"\") = %d, want %d", got, n)
	}
	for i := range n {
		s := fmt.Sprintf("org-%d", i)
		if got := tab.Find(s); got != i {
			t.Fatalf("Find(%s) = %d, want %d", s, got, i)
		}
		if got := tab.Add(s); got != i {
			t.Fatalf("Add(%s) again = %d, want %d", s, got, i)
		}
		if got := tab.At(i); got != s {
			t.Fatalf("At(%d) = %q, want %q", i, got, s)
		}
	}
	if tab.Len() != n+1 || tab.Find("") != n || tab.At(n) != "" {
		t.Fatalf("Len = %d, Find(\"\") = %d, At(%d) = %q", tab.Len(), tab.Find(""), n, tab.At(n))
	}
	if 2*tab.Len() > len(tab.slots) {
		t.Fatalf("%d entries in %d slots: more than half full", tab.Len(), len(tab.slots))
	}
}

// FindAll agrees with Find key by key: entries and strangers mixed, the
// empty string (an entry of no bytes), batches that end inside a group.
func TestKeyTableFindAllIsFind(t *testing.T) {
	tab := newKeyTable()
	found := make([]int32, 3)
	tab.FindAll([]string{"a", "", "b"}, found)
	if found[0] != -1 || found[1] != -1 || found[2] != -1 {
		t.Fatalf("FindAll in an empty table = %v", found)
	}
	for i := range 3000 {
		tab.Add(fmt.Sprintf("org-%d", i))
	}
	tab.Add("")
	var keys []string
	for i := range 200 {
		keys = append(keys, fmt.Sprintf("org-%d", i*37%4000), "", fmt.Sprintf("org-%d", i*7))
	}
	for _, n := range []int{0, 1, 31, 32, 33, 64, len(keys)} {
		found := make([]int32, n)
		for i := range found {
			found[i] = -2
		}
		tab.FindAll(keys[:n], found)
		for i, k := range keys[:n] {
			if want := tab.Find(k); int(found[i]) != want {
				t.Fatalf("%d keys: FindAll(%q) = %d, Find = %d", n, k, found[i], want)
			}
		}
	}
}

func TestLineOrgsAcrossBlocks(t *testing.T) {
	var l lineOrgs
	n := 2*lineOrgsBlock + 3
	for i := range n {
		l.append(int32(i % 1000))
	}
	if l.len() != n {
		t.Fatalf("len = %d, want %d", l.len(), n)
	}
	for _, i := range []int{0, lineOrgsBlock - 1, lineOrgsBlock, 2 * lineOrgsBlock, n - 1} {
		if got := l.at(i); got != int32(i%1000) {
			t.Fatalf("at(%d) = %d, want %d", i, got, i%1000)
		}
	}
	if got := l.at(n); got != -1 {
		t.Fatalf("at(%d) past the end = %d, want -1", n, got)
	}
}

// BenchmarkKeyTableLookups looks up a million org keys in random order, as
// the planning read does a feed's lines: one at a time (Find) and a batch
// at a time (FindAll). Reports ns/key.
func BenchmarkKeyTableLookups(b *testing.B) {
	const n = 1_000_000
	tab := newKeyTable()
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("ACME-%07d", i)
		tab.Add(keys[i])
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(n, func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	found := make([]int32, 4096)
	b.Run("Find", func(b *testing.B) {
		i := 0
		for b.Loop() {
			for j := range found {
				found[j] = int32(tab.Find(keys[(i+j)%n]))
			}
			i += len(found)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(found)), "ns/key")
	})
	b.Run("FindAll", func(b *testing.B) {
		i := 0
		for b.Loop() {
			start := i % (n - len(found))
			tab.FindAll(keys[start:start+len(found)], found)
			i += len(found)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(found)), "ns/key")
	})
}
