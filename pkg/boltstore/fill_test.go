package boltstore

import (
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// leafFill is how full the leaf pages of bucket name are: bytes in use over
// bytes allocated.
func leafFill(t *testing.T, s *Store, name []byte) float64 {
	t.Helper()
	var st bolt.BucketStats
	_ = s.db.View(func(btx *bolt.Tx) error {
		st = btx.Bucket(name).Stats()
		return nil
	})
	if st.LeafAlloc == 0 {
		t.Fatalf("bucket %s has no leaf pages", name)
	}
	return float64(st.LeafInuse) / float64(st.LeafAlloc)
}

// An import writes memberships and device states by the thousand in one
// transaction, in key order: bbolt then splits each grown node into pages
// of the bucket's fill, and at its default half, the members and devices
// of a 1M-org store took 308 MB of pages for 147 MB of data.
func TestBulkMembershipsAndDevicesFillTheirPages(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	err := s.Update(ctx, func(tx store.Tx) error {
		var ms []domain.Membership
		states := map[store.DeviceKey]domain.DeviceState{}
		for i := range 20_000 {
			org := fmt.Sprintf("org_%06d", i%2000+1)
			ms = append(ms, domain.Membership{OrgID: org, Email: fmt.Sprintf("user%05d@example.com", i), Role: domain.RoleMember, LoginMethod: "magic_link", JoinedAt: at})
			states[store.DeviceKey{OrgID: org, Device: fmt.Sprintf("dev-%05d", i)}] = domain.DeviceState{State: "registered", At: at}
		}
		if err := tx.PutMemberships(ctx, ms); err != nil {
			return err
		}
		return tx.PutDeviceStates(ctx, states)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{bucketMembers, bucketDevices} {
		if fill := leafFill(t, s, b); fill < 0.8 {
			t.Errorf("bucket %s: leaf pages %.0f%% full, want ≥ 80%%", b, 100*fill)
		}
	}
}

// Org records grow in place as activity arrives. Written at the records'
// fill they keep room for their first counters: written 90% full, every
// page split in two on its orgs' first events.
func TestOrgRecordsKeepRoomForTheirCounters(t *testing.T) {
	s := openTest(t)
	const n = 5000
	orgs := make([]*domain.Org, n)
	err := s.Update(ctx, func(tx store.Tx) error {
		for i := range orgs {
			o := domain.Org{ID: fmt.Sprintf("org_%06d", i+1), Seq: uint64(i + 1), Name: fmt.Sprintf("Acme Bakery %06d", i), RefID: fmt.Sprintf("ACME-%06d", i)}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
			orgs[i] = &o
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fresh := leafFill(t, s, bucketOrgs)
	err = s.Update(ctx, func(tx store.Tx) error {
		for i, o := range orgs {
			o.Messages, o.Subscribers, o.SessionsTotal = 7, 1, 3
			last := time.Date(2026, 11, 20, 9, i%60, 0, 0, time.UTC)
			o.LastActiveAt = &last
			o.SessionDays = []domain.DayCount{{Day: 20_000, Count: 2}, {Day: 20_001, Count: 1}}
		}
		return tx.PutOrgCounters(ctx, orgs)
	})
	if err != nil {
		t.Fatal(err)
	}
	grown := leafFill(t, s, bucketOrgs)
	if fresh > 0.85 || grown < 0.8 {
		t.Errorf("org record pages %.0f%% full when written, %.0f%% after their counters: want ≤ 85%%, then ≥ 80%%", 100*fresh, 100*grown)
	}
}

// Event ids after every stored one are appends and fill their pages; ids
// among the stored runs (an import in ranges) leave room for the runs to
// grow.
func TestEventIDsFillByWhereTheyLand(t *testing.T) {
	s := openTest(t)
	ids := func(from, step, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("evt_%08d", from+i*step))
		}
		return out
	}
	for _, c := range []struct {
		name string
		ids  []string
		want float64
	}{
		{"into an empty bucket", ids(0, 2, 5000), fillSorted},
		{"after every stored id", ids(10_001, 2, 5000), fillSorted},
		{"among the stored runs", ids(1, 2, 5000), bolt.DefaultFillPercent},
	} {
		err := s.Update(ctx, func(tx store.Tx) error {
			bt := tx.(*boltTx)
			if err := bt.markEventsSeen(c.ids); err != nil {
				return err
			}
			if got := bt.b(bucketEventIDs).FillPercent; got != c.want {
				t.Errorf("%s: fill %v, want %v", c.name, got, c.want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
