package boltstore

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// putNewOrgs creates n orgs as an import step does.
func putNewOrgs(tx store.Tx, from, n int) error {
	for i := from; i < from+n; i++ {
		seq, err := tx.NextSeq(ctx, "org")
		if err != nil {
			return err
		}
		o := domain.Org{ID: fmt.Sprintf("org_%06d", seq), Seq: seq, Name: fmt.Sprintf("Org %d", i), RefID: fmt.Sprintf("R-%d", i),
			LinkStatus: domain.LinkAccepted, Tenant: domain.Tenant{Shortcode: fmt.Sprintf("C%d", i)}}
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// storeState is what an undone import must leave as it was.
func storeState(t *testing.T, s *Store) string {
	t.Helper()
	var out string
	err := s.View(ctx, func(tx store.Tx) error {
		n, _ := tx.CountOrgs(ctx)
		bt := tx.(*boltTx)
		keys := func(b []byte) int { return bt.b(b).Stats().KeyN }
		out = fmt.Sprintf("count %d seq %x records %d ids %d names %d refs %d codes %d mark %v names: %s", n, bt.b(bucketSeq).Get([]byte("org")),
			keys(bucketOrgs), keys(bucketOrgIDs), keys(bucketOrgNames), keys(bucketOrgRefs), keys(bucketOrgCodes),
			bt.b(bucketMeta).Get(keyStagedOrgs) != nil, namesInOrder(t, tx))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func seededStore(t *testing.T) (*Store, string) {
	s := openTest(t)
	if err := s.Update(ctx, func(tx store.Tx) error { return putNewOrgs(tx, 0, 3) }); err != nil {
		t.Fatal(err)
	}
	return s, storeState(t, s)
}

func TestCreateOrgsStagedCommitsEveryStep(t *testing.T) {
	s, _ := seededStore(t)
	err := s.CreateOrgsStaged(ctx, 3, func(tx store.Tx, step int) error { return putNewOrgs(tx, 100+step*10, 10) })
	if err != nil {
		t.Fatal(err)
	}
	if got := storeState(t, s); !strings.HasPrefix(got, "count 33 seq 0000000000000021 records 33 ids 0 names 33 refs 33 codes 33 mark false") {
		t.Fatalf("after 3 steps: %s", got)
	}
}

// A step that fails undoes the steps committed before it.
func TestCreateOrgsStagedFailedStepUndoesEarlierSteps(t *testing.T) {
	s, before := seededStore(t)
	boom := errors.New("boom")
	err := s.CreateOrgsStaged(ctx, 3, func(tx store.Tx, step int) error {
		if err := putNewOrgs(tx, 100+step*10, 10); err != nil {
			return err
		}
		if step == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if got := storeState(t, s); got != before {
		t.Fatalf("after a failed last step:\n got  %s\n want %s", got, before)
	}
	// and the sequence goes on as if nothing happened
	if err := s.Update(ctx, func(tx store.Tx) error { return putNewOrgs(tx, 7, 1) }); err != nil {
		t.Fatal(err)
	}
	if err := s.View(ctx, func(tx store.Tx) error {
		_, err := tx.Org(ctx, "org_000004")
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// A process that dies between steps leaves the mark; whoever opens the
// store next, reader or writer, finds the store as it was before, and
// doctor (which opens without undoing) says what it found.
func TestCreateOrgsStagedUndoneAtNextOpenAfterACrash(t *testing.T) {
	for _, tc := range []struct {
		mode      Mode
		unchecked bool
	}{{ReadOnly, false}, {ReadWrite, false}, {ReadOnly, true}, {ReadWrite, true}} {
		mode, unchecked := tc.mode, tc.unchecked
		t.Run(fmt.Sprint(mode, unchecked), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.db")
			s, err := Open(Options{Path: path, Mode: Create, LockTimeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Update(ctx, func(tx store.Tx) error { return putNewOrgs(tx, 0, 3) }); err != nil {
				t.Fatal(err)
			}
			before := storeState(t, s)
			// Two steps committed, the third never ran: what the first
			// steps of CreateOrgsStaged leave when the process is killed.
			for step := range 2 {
				err := s.db.Update(func(btx *bolt.Tx) error {
					tx := &boltTx{btx: btx}
					if step == 0 {
						if err := beginStagedOrgs(tx); err != nil {
							return err
						}
					}
					if err := putNewOrgs(tx, 100+step*1000, 1000); err != nil {
						return err
					}
					return tx.flushIndexes()
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			r, err := s.CheckStorage(ctx, nil)
			if err != nil || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "interrupted (its process died) after creating 2000 org(s)") {
				t.Fatalf("doctor before the undo: %v %q", err, r.Problems)
			}
			s.Close()

			// doctor's open (no schema check) undoes it as well
			s, err = Open(Options{Path: path, Mode: mode, LockTimeout: time.Second, NoSchemaCheck: unchecked})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got := storeState(t, s); got != before {
				t.Fatalf("after reopening:\n got  %s\n want %s", got, before)
			}
			if r, err := s.CheckStorage(ctx, nil); err != nil || len(r.Problems) > 0 {
				t.Fatalf("doctor after the undo: %v %q", err, r.Problems)
			}
		})
	}
}
