package console

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// countingStore counts write transactions, and fails the one numbered
// *failAt (from 1; 0 for none) after its function ran.
type countingStore struct {
	store.Store
	updates, failAt *int
}

var errInjected = errors.New("injected failure")

func (s countingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	*s.updates++
	if *s.updates == *s.failAt {
		return s.Store.Update(ctx, func(tx store.Tx) error {
			if err := fn(tx); err != nil {
				return err
			}
			return errInjected
		})
	}
	return s.Store.Update(ctx, fn)
}

// rangesConsole is a console over a fresh store with the 12 orgs R01…R12,
// counting its write transactions from here on, and failing the failAt-th.
func rangesConsole(t *testing.T, failAt int) (*Console, *int) {
	t.Helper()
	updates, fails := new(int), new(int)
	c, _ := initialisedConsole(t, filepath.Join(t.TempDir(), "p.db"), func(st *boltstore.Store) store.Store {
		return countingStore{Store: rerunStore{st}, updates: updates, failAt: fails}
	})
	for i := 1; i <= 12; i++ {
		mustCreate(t, c, fmt.Sprintf("Org %02d", i), fmt.Sprintf("R%02d", i))
	}
	*updates, *fails = 0, failAt
	return c, updates
}

// onePassConsole is rangesConsole with feed imported in one pass: what an
// import of it in ranges must end as.
func onePassConsole(t *testing.T, feed string) *Console {
	t.Helper()
	c, _ := rangesConsole(t, 0)
	if _, err := c.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: -1}); err != nil {
		t.Fatal(err)
	}
	return c
}

// rangesFeed is n lines with ids e000001… ascending, from first on, over
// the 12 orgs (by ref, or by id), of every kind, with a blank line now and
// then.
func rangesFeed(rng *rand.Rand, first, n int) string {
	var b strings.Builder
	for i := first; i < first+n; i++ {
		org := fmt.Sprintf("R%02d", 1+rng.IntN(12))
		if rng.IntN(3) == 0 {
			org = fmt.Sprintf("org_%06d", 2+rng.IntN(12)) // the admin org is org_000001
		}
		at := fmt.Sprintf("2026-11-%02dT%02d:00:00Z", 1+rng.IntN(20), rng.IntN(24))
		line := fmt.Sprintf(`{"id":"e%06d","org":%q,"at":%q`, i, org, at)
		switch k := rng.IntN(8); k {
		case 0, 1:
			line += `,"type":"session.started"`
		case 2:
			line += fmt.Sprintf(`,"type":"member.added","email":"u%d@x.example"`, rng.IntN(4))
		case 3:
			line += fmt.Sprintf(`,"type":"member.removed","email":"u%d@x.example"`, rng.IntN(4))
		case 4:
			line += fmt.Sprintf(`,"type":"device.registered","device":"d%d"`, rng.IntN(3))
		case 5:
			line += fmt.Sprintf(`,"type":"device.onboarded","device":"d%d"`, rng.IntN(3))
		case 6:
			line += `,"type":"message.sent"`
		default:
			line += `,"type":"knowledge.added"`
		}
		b.WriteString(line + "}\n")
		if rng.IntN(50) == 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// endState is everything an import changes that the console shows.
func endState(t *testing.T, c *Console) (OrgPage, []UserView) {
	t.Helper()
	page, err := c.ListOrgs(ctx, OrgQuery{})
	if err != nil {
		t.Fatal(err)
	}
	users, err := c.Users(ctx, UserQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return page, users
}

func sameEndState(t *testing.T, what string, a, b *Console) {
	t.Helper()
	pa, ua := endState(t, a)
	pb, ub := endState(t, b)
	if !reflect.DeepEqual(pa, pb) || !reflect.DeepEqual(ua, ub) {
		t.Fatalf("%s: the stores differ:\n%+v\n%+v\nusers %d vs %d", what, pa.Orgs, pb.Orgs, len(ua), len(ub))
	}
}

// An import in org ranges ends as the same import in one pass would: the
// same counters, people and result, one audit entry; a range per three
// orgs, each its own transaction (TxLines is larger than the feed).
func TestImportInOrgRangesEndsAsOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 4))
	earlier := rangesFeed(rng, 1, 100)
	feed := earlier[strings.Index(earlier, `{"id":"e000061"`):] + rangesFeed(rng, 101, 600) // 40 lines imported before
	onePass, _ := rangesConsole(t, 0)
	ranged, updates := rangesConsole(t, 0)
	for _, c := range []*Console{onePass, ranged} {
		if _, err := c.ImportEvents(ctx, strings.NewReader(earlier), EventImportOptions{OrgsPerTx: -1}); err != nil {
			t.Fatal(err)
		}
	}
	*updates = 0
	want, err := onePass.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: -1, BatchSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	var told []string // what InRanges was told
	inRanges := func(orgs int, size int64) { told = append(told, fmt.Sprintf("%d orgs, %d bytes", orgs, size)) }
	got, err := ranged.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: 3, BatchSize: 16, InRanges: inRanges})
	if err != nil {
		t.Fatal(err)
	}
	// The store's 12 customer orgs.
	if want := []string{fmt.Sprintf("12 orgs, %d bytes", len(feed))}; !reflect.DeepEqual(told, want) {
		t.Fatalf("InRanges was told %q, want %q", told, want)
	}
	if !reflect.DeepEqual(got, want) || want.Duplicates != 40 || want.Imported != 600 {
		t.Fatalf("ranged %+v, one pass %+v", got, want)
	}
	if *updates != 4 {
		t.Fatalf("%d write transactions, want one per range of 3 of the 12 orgs: 4", *updates)
	}
	sameEndState(t, "ranged and one pass", ranged, onePass)
	entries, err := ranged.Audit(ctx, AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var imports []string
	for _, e := range entries {
		if e.Action == "events.imported" {
			imports = append(imports, e.Detail)
		}
	}
	if want := []string{"imported 100, duplicates 0, skipped 0", "imported 600, duplicates 40, skipped 0"}; !reflect.DeepEqual(imports, want) {
		t.Fatalf("audit of the imports: %q, want %q", imports, want)
	}
}

// Transactions smaller than a range split it; ranges with no line are
// skipped; a feed of duplicates only is one transaction, for the audit,
// and gets no ranges' pacing (InRanges).
func TestImportInOrgRangesTransactions(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	feed := rangesFeed(rng, 1, 300)
	onePass := onePassConsole(t, feed)
	c, updates := rangesConsole(t, 0)
	res, err := c.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: 2, BatchSize: 5, TxLines: 20})
	if err != nil || res.Imported != 300 {
		t.Fatalf("%+v %v", res, err)
	}
	// 6 ranges of 2 orgs, about 50 lines each: 3 transactions of at most
	// 20 lines (and a batch) each.
	if *updates != 18 {
		t.Fatalf("%d write transactions, want 18: 3 for each of 6 ranges", *updates)
	}
	sameEndState(t, "ranges in transactions of 20 lines", c, onePass)
	*updates = 0
	replayRanged := false
	res, err = c.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: 2, InRanges: func(int, int64) { replayRanged = true }})
	if err != nil || res.Imported != 0 || res.Duplicates != 300 || *updates != 1 || replayRanged {
		t.Fatalf("again: %+v %v, %d write transactions (want 1), InRanges called: %v", res, err, *updates, replayRanged)
	}
	if got := lastImportAudit(t, c); got != "imported 0, duplicates 300, skipped 0" {
		t.Fatalf("the replay's audit entry: %q", got)
	}
	// A store of fewer than four ranges' orgs (12 < 4 × 4) imports in one
	// pass, and InRanges is not called.
	small, updates := rangesConsole(t, 0)
	called := false
	opts := EventImportOptions{OrgsPerTx: 4, InRanges: func(int, int64) { called = true }}
	if _, err := small.ImportEvents(ctx, strings.NewReader(feed), opts); err != nil || *updates != 1 || called {
		t.Fatalf("ranges of 4 of 12 orgs: %v, %d write transactions (want 1: one pass), InRanges called: %v", err, *updates, called)
	}
}

// lastImportAudit is the detail of the newest events.imported entry.
func lastImportAudit(t *testing.T, c *Console) string {
	t.Helper()
	entries, err := c.Audit(ctx, AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	last := ""
	for _, e := range entries {
		if e.Action == "events.imported" {
			last = e.Detail
		}
	}
	return last
}

// Feeds the ranges can't prove equal to one pass import in one pass,
// with its result: ids out of order, a repeated id, invalid lines (an
// unknown org among them) skipped; invalid lines without SkipInvalid are
// refused with the same error.
func TestImportInOrgRangesFallsBackToOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	feed := rangesFeed(rng, 1, 200)
	lines := strings.Split(strings.TrimSuffix(feed, "\n"), "\n")
	swapped := slicesSwap(lines, 10, 11)
	repeated := append(append([]string{}, lines[:50]...), append([]string{lines[20]}, lines[50:]...)...)
	invalid := append(append([]string{}, lines[:30]...), append([]string{`{"id":"e999999","org":"NOPE","type":"session.started","at":"2026-11-02T00:00:00Z"}`}, lines[30:]...)...)
	// An org no store holds, on a line whose id is in order.
	unknown := append(append([]string{}, lines[:30]...), append([]string{`{"id":"e000030a","org":"NOPE","type":"session.started","at":"2026-11-02T00:00:00Z"}`}, lines[30:]...)...)
	for _, tc := range []struct {
		name  string
		lines []string
		skip  bool
	}{{"ids out of order", swapped, false}, {"an id repeated", repeated, false}, {"an invalid line skipped", invalid, true}, {"an invalid line refused", invalid, false}, {"an unknown org skipped", unknown, true}, {"an unknown org refused", unknown, false}} {
		in := strings.Join(tc.lines, "\n") + "\n"
		onePass, _ := rangesConsole(t, 0)
		ranged, updates := rangesConsole(t, 0)
		want, wantErr := onePass.ImportEvents(ctx, strings.NewReader(in), EventImportOptions{OrgsPerTx: -1, SkipInvalid: tc.skip})
		got, gotErr := ranged.ImportEvents(ctx, strings.NewReader(in), EventImportOptions{OrgsPerTx: 2, SkipInvalid: tc.skip})
		if !reflect.DeepEqual(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("%s: ranged %+v %v, one pass %+v %v", tc.name, got, gotErr, want, wantErr)
		}
		if *updates != 1 {
			t.Fatalf("%s: %d write transactions, want 1 (one pass)", tc.name, *updates)
		}
		sameEndState(t, tc.name, ranged, onePass)
	}
}

func slicesSwap(s []string, i, j int) []string {
	out := append([]string{}, s...)
	out[i], out[j] = out[j], out[i]
	return out
}

// A range that fails leaves the ranges before it committed and nothing of
// its own; the import run again ends as one pass would have.
func TestImportInOrgRangesRunAgainAfterAFailure(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	feed := rangesFeed(rng, 1, 400)
	onePass := onePassConsole(t, feed)
	ranged, updates := rangesConsole(t, 3)
	if _, err := ranged.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: 3}); !errors.Is(err, errInjected) {
		t.Fatalf("the third range's transaction failed: %v", err)
	}
	if *updates != 3 {
		t.Fatalf("%d write transactions, want the import to stop at the failed third", *updates)
	}
	res, err := ranged.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: 3})
	if err != nil || res.Imported+res.Duplicates != 400 || res.Duplicates == 0 || res.Imported == 0 {
		t.Fatalf("run again: %+v %v", res, err)
	}
	sameEndState(t, "run again after a failed range", ranged, onePass)
}

// claimingStore claims ids, as another import would, just before the
// first write transaction: between an import's planning read and its
// first range.
type claimingStore struct {
	store.Store
	ids     []string
	claimed *bool
}

func (s claimingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	if !*s.claimed {
		*s.claimed = true
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			return tx.ClaimEvents(ctx, s.ids, make([]bool, len(s.ids)))
		})
		if err != nil {
			return err
		}
	}
	return s.Store.Update(ctx, fn)
}

// Ids another import claims after the plan found them unclaimed are
// duplicates in their range, as they are in one pass: the ranges don't
// look the ids up again before their orgs, but they still claim them.
func TestImportInOrgRangesIDsClaimedAfterThePlan(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2))
	feed := rangesFeed(rng, 1, 300)
	taken := []string{"e000005", "e000150", "e000300"}
	onePass, _ := rangesConsole(t, 0)
	err := onePass.st.Update(ctx, func(tx store.Tx) error {
		return tx.ClaimEvents(ctx, taken, make([]bool, len(taken)))
	})
	if err != nil {
		t.Fatal(err)
	}
	want, err := onePass.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: -1})
	if err != nil || want.Duplicates != 3 {
		t.Fatalf("one pass: %+v %v", want, err)
	}
	claimed := new(bool)
	*claimed = true // not while the store is set up
	ranged, _ := initialisedConsole(t, filepath.Join(t.TempDir(), "p.db"), func(st *boltstore.Store) store.Store {
		return claimingStore{Store: st, ids: taken, claimed: claimed}
	})
	for i := 1; i <= 12; i++ {
		mustCreate(t, ranged, fmt.Sprintf("Org %02d", i), fmt.Sprintf("R%02d", i))
	}
	*claimed = false
	got, err := ranged.ImportEvents(ctx, strings.NewReader(feed), EventImportOptions{OrgsPerTx: 3})
	if err != nil || !*claimed || !reflect.DeepEqual(got, want) {
		t.Fatalf("ranged %+v %v (claimed between: %v), one pass %+v", got, err, *claimed, want)
	}
	sameEndState(t, "ids claimed between the plan and the ranges", ranged, onePass)
}

// orgAskingStore counts the LiveOrgIDs calls of its write transactions.
type orgAskingStore struct {
	store.Store
	asked *int
}

type orgAskingTx struct {
	store.Tx
	asked *int
}

func (s orgAskingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.Update(ctx, func(tx store.Tx) error { return fn(orgAskingTx{tx, s.asked}) })
}

func (t orgAskingTx) LiveOrgIDs(ctx context.Context, keys []string) ([]string, error) {
	*t.asked += len(keys)
	return t.Tx.LiveOrgIDs(ctx, keys)
}

func (t orgAskingTx) Generation() uint64 { return t.Tx.(store.Generations).Generation() }

// The ranges take their orgs from the planning read's answers while the
// store commits nothing but their own transactions; after any other commit
// they ask the store again. Either way they end as one pass does.
func TestImportInOrgRangesReuseThePlansOrgs(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	feed := rangesFeed(rng, 1, 300)
	onePass := onePassConsole(t, feed)
	for _, other := range []bool{false, true} {
		asked := new(int)
		c, _ := initialisedConsole(t, filepath.Join(t.TempDir(), "p.db"), func(st *boltstore.Store) store.Store {
			return orgAskingStore{Store: st, asked: asked}
		})
		for i := 1; i <= 12; i++ {
			mustCreate(t, c, fmt.Sprintf("Org %02d", i), fmt.Sprintf("R%02d", i))
		}
		*asked = 0
		opts := EventImportOptions{OrgsPerTx: 3, BatchSize: 16, TxLines: 64}
		if other {
			opts.InRanges = func(int, int64) {
				// A commit of someone else's between the plan and the ranges.
				if err := c.st.Update(ctx, func(store.Tx) error { return nil }); err != nil {
					t.Fatal(err)
				}
			}
		}
		res, err := c.ImportEvents(ctx, strings.NewReader(feed), opts)
		if err != nil || res.Imported != 300 {
			t.Fatalf("another commit: %v: %+v %v", other, res, err)
		}
		if other != (*asked > 0) {
			t.Errorf("another commit between plan and ranges: %v; the ranges asked the store for %d orgs", other, *asked)
		}
		sameEndState(t, fmt.Sprintf("ranges reusing the plan's orgs (another commit: %v)", other), c, onePass)
	}
}

// stagingCounts counts how a ranged import's write transactions claim ids.
type stagingCounts struct{ staged, merged, claimed int }

type stagingStore struct {
	store.Store
	n *stagingCounts
}

type stagingTx struct {
	store.Tx
	n *stagingCounts
}

func (s stagingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.Update(ctx, func(tx store.Tx) error { return fn(stagingTx{tx, s.n}) })
}

func (t stagingTx) Generation() uint64 { return t.Tx.(store.Generations).Generation() }

func (t stagingTx) StageEvents(ctx context.Context, ids []string) error {
	t.n.staged += len(ids)
	return t.Tx.(store.EventStager).StageEvents(ctx, ids)
}

func (t stagingTx) ClaimStagedEvents(ctx context.Context) error {
	t.n.merged++
	return t.Tx.(store.EventStager).ClaimStagedEvents(ctx)
}

func (t stagingTx) ClaimEvents(ctx context.Context, ids []string, fresh []bool) error {
	t.n.claimed += len(ids)
	return t.Tx.ClaimEvents(ctx, ids, fresh)
}

// The ranges stage their ids, and the last range's last transaction merges
// them, while only the import commits; after another commit they claim
// their ids as one pass does. Either way they end as one pass, and a
// replay finds every id a duplicate.
func TestImportInOrgRangesStageTheirIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	feed := rangesFeed(rng, 1, 300)
	onePass := onePassConsole(t, feed)
	for _, other := range []bool{false, true} {
		n := &stagingCounts{}
		c, _ := initialisedConsole(t, filepath.Join(t.TempDir(), "p.db"), func(st *boltstore.Store) store.Store {
			return stagingStore{Store: st, n: n}
		})
		for i := 1; i <= 12; i++ {
			mustCreate(t, c, fmt.Sprintf("Org %02d", i), fmt.Sprintf("R%02d", i))
		}
		*n = stagingCounts{}
		opts := EventImportOptions{OrgsPerTx: 3, BatchSize: 16, TxLines: 64}
		if other {
			opts.InRanges = func(int, int64) {
				if err := c.st.Update(ctx, func(store.Tx) error { return nil }); err != nil {
					t.Fatal(err)
				}
			}
		}
		res, err := c.ImportEvents(ctx, strings.NewReader(feed), opts)
		if err != nil || res.Imported != 300 {
			t.Fatalf("another commit: %v: %+v %v", other, res, err)
		}
		want := stagingCounts{staged: 300, merged: 1}
		if other {
			want = stagingCounts{claimed: 300}
		}
		if *n != want {
			t.Errorf("another commit between plan and ranges: %v; ids staged, merges, ids claimed: %+v, want %+v", other, *n, want)
		}
		sameEndState(t, fmt.Sprintf("ranges staging their ids (another commit: %v)", other), c, onePass)
		again, err := c.ImportEvents(ctx, strings.NewReader(feed), opts)
		if err != nil || again.Duplicates != 300 || again.Imported != 0 {
			t.Fatalf("replay: %+v %v", again, err)
		}
	}
}
