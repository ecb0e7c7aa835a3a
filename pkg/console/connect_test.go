package console

import (
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/token"
)

func mustConnect(t *testing.T, c *Console, name, email, ref string) NewConnect {
	t.Helper()
	nc, err := c.ConnectOrg(ctx, ConnectParams{Name: name, Email: email, Ref: ref})
	if err != nil {
		t.Fatal(err)
	}
	return nc
}

func connectToken(t *testing.T, url string) string {
	t.Helper()
	tok, err := token.Parse(url)
	if err != nil || !token.WellFormed(token.ConnectPrefix, tok) {
		t.Fatalf("approval URL %q: token %q %v", url, tok, err)
	}
	return tok
}

func TestConnectMakesAPendingOrgOutsideTheConsole(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Acme Bakery", "AC-1")
	nc := mustConnect(t, c, "Harbor Dental", " IT@Harbor.example ", "HD-1")
	if !strings.HasPrefix(nc.URL, "https://login.example.com/connect?token=pcr_") || nc.Org.Link() != domain.LinkPending ||
		nc.Org.Tenant.ContactEmail != "it@harbor.example" || nc.State != domain.ConnectPending ||
		!nc.ExpiresAt.Equal(testNow.Add(7*24*time.Hour)) || nc.Email != "it@harbor.example" {
		t.Fatalf("connect: %+v", nc)
	}
	connectToken(t, nc.URL)

	// Only connected orgs are listed by default and counted.
	p, err := c.ListOrgs(ctx, OrgQuery{})
	if err != nil || names(p) != "Acme Bakery" || p.Total != 1 {
		t.Fatalf("default list: %s (total %d) %v", names(p), p.Total, err)
	}
	p, _ = c.ListOrgs(ctx, OrgQuery{Page: 1, PerPage: 10})
	if names(p) != "Acme Bakery" || p.Matches != 1 {
		t.Fatalf("first page: %s", names(p))
	}
	p, _ = c.ListOrgs(ctx, OrgQuery{Links: []domain.LinkStatus{domain.LinkPending}})
	if names(p) != "Harbor Dental" || !p.Filtered || p.Total != 1 {
		t.Fatalf("--link-status pending: %s", names(p))
	}
	all, _ := ParseLinkStatuses("all")
	p, _ = c.ListOrgs(ctx, OrgQuery{Links: all, Page: 1, PerPage: 10})
	if names(p) != "Acme Bakery,Harbor Dental" {
		t.Fatalf("--link-status all: %s", names(p))
	}
	if pv, _ := c.Partner(ctx); pv.ConnectedOrgs != 1 {
		t.Fatalf("connected orgs %d", pv.ConnectedOrgs)
	}
	if s, _ := c.Stats(ctx); s.Connected != 1 || s.Pending != 1 || s.Rejected != 0 {
		t.Fatalf("stats %+v", s)
	}

	// It can be shown, but not opened or signed into: exit 5 saying why.
	if v, err := c.ShowOrg(ctx, "HD-1"); err != nil || v.Link() != domain.LinkPending {
		t.Fatalf("show: %v %v", v.LinkStatus, err)
	}
	_, err = c.OpenOrg(ctx, "HD-1")
	if !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "can't be opened: it has not accepted the partner's connect request yet (link status pending)") {
		t.Fatalf("open a pending org: %v", err)
	}
	_, err = c.CreateLink(ctx, LinkParams{Org: "HD-1", Email: "a@harbor.example"})
	if !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "can't get login links") {
		t.Fatalf("link into a pending org: %v", err)
	}
	// The ref and name are taken like any live org's.
	if _, err := c.CreateOrg(ctx, "Other", "hd-1"); !fail.Is(err, fail.Conflict) {
		t.Fatalf("ref of a pending org: %v", err)
	}
}

func TestConnectAcceptAndReject(t *testing.T) {
	c := newTestConsole(t)
	accepted := mustConnect(t, c, "Harbor Dental", "it@harbor.example", "HD-1")
	rejected := mustConnect(t, c, "Cobalt Realty", "it@cobalt.example", "")

	// No current user is needed: the token is the credential.
	anon := New(c.st, Options{Clock: c.now})
	v, err := anon.AcceptConnect(ctx, accepted.URL)
	if err != nil || v.State != domain.ConnectAccepted || v.SettledAt == nil || !v.SettledAt.Equal(testNow) {
		t.Fatalf("accept: %+v %v", v, err)
	}
	v, err = anon.RejectConnect(ctx, " "+connectToken(t, rejected.URL)+"\n")
	if err != nil || v.State != domain.ConnectRejected {
		t.Fatalf("reject: %+v %v", v, err)
	}
	p, _ := c.ListOrgs(ctx, OrgQuery{})
	if names(p) != "Harbor Dental" || p.Total != 1 {
		t.Fatalf("after settling: %s (total %d)", names(p), p.Total)
	}
	p, _ = c.ListOrgs(ctx, OrgQuery{Links: []domain.LinkStatus{domain.LinkRejected}})
	if names(p) != "Cobalt Realty" {
		t.Fatalf("rejected: %s", names(p))
	}
	if _, err := c.OpenOrg(ctx, "HD-1"); err != nil {
		t.Fatalf("open an accepted org: %v", err)
	}
	if _, err := c.OpenOrg(ctx, "Cobalt Realty"); !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "it rejected the partner's connect request") {
		t.Fatalf("open a rejected org: %v", err)
	}

	// Settled once: a second try is a conflict saying which; a token never
	// issued is not found.
	for _, tc := range []struct {
		settle func() error
		want   string
	}{
		{func() error { _, err := anon.AcceptConnect(ctx, accepted.URL); return err }, "was already accepted at 2026-11-23T12:00:00Z"},
		{func() error { _, err := anon.RejectConnect(ctx, accepted.URL); return err }, "was already accepted"},
		{func() error { _, err := anon.AcceptConnect(ctx, rejected.URL); return err }, "was already rejected"},
	} {
		if err := tc.settle(); !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("settling twice: %v, want a conflict containing %q", err, tc.want)
		}
	}
	never, _ := token.New(token.ConnectPrefix)
	if _, err := anon.AcceptConnect(ctx, never); !fail.Is(err, fail.NotFound) {
		t.Fatalf("a token never issued: %v", err)
	}
	if _, err := anon.AcceptConnect(ctx, ""); !fail.Is(err, fail.Usage) {
		t.Fatalf("no token: %v", err)
	}
	var actions []string
	for e, err := range auditOf(t, c) {
		if err == nil && strings.HasPrefix(e.Action, "org.connect") {
			actions = append(actions, e.Actor+" "+e.Action+" "+e.OrgName)
		}
	}
	want := "admin@acme.example org.connect_requested Harbor Dental|admin@acme.example org.connect_requested Cobalt Realty|" +
		"it@harbor.example org.connect_accepted Harbor Dental|it@cobalt.example org.connect_rejected Cobalt Realty"
	if strings.Join(actions, "|") != want {
		t.Fatalf("audit:\n%s\nwant\n%s", strings.Join(actions, "|"), want)
	}
}

// A connect request is valid for exactly 7 days.
func TestConnectRequestExpiresAtSevenDays(t *testing.T) {
	c := newTestConsole(t)
	first := mustConnect(t, c, "Harbor Dental", "it@harbor.example", "")
	second := mustConnect(t, c, "Cobalt Realty", "it@cobalt.example", "")
	week := testNow.Add(7 * 24 * time.Hour)
	_, err := c.at(week.Format(time.RFC3339)).AcceptConnect(ctx, first.URL)
	if !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "expired at 2026-11-30T12:00:00Z") {
		t.Fatalf("at exactly 7 days: %v", err)
	}
	justBefore := New(c.st, Options{Clock: func() time.Time { return week.Add(-time.Nanosecond) }})
	if _, err := justBefore.AcceptConnect(ctx, second.URL); err != nil {
		t.Fatalf("a nanosecond before 7 days: %v", err)
	}
}

func TestConnectOfADeletedOrgIsAConflict(t *testing.T) {
	c := newTestConsole(t)
	nc := mustConnect(t, c, "Harbor Dental", "it@harbor.example", "HD-1")
	if _, err := c.DeleteOrg(ctx, "HD-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AcceptConnect(ctx, nc.URL); !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "which was deleted") {
		t.Fatalf("accepting for a deleted org: %v", err)
	}
	if s, _ := c.Stats(ctx); s.Pending != 0 {
		t.Fatalf("a deleted pending org still counted: %+v", s)
	}
}

func TestConnectValidatesItsInput(t *testing.T) {
	c := newTestConsole(t)
	for _, tc := range []struct {
		p     ConnectParams
		field string
	}{
		{ConnectParams{Name: "X", Email: "nope"}, "email"},
		{ConnectParams{Name: "X", Email: "a@b.example", Tenant: domain.Tenant{Shortcode: "x"}}, "shortcode"},
		{ConnectParams{Name: "X", Email: "a@b.example", Tenant: domain.Tenant{Language: "klingon!"}}, "language"},
	} {
		if _, err := c.ConnectOrg(ctx, tc.p); !fail.Is(err, fail.Usage) || !hasField(err, tc.field) {
			t.Errorf("%+v: %v, want a usage error about %s", tc.p, err, tc.field)
		}
	}
	if _, err := c.ConnectOrg(ctx, ConnectParams{Email: "a@b.example"}); !fail.Is(err, fail.Usage) {
		t.Errorf("no name: %v", err)
	}
	// Nothing was written by the refused requests.
	n := 0
	c.st.View(ctx, func(tx store.Tx) error {
		for _, err := range tx.ConnectRequests(ctx, "") {
			if err == nil {
				n++
			}
		}
		return nil
	})
	if n != 0 {
		t.Fatalf("%d connect requests written", n)
	}
}

func auditOf(t *testing.T, c *Console) func(func(domain.AuditEntry, error) bool) {
	t.Helper()
	var entries []domain.AuditEntry
	err := c.st.View(ctx, func(tx store.Tx) error {
		for e, err := range tx.AuditEntries(ctx, store.AuditFilter{}) {
			if err != nil {
				return err
			}
			entries = append(entries, e)
		}
		return nil
	})
	return func(yield func(domain.AuditEntry, error) bool) {
		if err != nil {
			yield(domain.AuditEntry{}, err)
			return
		}
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}
