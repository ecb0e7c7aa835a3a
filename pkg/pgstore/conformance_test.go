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
