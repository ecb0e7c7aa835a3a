package boltstore

import (
	"testing"

	"github.com/partnerctl/partnerctl/pkg/store"
)

// A write transaction's chunks go back to the store once bbolt has ended
// it, and the next write transaction copies its values into them; while a
// transaction lives, its chunks are nobody else's.
func TestWriteTransactionsReuseTheArenasOfEndedOnes(t *testing.T) {
	s := openTest(t)
	value := make([]byte, 1000)
	var first [][]byte
	err := s.Update(ctx, func(tx store.Tx) error {
		bt := tx.(*boltTx)
		for range 3 * arenaChunk / len(value) { // three chunks' worth
			bt.keep(value)
		}
		if n := len(s.arenas.free); n != 0 {
			t.Errorf("%d chunk(s) pooled while the transaction lives", n)
		}
		first = append(append([][]byte{}, bt.filled...), bt.arena)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.arenas.free); n != len(first) || n < 3 {
		t.Fatalf("%d chunk(s) pooled after the transaction, want its %d", n, len(first))
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		kept := tx.(*boltTx).keep(value)
		for _, c := range first {
			if &c[:1][0] == &kept[0] {
				return nil
			}
		}
		t.Error("the next transaction's value is not in a chunk of the last one")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestArenaPoolIsBounded(t *testing.T) {
	var p arenaPool
	chunks := make([][]byte, maxPooledArena/arenaChunk+10)
	for i := range chunks {
		chunks[i] = make([]byte, 0, arenaChunk)
	}
	p.put(chunks)
	p.put([][]byte{make([]byte, 0, 2*arenaChunk)}) // a value's own, larger: not pooled
	if n := len(p.free); n != maxPooledArena/arenaChunk {
		t.Errorf("%d chunks pooled, want %d", n, maxPooledArena/arenaChunk)
	}
	if c := p.get(2 * arenaChunk); cap(c) != 2*arenaChunk || len(p.free) != maxPooledArena/arenaChunk {
		t.Errorf("a value larger than a chunk took a pooled chunk (cap %d)", cap(c))
	}
}
