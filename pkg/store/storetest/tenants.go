package storetest

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Tenants (SPEC §15): an org's link status and tenant details, found by
// shortcode, filtered by link status and device count, counted only when
// connected; the connect requests that settle a link, found by token hash.

var tenantTests = []test{
	{"TenantDetailsAndLinkStatusRoundTrip", testTenantRoundTrip},
	{"UnknownLinkStatusIsRefused", testUnknownLinkStatus},
	{"ShortcodeLookup", testShortcodeLookup},
	{"LinkStatusFilterAndCount", testLinkFilterAndCount},
	{"DeviceRangeIsInclusive", testDeviceRange},
	{"SearchMatchesShortcodes", testSearchShortcodes},
	{"CountersKeepTenantDetails", testCountersKeepTenant},
	{"ConnectRequestsByTokenHash", testConnectRequests},
	{"ConsoleSettlesOneConnectRequest", testRaceConsoleConnect},
}

func tenantOf(i int) domain.Tenant {
	return domain.Tenant{EnterpriseName: fmt.Sprintf("Enterprise %d", i), CustomerName: fmt.Sprintf("Customer %d GmbH", i),
		ContactEmail: fmt.Sprintf("it@t%d.example", i), Shortcode: fmt.Sprintf("TC%d", i), Address: fmt.Sprintf("%d Main St, Zoë", i),
		Language: "pt-BR", LogoURL: fmt.Sprintf("https://t%d.example/logo.png", i)}
}

// putTenant creates a live customer org with details and a link status.
func putTenant(h *harness, tx store.Tx, name string, link domain.LinkStatus, t domain.Tenant) domain.Org {
	h.t.Helper()
	seq, err := tx.NextSeq(h.ctx, "org")
	must(h.t, err)
	o := domain.Org{ID: orgID(seq), Seq: seq, Name: name, CreatedAt: at(int(seq)), LinkStatus: link, Tenant: t}
	must(h.t, tx.PutOrg(h.ctx, o))
	return o
}

func testTenantRoundTrip(h *harness) {
	var put []domain.Org
	h.update(func(tx store.Tx) error {
		put = nil
		for i, link := range []domain.LinkStatus{"", domain.LinkAccepted, domain.LinkPending, domain.LinkRejected} {
			put = append(put, putTenant(h, tx, fmt.Sprintf("Tenant %d", i), link, tenantOf(i)))
		}
		put = append(put, putTenant(h, tx, "Bare", domain.LinkPending, domain.Tenant{}))
		return nil
	})
	h.view(func(tx store.Tx) error {
		for _, o := range put {
			same(h.t, "org "+o.ID+" as put", getOrg(h.t, h.ctx, tx, o.ID), o)
		}
		return nil
	})
	// A change of link status or details alone is kept too.
	h.update(func(tx store.Tx) error {
		o := getOrg(h.t, h.ctx, tx, put[2].ID)
		o.LinkStatus, o.Tenant.Address, o.Tenant.Language = domain.LinkAccepted, "", "en"
		must(h.t, tx.PutOrg(h.ctx, o))
		put[2] = o
		return nil
	})
	h.view(func(tx store.Tx) error {
		same(h.t, "org after a link and detail change", getOrg(h.t, h.ctx, tx, put[2].ID), put[2])
		return nil
	})
}

func testUnknownLinkStatus(h *harness) {
	err := h.st.Update(h.ctx, func(tx store.Tx) error {
		seq, err := tx.NextSeq(h.ctx, "org")
		must(h.t, err)
		return tx.PutOrg(h.ctx, domain.Org{ID: orgID(seq), Seq: seq, Name: "Odd", CreatedAt: at(1), LinkStatus: "maybe"})
	})
	if err == nil {
		h.t.Fatal("PutOrg of an org with link status \"maybe\" succeeded")
	}
	h.view(func(tx store.Tx) error {
		same(h.t, "orgs after the refused put", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{All: true}), []string(nil))
		return nil
	})
}

func testShortcodeLookup(h *harness) {
	var live, pending, gone, renamed domain.Org
	h.update(func(tx store.Tx) error {
		putAdmin(h.t, h.ctx, tx, "HQ", "")
		admin := getOrg(h.t, h.ctx, tx, "org_000001")
		admin.Tenant.Shortcode = "HQ"
		must(h.t, tx.PutOrg(h.ctx, admin))
		live = putTenant(h, tx, "Live", domain.LinkAccepted, domain.Tenant{Shortcode: "LIVE1"})
		pending = putTenant(h, tx, "Pending", domain.LinkPending, domain.Tenant{Shortcode: "PEND"})
		gone = putTenant(h, tx, "Gone", domain.LinkAccepted, domain.Tenant{Shortcode: "GONE"})
		gone.DeletedAt = ptr(at(50))
		must(h.t, tx.PutOrg(h.ctx, gone))
		renamed = putTenant(h, tx, "Renamed", "", domain.Tenant{Shortcode: "OLD"})
		renamed.Tenant.Shortcode = "NEW"
		must(h.t, tx.PutOrg(h.ctx, renamed))
		// found within the transaction that put them
		id, err := tx.OrgIDByShortcode(h.ctx, "PEND")
		must(h.t, err)
		same(h.t, "shortcode in its own transaction", id, pending.ID)
		return nil
	})
	h.view(func(tx store.Tx) error {
		for code, want := range map[string]string{"LIVE1": live.ID, "PEND": pending.ID, "NEW": renamed.ID,
			"": "", "live1": "", "GONE": "", "OLD": "", "HQ": "", "LIVE": ""} {
			id, err := tx.OrgIDByShortcode(h.ctx, code)
			if want == "" {
				if !errors.Is(err, store.ErrNotFound) {
					h.t.Fatalf("OrgIDByShortcode(%q) = %q, %v; want ErrNotFound", code, id, err)
				}
				continue
			}
			must(h.t, err)
			same(h.t, fmt.Sprintf("OrgIDByShortcode(%q)", code), id, want)
		}
		// name lookups find orgs of every link status
		ids, err := tx.OrgIDsByName(h.ctx, "PENDING")
		must(h.t, err)
		same(h.t, "OrgIDsByName of a pending org", ids, []string{pending.ID})
		return nil
	})
	// A deleted org frees its shortcode for another.
	h.update(func(tx store.Tx) error {
		again := putTenant(h, tx, "Again", "", domain.Tenant{Shortcode: "GONE"})
		id, err := tx.OrgIDByShortcode(h.ctx, "GONE")
		must(h.t, err)
		same(h.t, "a freed shortcode", id, again.ID)
		return nil
	})
}

func testLinkFilterAndCount(h *harness) {
	var all []domain.Org
	h.update(func(tx store.Tx) error {
		all = nil
		putAdmin(h.t, h.ctx, tx, "Zeta HQ", "")
		for i, spec := range []struct {
			name string
			link domain.LinkStatus
		}{{"delta", ""}, {"Alpha", domain.LinkAccepted}, {"charlie", domain.LinkPending}, {"Bravo", domain.LinkRejected},
			{"echo", domain.LinkPending}, {"Foxtrot", domain.LinkAccepted}, {"alpha", domain.LinkRejected}} {
			all = append(all, putTenant(h, tx, spec.name, spec.link, domain.Tenant{Shortcode: fmt.Sprintf("L%d", i)}))
		}
		n, err := tx.CountOrgs(h.ctx)
		must(h.t, err)
		same(h.t, "CountOrgs in the transaction", n, 3)
		return nil
	})
	oracle := func(links ...domain.LinkStatus) []string {
		q := store.OrgQuery{Links: links}
		var keep []domain.Org
		for _, o := range all {
			if q.KeepsLink(o.LinkStatus) {
				keep = append(keep, o)
			}
		}
		return byNameOrder(keep)
	}
	check := func(what string, links ...domain.LinkStatus) {
		h.t.Helper()
		h.view(func(tx store.Tx) error {
			want := oracle(links...)
			same(h.t, what+" in name order", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Links: links, Order: store.OrderName}), want)
			got := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Links: links})
			slices.Sort(got)
			sorted := slices.Sorted(slices.Values(want))
			same(h.t, what+" in any order", got, sorted)
			for off := 0; off <= len(want); off++ {
				page := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Links: links, Order: store.OrderName, Offset: off, Limit: 2})
				same(h.t, fmt.Sprintf("%s, offset %d limit 2", what, off), page, want[off:min(off+2, len(want))])
			}
			return nil
		})
	}
	check("connected orgs (no Links)")
	check("accepted", domain.LinkAccepted)
	check("pending", domain.LinkPending)
	check("rejected and pending", domain.LinkRejected, domain.LinkPending)
	check("every link status", domain.LinkStatuses...)
	if len(oracle(domain.LinkStatuses...)) != 7 || len(oracle()) != 3 {
		h.t.Fatal("the oracle lost orgs")
	}
	// Only connected orgs are counted; a link settling moves the count.
	count := func() int {
		var n int
		h.view(func(tx store.Tx) error {
			var err error
			n, err = tx.CountOrgs(h.ctx)
			return err
		})
		return n
	}
	same(h.t, "CountOrgs", count(), 3)
	h.update(func(tx store.Tx) error {
		o := getOrg(h.t, h.ctx, tx, all[2].ID) // charlie: pending → accepted
		o.LinkStatus = domain.LinkAccepted
		must(h.t, tx.PutOrg(h.ctx, o))
		o = getOrg(h.t, h.ctx, tx, all[4].ID) // echo: pending, deleted
		o.DeletedAt = ptr(at(99))
		must(h.t, tx.PutOrg(h.ctx, o))
		o = getOrg(h.t, h.ctx, tx, all[1].ID) // Alpha: accepted → rejected
		o.LinkStatus = domain.LinkRejected
		return tx.PutOrg(h.ctx, o)
	})
	same(h.t, "CountOrgs after settling", count(), 3)
	h.view(func(tx store.Tx) error {
		same(h.t, "connected after settling", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Order: store.OrderName}),
			[]string{all[2].ID, all[0].ID, all[5].ID})
		same(h.t, "pending after settling", collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Links: []domain.LinkStatus{domain.LinkPending}}), []string(nil))
		return nil
	})
	doctorClean(h)
}

func testDeviceRange(h *harness) {
	totals := []int{0, 1, 5, 9, 10, 250}
	var orgs []domain.Org
	h.update(func(tx store.Tx) error {
		orgs = nil
		for i, n := range totals {
			o := putTenant(h, tx, fmt.Sprintf("Fleet %d", i), "", domain.Tenant{})
			o.Devices = domain.Devices{Total: n, Registered: n / 2}
			must(h.t, tx.PutOrgCounters(h.ctx, []*domain.Org{&o}))
			orgs = append(orgs, o)
		}
		return nil
	})
	for _, b := range [][2]int{{0, 0}, {1, 9}, {5, 5}, {10, 1 << 62}, {2, 4}, {0, 1 << 62}, {251, 300}} {
		r := store.DeviceRange{Min: b[0], Max: b[1]}
		var want []string
		for i, n := range totals {
			if r.Min <= n && n <= r.Max {
				want = append(want, orgs[i].ID)
			}
		}
		h.view(func(tx store.Tx) error {
			got := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Devices: &r, Order: store.OrderName})
			same(h.t, fmt.Sprintf("devices within %d..%d", r.Min, r.Max), got, want)
			if len(want) > 1 {
				page := collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Devices: &r, Order: store.OrderName, Offset: 1, Limit: 1})
				same(h.t, fmt.Sprintf("devices within %d..%d, second", r.Min, r.Max), page, want[1:2])
			}
			return nil
		})
	}
}

func testSearchShortcodes(h *harness) {
	var a, b domain.Org
	h.update(func(tx store.Tx) error {
		a = putTenant(h, tx, "Harbor Dental", "", domain.Tenant{Shortcode: "HBD7"})
		b = putTenant(h, tx, "Quiet", domain.LinkPending, domain.Tenant{Shortcode: "QBD"})
		putTenant(h, tx, "Other", "", domain.Tenant{})
		return nil
	})
	h.view(func(tx store.Tx) error {
		for search, want := range map[string][]string{"hbd": {a.ID}, "HBD7": {a.ID}, "d7": {a.ID}, "bd": {a.ID}, "zz": nil} {
			same(h.t, "Search "+search, collectOrgs(h.t, tx, h.ctx, store.OrgQuery{Search: search, Order: store.OrderName}), want)
		}
		same(h.t, "Search bd, every link status", collectOrgs(h.t, tx, h.ctx,
			store.OrgQuery{Search: "bd", Links: domain.LinkStatuses, Order: store.OrderName}), []string{a.ID, b.ID})
		return nil
	})
}

// PutOrgCounters leaves the stored details and link status as they are.
func testCountersKeepTenant(h *harness) {
	var o domain.Org
	h.update(func(tx store.Tx) error {
		o = putTenant(h, tx, "Kept", domain.LinkPending, tenantOf(1))
		return nil
	})
	h.update(func(tx store.Tx) error {
		stale := o
		stale.Tenant, stale.LinkStatus = domain.Tenant{Shortcode: "STALE"}, domain.LinkAccepted
		stale.Messages, stale.Devices.Total = 7, 3
		return tx.PutOrgCounters(h.ctx, []*domain.Org{&stale})
	})
	h.view(func(tx store.Tx) error {
		got := getOrg(h.t, h.ctx, tx, o.ID)
		want := o
		want.Messages, want.Devices.Total = 7, 3
		same(h.t, "org after PutOrgCounters", got, want)
		_, err := tx.OrgIDByShortcode(h.ctx, "STALE")
		if !errors.Is(err, store.ErrNotFound) {
			h.t.Fatalf("a stale shortcode got indexed: %v", err)
		}
		return nil
	})
}

func newConnect(h *harness, tx store.Tx, orgID, hash string) domain.ConnectRequest {
	h.t.Helper()
	seq, err := tx.NextSeq(h.ctx, "connect")
	must(h.t, err)
	r := domain.ConnectRequest{ID: fmt.Sprintf("con_%06d", seq), Seq: seq, OrgID: orgID, Email: "it@t.example",
		TokenHash: hash, CreatedBy: "admin@acme.example", CreatedAt: at(int(seq)), ExpiresAt: at(int(seq)).Add(domain.ConnectValidity)}
	must(h.t, tx.PutConnectRequest(h.ctx, r))
	return r
}

func testConnectRequests(h *harness) {
	var r1, r2, r3 domain.ConnectRequest
	var o1, o2 domain.Org
	h.update(func(tx store.Tx) error {
		o1 = putTenant(h, tx, "One", domain.LinkPending, domain.Tenant{})
		o2 = putTenant(h, tx, "Two", domain.LinkPending, domain.Tenant{})
		r1 = newConnect(h, tx, o1.ID, hashOf("c1"))
		r2 = newConnect(h, tx, o2.ID, hashOf("c2"))
		r3 = newConnect(h, tx, o1.ID, hashOf("c3"))
		got, err := tx.ConnectRequestByTokenHash(h.ctx, hashOf("c2"))
		must(h.t, err)
		same(h.t, "request in its own transaction", got, r2)
		return nil
	})
	h.rolledBack(func(tx store.Tx) error {
		newConnect(h, tx, o2.ID, hashOf("rolled back"))
		return nil
	})
	h.update(func(tx store.Tx) error {
		r1.AcceptedAt = ptr(at(40))
		return tx.PutConnectRequest(h.ctx, r1)
	})
	h.view(func(tx store.Tx) error {
		for hash, want := range map[string]domain.ConnectRequest{hashOf("c1"): r1, hashOf("c2"): r2, hashOf("c3"): r3} {
			got, err := tx.ConnectRequestByTokenHash(h.ctx, hash)
			must(h.t, err)
			same(h.t, "request by its hash", got, want)
		}
		for _, hash := range []string{hashOf("rolled back"), hashOf("never"), ""} {
			if _, err := tx.ConnectRequestByTokenHash(h.ctx, hash); !errors.Is(err, store.ErrNotFound) {
				h.t.Fatalf("ConnectRequestByTokenHash(%q): %v, want ErrNotFound", hash, err)
			}
		}
		same(h.t, "every request", collect(h.t, tx.ConnectRequests(h.ctx, "")), []domain.ConnectRequest{r1, r2, r3})
		same(h.t, "requests of org one", collect(h.t, tx.ConnectRequests(h.ctx, o1.ID)), []domain.ConnectRequest{r1, r3})
		same(h.t, "requests of no org", collect(h.t, tx.ConnectRequests(h.ctx, "org_999999")), []domain.ConnectRequest(nil))
		return nil
	})
}

// Of many concurrent settles of one connect request, exactly one wins
// (accept or reject), and the org ends in the winner's link status.
func testRaceConsoleConnect(h *harness) {
	c := newConsole(h)
	nc, err := c.ConnectOrg(h.ctx, console.ConnectParams{Name: "Harbor", Email: "it@harbor.example", Ref: "HB-1"})
	must(h.t, err)
	outcomes := make([]domain.LinkStatus, racers)
	errs := raceErrs(h, func(i int) error {
		var err error
		if i%2 == 0 {
			_, err = c.AcceptConnect(h.ctx, nc.URL)
			outcomes[i] = domain.LinkAccepted
		} else {
			_, err = c.RejectConnect(h.ctx, nc.URL)
			outcomes[i] = domain.LinkRejected
		}
		return err
	})
	conflicts(h, "console: settle one connect request", errs)
	winner := slices.IndexFunc(errs, func(err error) bool { return err == nil })
	org, err := c.ShowOrg(h.ctx, "HB-1")
	must(h.t, err)
	same(h.t, "link status after the race", org.Link(), outcomes[winner])
	page, err := c.ListOrgs(h.ctx, console.OrgQuery{})
	must(h.t, err)
	same(h.t, "connected count after the race", page.Total, map[bool]int{true: 1, false: 0}[outcomes[winner] == domain.LinkAccepted])
	// Expired exactly 7 days after it was made.
	late := console.New(h.st, console.Options{Clock: func() time.Time { return base.Add(domain.ConnectValidity) }})
	nc2, err := c.ConnectOrg(h.ctx, console.ConnectParams{Name: "Late", Email: "it@late.example"})
	must(h.t, err)
	if _, err := late.AcceptConnect(h.ctx, nc2.URL); !fail.Is(err, fail.Conflict) {
		h.t.Fatalf("accept at 7 days: %v, want a conflict (expired)", err)
	}
	doctorClean(h)
}
