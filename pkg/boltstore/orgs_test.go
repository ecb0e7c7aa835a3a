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
	if err := s.Publish(); err != nil {
		t.Fatal(err)
	}
	return s
}

func namesInOrder(t *testing.T, tx store.Tx) string {
	var out []string
	for o, err := range tx.Orgs(ctx, store.OrgQuery{Order: store.OrderName}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, o.Name)
	}
	return strings.Join(out, ",")
}

// Index keys are put sorted at the end of the transaction, but every read
// in the same transaction already sees them.
func TestDeferredIndexesAreVisibleInTheirTransaction(t *testing.T) {
	s := openTest(t)
	err := s.Update(ctx, func(tx store.Tx) error {
		for i, n := range []string{"gamma", "Alpha", "beta"} {
			o := domain.Org{ID: "org_00000" + string(rune('1'+i)), Seq: uint64(i + 1), Name: n, RefID: "R" + n}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		if id, err := tx.OrgIDByRef(ctx, "rbeta"); err != nil || id != "org_000003" {
			t.Fatalf("ref before flush: %q %v", id, err)
		}
		// A rename before the flush leaves no stale key behind.
		o, _ := tx.Org(ctx, "org_000001")
		o.Name, o.RefID = "delta", "Rdelta"
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
		if _, err := tx.OrgIDByRef(ctx, "Rgamma"); err != store.ErrNotFound {
			t.Fatalf("old ref still found: %v", err)
		}
		if got := namesInOrder(t, tx); got != "Alpha,beta,delta" {
			t.Fatalf("in transaction: %s", got)
		}
		if ids, _ := tx.OrgIDsByName(ctx, "ALPHA"); len(ids) != 1 || ids[0] != "org_000002" {
			t.Fatalf("by name: %v", ids)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx store.Tx) error {
		n, _ := tx.CountOrgs(ctx)
		if got := namesInOrder(t, tx); got != "Alpha,beta,delta" || n != 3 {
			t.Fatalf("after commit: %s (%d)", got, n)
		}
		var scanned []string
		for o, err := range tx.Orgs(ctx, store.OrgQuery{Search: "L"}) {
			if err != nil {
				t.Fatal(err)
			}
			scanned = append(scanned, o.Name)
		}
		if strings.Join(scanned, ",") != "delta,Alpha" { // storage (sequence) order
			t.Fatalf("scan: %v", scanned)
		}
		return nil
	})
}

func TestDeviceStateRoundTrip(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 11, 20, 10, 0, 0, 5, time.UTC)
	s.Update(ctx, func(tx store.Tx) error {
		key := store.DeviceKey{OrgID: "o", Device: "d"}
		if got, err := tx.DeviceStates(ctx, []store.DeviceKey{key}); err != nil || len(got) != 0 {
			t.Fatalf("unknown device: %v %v", got, err)
		}
		return tx.PutDeviceStates(ctx, map[store.DeviceKey]domain.DeviceState{key: {State: "onboarded", At: at}})
	})
	s.View(ctx, func(tx store.Tx) error {
		key := store.DeviceKey{OrgID: "o", Device: "d"}
		got, err := tx.DeviceStates(ctx, []store.DeviceKey{key})
		if err != nil || got[key].State != "onboarded" || !got[key].At.Equal(at) {
			t.Fatalf("got %+v %v", got, err)
		}
		return nil
	})
}
