package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func TestOpenOrgGrantsPartnerRoleNotCounted(t *testing.T) {
	e := newLinkEnv(t)
	c := e.as("")
	cur, err := c.CurrentOrg(ctx)
	if err != nil || !cur.AdminOrg || cur.OrgName != "Acme HQ" || cur.Role != "owner" {
		t.Fatalf("current before open = %+v, %v", cur, err)
	}
	v, err := c.OpenOrg(ctx, "bakery")
	if err != nil {
		t.Fatal(err)
	}
	want := console.ActiveOrg{OrgID: e.org.ID, OrgName: "Bakery", RefID: "BAK-1", Role: "partner",
		InboxURL: "https://login.acme.example/orgs/" + e.org.ID + "/inbox"}
	if v != want {
		t.Fatalf("open = %+v; want %+v", v, want)
	}
	if cur, _ := c.CurrentOrg(ctx); cur != want {
		t.Fatalf("current = %+v; want %+v", cur, want)
	}
	o, _ := c.ShowOrg(ctx, e.org.ID)
	if o.Users != 0 {
		t.Fatalf("users = %d after open; the partner role must not count", o.Users)
	}
	err = e.st.View(ctx, func(tx store.Tx) error {
		m, err := tx.Membership(ctx, e.org.ID, "you@acme.example")
		if err == nil && m.Role != domain.RolePartner {
			t.Errorf("role %s; want partner", m.Role)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// opening again keeps the one membership and still counts nobody
	if _, err := c.OpenOrg(ctx, e.org.ID); err != nil {
		t.Fatal(err)
	}
	if o, _ := c.ShowOrg(ctx, e.org.ID); o.Users != 0 {
		t.Fatalf("users = %d after a second open", o.Users)
	}

	// the active org is per user: another admin is still in the admin org
	if err := e.st.Update(ctx, func(tx store.Tx) error {
		return tx.PutMembership(ctx, domain.Membership{OrgID: "org_000001", Email: "sam@acme.example", Role: domain.RoleAdmin, JoinedAt: t0})
	}); err != nil {
		t.Fatal(err)
	}
	if cur, _ := e.as("sam@acme.example").CurrentOrg(ctx); !cur.AdminOrg {
		t.Fatalf("sam's current = %+v; want the admin org", cur)
	}

	back, closed, err := c.CloseOrg(ctx)
	if err != nil || !back.AdminOrg || closed == nil || closed.OrgID != e.org.ID {
		t.Fatalf("close = %+v, %+v, %v", back, closed, err)
	}
	if _, closed, err := c.CloseOrg(ctx); err != nil || closed != nil {
		t.Fatalf("second close = %+v, %v; want nothing closed", closed, err)
	}
	actions := auditActions(t, c, console.AuditQuery{Org: e.org.ID})
	if actions != "org.created,org.opened,org.opened,org.closed" {
		t.Fatalf("audit = %s", actions)
	}
	a, _ := c.Audit(ctx, console.AuditQuery{Org: e.org.ID})
	if a[1].Detail != "granted role partner" || a[2].Detail != "kept role partner" || a[1].Actor != "you@acme.example" {
		t.Fatalf("open entries = %+v", a[1:3])
	}
}

func TestOpenOrgKeepsCustomerRole(t *testing.T) {
	e := newLinkEnv(t)
	if err := e.st.Update(ctx, func(tx store.Tx) error {
		o, err := tx.Org(ctx, e.org.ID)
		if err != nil {
			return err
		}
		o.Users = 1
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
		return tx.PutMembership(ctx, domain.Membership{OrgID: e.org.ID, Email: "you@acme.example", Role: domain.RoleAdmin, JoinedAt: t0})
	}); err != nil {
		t.Fatal(err)
	}
	v, err := e.as("").OpenOrg(ctx, "BAK-1")
	if err != nil || v.Role != "admin" {
		t.Fatalf("open = %+v, %v; want the admin role kept", v, err)
	}
	if o, _ := e.as("").ShowOrg(ctx, "BAK-1"); o.Users != 1 {
		t.Fatalf("users = %d; want 1", o.Users)
	}
}

func TestOpenDeletedOrUnknownOrg(t *testing.T) {
	e := newLinkEnv(t)
	c := e.as("")
	if _, err := c.OpenOrg(ctx, "BAK-1"); err != nil {
		t.Fatal(err)
	}
	e.now = t0.Add(time.Hour)
	if _, err := c.DeleteOrg(ctx, "BAK-1"); err != nil {
		t.Fatal(err)
	}
	_, err := c.OpenOrg(ctx, e.org.ID)
	wantKind(t, err, fail.NotFound, "org "+e.org.ID+" (Bakery) was deleted on 2026-11-23")
	_, err = c.OpenOrg(ctx, "BAK-1")
	wantKind(t, err, fail.NotFound, `no org "BAK-1"`)
	_, err = c.OpenOrg(ctx, "org_000001") // the admin org is not a customer org
	wantKind(t, err, fail.NotFound, `no org "org_000001"`)
	// the open org was deleted: current falls back to the admin org
	if cur, err := c.CurrentOrg(ctx); err != nil || !cur.AdminOrg {
		t.Fatalf("current after delete = %+v, %v", cur, err)
	}
	_, err = e.as("stranger@else.example").OpenOrg(ctx, "Bakery")
	wantKind(t, err, fail.Denied, "not a member of the admin org")
}

func TestInboxURL(t *testing.T) {
	for base, want := range map[string]string{
		"https://login.example.com/magic": "https://login.example.com/orgs/org_000002/inbox",
		"http://localhost:8080/a/b?x=1":   "http://localhost:8080/orgs/org_000002/inbox",
		"https://app.partner.example/":    "https://app.partner.example/orgs/org_000002/inbox",
		"::not a url":                     "https://login.example.com/orgs/org_000002/inbox",
	} {
		if got := console.InboxURL(base, "org_000002"); got != want {
			t.Errorf("InboxURL(%q) = %s; want %s", base, got, want)
		}
	}
}

func auditActions(t *testing.T, c *console.Console, q console.AuditQuery) string {
	t.Helper()
	rows, err := c.Audit(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, r := range rows {
		s = append(s, r.Action)
	}
	return strings.Join(s, ",")
}

func TestAuditFilters(t *testing.T) {
	e := newLinkEnv(t) // partner.created and org.created at t0
	c := e.as("")
	e.now = t0.Add(2 * time.Hour)
	l := e.create(0)
	e.now = t0.Add(2*time.Hour + 10*time.Minute)
	if _, err := e.as("").RedeemLink(ctx, l.URL); err != nil {
		t.Fatal(err)
	}
	e.now = t0.Add(48 * time.Hour)
	if _, err := c.DeleteOrg(ctx, "BAK-1"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    console.AuditQuery
		want string
	}{
		{console.AuditQuery{}, "partner.created,org.created,link.created,link.redeemed,org.deleted"},
		{console.AuditQuery{Org: e.org.ID}, "org.created,link.created,link.redeemed,org.deleted"}, // deleted org by id
		{console.AuditQuery{Org: "acme hq"}, "partner.created"},
		{console.AuditQuery{Actor: "CEO@bakery.example"}, "link.redeemed"},
		{console.AuditQuery{Since: "45h"}, "org.deleted"},
		{console.AuditQuery{Since: "46h"}, "link.created,link.redeemed,org.deleted"},
		{console.AuditQuery{Since: "2d"}, "partner.created,org.created,link.created,link.redeemed,org.deleted"}, // inclusive
		{console.AuditQuery{Since: "1d"}, "org.deleted"},
		{console.AuditQuery{Since: "2026-11-25"}, "org.deleted"},
		{console.AuditQuery{Since: "2026-11-23T14:00:00Z"}, "link.created,link.redeemed,org.deleted"},
		{console.AuditQuery{Since: "2026-11-23T14:00:01Z"}, "link.redeemed,org.deleted"},
	} {
		if got := auditActions(t, c, tc.q); got != tc.want {
			t.Errorf("Audit(%+v) = %s; want %s", tc.q, got, tc.want)
		}
	}
	_, err := c.Audit(ctx, console.AuditQuery{Since: "yesterday"})
	wantKind(t, err, fail.Usage, `invalid since "yesterday"`)
	_, err = c.Audit(ctx, console.AuditQuery{Actor: "nope"})
	wantKind(t, err, fail.Usage, "invalid email")
	_, err = c.Audit(ctx, console.AuditQuery{Org: "nope"})
	wantKind(t, err, fail.NotFound, `no org "nope"`)
	_, err = e.as("stranger@else.example").Audit(ctx, console.AuditQuery{})
	wantKind(t, err, fail.Denied, "not a member")
}
