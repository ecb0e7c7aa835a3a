package boltstore

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func membersOf(t *testing.T, tx store.Tx, orgID string) string {
	t.Helper()
	var out []string
	if err := tx.ForEachMembership(orgID, func(m domain.Membership) bool { out = append(out, m.Email); return true }); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(out)
}

// Member and device writes are buffered until the transaction ends, but
// every read in the same transaction already sees them, and they commit
// (or roll back) with it.
func TestBufferedWritesAreVisibleInTheirTransaction(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	err := s.Update(func(tx store.Tx) error {
		for _, e := range []string{"c@x.example", "a@x.example", "b@x.example"} {
			if err := tx.PutMembership(domain.Membership{OrgID: "org_000002", Email: e, Role: domain.RoleMember}); err != nil {
				return err
			}
		}
		if err := tx.DeleteMembership("org_000002", "b@x.example"); err != nil {
			return err
		}
		if _, err := tx.Membership("org_000002", "b@x.example"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted membership: %v", err)
		}
		if m, err := tx.Membership("org_000002", "c@x.example"); err != nil || m.Email != "c@x.example" {
			t.Errorf("buffered membership: %+v, %v", m, err)
		}
		if got := membersOf(t, tx, "org_000002"); got != "[a@x.example c@x.example]" {
			t.Errorf("ForEachMembership in the transaction = %s", got)
		}
		// After the flush that iteration did, buffering goes on.
		if err := tx.PutMembership(domain.Membership{OrgID: "org_000002", Email: "d@x.example", Role: domain.RoleMember}); err != nil {
			return err
		}
		if err := tx.PutDeviceState("org_000002", "d1", domain.DeviceState{State: "onboarded", At: at}); err != nil {
			return err
		}
		if d, err := tx.DeviceState("org_000002", "d1"); err != nil || d.State != "onboarded" || !d.At.Equal(at) {
			t.Errorf("buffered device state: %+v, %v", d, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx store.Tx) error {
		if got := membersOf(t, tx, "org_000002"); got != "[a@x.example c@x.example d@x.example]" {
			t.Errorf("committed memberships = %s", got)
		}
		if d, err := tx.DeviceState("org_000002", "d1"); err != nil || d.State != "onboarded" {
			t.Errorf("committed device state: %+v, %v", d, err)
		}
		return nil
	})
	// A failed transaction leaves nothing of its buffered writes.
	boom := errors.New("boom")
	err = s.Update(func(tx store.Tx) error {
		_ = tx.PutMembership(domain.Membership{OrgID: "org_000002", Email: "e@x.example", Role: domain.RoleMember})
		_ = tx.DeleteMembership("org_000002", "a@x.example")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	_ = s.View(func(tx store.Tx) error {
		if got := membersOf(t, tx, "org_000002"); got != "[a@x.example c@x.example d@x.example]" {
			t.Errorf("after a rolled-back transaction = %s", got)
		}
		return nil
	})
}
