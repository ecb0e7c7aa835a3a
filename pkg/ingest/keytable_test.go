package ingest

import (
	"fmt"
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
