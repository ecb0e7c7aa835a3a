package orgs

import (
	"testing"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/pkg/console"
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
		q.PerPage != 50 || q.Page != 1 || got.FailOn != "inactive" || !got.PagingSet || got.All {
		t.Fatalf("options %+v", got)
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
		{console.OrgPage{Orgs: views(25), Matches: 60, Total: 60, Page: 1, PerPage: 25}, "Showing 1–25 of 60 orgs · page 1 of 3"},
		{console.OrgPage{Orgs: views(10), Matches: 60, Total: 60, Offset: 50, Page: 6, PerPage: 10}, "Showing 51–60 of 60 orgs · page 6 of 6"},
		{console.OrgPage{Matches: 1, Total: 9, Filtered: true, Offset: 1, Page: 2, PerPage: 10}, "Showing 0 of 1 match (9 total) · page 2 of 1"},
		{console.OrgPage{Orgs: views(3), Matches: 3, Total: 3}, "Showing 1–3 of 3 orgs"},
	}
	for _, c := range cases {
		if got := footer(c.page); got != "\n"+c.want {
			t.Errorf("footer = %q, want %q", got, c.want)
		}
	}
}
