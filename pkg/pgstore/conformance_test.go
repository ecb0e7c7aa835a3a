package pgstore

import (
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/store/storetest"
)

// The PostgreSQL backend passes pkg/store's conformance suite, each check
// on a fresh database.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		// A generous lock timeout: the suite's racing goroutines wait for
		// the writer lock in turn.
		s, _ := migrated(t, Options{LockTimeout: time.Minute, MaxConns: 8})
		return s
	})
}

// TestConformanceOfTheBulkPaths runs the suite again with every bulk write
// staged through COPY, every claim looked up id by id and every org key
// resolved in memory: the paths a big import takes, which the suite's
// small records otherwise never reach.
func TestConformanceOfTheBulkPaths(t *testing.T) {
	if raceEnabled {
		// The same suite, over paths that differ in SQL, not in goroutines:
		// TestConformance under -race covers this package's concurrency.
		t.Skip("the bulk paths' conformance runs in the plain pass, not under -race")
	}
	staged, limit, keys := stagedRows, rangeClaimLimit, liveKeysMin
	stagedRows, rangeClaimLimit, liveKeysMin = 0, func(int) int { return 1 }, 1
	t.Cleanup(func() { stagedRows, rangeClaimLimit, liveKeysMin = staged, limit, keys })
	TestConformance(t)
}
