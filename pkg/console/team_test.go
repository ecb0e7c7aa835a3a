package console

import (
	"testing"
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
