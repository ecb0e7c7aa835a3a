package boltstore

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func reportState(orgs int, at time.Time) domain.ReportState {
	s := domain.ReportState{At: at, Fields: []string{"status"},
		Licenses: []domain.ReportLicense{{ID: "lic_000001", End: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), Expired: true}}}
	for i := range orgs {
		s.Orgs = append(s.Orgs, domain.ReportOrg{ID: fmt.Sprintf("org_%06d", i+2), Values: []string{[]string{"new", "healthy"}[(i+at.Day())%2]}})
	}
	return s
}

// Each run replaces the state: bbolt reuses the pages of the one before,
// so the file stops growing after the first runs.
func TestReportStateDoesNotGrowTheFile(t *testing.T) {
	s := openTest(t)
	size := func() int64 {
		fi, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	put := func(day int) {
		st := reportState(20_000, time.Date(2026, 11, day, 12, 0, 0, 0, time.UTC))
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutReportState(ctx, "default", st) }); err != nil {
			t.Fatal(err)
		}
	}
	for day := 1; day <= 3; day++ {
		put(day)
	}
	after3 := size()
	for day := 4; day <= 30; day++ {
		put(day)
	}
	if after30 := size(); after30 != after3 {
		t.Errorf("file grew from %d bytes after 3 runs to %d after 30", after3, after30)
	}
}

// A store made before reports existed gains their bucket when opened.
func TestReportsBucketIsAddedToAnOlderStore(t *testing.T) {
	s := openTest(t)
	path := s.Path()
	if err := s.DB().Update(func(btx *bolt.Tx) error { return btx.DeleteBucket(bucketReports) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, mode := range []Mode{ReadOnly, ReadWrite} {
		s, err := Open(Options{Path: path, Mode: mode, LockTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = s.View(ctx, func(tx store.Tx) error {
			_, err := tx.ReportState(ctx, "default")
			return err
		})
		s.Close()
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("mode %d: %v", mode, err)
		}
	}
}

// doctor names a report state that does not decode.
func TestDoctorFindsADamagedReportState(t *testing.T) {
	s := openTest(t)
	if err := s.DB().Update(func(btx *bolt.Tx) error { return btx.Bucket(bucketReports).Put([]byte("daily"), []byte{1, 0, 9}) }); err != nil {
		t.Fatal(err)
	}
	err := s.View(ctx, func(tx store.Tx) error {
		_, err := tx.ReportState(ctx, "daily")
		return err
	})
	if err == nil {
		t.Error("a damaged state decoded")
	}
	rep, err := s.CheckStorage(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range rep.Problems {
		found = found || p == `report "daily": corrupt report state: count 9 exceeds the data`
	}
	if !found {
		t.Errorf("problems: %q", rep.Problems)
	}
}
