package console

import (
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/health"
)

// at returns a console over the same store with the clock at t.
func (c *Console) at(t string) *Console {
	now, err := time.Parse(time.RFC3339, t)
	if err != nil {
		panic(err)
	}
	return New(c.st, Options{Clock: clock.Fixed(now), As: c.as, Session: c.session})
}

func TestLicenseLifeCycleAndHistory(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Acme Bakery", "AC-1")
	mustCreate(t, c, "Bolt", "BL-2")

	l, err := c.IssueLicense(ctx, IssueParams{Start: "2026-12-01", End: "2026-12-31T10:00:00-05:00", Org: "AC-1"})
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != "lic_000001" || l.Number != "L-000001" || l.End.Format(time.DateOnly) != "2026-12-31" || l.OrgName != "Acme Bakery" {
		t.Fatalf("issued %+v", l)
	}
	if l.Status != domain.LicenseInactive || l.Reason != domain.ReasonNotStarted {
		t.Fatalf("before start: %s %s", l.Status, l.Reason)
	}
	orgStatus := func(c *Console, ref string) string {
		v, err := c.ShowOrg(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v.LicenseStatus
	}
	if got := orgStatus(c, "AC-1"); got != "none" {
		t.Fatalf("license not started yet, org license_status %q", got)
	}
	dec := c.at("2026-12-01T00:00:00Z")
	if got := orgStatus(dec, "AC-1"); got != "active" {
		t.Fatalf("start day: %q", got)
	}
	page, _ := dec.ListOrgs(ctx, OrgQuery{License: "none"})
	if names(page) != "Bolt" {
		t.Fatalf("--license none: %s", names(page))
	}
	if got := orgStatus(c.at("2027-01-01T00:00:00Z"), "AC-1"); got != "none" {
		t.Fatalf("the day after end: %q", got)
	}

	// A license another org holds moves only when asked to.
	_, err = dec.AssignLicense(ctx, "L-000001", "BL-2")
	if code, args := fail.CodeOf(err); !fail.Is(err, fail.Conflict) || code != fail.CodeLicenseHeld ||
		err.Error() != "license lic_000001 (L-000001) belongs to Acme Bakery (org_000002)" || strings.Join(args, ",") != "L-000001,Bolt" {
		t.Fatalf("assigning a held license without moving it: %v (%s %v)", err, code, args)
	}
	if orgStatus(dec, "AC-1") != "active" {
		t.Fatal("a refused assign moved the license")
	}
	if _, err := dec.AssignLicenseTo(ctx, AssignParams{License: "L-000001", Org: "BL-2", Move: true, From: "org_000009"}); !fail.Is(err, fail.Conflict) {
		t.Fatalf("moving from an org that doesn't hold it: %v", err)
	}
	moved, err := dec.AssignLicenseTo(ctx, AssignParams{License: "L-000001", Org: "BL-2", Move: true, From: "org_000002"})
	if err != nil || moved.FromID != "org_000002" || moved.FromName != "Acme Bakery" || moved.OrgName != "Bolt" {
		t.Fatalf("move: %+v %v", moved, err)
	}
	if orgStatus(dec, "AC-1") != "none" || orgStatus(dec, "BL-2") != "active" {
		t.Fatal("assign must move the license")
	}
	paged, _ := dec.ListOrgs(ctx, OrgQuery{Page: 1, PerPage: 10})
	scanned, _ := dec.ListOrgs(ctx, OrgQuery{FailOn: []health.Status{health.Healthy}})
	for i := range paged.Orgs {
		if paged.Orgs[i].LicenseStatus != scanned.Orgs[i].LicenseStatus {
			t.Fatalf("%s: first page says %s, full scan %s", paged.Orgs[i].Name, paged.Orgs[i].LicenseStatus, scanned.Orgs[i].LicenseStatus)
		}
	}
	if paged.Orgs[1].Name != "Bolt" || paged.Orgs[1].LicenseStatus != "active" {
		t.Fatalf("first page %+v", paged.Orgs[1])
	}
	if _, err := dec.AssignLicense(ctx, "lic_000001", "BL-2"); !fail.Is(err, fail.Conflict) {
		t.Fatalf("assigning twice: %v", err)
	}
	v, err := dec.DeactivateLicense(ctx, "lic_000001", "Unpaid")
	if err != nil || v.Reason != domain.ReasonUnpaid {
		t.Fatalf("unpaid: %+v %v", v, err)
	}
	if _, err := dec.DeactivateLicense(ctx, "lic_000001", "again"); !fail.Is(err, fail.Conflict) {
		t.Fatalf("deactivating twice: %v", err)
	}
	v, err = dec.RenewLicense(ctx, "lic_000001", "2027-06-30")
	if err != nil || v.Status != domain.LicenseActive || v.End.Format(time.DateOnly) != "2027-06-30" {
		t.Fatalf("renew lifts unpaid: %+v %v", v, err)
	}
	v, _ = dec.DeactivateLicense(ctx, "lic_000001", "customer churned")
	if v.Reason != domain.ReasonDeactivated || v.Note != "customer churned" {
		t.Fatalf("deactivated: %+v", v)
	}
	v, _ = dec.RenewLicense(ctx, "lic_000001", "2027-12-31")
	if v.Reason != domain.ReasonDeactivated {
		t.Fatalf("a renewal must not lift a deliberate deactivation: %+v", v)
	}

	v, _ = dec.ShowLicense(ctx, "l-000001")
	var hist []string
	for _, h := range v.History {
		hist = append(hist, h.At.Format("01-02")+" "+h.Actor+" "+h.Action+": "+h.Detail)
	}
	want := []string{
		"11-23 admin@acme.example issued: 2026-12-01 to 2026-12-31 for Acme Bakery (org_000002)",
		"12-01 admin@acme.example assigned: to Bolt (org_000003), from Acme Bakery (org_000002)",
		"12-01 admin@acme.example deactivated: reason: Unpaid",
		"12-01 admin@acme.example renewed: end 2026-12-31 → 2027-06-30, payment received: reactivated",
		"12-01 admin@acme.example deactivated: reason: customer churned",
		"12-01 admin@acme.example renewed: end 2027-06-30 → 2027-12-31",
	}
	if strings.Join(hist, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history:\n%s\nwant:\n%s", strings.Join(hist, "\n"), strings.Join(want, "\n"))
	}
}

func TestLicenseInputErrors(t *testing.T) {
	c := newTestConsole(t)
	cases := []struct {
		p    IssueParams
		kind fail.Kind
		msg  string
	}{
		{IssueParams{Start: "2026-12-01", End: "2026-11-30"}, fail.Usage, "end 2026-11-30 is before start 2026-12-01"},
		{IssueParams{Start: "12/01/2026", End: "2026-11-30"}, fail.Usage, `invalid start "12/01/2026": want YYYY-MM-DD or an RFC 3339 time`},
		{IssueParams{Start: "2026-12-01", End: "2026-02-30"}, fail.Usage, `invalid end "2026-02-30": want YYYY-MM-DD or an RFC 3339 time`},
		{IssueParams{Start: "2026-12-01", End: "2026-12-02", Org: "ghost"}, fail.NotFound, ""},
	}
	for _, tc := range cases {
		_, err := c.IssueLicense(ctx, tc.p)
		if !fail.Is(err, tc.kind) || (tc.msg != "" && err.Error() != tc.msg) {
			t.Errorf("%+v: %v", tc.p, err)
		}
	}
	if _, err := c.IssueLicense(ctx, IssueParams{Start: "2026-12-01", End: "2026-12-01", Number: "X-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IssueLicense(ctx, IssueParams{Start: "2026-12-01", End: "2026-12-01", Number: "x-1"}); !fail.Is(err, fail.Conflict) {
		t.Fatalf("duplicate number: %v", err)
	}
	if _, err := c.RenewLicense(ctx, "X-1", "2026-11-01"); !fail.Is(err, fail.Usage) {
		t.Fatalf("renew before start: %v", err)
	}
	if _, err := c.ShowLicense(ctx, "lic_999999"); !fail.Is(err, fail.NotFound) {
		t.Fatalf("unknown: %v", err)
	}
	if _, err := c.DeactivateLicense(ctx, "X-1", " "); !fail.Is(err, fail.Usage) {
		t.Fatalf("empty reason: %v", err)
	}
	if _, err := c.ListLicenses(ctx, LicenseQuery{Status: "paused", ExpiringWithin: -1}); !fail.Is(err, fail.Usage) {
		t.Fatalf("bad status: %v", err)
	}
}

func TestExpiringWithin(t *testing.T) {
	c := newTestConsole(t) // today is 2026-11-23
	for _, end := range []string{"2026-11-23", "2026-12-23", "2026-12-24", "2026-11-22"} {
		if _, err := c.IssueLicense(ctx, IssueParams{Start: "2026-01-01", End: end}); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := c.ListLicenses(ctx, LicenseQuery{ExpiringWithin: 30})
	if err != nil {
		t.Fatal(err)
	}
	var ends []string
	for _, l := range ls {
		ends = append(ends, l.End.Format(time.DateOnly))
	}
	if strings.Join(ends, ",") != "2026-11-23,2026-12-23" {
		t.Fatalf("expiring within 30 days: %v (the expired one and the one ending on day 31 are out)", ends)
	}
	for in, want := range map[string]int{"30d": 30, "0d": 0, "72h": 3, "25h": 2} {
		if got, err := ParseDays("--x", in); err != nil || got != want {
			t.Errorf("ParseDays(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "-1d", "month", "3 days"} {
		if _, err := ParseDays("--x", in); !fail.Is(err, fail.Usage) {
			t.Errorf("ParseDays(%q) accepted", in)
		}
	}
}

func TestBrandColors(t *testing.T) {
	c := newTestConsole(t)
	str := func(s string) *string { return &s }
	b, err := c.SetBrand(ctx, BrandChanges{SidebarColor: str("#1F2937"), LogoURL: str("https://acme.example/logo.svg")})
	if err != nil || b.SidebarColor != "#1f2937" || b.LogoURL != "https://acme.example/logo.svg" {
		t.Fatalf("%+v %v", b, err)
	}
	for _, bad := range []string{"1f2937", "#1f293", "#1f29377", "#gggggg", "red", ""} {
		_, err := c.SetBrand(ctx, BrandChanges{ButtonColor: str(bad)})
		if !fail.Is(err, fail.Usage) || !strings.HasPrefix(err.Error(), "invalid button color") || !hasField(err, "button_color") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	p, _ := c.Partner(ctx)
	if p.LogoURL != "https://acme.example/logo.svg" || p.Brand.ButtonColor != "" {
		t.Fatalf("partner after brand set: %+v", p)
	}
}
