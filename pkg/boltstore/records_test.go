package boltstore

import (
	"errors"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// A writing transaction skips the lookup of an id outside the ids it has
// seen (idSpan); ids it adds, above or below them, must be found again in
// the same transaction, so a second PutOrg updates the org.
func TestRecordsAddedInATransactionAreFoundInIt(t *testing.T) {
	s := openTest(t)
	org := func(seq uint64, id, name string) domain.Org {
		return domain.Org{ID: id, Seq: seq, Name: name, LinkStatus: domain.LinkAccepted}
	}
	err := s.Update(ctx, func(tx store.Tx) error {
		for _, o := range []domain.Org{org(5, "org_000005", "Five"), org(3, "org_000003", "Three"), org(7, "org_000007", "Seven"),
			org(5, "org_000005", "Five again"), org(3, "org_000003", "Three again"), org(7, "org_000007", "Seven again")} {
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		n, err := tx.CountOrgs(ctx)
		if err != nil || n != 3 {
			t.Errorf("count in the transaction: %d, %v; want 3", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		orgs, err := tx.OrgsByID(ctx, []string{"org_000003", "org_000005", "org_000007"})
		if err != nil {
			return err
		}
		for i, want := range []string{"Three again", "Five again", "Seven again"} {
			if orgs[i].Name != want {
				t.Errorf("org %d: %q, want %q", i, orgs[i].Name, want)
			}
		}
		if n, _ := tx.CountOrgs(ctx); n != 3 {
			t.Errorf("count: %d, want 3", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An org id read as a sequence finds the record under it only when that
// record holds the id: ids made otherwise, and ids that name another
// org's sequence, are looked up in the ids bucket as before.
func TestHintedRecordsAreCheckedNotTrusted(t *testing.T) {
	s := openTest(t)
	org := func(seq uint64, id string) domain.Org {
		return domain.Org{ID: id, Seq: seq, Name: "Org " + id, LinkStatus: domain.LinkAccepted}
	}
	orgs := []domain.Org{
		org(3, "org_000003"),      // made as the console makes ids
		org(5, "imported-5"),      // an id made otherwise
		org(9, "org_000005"),      // names sequence 5, which holds another org
		org(12, "org_12"),         // fewer digits than the console writes
		org(20, "org_0000000020"), // more
	}
	err := s.Update(ctx, func(tx store.Tx) error {
		for _, o := range orgs {
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(tx store.Tx) {
		t.Helper()
		ids := []string{"org_000003", "imported-5", "org_000005", "org_12", "org_0000000020", "org_000009", "org_000004", "org_x"}
		got, err := tx.OrgsByID(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			want := ""
			if i < len(orgs) {
				want = "Org " + id
			}
			if got[i].Name != want || (want != "" && got[i].ID != id) {
				t.Errorf("%s: found %q (%s), want %q", id, got[i].Name, got[i].ID, want)
			}
		}
	}
	if err := s.View(ctx, func(tx store.Tx) error { check(tx); return nil }); err != nil {
		t.Fatal(err)
	}
	rollback := errors.New("roll back")
	if err := s.Update(ctx, func(tx store.Tx) error { check(tx); return rollback }); !errors.Is(err, rollback) {
		t.Fatal(err)
	}
}

func TestOrgRecordIDIsTheIDItHolds(t *testing.T) {
	o := domain.Org{ID: "org_000042", Seq: 42, Name: "Acme", RefID: "ACME-1", Tenant: domain.Tenant{Shortcode: "ACM"}, LinkStatus: domain.LinkAccepted}
	for name, raw := range map[string][]byte{"v2": encodeOrg(nil, &o), "v1": encodeOrgV1(nil, &o)} {
		if id, ok := orgRecordID(raw); !ok || string(id) != o.ID {
			t.Errorf("%s: %q, %v; want %q", name, id, ok, o.ID)
		}
		if _, ok := orgRecordID(raw[:len(raw)/3]); ok {
			t.Errorf("%s: a third of the record gave an id", name)
		}
	}
	if _, ok := orgRecordID([]byte(`{"id":"org_000042"}`)); ok {
		t.Error("a JSON record gave an id")
	}
	for id, want := range map[string]uint64{"org_000042": 42, "org_1": 1, "org_18446744073709551615": 0, "org_": 0, "org_-1": 0, "org_42x": 0, "lnk_000042": 0, "org_1234567890123456789": 1234567890123456789} {
		seq, ok := orgSeqOfID(id)
		if ok != (want != 0) || seq != want {
			t.Errorf("orgSeqOfID(%q) = %d, %v; want %d", id, seq, ok, want)
		}
	}
}
