package console

import (
	"strings"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// A user outside the admin org learns nothing about orgs they are not in:
// whether a name, ref or id exists, is taken twice or belongs to whom. Every
// command that resolves ORG for such a user says the same thing for an org
// that does not exist, one they are a stranger to, and a name shared by
// several orgs; a name they share with strangers' orgs finds their own.
func TestNonAdminsNeverLearnWhichOrgsExist(t *testing.T) {
	c := newTestConsole(t)
	twin1 := mustCreate(t, c, "Twin", "TW-1")
	twin2 := mustCreate(t, c, "Twin", "TW-2")
	mustCreate(t, c, "Lonely", "LO-1")
	inv, err := c.InviteUser(ctx, InviteParams{Email: "owner@twin.example", Org: twin1.ID, Role: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AcceptInvite(ctx, tokenOf(t, inv)); err != nil {
		t.Fatal(err)
	}

	stranger := c.actingAs("eve@else.example")
	want := ""
	for _, org := range []string{"Twin", "twin", "TW-1", twin2.ID, "Lonely", "LO-1", "Nowhere", "NO-1", "org_999999"} {
		calls := map[string]error{}
		_, calls["users list"] = stranger.Users(ctx, UserQuery{Org: org})
		_, calls["users invite"] = stranger.InviteUser(ctx, InviteParams{Email: "x@y.example", Org: org})
		_, calls["users promote"] = stranger.Promote(ctx, PromoteParams{Email: "x@y.example", Org: org, Role: "admin"})
		for what, err := range calls {
			if !fail.Is(err, fail.Denied) {
				t.Fatalf("%s --org %s by a stranger: %v, want permission denied", what, org, err)
			}
			msg := err.Error() + fail.HintOf(err)
			if strings.Contains(msg, "org_0") || strings.Contains(msg, "TW-") || strings.Contains(msg, "LO-") || strings.Contains(msg, "Twin") {
				t.Fatalf("%s --org %s told a stranger about orgs: %s", what, org, msg)
			}
			if want == "" {
				want = msg
			} else if msg != want {
				t.Fatalf("%s --org %s: %q differs from %q: a stranger can tell orgs apart", what, org, msg, want)
			}
		}
	}

	// the owner of one Twin: the name finds their own; the other Twin and
	// the other orgs are as unknown to them as to a stranger
	owner := c.actingAs("owner@twin.example")
	if got := usersOf(t, owner, "Twin"); got != "owner@twin.example:owner" {
		t.Fatalf("users list --org Twin by its owner: %s", got)
	}
	for _, org := range []string{"TW-2", twin2.ID, "Lonely", "Nowhere"} {
		_, err := owner.Users(ctx, UserQuery{Org: org})
		if !fail.Is(err, fail.Denied) || strings.Contains(err.Error(), "org_0") || strings.Contains(err.Error(), "TW-2") {
			t.Fatalf("users list --org %s by another org's owner: %v", org, err)
		}
	}

	// a partner admin still hears that a name is ambiguous, and where
	_, err = c.Users(ctx, UserQuery{Org: "Twin"})
	if !fail.Is(err, fail.Usage) || !strings.Contains(err.Error(), twin2.ID) {
		t.Fatalf("users list --org Twin by a partner admin: %v", err)
	}
}
