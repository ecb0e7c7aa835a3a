package console

import (
	"strings"
	"testing"
)

// BenchmarkReportChanges runs a report over 20,000 orgs with activity, next
// to listing all of them (the bar it must not exceed). steady is a daily
// run: everything compared, few changes, the state saved; first lists
// every org as appeared.
func BenchmarkReportChanges(b *testing.B) {
	const orgs = 20_000
	c := consoleWithOrgs(b, orgs)
	if _, err := c.ImportEvents(ctx, strings.NewReader(strings.Join(feed(100_000, orgs, 7), "\n")), EventImportOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Run("list_all", func(b *testing.B) {
		for b.Loop() {
			if p, err := c.ListOrgs(ctx, OrgQuery{}); err != nil || len(p.Orgs) != orgs {
				b.Fatal(len(p.Orgs), err)
			}
		}
	})
	b.Run("steady", func(b *testing.B) {
		if _, err := c.ReportChanges(ctx, ChangesQuery{Name: "steady"}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if rep, err := c.ReportChanges(ctx, ChangesQuery{Name: "steady"}); err != nil || len(rep.Changes) != 0 {
				b.Fatal(len(rep.Changes), err)
			}
		}
	})
	b.Run("dry_run", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.ReportChanges(ctx, ChangesQuery{Name: "steady", DryRun: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			if rep, err := c.ReportChanges(ctx, ChangesQuery{Name: "first", DryRun: true}); err != nil || len(rep.Changes) != orgs {
				b.Fatal(len(rep.Changes), err)
			}
		}
	})
}
