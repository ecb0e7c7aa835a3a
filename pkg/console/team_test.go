package console

import (
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// joinAdminOrg makes email a member of the admin org with role (invited by
// the test's admin, an owner) and returns a console acting as them.
func joinAdminOrg(t *testing.T, c *Console, email, role string) *Console {
	t.Helper()
	inv, err := c.InviteUser(ctx, InviteParams{Email: email, AdminOrg: true, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AcceptInvite(ctx, inv.URL); err != nil {
		t.Fatal(err)
	}
	return c.actingAs(email)
}

// atTime returns a console over the same store and session, acting as the
// same user, with the clock at t.
func (c *Console) atTime(t time.Time) *Console {
	return New(c.st, Options{Clock: clock.Fixed(t), As: c.as, Session: c.session})
}

func wantKind(t *testing.T, what string, err error, k fail.Kind, msg string) {
	t.Helper()
	if !fail.Is(err, k) || (msg != "" && err.Error() != msg) {
		t.Fatalf("%s: got %v (kind %d), want kind %d %q", what, err, fail.KindOf(err), k, msg)
	}
}

func TestLastOwnerOfTheAdminOrgStays(t *testing.T) {
	c := newTestConsole(t)
	_, err := c.RemoveUser(ctx, MemberParams{Email: testAdmin, AdminOrg: true})
	wantKind(t, "removing the only owner", err, fail.Conflict, "admin@acme.example is the last owner of Acme HQ and can't be removed")
	// with a second owner, either may go, even themselves
	two := joinAdminOrg(t, c, "two@acme.example", "owner")
	if _, err := c.RemoveUser(ctx, MemberParams{Email: testAdmin, AdminOrg: true}); err != nil {
		t.Fatal(err)
	}
	_, err = two.RemoveUser(ctx, MemberParams{Email: "two@acme.example", AdminOrg: true})
	wantKind(t, "removing the new last owner", err, fail.Conflict, "two@acme.example is the last owner of Acme HQ and can't be removed")
	_, err = c.ListOrgs(ctx, OrgQuery{})
	wantKind(t, "the removed owner's console", err, fail.Denied, `admin@acme.example is not a member of the admin org "Acme HQ"`)
	_, err = two.RemoveUser(ctx, MemberParams{Email: testAdmin, AdminOrg: true})
	wantKind(t, "removing someone no longer a member", err, fail.NotFound, "admin@acme.example is not a member of Acme HQ")
}

// Up to one's own role: members manage no one, admins up to admin, owners
// everything but demoting an owner.
func TestRoleRanks(t *testing.T) {
	c := newTestConsole(t)
	ada := joinAdminOrg(t, c, "ada@acme.example", "admin")
	sam := joinAdminOrg(t, c, "sam@acme.example", "member")
	mustCreate(t, c, "Bakery", "BAK-1")

	_, err := sam.InviteUser(ctx, InviteParams{Email: "x@acme.example", AdminOrg: true})
	wantKind(t, "a member inviting", err, fail.Denied, "sam@acme.example is not an owner or admin of Acme HQ")
	_, err = sam.DeleteOrg(ctx, "BAK-1")
	wantKind(t, "a member deleting an org", err, fail.Denied,
		`sam@acme.example can't delete orgs: that needs an admin or owner of the admin org "Acme HQ" (sam@acme.example is a member)`)
	_, err = ada.InviteUser(ctx, InviteParams{Email: "x@acme.example", AdminOrg: true, Role: "owner"})
	wantKind(t, "an admin inviting an owner", err, fail.Denied, "ada@acme.example can't invite x@acme.example as an owner of Acme HQ: only owners may")
	_, err = ada.Promote(ctx, PromoteParams{Email: "sam@acme.example", AdminOrg: true, Role: "owner"})
	wantKind(t, "an admin making an owner", err, fail.Denied, "ada@acme.example can't make sam@acme.example an owner of Acme HQ: only owners may")
	_, err = ada.RemoveUser(ctx, MemberParams{Email: testAdmin, AdminOrg: true})
	wantKind(t, "an admin removing an owner", err, fail.Denied, "ada@acme.example can't remove admin@acme.example, an owner of Acme HQ: only owners may")
	_, err = ada.Demote(ctx, MemberParams{Email: testAdmin, AdminOrg: true})
	wantKind(t, "demoting an owner", err, fail.Denied, "admin@acme.example is an owner of Acme HQ: demoting an owner needs your account manager")
	if _, err := ada.Promote(ctx, PromoteParams{Email: "sam@acme.example", AdminOrg: true, Role: "admin"}); err != nil {
		t.Fatalf("an admin making an admin: %v", err)
	}
	if _, err := ada.Demote(ctx, MemberParams{Email: "sam@acme.example", AdminOrg: true}); err != nil {
		t.Fatalf("an admin demoting an admin: %v", err)
	}
	_, err = ada.Demote(ctx, MemberParams{Email: "sam@acme.example", AdminOrg: true})
	wantKind(t, "demoting a member", err, fail.Conflict, "sam@acme.example is already a member of Acme HQ")
	if _, err := c.Promote(ctx, PromoteParams{Email: "sam@acme.example", AdminOrg: true, Role: "owner"}); err != nil {
		t.Fatalf("an owner making an owner: %v", err)
	}
	if _, err := ada.DeleteOrg(ctx, "BAK-1"); err != nil {
		t.Fatalf("an admin deleting an org: %v", err)
	}
}

// A partner admin promotes and demotes in a customer org as the owner
// portal does; a member of the admin org with partner access can't; nobody
// demotes an owner, and partner admins remove partner access only.
func TestPartnerAdminsInCustomerOrgs(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Bakery", "BAK-1")
	inv, err := c.InviteUser(ctx, InviteParams{Email: "olga@bakery.example", Org: "BAK-1", Role: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AcceptInvite(ctx, inv.URL); err != nil {
		t.Fatal(err)
	}
	importLines(t, c, false, `{"id":"m1","org":"BAK-1","type":"member.added","email":"mo@bakery.example","at":"2026-11-20T10:00:00Z"}`)
	ada := joinAdminOrg(t, c, "ada@acme.example", "admin")
	sam := joinAdminOrg(t, c, "sam@acme.example", "member")
	if _, err := sam.OpenOrg(ctx, "BAK-1"); err != nil {
		t.Fatal(err)
	}
	_, err = sam.Promote(ctx, PromoteParams{Email: "mo@bakery.example", Org: "BAK-1", Role: "admin"})
	wantKind(t, "partner access promoting", err, fail.Denied,
		"sam@acme.example has partner access to Bakery, which can't promote people in it: its owner or admin must grant you a role")
	if _, err := ada.Promote(ctx, PromoteParams{Email: "mo@bakery.example", Org: "BAK-1", Role: "admin"}); err != nil {
		t.Fatalf("a partner admin promoting: %v", err)
	}
	_, err = ada.Promote(ctx, PromoteParams{Email: "mo@bakery.example", Org: "BAK-1", Role: "owner"})
	wantKind(t, "a partner admin making an owner", err, fail.Denied, "ada@acme.example can't make mo@bakery.example an owner of Bakery: only owners may")
	if _, err := ada.Demote(ctx, MemberParams{Email: "mo@bakery.example", Org: "BAK-1"}); err != nil {
		t.Fatalf("a partner admin demoting: %v", err)
	}
	_, err = c.Demote(ctx, MemberParams{Email: "olga@bakery.example", Org: "BAK-1"})
	wantKind(t, "demoting a customer owner", err, fail.Denied, "olga@bakery.example is an owner of Bakery: demoting an owner needs your account manager")
	_, err = ada.RemoveUser(ctx, MemberParams{Email: "mo@bakery.example", Org: "BAK-1"})
	wantKind(t, "a partner admin removing a customer member", err, fail.Denied,
		"ada@acme.example is not an owner or admin of Bakery: partner admins may only end partner access there; its owner or admin removes mo@bakery.example")
	if _, err := ada.RemoveUser(ctx, MemberParams{Email: "sam@acme.example", Org: "BAK-1"}); err != nil {
		t.Fatalf("a partner admin ending partner access: %v", err)
	}
	olga := c.actingAs("olga@bakery.example")
	if _, err := olga.RemoveUser(ctx, MemberParams{Email: "mo@bakery.example", Org: "BAK-1"}); err != nil {
		t.Fatalf("the customer's owner removing a member: %v", err)
	}
	if v, _ := c.ShowOrg(ctx, "BAK-1"); v.Users != 1 {
		t.Fatalf("users %d after removing a member, want 1", v.Users)
	}
	_, err = olga.RemoveUser(ctx, MemberParams{Email: "olga@bakery.example", Org: "BAK-1"})
	wantKind(t, "removing a customer org's last owner", err, fail.Conflict, "olga@bakery.example is the last owner of Bakery and can't be removed")
}

// A scoped teammate sees their orgs alone, everywhere, and gets the very
// error of a missing org for any other.
func TestScopeHidesOtherOrgs(t *testing.T) {
	c := newTestConsole(t)
	bak := mustCreate(t, c, "Bakery", "BAK-1")
	flo := mustCreate(t, c, "Florist", "FLO-1")
	mustCreate(t, c, "Garage", "GAR-1")
	sue := joinAdminOrg(t, c, "sue@acme.example", "member")
	if _, err := c.CreateLink(ctx, LinkParams{Org: "FLO-1", Email: "a@florist.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IssueLicense(ctx, IssueParams{Start: "2026-11-01", End: "2027-10-31", Org: "FLO-1"}); err != nil {
		t.Fatal(err)
	}
	v, err := c.ScopeUser(ctx, ScopeParams{Email: "sue@acme.example", Orgs: []string{"BAK-1", "bakery", bak.ID}})
	if err != nil || len(v.Orgs) != 1 || v.Orgs[0].ID != bak.ID {
		t.Fatalf("scope: %+v %v", v, err)
	}

	page, err := sue.ListOrgs(ctx, OrgQuery{PerPage: 10, Page: 1})
	if err != nil || page.Total != 1 || page.Matches != 1 || len(page.Orgs) != 1 || page.Orgs[0].ID != bak.ID {
		t.Fatalf("first page: %+v %v", page, err)
	}
	page, err = sue.ListOrgs(ctx, OrgQuery{Search: "r"})
	if err != nil || page.Total != 1 || page.Matches != 1 {
		t.Fatalf("search: %+v %v", page, err)
	}
	if p, err := sue.Partner(ctx); err != nil || p.ConnectedOrgs != 1 {
		t.Fatalf("connected orgs %d, %v", p.ConnectedOrgs, err)
	}
	if s, err := sue.Stats(ctx); err != nil || s.Connected != 1 {
		t.Fatalf("stats %+v %v", s, err)
	}
	if ls, err := sue.Links(ctx, LinkQuery{}); err != nil || len(ls) != 0 {
		t.Fatalf("links %v %v", ls, err)
	}
	if ls, err := sue.ListLicenses(ctx, LicenseQuery{ExpiringWithin: -1}); err != nil || len(ls) != 0 {
		t.Fatalf("licenses %v %v", ls, err)
	}
	entries, err := sue.Audit(ctx, AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.OrgID != bak.ID {
			t.Fatalf("audit entry of another org: %+v", e)
		}
	}
	for _, pair := range [][2]string{{"FLO-1", "NOPE-1"}, {flo.ID, "org_000099"}, {"Florist", "Nothing"}} {
		_, hidden := sue.ShowOrg(ctx, pair[0])
		_, missing := sue.ShowOrg(ctx, pair[1])
		wantKind(t, "hidden org "+pair[0], hidden, fail.NotFound, "")
		if strings.ReplaceAll(hidden.Error(), pair[0], "K") != strings.ReplaceAll(missing.Error(), pair[1], "K") {
			t.Fatalf("hidden and missing differ:\n%v\n%v", hidden, missing)
		}
	}
	_, err = sue.OpenOrg(ctx, flo.ID)
	wantKind(t, "opening a hidden org by id", err, fail.NotFound, `no org "org_000003" (not an id, ref ID or name of a connected org)`)

	// refs stay unique among every org; the conflict names no hidden org
	_, err = sue.CreateOrg(ctx, "Other", "flo-1")
	wantKind(t, "a hidden org's ref", err, fail.Conflict, `ref ID "flo-1" is already used by another org`)
	// what a scoped teammate creates joins their scope
	made, err := sue.CreateOrg(ctx, "Sue's", "SUE-1")
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := sue.Partner(ctx); p.ConnectedOrgs != 2 {
		t.Fatalf("connected orgs %d after creating one, want 2", p.ConnectedOrgs)
	}
	if _, err := sue.ShowOrg(ctx, made.ID); err != nil {
		t.Fatal(err)
	}
	// an org taken out of the scope is no longer open to them, and stays unnamed
	if _, err := sue.OpenOrg(ctx, "BAK-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ScopeUser(ctx, ScopeParams{Email: "sue@acme.example", Orgs: []string{"GAR-1"}}); err != nil {
		t.Fatal(err)
	}
	cur, err := sue.CurrentOrg(ctx)
	if err != nil || !cur.AdminOrg || cur.Lapsed == nil || *cur.Lapsed != (LapsedOrg{OrgID: bak.ID, Reason: LapseEnded}) {
		t.Fatalf("current org after leaving the scope: %+v %+v %v", cur, cur.Lapsed, err)
	}
	// admins and owners are never scoped; promotion lifts a scope
	_, err = c.ScopeUser(ctx, ScopeParams{Email: testAdmin, Orgs: []string{"BAK-1"}})
	wantKind(t, "scoping an owner", err, fail.Conflict, "admin@acme.example is an owner of the admin org: admins and owners see every org and are never scoped")
	if _, err := c.Promote(ctx, PromoteParams{Email: "sue@acme.example", AdminOrg: true, Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	if p, _ := sue.Partner(ctx); p.ConnectedOrgs != 4 {
		t.Fatalf("connected orgs %d after promotion, want 4", p.ConnectedOrgs)
	}
	if _, scoped, _ := scopeOf(t, c, "sue@acme.example"); scoped {
		t.Fatal("promotion to admin kept the scope")
	}
	_, err = c.ScopeUser(ctx, ScopeParams{Email: "nobody@acme.example", All: true})
	wantKind(t, "scoping a stranger", err, fail.NotFound, `nobody@acme.example is not a member of the admin org "Acme HQ"`)
	_, err = c.ScopeUser(ctx, ScopeParams{Email: "sue@acme.example"})
	wantKind(t, "neither --orgs nor --all", err, fail.Usage, "give orgs ORG,… or all (one of them)")
}

// Time-boxed partner access holds while the clock is strictly before its
// end and is gone from that instant on, with nothing run in between.
func TestOpenForExpiresAtTheBoundary(t *testing.T) {
	c := newTestConsole(t)
	bak := mustCreate(t, c, "Bakery", "BAK-1")
	for _, d := range []time.Duration{time.Minute - time.Second, 24*time.Hour + time.Second, -time.Minute} {
		_, err := c.OpenOrgFor(ctx, "BAK-1", d)
		wantKind(t, "--for "+d.String(), err, fail.Usage, "")
		if !hasField(err, "for") {
			t.Fatalf("--for %s: the error names no field: %v", d, err)
		}
	}
	for _, d := range []time.Duration{time.Minute, 24 * time.Hour} {
		if _, err := c.OpenOrgFor(ctx, "BAK-1", d); err != nil {
			t.Fatalf("--for %s: %v", d, err)
		}
	}
	v, err := c.OpenOrgFor(ctx, "BAK-1", 30*time.Minute)
	end := testNow.Add(30 * time.Minute)
	if err != nil || v.ExpiresAt == nil || !v.ExpiresAt.Equal(end) || v.Role != "partner" {
		t.Fatalf("open --for 30m: %+v %v", v, err)
	}
	before := c.atTime(end.Add(-time.Nanosecond))
	if cur, err := before.CurrentOrg(ctx); err != nil || cur.OrgID != bak.ID || cur.Lapsed != nil {
		t.Fatalf("just before the end: %+v %v", cur, err)
	}
	if got := usersOf(t, before, "BAK-1"); got != "admin@acme.example:partner" {
		t.Fatalf("team just before the end: %s", got)
	}
	atEnd := c.atTime(end)
	cur, err := atEnd.CurrentOrg(ctx)
	if err != nil || !cur.AdminOrg || cur.Lapsed == nil || cur.Lapsed.Reason != LapseExpired ||
		cur.Lapsed.OrgID != bak.ID || !cur.Lapsed.At.Equal(end) {
		t.Fatalf("at the end: %+v %v", cur, err)
	}
	if got := usersOf(t, atEnd, "BAK-1"); got != "" {
		t.Fatalf("team at the end: %s", got)
	}
	// opening again (no --for) gives access with no end
	v, err = atEnd.OpenOrg(ctx, "BAK-1")
	if err != nil || v.ExpiresAt != nil {
		t.Fatalf("reopening: %+v %v", v, err)
	}
	if cur, _ := c.atTime(end.Add(48 * time.Hour)).CurrentOrg(ctx); cur.OrgID != bak.ID {
		t.Fatalf("reopened without an end: %+v", cur)
	}
}

// Removing a member of the admin org takes away everything they hold
// through it, and says so in the audit trail.
func TestRemoveOffboards(t *testing.T) {
	c := newTestConsole(t)
	bak := mustCreate(t, c, "Bakery", "BAK-1")
	mustCreate(t, c, "Florist", "FLO-1")
	rex := joinAdminOrg(t, c, "rex@acme.example", "member")
	l1, err := rex.CreateLink(ctx, LinkParams{Org: "BAK-1", Email: "a@bakery.example"})
	if err != nil {
		t.Fatal(err)
	}
	used, _ := rex.CreateLink(ctx, LinkParams{Org: "BAK-1", Email: "b@bakery.example"})
	if _, err := c.RedeemLink(ctx, used.URL); err != nil {
		t.Fatal(err)
	}
	mine, _ := c.CreateLink(ctx, LinkParams{Org: "BAK-1", Email: "c@bakery.example"})
	if _, err := rex.OpenOrg(ctx, "BAK-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := rex.OpenOrgFor(ctx, "FLO-1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := rex.OpenOrg(ctx, "BAK-1"); err != nil { // the open org
		t.Fatal(err)
	}
	if _, err := c.ScopeUser(ctx, ScopeParams{Email: "rex@acme.example", Orgs: []string{"BAK-1", "FLO-1"}}); err != nil {
		t.Fatal(err)
	}
	r, err := c.RemoveUser(ctx, MemberParams{Email: "rex@acme.example", AdminOrg: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.LinksRevoked) != 1 || r.LinksRevoked[0].ID != l1.ID || r.LinksRevoked[0].State != domain.LinkRevoked ||
		len(r.AccessEnded) != 2 || len(r.KeptRoles) != 0 {
		t.Fatalf("removal: %+v", r)
	}
	links, _ := c.Links(ctx, LinkQuery{})
	states := map[string]domain.LinkState{}
	for _, l := range links {
		states[l.ID] = l.State
	}
	if states[l1.ID] != domain.LinkRevoked || states[used.ID] != domain.LinkUsed || states[mine.ID] != domain.LinkActive {
		t.Fatalf("link states after removal: %v", states)
	}
	if _, err := c.RedeemLink(ctx, l1.URL); !fail.Is(err, fail.Conflict) {
		t.Fatalf("redeeming a revoked link: %v", err)
	}
	if got := usersOf(t, c, "BAK-1"); got != "" {
		t.Fatalf("BAK-1's team after removal: %s", got)
	}
	_, err = rex.CurrentOrg(ctx)
	wantKind(t, "the removed member's console", err, fail.Denied, "")
	var actions []string
	entries, _ := c.Audit(ctx, AuditQuery{Since: testNow.Format(time.RFC3339)})
	for _, e := range entries[len(entries)-4:] {
		actions = append(actions, e.Action+" "+e.OrgName+": "+e.Detail)
	}
	want := []string{
		"link.revoked Bakery: " + l1.ID + " for a@bakery.example, reason: rex@acme.example was removed from the admin org",
		"member.removed Bakery: rex@acme.example (partner access), reason: rex@acme.example was removed from the admin org",
		"member.removed Florist: rex@acme.example (partner access), reason: rex@acme.example was removed from the admin org",
		"member.removed Acme HQ: rex@acme.example (member): 1 login link(s) revoked, partner access to 2 org(s) ended",
	}
	if strings.Join(actions, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
	}
	// invited back, they start afresh: the org they had open is no longer theirs
	joinAdminOrg(t, c, "rex@acme.example", "member")
	cur, err := rex.CurrentOrg(ctx)
	if err != nil || !cur.AdminOrg || cur.Lapsed == nil || cur.Lapsed.Reason != LapseEnded || cur.Lapsed.OrgID != bak.ID {
		t.Fatalf("current org after coming back: %+v %v", cur, err)
	}
	if page, _ := rex.ListOrgs(ctx, OrgQuery{}); page.Total != 2 {
		t.Fatalf("the scope outlived the removal: %d orgs", page.Total)
	}
}

// An org's own owners and admins read its audit trail, with the partner's
// users as actors; to anyone else it is as if the org did not exist.
func TestCustomerReadsOwnAuditTrail(t *testing.T) {
	c := newTestConsole(t)
	bak := mustCreate(t, c, "Bakery", "BAK-1")
	mustCreate(t, c, "Florist", "FLO-1")
	inv, _ := c.InviteUser(ctx, InviteParams{Email: "olga@bakery.example", Org: "BAK-1", Role: "owner"})
	if _, err := c.AcceptInvite(ctx, inv.URL); err != nil {
		t.Fatal(err)
	}
	importLines(t, c, false, `{"id":"m1","org":"BAK-1","type":"member.added","email":"mo@bakery.example","at":"2026-11-20T10:00:00Z"}`)
	if _, err := c.OpenOrg(ctx, "BAK-1"); err != nil {
		t.Fatal(err)
	}
	olga := c.actingAs("olga@bakery.example")
	entries, err := olga.Audit(ctx, AuditQuery{Org: "BAK-1"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.OrgID != bak.ID {
			t.Fatalf("an entry of another org: %+v", e)
		}
		got = append(got, e.Actor+" "+e.Action)
	}
	if want := "admin@acme.example org.created,admin@acme.example invite.sent,olga@bakery.example invite.accepted,admin@acme.example org.opened"; strings.Join(got, ",") != want {
		t.Fatalf("trail %s, want %s", strings.Join(got, ","), want)
	}
	notAdmin := `olga@bakery.example is not a member of the admin org "Acme HQ"`
	for _, org := range []string{"", "FLO-1", "NOPE-1", "Acme HQ"} {
		_, err := olga.Audit(ctx, AuditQuery{Org: org})
		wantKind(t, "the customer asking for "+org, err, fail.Denied, notAdmin)
	}
	_, err = c.actingAs("mo@bakery.example").Audit(ctx, AuditQuery{Org: "BAK-1"})
	wantKind(t, "a customer member", err, fail.Denied, "mo@bakery.example is not an owner or admin of Bakery: its audit trail is for them")
}

func scopeOf(t *testing.T, c *Console, email string) ([]string, bool, error) {
	t.Helper()
	var ids []string
	var scoped bool
	err := c.st.View(ctx, func(tx store.Tx) error {
		var err error
		ids, scoped, err = tx.Scope(ctx, email)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, scoped, err
}

// An admin who leaves leaves no way back in: their pending invitations into
// the admin org die with their membership; those into customer orgs stay.
func TestRemoveDeletesPendingAdminInvites(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Bakery", "BAK-1")
	ada := joinAdminOrg(t, c, "ada@acme.example", "admin")
	friend, err := ada.InviteUser(ctx, InviteParams{Email: "friend@else.example", AdminOrg: true, Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	owner, err := ada.InviteUser(ctx, InviteParams{Email: "olga@bakery.example", Org: "BAK-1", Role: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.RemoveUser(ctx, MemberParams{Email: "ada@acme.example", AdminOrg: true})
	if err != nil || len(r.InvitesDeleted) != 1 || r.InvitesDeleted[0].ID != friend.ID {
		t.Fatalf("removal: %+v %v", r, err)
	}
	_, err = c.AcceptInvite(ctx, friend.URL)
	wantKind(t, "accepting the departed admin's invitation", err, fail.Conflict, "invitation "+friend.ID+" was deleted")
	if _, err := c.AcceptInvite(ctx, owner.URL); err != nil {
		t.Fatalf("a customer's first-owner invitation: %v", err)
	}
}
