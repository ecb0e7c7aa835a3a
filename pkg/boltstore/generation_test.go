package boltstore

import (
	"errors"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/store"
)

// Each commit moves the generation by one, whatever it changed; a rolled
// back write and a read move nothing; a write sees the generation before
// its own commit.
func TestGenerationCountsCommits(t *testing.T) {
	s := openTest(t)
	gen := func() (g uint64) {
		t.Helper()
		if err := s.View(ctx, func(tx store.Tx) error { g = tx.(store.Generations).Generation(); return nil }); err != nil {
			t.Fatal(err)
		}
		return g
	}
	g0 := gen()
	var inWrite uint64
	if err := s.Update(ctx, func(tx store.Tx) error { inWrite = tx.(store.Generations).Generation(); return nil }); err != nil {
		t.Fatal(err)
	}
	if inWrite != g0 {
		t.Errorf("a write transaction's generation = %d, want %d (the one it started from)", inWrite, g0)
	}
	if g := gen(); g != g0+1 {
		t.Errorf("after a commit that changed nothing: generation %d, want %d", g, g0+1)
	}
	rollback := errors.New("no")
	if err := s.Update(ctx, func(tx store.Tx) error { return rollback }); !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if g := gen(); g != g0+1 {
		t.Errorf("after a rollback: generation %d, want %d", g, g0+1)
	}
}
