package console

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/health"
)

// TestMatcherAgreesWithListOrgs filters one full list in memory with
// OrgQuery.Matcher and compares it with what ListOrgs returns for the same
// query, over a demo store (every status, licensed and not) plus names that
// exercise case folding beyond ASCII.
func TestMatcherAgreesWithListOrgs(t *testing.T) {
	st, err := boltstore.Open(boltstore.Options{Path: filepath.Join(t.TempDir(), "p.db"), Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := New(st, Options{Clock: clock.Fixed(testNow)})
	if err := c.Demo(ctx, 120, false, nil); err != nil {
		t.Fatal(err)
	}
	for _, o := range [][2]string{
		{"KELVIN Heating", "K-1"},        // U+212A KELVIN SIGN lower-cases to ASCII k
		{"Straße Bäckerei", "STR-ß"},     // non-ASCII in name and ref
		{"İstanbul Kebab", "IST-1"},      // U+0130 lower-cases to i + combining dot
		{"ÉCOLE Lumière", "ecole-lum"},   // accented capitals
		{"acme lowercase", "ACME-LOWER"}, // ASCII, both cases
	} {
		mustCreate(t, c, o[0], o[1])
	}
	all, err := c.ListOrgs(ctx, OrgQuery{})
	if err != nil {
		t.Fatal(err)
	}
	queries := []OrgQuery{
		{},
		{Search: "a"}, {Search: "ACME"}, {Search: "acme-"}, {Search: "k"}, {Search: "kelvin"},
		{Search: "straße"}, {Search: "STRASSE"}, {Search: "ß"}, {Search: "i̇stanbul"}, {Search: "istanbul"},
		{Search: "école"}, {Search: "LUMIÈRE"}, {Search: "zzz-none"}, {Search: "-0"}, {Search: " "},
		{Statuses: []health.Status{health.Healthy}},
		{Statuses: []health.Status{health.New, health.Inactive}},
		{License: OrgLicenseActive}, {License: OrgLicenseNone},
		{Search: "e", Statuses: []health.Status{health.SetupIncomplete}, License: OrgLicenseNone},
		{Search: "a\x00"}, {Search: "ing\x00k"}, // NUL is the index's field separator
		{Search: "0052"}, {Search: "y cust"}, // a match must not run from a name into its ref
		{Search: "01"}, {Search: "b00"}, // company shortcodes (AB001) match too
		{DevicesMin: ptr(10)}, {DevicesMax: ptr(3)}, {DevicesMin: ptr(2), DevicesMax: ptr(40), Search: "e"},
	}
	index := NewOrgIndex(all.Orgs)
	if index.Len() != len(all.Orgs) {
		t.Fatalf("index holds %d orgs", index.Len())
	}
	narrowed := 0 // queries that kept some orgs but not all: the test is not vacuous
	for _, q := range queries {
		want, err := c.ListOrgs(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		match := q.Matcher()
		var got []string
		for i := range all.Orgs {
			if match(&all.Orgs[i]) {
				got = append(got, all.Orgs[i].ID)
			}
		}
		var wantIDs []string
		for _, o := range want.Orgs {
			wantIDs = append(wantIDs, o.ID)
		}
		if !slices.Equal(got, wantIDs) {
			t.Errorf("query %+v: matcher kept %d orgs %v; ListOrgs %d %v", q, len(got), got, len(wantIDs), wantIDs)
		}
		var indexed []string
		for _, i := range index.Filter(q, nil) {
			indexed = append(indexed, index.Org(int(i)).ID)
		}
		if !slices.Equal(indexed, wantIDs) {
			t.Errorf("query %+v: index kept %d orgs %v; ListOrgs %d %v", q, len(indexed), indexed, len(wantIDs), wantIDs)
		}
		if len(got) > 0 && len(got) < len(all.Orgs) {
			narrowed++
		}
	}
	if narrowed < len(queries)-8 { // {}, " " keep all; STRASSE, zzz-none, i̇stanbul, NULs, "y cust" keep none
		t.Errorf("only %d of %d queries narrowed the list; the fixture no longer exercises the filters", narrowed, len(queries))
	}
}
