package storetest

import (
	"fmt"
	"strings"

	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/health"
)

var listingTests = []test{
	{"SpilledSortEqualsHeld", testSpilledSortEqualsHeld},
}

// A sorted listing past Options.HeldMatches keeps only sort keys and reads
// its orgs again by id (OrgsByID, in windows): every backend gives the
// rows, order and counts of the listing that held them whole, and the whole
// list in name order (the store's order) is the same order.
func testSpilledSortEqualsHeld(h *harness) {
	c := newConsole(h)
	var feed []string
	for i := range 24 {
		name := []string{"alpha", "Alpha", "beta", "Gamma", "gamma ", "Délta"}[i%6] + fmt.Sprint(i%4)
		_, err := c.CreateOrg(h.ctx, name, fmt.Sprintf("R%02d", i))
		must(h.t, err)
		for s := range i % 5 {
			feed = append(feed, fmt.Sprintf(`{"id":"s%d-%d","org":"R%02d","type":"session.started","at":"%s"}`,
				i, s, i, base.AddDate(0, 0, -1-(i*s)%20).Format("2006-01-02T15:04:05Z")))
		}
	}
	_, err := c.ImportEvents(h.ctx, strings.NewReader(strings.Join(feed, "\n")+"\n"), console.EventImportOptions{})
	must(h.t, err)
	spilling := console.New(h.st, console.Options{Clock: clock.Fixed(base), As: consoleAdmin, HeldMatches: 1})
	zero := 0
	for _, sort := range console.SortOrders {
		for _, q := range []console.OrgQuery{
			{Sort: sort},
			{Sort: sort, Desc: true, Page: 2, PerPage: 10},
			{Sort: sort, Search: "a", FailOn: []health.Status{health.New}},
			{Sort: sort, DevicesMin: &zero},
		} {
			held, err := c.ListOrgs(h.ctx, q)
			must(h.t, err)
			spilled, err := spilling.ListOrgs(h.ctx, q)
			must(h.t, err)
			if listed(held) != listed(spilled) || held.Matches != spilled.Matches || held.GateMatches != spilled.GateMatches ||
				held.Offset != spilled.Offset || held.Pages != spilled.Pages {
				h.t.Errorf("%+v:\nheld    %s (%d matches, gate %d)\nspilled %s (%d matches, gate %d)",
					q, listed(held), held.Matches, held.GateMatches, listed(spilled), spilled.Matches, spilled.GateMatches)
			}
			if q.PerPage == 0 && q.Search == "" && len(held.Orgs) != 24 {
				h.t.Errorf("%+v: %d orgs listed, want 24", q, len(held.Orgs))
			}
		}
	}
	streamed, err := c.ListOrgs(h.ctx, console.OrgQuery{})
	must(h.t, err)
	sorted, err := spilling.ListOrgs(h.ctx, console.OrgQuery{DevicesMin: &zero})
	must(h.t, err)
	if listed(streamed) != listed(sorted) {
		h.t.Errorf("name order of the store:\n%s\nsorted by the core:\n%s", listed(streamed), listed(sorted))
	}
}

func listed(p console.OrgPage) string {
	var out []string
	for _, o := range p.Orgs {
		out = append(out, fmt.Sprintf("%s/%s/%d/%s", o.Name, o.ID, o.Sessions30d, o.Verdict.Status))
	}
	return strings.Join(out, ",")
}
