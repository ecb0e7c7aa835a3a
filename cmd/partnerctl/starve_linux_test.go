package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReadersCannotStarveWriters: 12 processes listing 20k orgs in a loop
// hold the store with shared locks that overlap without a gap; a writer
// waiting up to its --lock-timeout must still get in (every one of them
// timed out, exit 6, before writers had a turnstile that readers pass).
func TestReadersCannotStarveWriters(t *testing.T) {
	const readers, writers = 12, 3
	dir := t.TempDir()
	p := newProc(t, filepath.Join(dir, "p.db"))
	p.init()
	p.must("orgs", "import", writeFile(t, filepath.Join(dir, "orgs.csv"), orgsCSV(20_000)))

	var stop atomic.Bool
	var lists atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < readers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				c := p.cmd("orgs", "list", "--lock-timeout", "30s")
				c.Stdout = io.Discard
				if err := c.Run(); err != nil {
					t.Errorf("orgs list: %v", err)
					return
				}
				lists.Add(1)
			}
		}()
	}
	time.Sleep(time.Second) // let the readers' locks overlap
	var waits []time.Duration
	failed := 0
	for i := 0; i < writers; i++ {
		start := time.Now()
		_, errOut, code := p.run("orgs", "create", "--name", fmt.Sprintf("Writer %d", i), "--lock-timeout", "5s")
		waits = append(waits, time.Since(start).Round(time.Millisecond))
		if code != 0 {
			failed++
			t.Logf("writer %d: exit %d: %s", i, code, errOut)
		}
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("%d lists ran; writers took %v", lists.Load(), waits)
	if failed > 0 {
		t.Fatalf("%d of %d writers starved behind %d readers", failed, writers, readers)
	}
	requireDoctor(t, p, "the readers and writers")
}
