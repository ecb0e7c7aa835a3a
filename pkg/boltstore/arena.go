package boltstore

import "sync"

// arenaChunk is the size of the chunks a write transaction copies the
// values it hands bbolt into (see boltTx.keep).
const arenaChunk = 64 << 10

// maxPooledArena bounds the chunks a store keeps between transactions.
const maxPooledArena = 64 << 20

// arenaPool recycles the chunks of write transactions that have ended:
// bbolt holds a transaction's values until its commit copies them into
// pages, and forgets them then. An import in steps or ranges (a million
// orgs in 16 transactions) took fresh memory for every step's values, and
// on this VM the first touch of fresh memory is a page fault: 0.3 s of a
// million-row `orgs import` was copying records into new chunks.
type arenaPool struct {
	mu   sync.Mutex
	free [][]byte
}

// get is an empty chunk with room for n bytes.
func (p *arenaPool) get(n int) []byte {
	if p != nil && n <= arenaChunk {
		p.mu.Lock()
		defer p.mu.Unlock()
		if k := len(p.free); k > 0 {
			c := p.free[k-1]
			p.free = p.free[:k-1]
			return c[:0]
		}
	}
	return make([]byte, 0, max(arenaChunk, n))
}

// put takes back the chunks of a transaction that has ended.
func (p *arenaPool) put(chunks [][]byte) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range chunks {
		if cap(c) == arenaChunk && len(p.free) < maxPooledArena/arenaChunk {
			p.free = append(p.free, c)
		}
	}
}

// keep copies b into memory that lives as long as the transaction.
func (t *boltTx) keep(b []byte) []byte {
	if len(b) > cap(t.arena)-len(t.arena) {
		if cap(t.arena) > 0 {
			t.filled = append(t.filled, t.arena)
		}
		t.arena = t.arenas.get(len(b))
	}
	n := len(t.arena)
	t.arena = append(t.arena, b...)
	return t.arena[n:len(t.arena):len(t.arena)]
}

// releaseArena hands the transaction's chunks back to the pool: only once
// bbolt has ended the transaction.
func (t *boltTx) releaseArena() {
	if cap(t.arena) > 0 {
		t.filled = append(t.filled, t.arena)
	}
	t.arenas.put(t.filled)
	t.arena, t.filled = nil, nil
}
