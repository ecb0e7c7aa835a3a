package console

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/events"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/token"
)

// The demo partner and its admin, the current user of a demo store.
const (
	DemoPartnerName  = "Northwind Partners"
	DemoSupportEmail = "support@northwind.example"
	DemoAdminOrg     = "Northwind Partner HQ"
	DemoAdminEmail   = "alex@northwind.example"
	DefaultDemoOrgs  = 60
)

// Demo fills the store with a demo partner and n realistic orgs covering
// every status, relative to the console's clock, and makes the demo admin the
// current user. A demo store is rebuilt, unless it has changes made by hand
// (then only with force); a store made by `init` is refused. It runs in one
// transaction. progress, when set, gets the orgs done so far.
func (c *Console) Demo(ctx context.Context, n int, force bool, progress func(done int)) error {
	if n < 1 || n > 1_000_000 {
		return fail.Fieldf(fail.Usage, "invalid {orgs} %d: want 1 to 1000000", n)
	}
	err := c.st.Update(ctx, func(tx store.Tx) error {
		kind, err := tx.Kind(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.Partner(ctx); err == nil && kind != domain.KindDemo {
			return fail.Conflictf("this store was made by init; demo only fills demo stores").
				WithCode(fail.CodeInitStore)
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		} else if err == nil {
			if err := refuseDemoRebuild(ctx, tx, force); err != nil {
				return err
			}
		}
		if err := tx.Reset(ctx); err != nil {
			return err
		}
		if err := c.bindFirstLogin(ctx, tx, DemoAdminEmail, "demo"); err != nil {
			return err
		}
		return seedDemo(ctx, tx, c.Now(), n, progress)
	})
	if err != nil {
		return err
	}
	return c.session.SetCurrentUser(DemoAdminEmail)
}

func seedDemo(ctx context.Context, tx store.Tx, now time.Time, n int, progress func(int)) error {
	rng := rand.New(rand.NewPCG(2026, uint64(n)))
	admin, err := newOrg(ctx, tx, DemoAdminOrg, "", now.AddDate(-2, 0, 0))
	if err != nil {
		return err
	}
	admin.Admin = true
	if err := tx.PutOrg(ctx, admin); err != nil {
		return err
	}
	p := domain.Partner{
		ID: newPartnerID(), Name: DemoPartnerName, SupportEmail: DemoSupportEmail,
		LogoURL: "https://northwind.example/logo.svg", LoginBaseURL: DefaultLoginBaseURL,
		ContactName: "Alex Rivera", ContactPhone: "+1 555 0100", CreatedAt: admin.CreatedAt, AdminOrgID: admin.ID,
	}
	for _, step := range []error{
		tx.PutPartner(ctx, p), tx.SetKind(ctx, domain.KindDemo),
		tx.PutMembership(ctx, domain.Membership{OrgID: admin.ID, Email: DemoAdminEmail, Role: domain.RoleOwner, LoginMethod: "any", JoinedAt: admin.CreatedAt}),
		tx.PutMembership(ctx, domain.Membership{OrgID: admin.ID, Email: "sam@northwind.example", Role: domain.RoleAdmin, LoginMethod: "google", JoinedAt: admin.CreatedAt.AddDate(0, 3, 0)}),
	} {
		if step != nil {
			return step
		}
	}
	pending, rejected := demoUnlinked(n)
	names := demoNames(rng, n+pending+rejected)
	for i := 0; i < n; i++ {
		o, err := seedDemoOrg(ctx, tx, rng, now, names[i], demoRef(i), demoProfile(i), i)
		if err != nil {
			return err
		}
		if err := seedDemoLicense(ctx, tx, rng, now, &o, i); err != nil {
			return err
		}
		if progress != nil && (i%500 == 0 || i == n-1) {
			progress(i + 1)
		}
	}
	// Tenants asked to link to the partner: pending (some requests
	// expired) and rejected. They come after the connected orgs, so the
	// connected ones are the same whatever the split.
	for j := 0; j < pending+rejected; j++ {
		i := n + j
		o, err := seedDemoOrg(ctx, tx, rng, now, names[i], demoRef(i), "setup", i)
		if err != nil {
			return err
		}
		if err := seedDemoConnect(ctx, tx, rng, now, &o, j >= pending); err != nil {
			return err
		}
	}
	return nil
}

// demoUnlinked is how many pending and rejected tenants a demo of n
// connected orgs gets: a few, at least one of each.
func demoUnlinked(n int) (pending, rejected int) {
	return min(max(1, n/20), 200), min(max(1, n/30), 100)
}

// demoRef is the ref of the i-th demo org.
func demoRef(i int) string { return fmt.Sprintf("CUST-%04d", i+1) }

// demoProfile spreads the demo over the four statuses: about 15% new, 20%
// setup incomplete, 20% inactive, the rest healthy.
func demoProfile(i int) string {
	switch i % 20 {
	case 0, 7, 14:
		return "new"
	case 2, 5, 11, 17:
		return "setup"
	case 3, 9, 13, 19:
		return "inactive"
	}
	return "healthy"
}

func seedDemoOrg(ctx context.Context, tx store.Tx, rng *rand.Rand, now time.Time, name, ref, profile string, i int) (domain.Org, error) {
	day := 24 * time.Hour
	ago := func(lo, hi int) time.Time { // a random moment between lo and hi days ago
		return now.Add(-time.Duration(lo)*day - time.Duration(rng.Int64N(int64(hi-lo)*int64(day))))
	}
	created := ago(8, 420)
	if profile == "new" {
		created = ago(0, 6)
	}
	o, err := newOrg(ctx, tx, name, ref, created)
	if err != nil {
		return o, err
	}
	// The org is new: the event rules start from no members and no devices.
	state := newEventState()
	emit := func(t events.Type, at time.Time, extra string) error {
		e := events.Event{Type: t, At: at.UTC()}
		switch {
		case t == events.MemberAdded:
			e.Email = extra
		case t.IsDevice():
			e.Device = extra
		}
		applyEvent(&o, &e, state)
		return nil
	}
	save := func() (domain.Org, error) {
		seedDemoTenant(&o, i, now, state)
		if err := tx.PutOrg(ctx, o); err != nil {
			return o, err
		}
		return o, writeEventState(ctx, tx, state)
	}
	since := func() time.Time { return created.Add(time.Duration(rng.Int64N(int64(now.Sub(created)) + 1))) }
	domainName := strings.ToLower(strings.Fields(name)[0]) + ".example"
	members := 1 + rng.IntN(6)
	if profile == "new" {
		members = rng.IntN(2)
	}
	for m := 0; m < members; m++ {
		if err := emit(events.MemberAdded, since(), fmt.Sprintf("%s@%s", demoFirstNames[rng.IntN(len(demoFirstNames))], domainName)); err != nil {
			return o, err
		}
	}
	if profile == "new" {
		return save()
	}
	if profile != "setup" {
		for k := 1 + rng.IntN(12); k > 0; k-- {
			if err := emit(events.KnowledgeAdded, since(), ""); err != nil {
				return o, err
			}
		}
		for k := rng.IntN(4); k > 0; k-- {
			if err := emit(events.IntegrationConnected, since(), ""); err != nil {
				return o, err
			}
		}
		if rng.IntN(4) > 0 {
			if err := emit(events.AIInstructionsUpdated, since(), ""); err != nil {
				return o, err
			}
		}
	}
	// Sessions: healthy orgs have recent ones; inactive ones stopped 31+ days ago.
	var lastSession time.Time
	switch profile {
	case "healthy":
		lastSession = ago(0, 20)
	case "inactive":
		if rng.IntN(5) == 0 || now.Sub(created) < 40*day {
			lastSession = time.Time{}
		} else {
			lastSession = now.Add(-31 * day).Add(-time.Duration(rng.Int64N(int64(now.Sub(created) - 31*day))))
		}
	case "setup":
		if rng.IntN(2) == 0 {
			lastSession = ago(0, 60)
		}
	}
	if !lastSession.IsZero() {
		if lastSession.Before(created) {
			lastSession = created.Add(time.Hour)
		}
		span := int64(lastSession.Sub(created))
		count := 1 + rng.IntN(400)
		for k := 0; k < count; k++ {
			at := lastSession
			if k > 0 {
				at = lastSession.Add(-time.Duration(rng.Int64N(span + 1)))
			}
			if err := emit(events.SessionStarted, at, ""); err != nil {
				return o, err
			}
		}
		o.Messages += count * (2 + rng.IntN(8))
		o.Subscribers += count / 3
	}
	states := []events.Type{events.DeviceRegistered, events.DeviceOnboarded, events.DeviceProvisioned}
	for d := rng.IntN(8); d > 0; d-- {
		if err := emit(states[rng.IntN(3)], since(), fmt.Sprintf("dev-%s-%d", ref, d)); err != nil {
			return o, err
		}
	}
	return save()
}

// seedDemoLicense gives most demo orgs a license: mostly active, some
// ending within 30 days (the renewal report), some expired or unpaid, and
// one in ten none at all.
func seedDemoLicense(ctx context.Context, tx store.Tx, rng *rand.Rand, now time.Time, o *domain.Org, i int) error {
	today := domain.Day(now)
	start := domain.Day(o.CreatedAt)
	var end time.Time
	unpaid := false
	switch i % 10 {
	case 9:
		return nil
	case 7:
		end = today.AddDate(0, 0, -(10 + rng.IntN(90)))
	case 6:
		end = today.AddDate(0, 0, 3+rng.IntN(25))
	case 8:
		end, unpaid = today.AddDate(0, 6, 0), true
	default:
		end = today.AddDate(0, 1+rng.IntN(12), 0)
	}
	if end.Before(start) {
		start = end.AddDate(-1, 0, 0)
	}
	seq, err := tx.NextSeq(ctx, "license")
	if err != nil {
		return err
	}
	l := domain.License{ID: licenseID(seq), Seq: seq, Number: fmt.Sprintf("L-%06d", seq), OrgID: o.ID,
		Start: start, End: end, CreatedAt: o.CreatedAt,
		History: []domain.LicenseChange{{At: o.CreatedAt, Actor: DemoAdminEmail, Action: "issued",
			Detail: fmt.Sprintf("%s to %s for %s (%s)", start.Format(time.DateOnly), end.Format(time.DateOnly), o.Name, o.ID)}}}
	if unpaid {
		at := now.AddDate(0, 0, -3)
		l.Deactivated, l.Unpaid, l.Note = &at, true, domain.ReasonUnpaid
		l.History = append(l.History, domain.LicenseChange{At: at, Actor: DemoAdminEmail, Action: "deactivated", Detail: "reason: unpaid"})
	}
	return tx.PutLicense(ctx, l)
}

var (
	demoFirstNames = []string{"ana", "ben", "chloe", "dev", "emma", "farid", "grace", "hiro", "ines", "jon", "kai", "lena", "mo", "nia", "omar", "pia"}
	demoWords      = []string{"Acme", "Bluebird", "Cobalt", "Driftwood", "Evergreen", "Foxglove", "Granite", "Harbor", "Ironclad", "Juniper", "Kestrel", "Lumen", "Maple", "Nimbus", "Orchid", "Pinnacle", "Quarry", "Redwood", "Summit", "Tidewater", "Upland", "Vertex", "Willow", "Yellowstone", "Zephyr"}
	demoTrades     = []string{"Bakery", "Dental", "Logistics", "Fitness", "Realty", "Outfitters", "Insurance", "Legal", "Motors", "Pet Care", "Florist", "Travel", "Analytics", "Hotels", "Clinic", "Coffee", "Solar", "Plumbing", "Books", "Studios"}
)

// demoNames returns n distinct company names, numbered once the word pairs run out.
func demoNames(rng *rand.Rand, n int) []string {
	pairs := make([]string, 0, len(demoWords)*len(demoTrades))
	for _, w := range demoWords {
		for _, t := range demoTrades {
			pairs = append(pairs, w+" "+t)
		}
	}
	rng.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	out := make([]string, n)
	for i := range out {
		out[i] = pairs[i%len(pairs)]
		if round := i / len(pairs); round > 0 {
			out[i] = fmt.Sprintf("%s %d", out[i], round+1)
		}
	}
	return out
}

// seedDemoTenant gives a demo org its tenant details and, for one org in
// four, a fleet of devices large enough for the device filters to have
// something to tell apart, some of them onboarding. It draws from a
// source of its own, so the orgs' other figures stay what they were
// before tenants existed. It changes o and state only.
func seedDemoTenant(o *domain.Org, i int, now time.Time, state *eventState) {
	rng := rand.New(rand.NewPCG(2027, uint64(i)))
	words := strings.Fields(o.Name)
	initials := ""
	for _, w := range words {
		if c := w[0]; 'A' <= c && c <= 'Z' {
			initials += string(c)
		}
	}
	site := strings.ToLower(words[0]) + ".example"
	t := domain.Tenant{
		EnterpriseName: words[0] + " " + demoEnterprises[rng.IntN(len(demoEnterprises))],
		CustomerName:   o.Name + " " + demoLegalForms[rng.IntN(len(demoLegalForms))],
		ContactEmail:   "it@" + site,
		Shortcode:      fmt.Sprintf("%s%03d", initials, i+1),
		Language:       demoLanguages[rng.IntN(len(demoLanguages))],
	}
	if i%7 != 3 {
		t.Address = fmt.Sprintf("%d %s, %s", 1+rng.IntN(400), demoStreets[rng.IntN(len(demoStreets))], demoCities[rng.IntN(len(demoCities))])
		t.LogoURL = "https://" + site + "/logo.png"
	}
	o.Tenant = t
	if i%4 != 1 {
		return
	}
	fleet := 10 + rng.IntN(110)
	for d := 0; d < fleet; d++ {
		e := events.Event{Type: events.DeviceStateChanged, Device: fmt.Sprintf("%s-%04d", t.Shortcode, d+1),
			At: now.Add(-time.Duration(1+rng.IntN(90*24)) * time.Hour).UTC()}
		switch r := rng.IntN(10); {
		case r < 2:
			e.State = "onboarding_in_progress"
		case r < 4:
			e.State = "registered"
		case r < 6:
			e.State = "onboarded"
		default:
			e.State = "provisioned"
		}
		applyEvent(o, &e, state)
	}
}

// seedDemoConnect makes o a tenant the partner asked to link: pending, or
// rejected by the tenant. Nobody holds the requests' tokens.
func seedDemoConnect(ctx context.Context, tx store.Tx, rng *rand.Rand, now time.Time, o *domain.Org, rejected bool) error {
	seq, err := tx.NextSeq(ctx, "connect")
	if err != nil {
		return err
	}
	made := now.Add(-time.Duration(1+rng.IntN(10*24)) * time.Hour)
	r := domain.ConnectRequest{ID: connectID(seq), Seq: seq, OrgID: o.ID, Email: o.Tenant.ContactEmail,
		TokenHash: token.Hash(fmt.Sprintf("demo-%s-%d", o.ID, rng.Uint64())), CreatedBy: DemoAdminEmail,
		CreatedAt: made, ExpiresAt: made.Add(domain.ConnectValidity)}
	o.LinkStatus = domain.LinkPending
	if rejected {
		at := made.Add(time.Duration(1+rng.IntN(24)) * time.Hour)
		r.RejectedAt, o.LinkStatus = &at, domain.LinkRejected
	}
	if err := tx.PutConnectRequest(ctx, r); err != nil {
		return err
	}
	return tx.PutOrg(ctx, *o)
}

var (
	demoEnterprises = []string{"Holdings", "Group", "Ventures", "Partners", "Enterprises"}
	demoLegalForms  = []string{"LLC", "Inc.", "Ltd", "GmbH", "S.A.", "B.V."}
	demoLanguages   = []string{"en", "en", "en-GB", "de", "fr", "es", "pt-BR", "nl", "it", "ja"}
	demoStreets     = []string{"Main St", "Harbor Rd", "Oak Ave", "Market St", "Mill Lane", "King St", "Elm St", "Station Rd"}
	demoCities      = []string{"Springfield", "Portland", "Leeds", "Munich", "Lyon", "Valencia", "Porto Alegre", "Utrecht", "Turin", "Osaka"}
)
