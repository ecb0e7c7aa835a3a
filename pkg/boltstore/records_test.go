package boltstore

import (
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
