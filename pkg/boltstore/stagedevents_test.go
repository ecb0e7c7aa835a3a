package boltstore

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/store"
)

// stagedState is how many staged sets there are, how many ids they hold
// and how many event_ids holds.
func stagedState(t *testing.T, s *Store) (sets, staged, claimed int) {
	t.Helper()
	err := s.View(ctx, func(tx store.Tx) error {
		btx := tx.(*boltTx)
		_, all, err := btx.stagedSets()
		if err != nil {
			return err
		}
		if staged, err = countStagedEventIDs(btx.b(bucketEventIDsStaged)); err != nil {
			return err
		}
		claimed, err = countEventIDs(btx.b(bucketEventIDs))
		sets = len(all)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return sets, staged, claimed
}

func evtIDs(from, to, step int) []string {
	var ids []string
	for i := from; i <= to; i += step {
		ids = append(ids, fmt.Sprintf("evt_%08d", i))
	}
	return ids
}

func stage(t *testing.T, s *Store, ids []string) {
	t.Helper()
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.(store.EventStager).StageEvents(ctx, ids) }); err != nil {
		t.Fatal(err)
	}
}

// Staged ids are claimed ids: looked up, claimed again (not fresh) and
// counted as such; the next ClaimEvents merges them with its own into
// event_ids in one pass and drops the sets. Three ranges' interleaved ids
// here, the last range's merged with them.
func TestStagedEventsAreClaimed(t *testing.T) {
	s := openTest(t)
	stage(t, s, evtIDs(1, 90, 3)) // 1, 4, …, 88
	stage(t, s, evtIDs(2, 90, 3)) // 2, 5, …, 89
	if sets, staged, claimed := stagedState(t, s); sets != 2 || staged != 60 || claimed != 0 {
		t.Fatalf("%d sets of %d ids, %d in event_ids; want 2 of 60, 0", sets, staged, claimed)
	}
	probe := []string{"evt_00000001", "evt_00000002", "evt_00000003", "evt_00000089", "evt_00000090", "evt_00000999"}
	err := s.View(ctx, func(tx store.Tx) error {
		claimed := make([]bool, len(probe))
		if err := tx.EventsClaimed(ctx, probe, claimed); err != nil {
			return err
		}
		if want := []bool{true, true, false, true, false, false}; !slices.Equal(claimed, want) {
			t.Errorf("EventsClaimed(%v) = %v, want %v", probe, claimed, want)
		}
		if m, err := tx.(*boltTx).maxClaimedID(true); m != "evt_00000089" || err != nil {
			t.Errorf("greatest claimed id %q (%v), want the staged evt_00000089", m, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The last range: its own ids (3, 6, …, 90) and two staged again.
	last := append(evtIDs(3, 90, 3), "evt_00000004", "evt_00000089")
	fresh := make([]bool, len(last))
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.ClaimEvents(ctx, last, fresh) }); err != nil {
		t.Fatal(err)
	}
	for i, id := range last {
		if want := i < 30; fresh[i] != want {
			t.Errorf("ClaimEvents: %s fresh %v, want %v", id, fresh[i], want)
		}
	}
	if sets, staged, claimed := stagedState(t, s); sets != 0 || staged != 0 || claimed != 90 {
		t.Fatalf("after ClaimEvents: %d sets of %d ids, %d in event_ids; want 0, 0, 90", sets, staged, claimed)
	}
	// One pass wrote the runs in order, full: 90 ids fit one run.
	err = s.View(ctx, func(tx store.Tx) error {
		if n := tx.(*boltTx).b(bucketEventIDs).Stats().KeyN; n != 1 {
			t.Errorf("%d runs, want 1", n)
		}
		got := seenOf(t, tx, evtIDs(0, 91, 1))
		if len(got) != 90 || got["evt_00000000"] || got["evt_00000091"] {
			t.Errorf("after the merge %d ids found, want evt_00000001…90", len(got))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A staged id must be new to event_ids; a range's later batches, which
// follow its first, extend its set; doctor counts staged ids with the rest.
func TestStageEventsChecksAndExtends(t *testing.T) {
	s := openTest(t)
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.ClaimEvents(ctx, evtIDs(1, 10, 1), make([]bool, 10)) }); err != nil {
		t.Fatal(err)
	}
	err := s.Update(ctx, func(tx store.Tx) error {
		return tx.(store.EventStager).StageEvents(ctx, []string{"evt_00000050", "evt_00000007"})
	})
	if err == nil || !strings.Contains(err.Error(), `"evt_00000007" was claimed before`) {
		t.Fatalf("staging a claimed id: %v", err)
	}
	stage(t, s, evtIDs(20, 29, 1))
	stage(t, s, evtIDs(30, 39, 1)) // follows: the same set
	stage(t, s, evtIDs(15, 19, 1)) // before it: a set of its own
	if sets, staged, claimed := stagedState(t, s); sets != 2 || staged != 25 || claimed != 10 {
		t.Fatalf("%d sets of %d ids, %d in event_ids; want 2 of 25, 10", sets, staged, claimed)
	}
	r, err := s.CheckStorage(ctx, nil)
	if err != nil || len(r.Problems) != 0 || r.Events != 35 {
		t.Fatalf("doctor: %d events, problems %q, %v; want 35", r.Events, r.Problems, err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.(store.EventStager).ClaimStagedEvents(ctx) }); err != nil {
		t.Fatal(err)
	}
	if sets, staged, claimed := stagedState(t, s); sets != 0 || staged != 0 || claimed != 35 {
		t.Fatalf("after ClaimStagedEvents: %d sets of %d ids, %d in event_ids; want 0, 0, 35", sets, staged, claimed)
	}
}

// The merge claims mergeChunk ids at a time: sets larger than that, and an
// id claimed again right at a chunk's edge, come out the same.
func TestStagedEventsMergeInChunks(t *testing.T) {
	s := openTest(t)
	n := mergeChunk + mergeChunk/2
	stage(t, s, evtIDs(0, 2*n, 2))   // even
	stage(t, s, evtIDs(1, 2*n-1, 4)) // 1, 5, 9, …
	// The last range: 3, 7, 11, …, and the ids around the first chunk's
	// end again (the merge's 65,536th id is evt_…, whichever it is).
	last := evtIDs(3, 2*n-1, 4)
	again := []string{"evt_00000000", fmt.Sprintf("evt_%08d", 2*n)}
	for i := mergeChunk - 3; i <= mergeChunk+3; i++ {
		if i%4 != 3 {
			again = append(again, fmt.Sprintf("evt_%08d", i))
		}
	}
	ids := append(slices.Clone(last), again...)
	fresh := make([]bool, len(ids))
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.ClaimEvents(ctx, ids, fresh) }); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if want := i < len(last); fresh[i] != want {
			t.Fatalf("%s fresh %v, want %v", id, fresh[i], want)
		}
	}
	if sets, staged, claimed := stagedState(t, s); sets != 0 || staged != 0 || claimed != 2*n+1 {
		t.Fatalf("after the merge: %d sets of %d ids, %d in event_ids; want 0, 0, %d", sets, staged, claimed, 2*n+1)
	}
	err := s.View(ctx, func(tx store.Tx) error {
		if got := seenOf(t, tx, evtIDs(0, 2*n+1, 1)); len(got) != 2*n+1 {
			t.Errorf("%d of evt_00000000…%d found, want all", len(got), 2*n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
