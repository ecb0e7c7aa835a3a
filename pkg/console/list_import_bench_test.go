package console

import (
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkListOrgsAll evaluates and sorts every one of 10,000 orgs, as
// `orgs list --sort last-active -o json` does.
func BenchmarkListOrgsAll(b *testing.B) {
	c := consoleWithCounters(b)
	b.ReportAllocs()
	for b.Loop() {
		p, err := c.ListOrgs(ctx, OrgQuery{Sort: SortLastActive})
		if err != nil || p.Matches != 10000 {
			b.Fatal(p.Matches, err)
		}
	}
}

// BenchmarkImportOrgs imports 10,000 orgs from a CSV into a fresh store per
// iteration.
func BenchmarkImportOrgs(b *testing.B) {
	var csv strings.Builder
	csv.WriteString("name,ref_id,shortcode\n")
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&csv, "Org %d,R%05d,C%05d\n", i, i, i)
	}
	input := csv.String()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		c, st := initialisedConsole(b, filepath.Join(b.TempDir(), fmt.Sprintf("i%d.db", n)), nil)
		b.StartTimer()
		if res, err := c.ImportOrgs(ctx, strings.NewReader(input)); err != nil || res.Len() != 10000 {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkStreamOrgs streams every one of 10,000 orgs with counters to a
// consumer that keeps nothing, as `orgs list -o json` off a terminal does:
// name order (the store's order, nothing held), last-active (sort keys,
// the orgs held), and last-active spilled (sort keys only, the orgs read
// again by id, as past heldMatches at a million orgs).
func BenchmarkStreamOrgs(b *testing.B) {
	c := consoleWithCounters(b)
	for _, tc := range []struct {
		name string
		sort string
		held int
	}{{"name", SortName, 0}, {"last-active", SortLastActive, 0}, {"last-active-spilled", SortLastActive, 1}} {
		b.Run(tc.name, func(b *testing.B) {
			c := New(c.st, Options{Clock: c.now, As: c.as, Session: c.session, HeldMatches: tc.held})
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				p, err := c.StreamOrgs(ctx, OrgQuery{Sort: tc.sort}, func(rows iter.Seq2[OrgView, error]) error {
					for _, err := range rows {
						if err != nil {
							return err
						}
						n++
					}
					return nil
				})
				if err != nil || n != 10000 || p.Matches != 10000 {
					b.Fatal(n, p.Matches, err)
				}
			}
		})
	}
}

// BenchmarkStats is `orgs stats` over 10,000 orgs with counters: one pass
// in storage order, one org decoded into again (store.OrgQuery.Borrow).
func BenchmarkStats(b *testing.B) {
	c := consoleWithCounters(b)
	b.ReportAllocs()
	for b.Loop() {
		s, err := c.Stats(ctx)
		if err != nil || s.Connected != 10000 {
			b.Fatal(s.Connected, err)
		}
	}
}

// consoleWithCounters is a console over 10,000 orgs fed 50,000 events.
func consoleWithCounters(b *testing.B) *Console {
	c := consoleWithOrgs(b, 10000)
	if _, err := c.ImportEvents(ctx, strings.NewReader(strings.Join(feed(50000, 10000, 5), "\n")), EventImportOptions{}); err != nil {
		b.Fatal(err)
	}
	return c
}
