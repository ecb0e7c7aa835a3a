package console

import (
	"fmt"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/health"
)

func names(p OrgPage) string {
	var out []string
	for _, o := range p.Orgs {
		out = append(out, o.Name)
	}
	return strings.Join(out, ",")
}

func TestListPagingMaths(t *testing.T) {
	c := newTestConsole(t)
	for i := 1; i <= 23; i++ {
		mustCreate(t, c, fmt.Sprintf("Org %02d", i), fmt.Sprintf("R%02d", i))
	}
	cases := []struct {
		q            OrgQuery
		first, last  string
		n, offset    int
		matches, tot int
	}{
		{OrgQuery{Page: 1, PerPage: 10}, "Org 01", "Org 10", 10, 0, 23, 23},
		{OrgQuery{Page: 3, PerPage: 10}, "Org 21", "Org 23", 3, 20, 23, 23},
		{OrgQuery{Page: 4, PerPage: 10}, "", "", 0, 23, 23, 23}, // fast path: past the end prints no rows
		{OrgQuery{Page: 9, PerPage: 10, Search: "org"}, "", "", 0, 23, 23, 23},
		{OrgQuery{Page: 1, PerPage: 10, Search: "org 1"}, "Org 10", "Org 19", 10, 0, 10, 23},
		{OrgQuery{Page: 2, PerPage: 10, Search: "r1"}, "", "", 0, 10, 10, 23},
		{OrgQuery{Search: "R2"}, "Org 20", "Org 23", 4, 0, 4, 23},
		{OrgQuery{Page: 1, PerPage: 25, Desc: true}, "Org 23", "Org 01", 23, 0, 23, 23},
	}
	for _, tc := range cases {
		p, err := c.ListOrgs(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Orgs) != tc.n || p.Offset != tc.offset || p.Matches != tc.matches || p.Total != tc.tot {
			t.Errorf("%+v: got n=%d offset=%d matches=%d total=%d", tc.q, len(p.Orgs), p.Offset, p.Matches, p.Total)
			continue
		}
		if tc.n > 0 && (p.Orgs[0].Name != tc.first || p.Orgs[tc.n-1].Name != tc.last) {
			t.Errorf("%+v: got %s", tc.q, names(p))
		}
	}
}

func TestListFastPathAgreesWithFullScan(t *testing.T) {
	c := newTestConsole(t)
	for _, n := range []string{"beta", "Alpha", "alpha", "Gamma", "delta"} {
		mustCreate(t, c, n, "")
	}
	fast, err := c.ListOrgs(ctx, OrgQuery{Page: 2, PerPage: 2})
	if err == nil {
		t.Fatalf("per-page 2 accepted: %v", names(fast))
	}
	for page := 1; page <= 2; page++ {
		fast, _ := c.ListOrgs(ctx, OrgQuery{Page: page, PerPage: 10})
		slow, _ := c.ListOrgs(ctx, OrgQuery{Page: page, PerPage: 10, FailOn: []health.Status{health.Healthy}})
		if names(fast) != names(slow) {
			t.Fatalf("page %d: fast %q, full scan %q", page, names(fast), names(slow))
		}
	}
	all, _ := c.ListOrgs(ctx, OrgQuery{})
	if got := names(all); got != "Alpha,alpha,beta,delta,Gamma" {
		t.Fatalf("default order: %s (want case-insensitive name, then id)", got)
	}
}

func TestListValidation(t *testing.T) {
	c := newTestConsole(t)
	for _, q := range []OrgQuery{{PerPage: 20, Page: 1}, {PerPage: 10, Page: 0}, {Page: -2}, {Sort: "size"}} {
		if _, err := c.ListOrgs(ctx, q); !fail.Is(err, fail.Usage) {
			t.Errorf("%+v: err = %v, want a usage error", q, err)
		}
	}
}

func TestListFiltersSortsAndGates(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Quiet", "Q1")
	mustCreate(t, c, "Busy", "B1")
	importLines(t, c, false,
		`{"id":"e1","org":"B1","type":"knowledge.added","at":"2026-11-01T00:00:00Z"}`,
		`{"id":"e2","org":"B1","type":"session.started","at":"2026-11-22T00:00:00Z"}`,
		`{"id":"e3","org":"B1","type":"session.started","at":"2026-11-21T00:00:00Z"}`,
	)
	p, _ := c.ListOrgs(ctx, OrgQuery{Statuses: []health.Status{health.Healthy}})
	if names(p) != "Busy" || !p.Filtered {
		t.Fatalf("healthy: %s", names(p))
	}
	p, _ = c.ListOrgs(ctx, OrgQuery{Sort: SortSessions, Desc: true})
	if names(p) != "Busy,Quiet" {
		t.Fatalf("sessions desc: %s", names(p))
	}
	p, _ = c.ListOrgs(ctx, OrgQuery{Sort: SortLastActive})
	if names(p) != "Quiet,Busy" {
		t.Fatalf("last-active asc (never first): %s", names(p))
	}
	p, _ = c.ListOrgs(ctx, OrgQuery{FailOn: []health.Status{health.New}})
	if p.GateMatches != 1 {
		t.Fatalf("gate matches %d, want 1 (Quiet is new)", p.GateMatches)
	}
	p, _ = c.ListOrgs(ctx, OrgQuery{Search: "bus", FailOn: []health.Status{health.New}})
	if p.GateMatches != 0 {
		t.Fatalf("the gate must apply after filters: %d", p.GateMatches)
	}
}
