package console

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/health"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// listingConsole has orgs whose names fold alike, and activity that makes
// every sort key tie somewhere.
func listingConsole(t *testing.T) *Console {
	t.Helper()
	c := newTestConsole(t)
	var lines []string
	for i := range 30 {
		name := []string{"alpha", "Alpha", "beta", "Gamma", "gamma ", "Délta"}[i%6] + fmt.Sprint(i%4)
		mustCreate(t, c, name, fmt.Sprintf("R%02d", i))
		for s := range i % 5 {
			lines = append(lines, fmt.Sprintf(`{"id":"s%d-%d","org":"R%02d","type":"session.started","at":"2026-11-%02dT00:00:00Z"}`, i, s, i, 1+(i*s)%22))
		}
		if i%3 == 0 {
			lines = append(lines, fmt.Sprintf(`{"id":"k%d","org":"R%02d","type":"knowledge.added","at":"2026-10-01T00:00:00Z"}`, i, i))
		}
	}
	importLines(t, c, false, lines...)
	return c
}

func listingQueries() []OrgQuery {
	var qs []OrgQuery
	for _, sort := range SortOrders {
		for _, desc := range []bool{false, true} {
			qs = append(qs, OrgQuery{Sort: sort, Desc: desc},
				OrgQuery{Sort: sort, Desc: desc, Page: 2, PerPage: 10},
				OrgQuery{Sort: sort, Desc: desc, Page: PageLast, PerPage: 10, Search: "a"},
				OrgQuery{Sort: sort, Desc: desc, Statuses: []health.Status{health.New}, FailOn: []health.Status{health.Healthy}})
		}
	}
	return qs
}

func viewNames(p OrgPage) string {
	var out []string
	for _, o := range p.Orgs {
		out = append(out, fmt.Sprintf("%s/%s/%d/%s", o.Name, o.ID, o.Sessions30d, o.Verdict.Status))
	}
	return strings.Join(out, ",")
}

// Past Options.HeldMatches a sorted listing reads its orgs again by id: the same
// rows, in the same order, with the same counts.
func TestSpilledListingEqualsHeldListing(t *testing.T) {
	c := listingConsole(t)
	spilling := New(c.st, Options{Clock: c.now, As: testAdmin, Session: c.session, HeldMatches: 1})
	for _, q := range listingQueries() {
		held, err := c.ListOrgs(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		spilled, err := spilling.ListOrgs(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if viewNames(held) != viewNames(spilled) || held.Matches != spilled.Matches || held.GateMatches != spilled.GateMatches ||
			held.Offset != spilled.Offset || held.Pages != spilled.Pages {
			t.Errorf("%+v:\nheld    %s (%d, gate %d)\nspilled %s (%d, gate %d)", q, viewNames(held), held.Matches, held.GateMatches,
				viewNames(spilled), spilled.Matches, spilled.GateMatches)
		}
		if len(held.Orgs) == 0 && q.PerPage == 0 && q.Statuses == nil {
			t.Errorf("%+v: no rows", q)
		}
	}
}

// The whole list in name order streams in the store's name order; any
// store filter takes the sorted path. Both orders are one order.
func TestNameOrderStreamEqualsSortedPath(t *testing.T) {
	c := listingConsole(t)
	for _, gate := range [][]health.Status{nil, {health.New}} {
		streamed, err := c.ListOrgs(ctx, OrgQuery{FailOn: gate})
		if err != nil {
			t.Fatal(err)
		}
		any := 0
		sorted, err := c.ListOrgs(ctx, OrgQuery{FailOn: gate, DevicesMin: &any}) // every org: devices ≥ 0
		if err != nil {
			t.Fatal(err)
		}
		if viewNames(streamed) != viewNames(sorted) || streamed.Matches != 30 || sorted.Matches != 30 || streamed.GateMatches != sorted.GateMatches {
			t.Fatalf("streamed %s (%d)\nsorted   %s (%d)", viewNames(streamed), streamed.GateMatches, viewNames(sorted), sorted.GateMatches)
		}
	}
}

// A store error in the middle of a listing ends the rows with it, and
// StreamOrgs returns it.
func TestStreamOrgsStopsAtAStoreError(t *testing.T) {
	c := listingConsole(t)
	boom := errors.New("disk on fire")
	broken := New(failingStore{Store: c.st, after: 7, err: boom}, Options{Clock: clock.Fixed(testNow), As: testAdmin, Session: c.session})
	for _, q := range []OrgQuery{{}, {Sort: SortLastActive}} {
		var got int
		var sawErr error
		_, err := broken.StreamOrgs(ctx, q, func(rows iter.Seq2[OrgView, error]) error {
			for _, err := range rows {
				if err != nil {
					sawErr = err
					return err
				}
				got++
			}
			return nil
		})
		if !errors.Is(err, boom) {
			t.Fatalf("%+v: err = %v", q, err)
		}
		// Name order streams the first orgs; a sorted list fails while it
		// reads its keys, before any row.
		if q.Sort == "" && (got != 7 || !errors.Is(sawErr, boom)) {
			t.Errorf("name order: %d rows before the error (%v), want 7", got, sawErr)
		}
		if q.Sort == SortLastActive && got != 0 {
			t.Errorf("sorted: %d rows before the error, want none", got)
		}
	}
}

// failingStore's listings fail after `after` orgs.
type failingStore struct {
	store.Store
	after int
	err   error
}

func (s failingStore) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.View(ctx, func(tx store.Tx) error { return fn(failingTx{tx, s.after, s.err}) })
}

type failingTx struct {
	store.Tx
	after int
	err   error
}

func (t failingTx) Orgs(ctx context.Context, q store.OrgQuery) iter.Seq2[*domain.Org, error] {
	return func(yield func(*domain.Org, error) bool) {
		n := 0
		for o, err := range t.Tx.Orgs(ctx, q) {
			if err == nil && n == t.after && q.Limit == 0 {
				err = t.err
			}
			n++
			if !yield(o, err) || err != nil {
				return
			}
		}
	}
}

func TestArenaKeepsStringsApart(t *testing.T) {
	var a arena
	var at [][2]uint32
	words := []string{"", "a", strings.Repeat("x", arenaChunk-3), "bcd", "é"}
	for _, w := range words {
		c, o := a.put(w, "|"+w, []byte("#"+w))
		at = append(at, [2]uint32{c, o})
	}
	for i, w := range words {
		if got := string(a.get(at[i][0], at[i][1], uint32(3*len(w)+2))); got != w+"|"+w+"#"+w {
			t.Errorf("%d: %q", i, clipped(got))
		}
	}
	if !slices.ContainsFunc(at, func(p [2]uint32) bool { return p[0] > 0 }) {
		t.Error("a full chunk did not start another")
	}
}

func clipped(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// A list in name order borrows its orgs from the store, which decodes the
// next into the same one, and a sorted list unpacks every match into one
// org; a view kept past the next row (as the printer's read-ahead keeps a
// batch) must still be its own org's, field for field.
func TestStreamedViewsOutliveTheNextRow(t *testing.T) {
	c := listingConsole(t)
	for _, q := range []OrgQuery{{}, {Sort: SortLastActive}, {Sort: SortSessions, Desc: true}} {
		var kept []OrgView
		_, err := c.StreamOrgs(ctx, q, func(rows iter.Seq2[OrgView, error]) error {
			for v, err := range rows {
				if err != nil {
					return err
				}
				kept = append(kept, v)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(kept) != 30 {
			t.Fatalf("%+v: %d views, want 30", q, len(kept))
		}
		active := 0
		for _, v := range kept {
			want, err := c.ShowOrg(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			want.SessionDays = nil // the view keeps Sessions30d, not the days
			if !reflect.DeepEqual(v, want) {
				t.Fatalf("%+v, %s:\n got  %+v\n want %+v", q, v.ID, v, want)
			}
			if v.LastActiveAt != nil {
				active++
			}
		}
		if active < 10 {
			t.Fatalf("%+v: only %d of the views were ever active: the test would not see a shared time", q, active)
		}
	}
}
