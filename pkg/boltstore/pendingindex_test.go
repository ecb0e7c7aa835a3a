package boltstore

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// drain hands each bucket's keys sorted, each once, with the id given last.
func TestPendingIndexDrainsSortedLastWins(t *testing.T) {
	var p pendingIndex
	p.add(bucketOrgRefs, []byte("b"), "org_1")
	p.add(bucketOrgNames, []byte("z\x00"), "org_9")
	p.add(bucketOrgRefs, []byte("a"), "org_2")
	p.add(bucketOrgRefs, []byte("b"), "org_3")
	p.add(bucketOrgRefs, []byte("c"), "org_4")
	got := map[string]string{}
	err := p.drain(func(bucket []byte, keys []pendingKey) error {
		var s []string
		for _, k := range keys {
			s = append(s, string(k.key)+"="+k.id)
		}
		got[string(bucket)] = strings.Join(s, ",")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{string(bucketOrgRefs): "a=org_2,b=org_3,c=org_4", string(bucketOrgNames): "z\x00=org_9"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("drained %q, want %q", got, want)
	}
	if !p.empty() {
		t.Fatal("keys left after drain")
	}
}

// A ref or shortcode PutOrg just indexed is found, and one it just
// replaced is not, however many orgs came before in the same transaction.
func TestPendingIndexReadsAndRenamesInOneTransaction(t *testing.T) {
	s := openTest(t)
	err := s.Update(ctx, func(tx store.Tx) error {
		for i := 1; i <= 3000; i++ {
			o := domain.Org{ID: fmt.Sprintf("org_%06d", i), Seq: uint64(i), Name: fmt.Sprintf("N%d", 3001-i),
				RefID: fmt.Sprintf("R%d", i), Tenant: domain.Tenant{Shortcode: fmt.Sprintf("C%d", i)}}
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
			if i%1000 != 0 {
				continue
			}
			if id, err := tx.OrgIDByRef(ctx, fmt.Sprintf("r%d", i)); err != nil || id != o.ID {
				t.Fatalf("ref of %s: %q %v", o.ID, id, err)
			}
			o.RefID, o.Tenant.Shortcode = fmt.Sprintf("X%d", i), fmt.Sprintf("D%d", i)
			if err := tx.PutOrg(ctx, o); err != nil {
				return err
			}
			if _, err := tx.OrgIDByRef(ctx, fmt.Sprintf("R%d", i)); err != store.ErrNotFound {
				t.Fatalf("replaced ref of %s still found: %v", o.ID, err)
			}
			if id, err := tx.OrgIDByShortcode(ctx, fmt.Sprintf("D%d", i)); err != nil || id != o.ID {
				t.Fatalf("shortcode of %s: %q %v", o.ID, id, err)
			}
			if _, err := tx.OrgIDByShortcode(ctx, fmt.Sprintf("C%d", i)); err != store.ErrNotFound {
				t.Fatalf("replaced shortcode of %s still found: %v", o.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		refs, codes, names := 0, 0, 0
		tx.(*boltTx).b(bucketOrgRefs).ForEach(func(k, v []byte) error { refs++; return nil })
		tx.(*boltTx).b(bucketOrgCodes).ForEach(func(k, v []byte) error { codes++; return nil })
		tx.(*boltTx).b(bucketOrgNames).ForEach(func(k, v []byte) error { names++; return nil })
		if refs != 3000 || codes != 3000 || names != 3000 {
			t.Fatalf("index keys: %d refs, %d shortcodes, %d names, want 3000 each", refs, codes, names)
		}
		if id, err := tx.OrgIDByRef(ctx, "x2000"); err != nil || id != "org_002000" {
			t.Fatalf("renamed ref after commit: %q %v", id, err)
		}
		if got := namesInOrder(t, tx); !strings.HasPrefix(got, "N1,N10,N100,N1000,N1001,") {
			t.Fatalf("name order: %.40s", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkPutNewOrgs puts 100,000 new orgs (name, ref, shortcode) in one
// transaction, as `orgs import` does, and commits; reports ns/org.
func BenchmarkPutNewOrgs(b *testing.B) {
	const n = 100_000
	orgs := make([]domain.Org, n)
	for i := range orgs {
		seq := uint64(i + 2)
		orgs[i] = domain.Org{ID: fmt.Sprintf("org_%06d", seq), Seq: seq, Name: fmt.Sprintf("Org %d", (i*7919)%n),
			RefID: fmt.Sprintf("REF-%07d", i), LinkStatus: domain.LinkAccepted, Tenant: domain.Tenant{Shortcode: fmt.Sprintf("C%07d", i)}}
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := openTestB(b)
		b.StartTimer()
		err := s.Update(ctx, func(tx store.Tx) error {
			for i := range orgs {
				if err := tx.PutOrg(ctx, orgs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/org")
}

func openTestB(b *testing.B) *Store {
	b.Helper()
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "p.db"), Mode: Create, LockTimeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Publish(); err != nil {
		b.Fatal(err)
	}
	return s
}
