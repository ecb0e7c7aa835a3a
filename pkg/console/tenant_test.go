package console

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/health"
)

func ptr[T any](v T) *T { return &v }

func TestTenantDetailsOnCreateAndUpdate(t *testing.T) {
	c := newTestConsole(t)
	v, _, err := c.CreateOrgWith(ctx, CreateOrgParams{Name: "Harbor Dental", Ref: "HD-1", Tenant: domain.Tenant{
		EnterpriseName: " Harbor Holdings ", CustomerName: "Harbor Dental LLC", ContactEmail: "IT@Harbor.example",
		Shortcode: "HBD1", Address: "1 Harbor Rd, Portland", Language: "pt-br", LogoURL: "https://harbor.example/logo.png"}})
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Tenant{EnterpriseName: "Harbor Holdings", CustomerName: "Harbor Dental LLC", ContactEmail: "it@harbor.example",
		Shortcode: "HBD1", Address: "1 Harbor Rd, Portland", Language: "pt-BR", LogoURL: "https://harbor.example/logo.png"}
	if v.Tenant != want || v.Link() != domain.LinkAccepted || v.LinkStatus != domain.LinkAccepted {
		t.Fatalf("created %+v (%s)", v.Tenant, v.LinkStatus)
	}
	// ORG arguments take a shortcode too, in any case; --search matches it.
	for _, key := range []string{"HBD1", "hbd1"} {
		if got, err := c.ShowOrg(ctx, key); err != nil || got.ID != v.ID {
			t.Fatalf("show %s: %v %v", key, got.ID, err)
		}
	}
	if p, _ := c.ListOrgs(ctx, OrgQuery{Search: "bd1"}); names(p) != "Harbor Dental" {
		t.Fatalf("search by shortcode: %q", names(p))
	}

	// A shortcode is unique among live orgs, pending ones included.
	_, _, err = c.CreateOrgWith(ctx, CreateOrgParams{Name: "Other", Tenant: domain.Tenant{Shortcode: "HBD1"}})
	if !fail.Is(err, fail.Conflict) || !hasField(err, "shortcode") || err.Error() != `shortcode "HBD1" is already used by Harbor Dental (org_000002)` {
		t.Fatalf("taken shortcode: %v", err)
	}
	if _, err := c.ConnectOrg(ctx, ConnectParams{Name: "P", Email: "p@p.example", Tenant: domain.Tenant{Shortcode: "PEND1"}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateOrg(ctx, "HD-1", OrgChanges{Tenant: TenantChanges{Shortcode: ptr("PEND1")}})
	if !fail.Is(err, fail.Conflict) {
		t.Fatalf("shortcode of a pending org: %v", err)
	}

	// Update sets, keeps and clears; an unchanged value changes nothing.
	v, err = c.UpdateOrg(ctx, "hbd1", OrgChanges{Tenant: TenantChanges{Shortcode: ptr("HBD2"), Address: ptr(""), Language: ptr("EN"), CustomerName: ptr("Harbor Dental LLC")}})
	if err != nil || v.Tenant.Shortcode != "HBD2" || v.Tenant.Address != "" || v.Tenant.Language != "en" || v.Tenant.EnterpriseName != "Harbor Holdings" {
		t.Fatalf("update: %+v %v", v.Tenant, err)
	}
	if _, err := c.ShowOrg(ctx, "HBD1"); !fail.Is(err, fail.NotFound) {
		t.Fatalf("the old shortcode still finds the org: %v", err)
	}
	var details string
	for e, err := range auditOf(t, c) {
		if err == nil && e.Action == "org.updated" {
			details = e.Detail
		}
	}
	if details != "shortcode,address,language" {
		t.Fatalf("audited changes %q", details)
	}
	// The freed code can be taken; a deleted org frees its code too.
	if _, _, err := c.CreateOrgWith(ctx, CreateOrgParams{Name: "Next", Tenant: domain.Tenant{Shortcode: "HBD1"}}); err != nil {
		t.Fatalf("a freed shortcode: %v", err)
	}
	if _, err := c.DeleteOrg(ctx, "HD-1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.CreateOrgWith(ctx, CreateOrgParams{Name: "Again", Tenant: domain.Tenant{Shortcode: "HBD2"}}); err != nil {
		t.Fatalf("the shortcode of a deleted org: %v", err)
	}
}

// Each detail is checked at its boundary and a refusal names its field.
func TestTenantDetailValidation(t *testing.T) {
	c := newTestConsole(t)
	long := strings.Repeat("x", 201)
	for _, tc := range []struct {
		tenant domain.Tenant
		field  string
	}{
		{domain.Tenant{EnterpriseName: long}, "enterprise_name"},
		{domain.Tenant{CustomerName: "two\nlines"}, "customer_name"},
		{domain.Tenant{CustomerName: "esc\x1b[31m"}, "customer_name"},
		{domain.Tenant{ContactEmail: "not-an-email"}, "contact_email"},
		{domain.Tenant{Shortcode: "A"}, "shortcode"},
		{domain.Tenant{Shortcode: "ABCDEFGHIJKLM"}, "shortcode"},
		{domain.Tenant{Shortcode: "abc"}, "shortcode"},
		{domain.Tenant{Address: strings.Repeat("a", 301)}, "address"},
		{domain.Tenant{Language: "xx"}, "language"},
		{domain.Tenant{Language: "und"}, "language"},
		{domain.Tenant{LogoURL: "ftp://x.example/logo.png"}, "logo_url"},
		{domain.Tenant{LogoURL: "logo.png"}, "logo_url"},
	} {
		_, _, err := c.CreateOrgWith(ctx, CreateOrgParams{Name: "X", Tenant: tc.tenant})
		if !fail.Is(err, fail.Usage) || !hasField(err, tc.field) {
			t.Errorf("%+v: %v, want a usage error about %s", tc.tenant, err, tc.field)
		}
	}
	ok := domain.Tenant{EnterpriseName: strings.Repeat("x", 200), Address: strings.Repeat("a", 300), Shortcode: "AB", Language: "zh-Hant-TW"}
	if _, _, err := c.CreateOrgWith(ctx, CreateOrgParams{Name: "X", Tenant: ok}); err != nil {
		t.Fatalf("details at their limits: %v", err)
	}
	if _, err := c.UpdateOrg(ctx, "X", OrgChanges{}); !fail.Is(err, fail.Usage) {
		t.Fatalf("empty update: %v", err)
	}
}

func TestImportTenantColumns(t *testing.T) {
	c := newTestConsole(t)
	res, err := c.ImportOrgs(ctx, strings.NewReader(
		"Shortcode,name,ref_id,Language,contact_email,address,logo_url,enterprise_name,customer_name\n"+
			"HD1,Harbor Dental,HD-1,pt-BR,it@harbor.example,\"1 Harbor Rd, Portland\",https://harbor.example/l.png,Harbor Holdings,Harbor LLC\n"+
			",Quiet Co,,,,,,,\n"))
	if err != nil || res.Len() != 2 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if got := res.Created(0).Tenant; got.Shortcode != "HD1" || got.Language != "pt-BR" || got.Address != "1 Harbor Rd, Portland" ||
		got.EnterpriseName != "Harbor Holdings" || got.CustomerName != "Harbor LLC" || got.ContactEmail != "it@harbor.example" ||
		got.LogoURL != "https://harbor.example/l.png" {
		t.Fatalf("imported %+v", got)
	}
	if quiet := res.Created(1); quiet.Tenant != (domain.Tenant{}) || quiet.Link() != domain.LinkAccepted {
		t.Fatalf("empty cells: %+v", quiet.Tenant)
	}

	for _, tc := range []struct{ in, want string }{
		{"name,colour\nA,red\n", `line 1: unknown column "colour" in the header; known columns: name, ref_id, owner_email, enterprise_name, customer_name, contact_email, shortcode, address, language, logo_url`},
		{"ref_id,shortcode\nR1,AB\n", "line 1: missing required column name in the header"},
		{"name,Name\nA,B\n", `line 1: column "name" appears twice in the header`},
		{"name;ref_id;shortcode\nA;R1;AB\n", "line 1: the file is not comma-separated: its first line has no commas but 2 semicolons; save it as comma-separated CSV"},
		{"Acme Bakery;R1\n", "line 1: the file is not comma-separated: its first line has no commas but a semicolon; save it as comma-separated CSV"},
		{"name\tref_id\nA\tR1\n", "line 1: the file is not comma-separated: its first line has no commas but a tab; save it as comma-separated CSV"},
		{"\xff\xfen\x00a\x00", "line 1: the file is UTF-16 (little-endian) text: save it as comma-separated CSV in UTF-8"},
		{"name,shortcode,language\nA,ab,en\nB,AB,xx\n", `line 2: invalid shortcode "ab": want 2 to 12 upper-case letters or digits (A-Z, 0-9)|line 3: invalid language "xx": want a BCP 47 language tag such as en, de or pt-BR`},
	} {
		_, err := c.ImportOrgs(ctx, strings.NewReader(tc.in))
		var bad *fail.InputError
		if !errors.As(err, &bad) || !fail.Is(err, fail.Usage) {
			t.Errorf("%q: %v, want line errors", tc.in, err)
			continue
		}
		var got []string
		for _, l := range bad.Lines {
			got = append(got, l.String())
		}
		if strings.Join(got, "|") != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, strings.Join(got, "|"), tc.want)
		}
	}

	// Shortcodes repeated in the file or taken by a live org: conflicts.
	_, err = c.ImportOrgs(ctx, strings.NewReader("name,shortcode\nA,XY\nB,XY\nC,HD1\n"))
	var bad *fail.InputError
	if !errors.As(err, &bad) || !fail.Is(err, fail.Conflict) || len(bad.Lines) != 2 ||
		bad.Lines[0].String() != `line 3: shortcode "XY" repeats line 2` ||
		bad.Lines[1].String() != `line 4: shortcode "HD1" is already used by Harbor Dental (org_000002)` {
		t.Fatalf("shortcode conflicts: %v %+v", err, bad)
	}
}

func TestDeviceFiltersAreInclusive(t *testing.T) {
	c := newTestConsole(t)
	for _, o := range []struct {
		name    string
		devices int
	}{{"None", 0}, {"Two", 2}, {"Five", 5}, {"Nine", 9}} {
		v := mustCreate(t, c, o.name, "")
		var lines []string
		for d := range o.devices {
			lines = append(lines, `{"id":"`+o.name+string(rune('a'+d))+`","org":"`+v.ID+`","type":"device.registered","device":"d`+string(rune('a'+d))+`","at":"2026-11-20T10:00:00Z"}`)
		}
		if len(lines) > 0 {
			importLines(t, c, false, lines...)
		}
	}
	for _, tc := range []struct {
		min, max *int
		want     string
	}{
		{ptr(2), ptr(5), "Five,Two"},
		{ptr(2), nil, "Five,Nine,Two"},
		{nil, ptr(2), "None,Two"},
		{ptr(0), ptr(0), "None"},
		{ptr(5), ptr(5), "Five"},
		{ptr(3), ptr(4), ""},
		{ptr(10), nil, ""},
		{ptr(0), ptr(math.MaxInt), "Five,Nine,None,Two"},
	} {
		p, err := c.ListOrgs(ctx, OrgQuery{DevicesMin: tc.min, DevicesMax: tc.max})
		if err != nil || names(p) != tc.want || !p.Filtered {
			t.Errorf("devices %v..%v: %q %v, want %q", deref(tc.min), deref(tc.max), names(p), err, tc.want)
		}
	}
	p, _ := c.ListOrgs(ctx, OrgQuery{Sort: SortDevices, Desc: true})
	if names(p) != "Nine,Five,Two,None" {
		t.Fatalf("sort devices desc: %s", names(p))
	}
	for _, q := range []OrgQuery{{DevicesMin: ptr(-1)}, {DevicesMax: ptr(-1)}, {DevicesMin: ptr(3), DevicesMax: ptr(2)}} {
		if _, err := c.ListOrgs(ctx, q); !fail.Is(err, fail.Usage) {
			t.Errorf("devices %v..%v: %v, want a usage error", deref(q.DevicesMin), deref(q.DevicesMax), err)
		}
	}
}

func deref(p *int) any {
	if p == nil {
		return "∞"
	}
	return *p
}

func TestPageLastAndPastTheEnd(t *testing.T) {
	c := newTestConsole(t)
	for i := 1; i <= 23; i++ {
		mustCreate(t, c, "Org "+string(rune('A'+i)), "")
	}
	for _, gate := range [][]health.Status{nil, {health.Healthy}} { // the index path and the full scan
		p, err := c.ListOrgs(ctx, OrgQuery{Page: PageLast, PerPage: 10, FailOn: gate})
		if err != nil || p.Page != 3 || p.Pages != 3 || len(p.Orgs) != 3 || p.Offset != 20 {
			t.Fatalf("last page: page %d of %d, %d rows at %d (%v)", p.Page, p.Pages, len(p.Orgs), p.Offset, err)
		}
		for _, page := range []int{4, math.MaxInt, math.MaxInt / 10} {
			p, err = c.ListOrgs(ctx, OrgQuery{Page: page, PerPage: 100, FailOn: gate})
			if err != nil || len(p.Orgs) != 0 || p.Pages != 1 || p.Offset != 23 || p.Page != page {
				t.Fatalf("page %d: %d rows, %d pages (%v)", page, len(p.Orgs), p.Pages, err)
			}
		}
	}
	empty := newTestConsole(t)
	p, err := empty.ListOrgs(ctx, OrgQuery{Page: PageLast, PerPage: 25})
	if err != nil || p.Page != 1 || p.Pages != 1 || len(p.Orgs) != 0 {
		t.Fatalf("last page of nothing: %+v %v", p, err)
	}
}

func TestFailOnUnlicensedAndTheLicenseReason(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Licensed", "L1")
	mustCreate(t, c, "Lapsed", "L2")
	mustCreate(t, c, "Never", "L3")
	if _, err := c.IssueLicense(ctx, IssueParams{Start: "2026-01-01", End: "2027-01-01", Org: "L1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IssueLicense(ctx, IssueParams{Start: "2025-01-01", End: "2026-10-31", Org: "L2"}); err != nil {
		t.Fatal(err)
	}
	statuses, unlicensed, err := ParseFailOn("inactive, Unlicensed")
	if err != nil || !unlicensed || len(statuses) != 1 || statuses[0] != health.Inactive {
		t.Fatalf("ParseFailOn: %v %v %v", statuses, unlicensed, err)
	}
	if _, _, err := ParseFailOn("happy"); !fail.Is(err, fail.Usage) || !hasField(err, "fail_on") {
		t.Fatalf("bad gate: %v", err)
	}
	p, _ := c.ListOrgs(ctx, OrgQuery{FailOnUnlicensed: true, Page: 1, PerPage: 10})
	if p.GateMatches != 2 {
		t.Fatalf("unlicensed gate matched %d, want 2", p.GateMatches)
	}
	reasons := map[string]string{}
	for _, v := range p.Orgs {
		reasons[v.Name] = v.LicenseReason
	}
	want := map[string]string{
		"Licensed": "",
		"Lapsed":   "no active license (L-000002 expired on 2026-10-31): the org's chatbots do not respond to messages",
		"Never":    "no active license (none assigned): the org's chatbots do not respond to messages",
	}
	for name, r := range want {
		if reasons[name] != r {
			t.Errorf("%s: license reason %q, want %q", name, reasons[name], r)
		}
		if v, _ := c.ShowOrg(ctx, name); v.LicenseReason != r {
			t.Errorf("show %s: license reason %q, want %q", name, v.LicenseReason, r)
		}
	}
}
