package boltstore

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// BenchmarkDayFeedOrgs is a day's feed's store calls for its orgs, at a
// tenth of the bench's scale: 10,000 of 100,000 orgs named by ref in no
// order, resolved (LiveOrgIDs), read (OrgsByID) and their counters put back
// (PutOrgCounters), in one write transaction that is rolled back.
func BenchmarkDayFeedOrgs(b *testing.B) {
	const n, touched = 100_000, 10_000
	s := openTestB(b)
	defer s.Close()
	err := s.Update(ctx, func(tx store.Tx) error {
		for i := range n {
			seq := uint64(i + 2)
			o := domain.Org{ID: fmt.Sprintf("org_%06d", seq), Seq: seq, Name: fmt.Sprintf("Org %d", i),
				RefID: fmt.Sprintf("REF-%07d", (i*7919)%n), LinkStatus: domain.LinkAccepted}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	refs := make([]string, touched)
	for i := range refs {
		refs[i] = fmt.Sprintf("REF-%07d", rng.IntN(n))
	}
	rollback := fmt.Errorf("roll back")
	b.ReportAllocs()
	for b.Loop() {
		err := s.Update(ctx, func(tx store.Tx) error {
			ids, err := tx.LiveOrgIDs(ctx, refs)
			if err != nil {
				return err
			}
			orgs, err := tx.OrgsByID(ctx, ids)
			if err != nil {
				return err
			}
			ptrs := make([]*domain.Org, len(orgs))
			for i := range orgs {
				orgs[i].Users++
				ptrs[i] = &orgs[i]
			}
			if err := tx.PutOrgCounters(ctx, ptrs); err != nil {
				return err
			}
			return rollback
		})
		if err != rollback {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*touched), "ns/org")
}
