package console

import (
	"errors"
	"fmt"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"io"
	"math/rand/v2"
	"path/filepath"

	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// feed is a deterministic event feed over orgs org_000002.. (refs R0001..),
// naming each org by id or by ref, with repeats of earlier ids.
func feed(n, orgs int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 1))
	types := []string{"session.started", "session.started", "knowledge.added", "knowledge.removed",
		"integration.connected", "message.sent", "contact.created", "ai.instructions.updated",
		"member.added", "member.removed", "device.registered", "device.onboarded", "device.removed"}
	var lines []string
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("e%d", rng.IntN(n)) // about a third repeat
		o := 1 + rng.IntN(orgs)
		org := fmt.Sprintf("R%04d", o)
		if rng.IntN(2) == 0 {
			org = fmt.Sprintf("org_%06d", o+1)
		}
		typ := types[rng.IntN(len(types))]
		at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(50*24)) * time.Hour).Format(time.RFC3339)
		extra := ""
		switch {
		case strings.HasPrefix(typ, "member."):
			extra = fmt.Sprintf(`,"email":"u%d@x.example"`, rng.IntN(3))
		case strings.HasPrefix(typ, "device."):
			extra = fmt.Sprintf(`,"device":"d%d"`, rng.IntN(2))
		}
		lines = append(lines, fmt.Sprintf(`{"id":%q,"org":%q,"type":%q,"at":%q%s}`, id, org, typ, at, extra))
	}
	return lines
}

func consoleWithOrgs(t testing.TB, n int) *Console {
	t.Helper()
	st, err := boltstore.Open(boltstore.Options{Path: filepath.Join(t.TempDir(), "p.db"), Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := New(st, Options{Clock: clock.Fixed(testNow)})
	if _, err := c.Init(ctx, InitParams{PartnerName: "Acme Partners", SupportEmail: "help@acme.example", AdminOrgName: "Acme HQ", AdminEmail: testAdmin}); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&csv, "Org %d %s,R%04d\n", i, []string{"Acme", "Globex", "Initech", "Umbrella"}[i%4], i)
	}
	if _, err := c.ImportOrgs(ctx, strings.NewReader(csv.String())); err != nil {
		t.Fatal(err)
	}
	return c
}

func listAll(t *testing.T, c *Console) string {
	t.Helper()
	p, err := c.ListOrgs(ctx, OrgQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, o := range p.Orgs {
		fmt.Fprintf(&b, "%s %+v %d %v\n", o.ID, o.Devices, o.Sessions30d,
			[]any{o.Users, o.DataSources, o.AITrained, o.Integrations, o.SessionsTotal, o.LastActiveAt, o.Messages, o.Subscribers, o.SessionDays})
	}
	return b.String()
}

// Batching must not change any result: a feed with repeats inside and
// across batches, with orgs named by id and by ref, gives the same counters
// and summary in batches of 7 as in one batch; and an import interrupted
// after some batches (here: run on a prefix) then re-run whole gives the
// same counters again, never double counted.
func TestEventBatchesDoNotChangeResults(t *testing.T) {
	lines := feed(3000, 40, 7)
	input := strings.Join(lines, "\n") + "\n"
	one := consoleWithOrgs(t, 40)
	resOne, err := one.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{BatchSize: len(lines) + 1})
	if err != nil {
		t.Fatal(err)
	}
	small := consoleWithOrgs(t, 40)
	resSmall, err := small.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	if resOne.Imported != resSmall.Imported || resOne.Duplicates != resSmall.Duplicates || resOne.Imported+resOne.Duplicates != 3000 || resOne.Duplicates < 500 {
		t.Fatalf("one batch %+v, batches of 7 %+v", resOne, resSmall)
	}
	want := listAll(t, one)
	if got := listAll(t, small); got != want {
		t.Fatalf("batches of 7 differ:\n%s\nwant\n%s", got, want)
	}
	// Many transactions: the input is checked to its end before the first
	// commits, the rest is read again from a spool, and a reader that can't
	// seek (stdin) is no different.
	for _, skip := range []bool{false, true} {
		many := consoleWithOrgs(t, 40)
		res, err := many.ImportEvents(ctx, struct{ io.Reader }{strings.NewReader(input)}, EventImportOptions{BatchSize: 7, TxLines: 50, SkipInvalid: skip})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != resOne.Imported || res.Duplicates != resOne.Duplicates || res.Lines != 3000 || res.Skipped != 0 {
			t.Fatalf("transactions of 50 lines (skip invalid %v): %+v, want %+v", skip, res, resOne)
		}
		if got := listAll(t, many); got != want {
			t.Fatalf("transactions of 50 lines (skip invalid %v) differ:\n%s\nwant\n%s", skip, got, want)
		}
	}
	rerun := consoleWithOrgs(t, 40)
	prefix := strings.Join(lines[:1234], "\n") + "\n"
	if _, err := rerun.ImportEvents(ctx, strings.NewReader(prefix), EventImportOptions{BatchSize: 100}); err != nil {
		t.Fatal(err)
	}
	res, err := rerun.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, rerun); got != want {
		t.Fatalf("interrupted then re-run differs:\n%s\nwant\n%s", got, want)
	}
	if res.Imported+res.Duplicates != 3000 || res.Imported >= resOne.Imported {
		t.Fatalf("re-run %+v", res)
	}
}

// An invalid line anywhere refuses the whole input, even when the valid
// lines before it fill several transactions; with --skip-invalid the same
// input imports everything else, and the line numbers are the file's.
func TestInvalidLineAfterManyTransactionsImportsNothing(t *testing.T) {
	lines := feed(500, 10, 3)
	lines = append(lines[:480], append([]string{`{"id":"bad","org":"R0001","type":"nope","at":"2026-10-01T00:00:00Z"}`, ""}, lines[480:]...)...)
	input := strings.Join(lines, "\n") + "\n"
	c := consoleWithOrgs(t, 10)
	before := listAll(t, c)
	_, err := c.ImportEvents(ctx, struct{ io.Reader }{strings.NewReader(input)}, EventImportOptions{BatchSize: 7, TxLines: 50})
	var bad *fail.InputError
	if !errors.As(err, &bad) || bad.Count != 1 || fmt.Sprint(bad.Lines) != `[line 481: unknown type "nope"]` {
		t.Fatalf("err = %v", err)
	}
	if got := listAll(t, c); got != before {
		t.Fatalf("a refused import changed the orgs:\n%s", got)
	}
	if n := importedIDs(t, c); n != 0 {
		t.Fatalf("a refused import recorded %d event ids", n)
	}
	res, err := c.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{BatchSize: 7, TxLines: 50, SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 502 || res.Skipped != 1 || res.Imported+res.Duplicates != 500 || fmt.Sprint(res.Invalid) != `[line 481: unknown type "nope"]` {
		t.Fatalf("skip invalid: %+v", res)
	}
}

// importedIDs counts the event ids recorded as imported.
func importedIDs(t *testing.T, c *Console) int {
	t.Helper()
	var ids []string
	for i := range 1000 {
		ids = append(ids, fmt.Sprintf("e%d", i))
	}
	fresh := make([]bool, len(ids))
	// Claiming is the only way to ask; the rollback forgets the claims.
	rollback := errors.New("rollback")
	if err := c.st.Update(ctx, func(tx store.Tx) error {
		if err := tx.ClaimEvents(ctx, ids, fresh); err != nil {
			return err
		}
		return rollback
	}); err != rollback {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fresh {
		if !f {
			n++
		}
	}
	return n
}

func TestSearchFoldsCaseBeyondASCII(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Bäckerei Müller", "ÄB-1")
	mustCreate(t, c, "ACME Corp", "acme-2")
	for search, want := range map[string]string{"BÄCK": "Bäckerei Müller", "äb-": "Bäckerei Müller", "cme": "ACME Corp", "ME-2": "ACME Corp", "x": ""} {
		p, err := c.ListOrgs(ctx, OrgQuery{Search: search})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(p); got != want {
			t.Errorf("search %q = %q, want %q", search, got, want)
		}
	}
}

// BenchmarkImportEvents imports 20,000 new events (a third of them repeats)
// over 2,000 orgs per iteration, in one batch: parse, resolve, dedupe,
// apply, commit.
func BenchmarkImportEvents(b *testing.B) {
	c := consoleWithOrgs(b, 2000)
	base := feed(20000, 2000, 3)
	n := 0
	for b.Loop() {
		n++
		input := strings.ReplaceAll(strings.Join(base, "\n"), `"id":"e`, fmt.Sprintf(`"id":"i%d-`, n))
		if _, err := c.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*len(base)), "ns/event")
}

// BenchmarkImportEventsInRanges imports 20,000 new events over 2,000 orgs
// per iteration, their ids ascending as a feed numbered in time has them:
// in one pass, and in 8 org ranges (Options.OrgsPerTx 250: the planning
// read, the split into spools, a transaction per range). Reports ns/event.
func BenchmarkImportEventsInRanges(b *testing.B) {
	for _, tc := range []struct {
		name  string
		perTx int
	}{{"one-pass", -1}, {"ranges-of-250-orgs", 250}} {
		b.Run(tc.name, func(b *testing.B) {
			c := consoleWithOrgs(b, 2000)
			base := feed(20000, 2000, 3)
			n := 0
			for b.Loop() {
				n++
				var in strings.Builder
				for i, l := range base {
					fmt.Fprintf(&in, `{"id":"r%03d-%08d%s`+"\n", n, i, l[strings.Index(l, `","org"`):])
				}
				res, err := c.ImportEvents(ctx, strings.NewReader(in.String()), EventImportOptions{OrgsPerTx: tc.perTx})
				if err != nil || res.Imported != len(base) {
					b.Fatal(res, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*len(base)), "ns/event")
		})
	}
}

// BenchmarkImportEventsReplay imports a feed every event of which was
// imported before: the ids are looked up, the orgs never are.
func BenchmarkImportEventsReplay(b *testing.B) {
	c := consoleWithOrgs(b, 2000)
	input := strings.Join(feed(20000, 2000, 3), "\n")
	if _, err := c.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{}); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++
		res, err := c.ImportEvents(ctx, strings.NewReader(input), EventImportOptions{})
		if err != nil || res.Imported != 0 || res.Duplicates != 20000 {
			b.Fatal(res, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*20000), "ns/event")
}

// BenchmarkListOrgsSearch evaluates 10,000 orgs and returns a quarter.
func BenchmarkListOrgsSearch(b *testing.B) {
	c := consoleWithOrgs(b, 10000)
	if _, err := c.ImportEvents(ctx, strings.NewReader(strings.Join(feed(50000, 10000, 5), "\n")), EventImportOptions{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p, err := c.ListOrgs(ctx, OrgQuery{Search: "acme"})
		if err != nil || p.Matches != 2500 {
			b.Fatal(p.Matches, err)
		}
	}
}

// BenchmarkListOrgsFirstPage reads page 1 from the name index.
func BenchmarkListOrgsFirstPage(b *testing.B) {
	c := consoleWithOrgs(b, 10000)
	for b.Loop() {
		if p, err := c.ListOrgs(ctx, OrgQuery{Page: 1, PerPage: 25}); err != nil || len(p.Orgs) != 25 {
			b.Fatal(err)
		}
	}
}
