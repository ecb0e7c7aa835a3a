package boltstore

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "p.db"), Mode: Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func namesInOrder(t *testing.T, tx store.Tx) string {
	var out []string
	if err := tx.ForEachOrg(0, func(o *domain.Org) bool { out = append(out, o.Name); return true }); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, ",")
}

// Index keys are put sorted at the end of the transaction, but every read
// in the same transaction already sees them.
func TestDeferredIndexesAreVisibleInTheirTransaction(t *testing.T) {
	s := openTest(t)
	err := s.Update(func(tx store.Tx) error {
		for i, n := range []string{"gamma", "Alpha", "beta"} {
			o := domain.Org{ID: "org_00000" + string(rune('1'+i)), Seq: uint64(i + 1), Name: n, RefID: "R" + n}
			if err := tx.PutOrg(o); err != nil {
				return err
			}
		}
		if id, err := tx.OrgIDByRef("rbeta"); err != nil || id != "org_000003" {
			t.Fatalf("ref before flush: %q %v", id, err)
		}
		// A rename before the flush leaves no stale key behind.
		o, _ := tx.Org("org_000001")
		o.Name, o.RefID = "delta", "Rdelta"
		if err := tx.PutOrg(o); err != nil {
			return err
		}
		if _, err := tx.OrgIDByRef("Rgamma"); err != store.ErrNotFound {
			t.Fatalf("old ref still found: %v", err)
		}
		if got := namesInOrder(t, tx); got != "Alpha,beta,delta" {
			t.Fatalf("in transaction: %s", got)
		}
		if ids, _ := tx.OrgIDsByName("ALPHA"); len(ids) != 1 || ids[0] != "org_000002" {
			t.Fatalf("by name: %v", ids)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx store.Tx) error {
		n, _ := tx.CountOrgs()
		if got := namesInOrder(t, tx); got != "Alpha,beta,delta" || n != 3 {
			t.Fatalf("after commit: %s (%d)", got, n)
		}
		var scanned []string
		tx.ScanOrgs(func(name, ref []byte) bool { return strings.Contains(string(name), "l") },
			func(o *domain.Org) bool { scanned = append(scanned, o.Name); return true })
		if strings.Join(scanned, ",") != "delta,Alpha" { // storage (id) order
			t.Fatalf("scan: %v", scanned)
		}
		return nil
	})
}

func TestDeviceStateRoundTrip(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 11, 20, 10, 0, 0, 5, time.UTC)
	s.Update(func(tx store.Tx) error {
		if _, err := tx.DeviceState("o", "d"); err != store.ErrNotFound {
			t.Fatalf("unknown device: %v", err)
		}
		tx.PutDeviceState("o", "d", domain.DeviceState{State: "onboarded", At: at})
		return nil
	})
	s.View(func(tx store.Tx) error {
		got, err := tx.DeviceState("o", "d")
		if err != nil || got.State != "onboarded" || !got.At.Equal(at) {
			t.Fatalf("got %+v %v", got, err)
		}
		return nil
	})
}
