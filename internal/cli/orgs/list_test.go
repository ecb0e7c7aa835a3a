package orgs

import (
	"math"
	"testing"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

func TestListFlagsParseIntoOptions(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IO: io, Getenv: func(string) string { return "" }}
	var got *ListOptions
	cmd := NewCmdList(f, func(o *ListOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--search", "acme", "--status", "inactive,new", "--sort", "last-active", "--desc", "--per-page", "50", "--fail-on", "inactive"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	q := got.Query
	if q.Search != "acme" || got.Statuses != "inactive,new" || q.Sort != "last-active" || !q.Desc ||
		q.PerPage != 50 || got.Page != "1" || got.FailOn != "inactive" || !got.PagingSet || got.All ||
		got.DevicesMin != nil || got.DevicesMax != nil {
		t.Fatalf("options %+v", got)
	}

	cmd = NewCmdList(f, func(o *ListOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--devices-min", "0", "--devices-max", "12", "--page", "last", "--link-status", "pending"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.DevicesMin == nil || *got.DevicesMin != 0 || got.DevicesMax == nil || *got.DevicesMax != 12 ||
		got.Page != "last" || got.LinkStatus != "pending" {
		t.Fatalf("device bounds, page and link status %+v", got)
	}

	cmd = NewCmdList(f, func(o *ListOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"-s", "x", "--all"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.PagingSet || !got.All || got.Query.Search != "x" || got.Query.Sort != "name" {
		t.Fatalf("defaults %+v", got)
	}
}

func TestFooter(t *testing.T) {
	views := func(n int) []console.OrgView { return make([]console.OrgView, n) }
	cases := []struct {
		page console.OrgPage
		want string
	}{
		{console.OrgPage{Orgs: views(5), Matches: 5, Total: 10000, Filtered: true, Page: 1, PerPage: 25}, "Showing 1–5 of 5 matches (10000 total)"},
		{console.OrgPage{Orgs: views(25), Matches: 60, Total: 60, Page: 1, PerPage: 25, Pages: 3}, "Showing 1–25 of 60 orgs · page 1 of 3"},
		{console.OrgPage{Orgs: views(10), Matches: 60, Total: 60, Offset: 50, Page: 6, PerPage: 10, Pages: 6}, "Showing 51–60 of 60 orgs · page 6 of 6"},
		{console.OrgPage{Matches: 1, Total: 9, Filtered: true, Offset: 1, Page: 2, PerPage: 10, Pages: 1}, "Showing 0 of 1 match (9 total) · page 2 of 1"},
		{console.OrgPage{Total: 0, Page: 1, PerPage: 25, Pages: 1}, "Showing 0 of 0 orgs"},
		{console.OrgPage{Orgs: views(3), Matches: 3, Total: 3}, "Showing 1–3 of 3 orgs"},
	}
	for _, c := range cases {
		if got := footer(c.page); got != "\n"+c.want {
			t.Errorf("footer = %q, want %q", got, c.want)
		}
	}
}

func TestParsePage(t *testing.T) {
	for in, want := range map[string]int{"1": 1, "7": 7, "last": console.PageLast, "LAST": console.PageLast, " 2 ": 2,
		"9223372036854775807": math.MaxInt, "99999999999999999999999": math.MaxInt} {
		if got, err := parsePage(in); err != nil || got != want {
			t.Errorf("parsePage(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-1", "-99999999999999999999999", "first", "", "1.5"} {
		if _, err := parsePage(in); !fail.Is(err, fail.Usage) {
			t.Errorf("parsePage(%q) = %v, want a usage error", in, err)
		}
	}
}

// A page past the last shows no footer: the empty-list note says how many
// pages there are, also for a page number of any size.
func TestEmptyListPastTheLastPage(t *testing.T) {
	p := console.OrgPage{Matches: 60, Total: 60, Offset: 60, Page: math.MaxInt, PerPage: 25, Pages: 3}
	want := "Page 9223372036854775807 is past the last page (3); try `partnerctl orgs list --page 3`"
	if got := emptyList(&ListOptions{}, p); got != want {
		t.Errorf("emptyList = %q, want %q", got, want)
	}
}
