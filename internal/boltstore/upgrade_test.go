package boltstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestWritersAddBucketsThatAnEarlierBuildLacked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := Open(Options{Path: path, Mode: Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// An up-to-date store is not written by a read-write open.
	before, _ := os.ReadFile(path)
	s, err = Open(Options{Path: path, Mode: ReadWrite, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("opening an up-to-date store for writing changed the file")
	}
	// Simulate a store from a build that had no licenses yet.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketLicenses) }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, err = Open(Options{Path: path, Mode: ReadOnly, LockTimeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), `missing its "licenses" bucket: it was made by an earlier partnerctl`) {
		t.Fatalf("read-only open of an older store: %v", err)
	}
	s, err = Open(Options{Path: path, Mode: ReadWrite, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(Options{Path: path, Mode: ReadOnly, LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("after a writer upgraded it: %v", err)
	}
	s.Close()
}
