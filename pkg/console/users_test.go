package console

import (
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// actingAs returns a console over the same store acting as email.
func (c *Console) actingAs(email string) *Console {
	return New(c.st, Options{Clock: c.now, As: email, Session: c.session})
}

func tokenOf(t *testing.T, inv NewInvite) string {
	t.Helper()
	_, tok, ok := strings.Cut(inv.URL, "token=")
	if !ok || !strings.HasPrefix(tok, "pit_") {
		t.Fatalf("invite URL %q carries no pit_ token", inv.URL)
	}
	return tok
}

func usersOf(t *testing.T, c *Console, org string) string {
	t.Helper()
	us, err := c.Users(ctx, UserQuery{Org: org})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range us {
		out = append(out, u.Email+":"+string(u.Role))
	}
	return strings.Join(out, ",")
}

func TestInviteLifeCycle(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Acme Bakery", "AC-1")

	// a partner admin may invite the first owner of an org that has none
	inv, err := c.InviteUser(ctx, InviteParams{Email: "Owner@Bakery.example", Org: "AC-1", Role: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	if inv.ID != "inv_000001" || inv.Email != "owner@bakery.example" || inv.State != domain.InvitePending ||
		!inv.ExpiresAt.Equal(testNow.Add(7*24*time.Hour)) || inv.LoginMethod != "any" {
		t.Fatalf("invite %+v", inv.InviteView)
	}
	if !strings.HasPrefix(inv.URL, "https://login.example.com/invite?token=pit_") {
		t.Fatalf("url %s", inv.URL)
	}
	// ...but not anyone else there
	if _, err := c.InviteUser(ctx, InviteParams{Email: "x@bakery.example", Org: "AC-1"}); !fail.Is(err, fail.Denied) ||
		err.Error() != "admin@acme.example is not an owner or admin of Acme Bakery: partner admins may only invite the first owner of an org that has none" {
		t.Fatalf("member invite by a partner admin: %v", err)
	}
	if _, err := c.InviteUser(ctx, InviteParams{Email: "owner@bakery.example", Org: "AC-1", Role: "owner"}); !fail.Is(err, fail.Conflict) {
		t.Fatalf("second pending invite: %v", err)
	}

	old := tokenOf(t, inv)
	resent, err := c.at("2026-11-25T12:00:00Z").ResendInvite(ctx, inv.ID)
	if err != nil || !resent.ExpiresAt.Equal(testNow.Add(9*24*time.Hour)) {
		t.Fatalf("resend %+v %v", resent.InviteView, err)
	}
	fresh := tokenOf(t, resent)
	if _, err := c.AcceptInvite(ctx, old); !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "was resent at 2026-11-25T12:00:00Z") {
		t.Fatalf("old token after resend: %v", err)
	}
	// exactly at expiry it no longer works; a moment before it does
	if _, err := c.at("2026-12-02T12:00:00Z").AcceptInvite(ctx, fresh); !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "expired at 2026-12-02T12:00:00Z") {
		t.Fatalf("at expiry: %v", err)
	}
	accepted, err := c.at("2026-12-02T11:59:59Z").AcceptInvite(ctx, resent.URL)
	if err != nil || accepted.State != domain.InviteAccepted {
		t.Fatalf("accept: %+v %v", accepted, err)
	}
	if _, err := c.AcceptInvite(ctx, fresh); !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "already used") {
		t.Fatalf("second accept: %v", err)
	}
	if _, err := c.AcceptInvite(ctx, "pit_neverissued"); !fail.Is(err, fail.NotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	v, _ := c.ShowOrg(ctx, "AC-1")
	if v.Users != 1 || usersOf(t, c, "AC-1") != "owner@bakery.example:owner" {
		t.Fatalf("after accept: users=%d %s", v.Users, usersOf(t, c, "AC-1"))
	}

	// the owner now manages their own org, without console access
	owner := c.actingAs("owner@bakery.example")
	teammate, err := owner.InviteUser(ctx, InviteParams{Email: "ann@bakery.example", Org: "Acme Bakery", LoginMethod: "google"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := owner.InviteUser(ctx, InviteParams{Email: "x@y.example", AdminOrg: true}); !fail.Is(err, fail.Denied) {
		t.Fatalf("owner inviting into the admin org: %v", err)
	}
	if _, err := owner.ListOrgs(ctx, OrgQuery{}); !fail.Is(err, fail.Denied) {
		t.Fatalf("owner without console access listing orgs: %v", err)
	}
	deleted, err := c.DeleteInvite(ctx, teammate.ID)
	if err != nil || deleted.State != domain.InviteDeleted {
		t.Fatalf("delete %+v %v", deleted, err)
	}
	if _, err := c.AcceptInvite(ctx, teammate.URL); !fail.Is(err, fail.Conflict) || !strings.Contains(err.Error(), "was deleted") {
		t.Fatalf("accept deleted: %v", err)
	}
	if _, err := c.ResendInvite(ctx, teammate.ID); !fail.Is(err, fail.Conflict) {
		t.Fatalf("resend deleted: %v", err)
	}
	pending, _ := c.Invites(ctx, InviteQuery{Pending: true})
	all, _ := c.Invites(ctx, InviteQuery{})
	if len(pending) != 0 || len(all) != 2 {
		t.Fatalf("invites: %d pending, %d in all", len(pending), len(all))
	}
}

func TestRolesAndPromotion(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Acme Bakery", "AC-1")
	mustCreate(t, c, "Other", "OT-1")
	inv, _ := c.InviteUser(ctx, InviteParams{Email: "boss@bakery.example", Org: "AC-1", Role: "owner"})
	if _, err := c.AcceptInvite(ctx, inv.URL); err != nil {
		t.Fatal(err)
	}
	importLines(t, c, false, `{"id":"m1","org":"AC-1","type":"member.added","email":"ann@bakery.example","at":"2026-11-20T10:00:00Z"}`)
	boss := c.actingAs("boss@bakery.example")

	// partner access from `orgs open` is not a teammate and can't manage one
	if _, err := c.OpenOrg(ctx, "AC-1"); err != nil {
		t.Fatal(err)
	}
	if got := usersOf(t, c, "AC-1"); got != "admin@acme.example:partner,ann@bakery.example:member,boss@bakery.example:owner" {
		t.Fatalf("team %s", got)
	}
	if v, _ := c.ShowOrg(ctx, "AC-1"); v.Users != 2 {
		t.Fatalf("users %d, want 2 (partner access is not counted)", v.Users)
	}
	// a member of the admin org with partner access can't promote; admins
	// and owners of the admin org can (below)
	pat := joinAdminOrg(t, c, "pat@acme.example", "member")
	if _, err := pat.OpenOrg(ctx, "AC-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := pat.Promote(ctx, PromoteParams{Email: "ann@bakery.example", Org: "AC-1", Role: "admin"}); !fail.Is(err, fail.Denied) ||
		err.Error() != "pat@acme.example has partner access to Acme Bakery, which can't promote people in it: its owner or admin must grant you a role" {
		t.Fatalf("partner role promoting: %v", err)
	}
	// the owner grants the partner a role; then it counts as a teammate
	if _, err := boss.Promote(ctx, PromoteParams{Email: "admin@acme.example", Org: "AC-1", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.ShowOrg(ctx, "AC-1"); v.Users != 3 {
		t.Fatalf("users %d after granting the partner a role", v.Users)
	}
	if _, err := c.Promote(ctx, PromoteParams{Email: "ann@bakery.example", Org: "AC-1", Role: "owner"}); err != nil {
		t.Fatalf("admin promoting: %v", err)
	}
	_, err := c.Promote(ctx, PromoteParams{Email: "ann@bakery.example", Org: "AC-1", Role: "admin"})
	if !fail.Is(err, fail.Denied) || err.Error() != "ann@bakery.example is an owner of Acme Bakery: demoting an owner needs your account manager" {
		t.Fatalf("demotion: %v", err)
	}
	if _, err := boss.Promote(ctx, PromoteParams{Email: "boss@bakery.example", Org: "OT-1", Role: "admin"}); !fail.Is(err, fail.Denied) {
		t.Fatalf("an owner acting on another org: %v", err)
	}
	if _, err := boss.Users(ctx, UserQuery{Org: "OT-1"}); !fail.Is(err, fail.Denied) {
		t.Fatalf("an owner listing another org: %v", err)
	}
	if _, err := boss.Users(ctx, UserQuery{}); !fail.Is(err, fail.Denied) {
		t.Fatalf("an owner listing every org: %v", err)
	}
	if _, err := c.Promote(ctx, PromoteParams{Email: "nobody@bakery.example", Org: "AC-1", Role: "admin"}); !fail.Is(err, fail.NotFound) {
		t.Fatalf("promoting a stranger: %v", err)
	}
	if _, err := c.Promote(ctx, PromoteParams{Email: "ann@bakery.example", Org: "AC-1", Role: "member"}); !fail.Is(err, fail.Usage) {
		t.Fatalf("--role member: %v", err)
	}
	// accepting an admin-org invitation gives console access
	adminInv, err := c.InviteUser(ctx, InviteParams{Email: "sam@acme.example", AdminOrg: true, Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.actingAs("sam@acme.example").ListOrgs(ctx, OrgQuery{}); !fail.Is(err, fail.Denied) {
		t.Fatal("console access before accepting")
	}
	if _, err := c.AcceptInvite(ctx, adminInv.URL); err != nil {
		t.Fatal(err)
	}
	if _, err := c.actingAs("sam@acme.example").ListOrgs(ctx, OrgQuery{}); err != nil {
		t.Fatalf("console access after accepting: %v", err)
	}
}

func TestLoginMethodsRestrictInvites(t *testing.T) {
	c := newTestConsole(t)
	if got, _ := c.LoginMethods(ctx); strings.Join(got, ",") != "password,google,oauth" {
		t.Fatalf("default %v", got)
	}
	if _, err := c.SetLoginMethods(ctx, "GOOGLE, google"); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.LoginMethods(ctx); strings.Join(got, ",") != "google" {
		t.Fatalf("after set %v", got)
	}
	_, err := c.InviteUser(ctx, InviteParams{Email: "a@b.example", AdminOrg: true, LoginMethod: "password"})
	if !fail.Is(err, fail.Usage) || err.Error() != `login method "password" is not allowed for this partner (allowed: google)` {
		t.Fatalf("password invite: %v", err)
	}
	for _, m := range []string{"any", "google"} {
		if _, err := c.InviteUser(ctx, InviteParams{Email: m + "@b.example", AdminOrg: true, LoginMethod: m}); err != nil {
			t.Fatalf("%s invite: %v", m, err)
		}
	}
	for _, bad := range []string{"", "ldap", ","} {
		if _, err := c.SetLoginMethods(ctx, bad); !fail.Is(err, fail.Usage) {
			t.Errorf("SetLoginMethods(%q): %v", bad, err)
		}
	}
	if _, err := c.InviteUser(ctx, InviteParams{Email: "c@b.example", AdminOrg: true, LoginMethod: "sso"}); !fail.Is(err, fail.Usage) {
		t.Fatalf("unknown method: %v", err)
	}
	if _, err := c.InviteUser(ctx, InviteParams{Email: "c@b.example", AdminOrg: true, Role: "boss"}); !fail.Is(err, fail.Usage) {
		t.Fatalf("unknown role: %v", err)
	}
	if _, err := c.InviteUser(ctx, InviteParams{Email: "c@b.example", Org: "x", AdminOrg: true}); !fail.Is(err, fail.Usage) {
		t.Fatalf("both --org and --admin-org: %v", err)
	}
}

func TestCreateWithOwnerAndImportInvites(t *testing.T) {
	c := newTestConsole(t)
	v, inv, err := c.CreateOrgWithOwner(ctx, "Acme Bakery", "AC-1", "ceo@bakery.example")
	if err != nil || inv == nil || inv.OrgID != v.ID || inv.Role != domain.RoleOwner {
		t.Fatalf("%+v %+v %v", v, inv, err)
	}
	res, err := c.ImportOrgs(ctx, strings.NewReader("name,ref_id,owner_email\nBolt,BL-1,ops@bolt.example\nCobalt,CO-1,\n"))
	if err != nil || res.Len() != 2 || len(res.Invites) != 1 || res.Invites[0].Email != "ops@bolt.example" {
		t.Fatalf("%+v %v", res, err)
	}
	if _, _, err := c.CreateOrgWithOwner(ctx, "X", "", "not-an-email"); !fail.Is(err, fail.Usage) {
		t.Fatalf("bad owner: %v", err)
	}
}

// Accepting is one write transaction: of many concurrent accepts of one
// invitation exactly one succeeds and the org gains exactly one user.
func TestConcurrentAcceptsOfOneInvite(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Acme Bakery", "AC-1")
	inv, err := c.InviteUser(ctx, InviteParams{Email: "boss@bakery.example", Org: "AC-1", Role: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 16
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() { _, err := c.AcceptInvite(ctx, inv.URL); errs <- err }()
	}
	ok, used := 0, 0
	for i := 0; i < n; i++ {
		switch err := <-errs; {
		case err == nil:
			ok++
		case fail.Is(err, fail.Conflict) && strings.Contains(err.Error(), "already used"):
			used++
		default:
			t.Fatalf("unexpected: %v", err)
		}
	}
	v, _ := c.ShowOrg(ctx, "AC-1")
	if ok != 1 || used != n-1 || v.Users != 1 {
		t.Fatalf("%d accepted, %d already used, users %d", ok, used, v.Users)
	}
}
