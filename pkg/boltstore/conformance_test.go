package boltstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/store/storetest"
)

// The bbolt backend passes pkg/store's conformance suite, each check on a
// fresh file.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openFile(t, filepath.Join(t.TempDir(), "p.db"), boltstore.Create)
	}, storetest.OpenCopy(func(t *testing.T, path string) store.Store {
		return openFile(t, path, boltstore.ReadWrite)
	}))
}

func openFile(t *testing.T, path string, mode boltstore.Mode) store.Store {
	t.Helper()
	// A generous lock timeout: the suite's racing goroutines share one
	// handle, so they wait for bbolt's writer lock, never for this.
	s, err := boltstore.Open(boltstore.Options{Path: path, Mode: mode, LockTimeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
