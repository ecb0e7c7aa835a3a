package console

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/internal/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

const testAdmin = "admin@acme.example"

// newTestConsole returns a console over a fresh, initialised store in a
// temporary folder, acting as the admin, with the clock at testNow.
func newTestConsole(t *testing.T) *Console {
	t.Helper()
	st, err := boltstore.Open(boltstore.Options{Path: filepath.Join(t.TempDir(), "p.db"), Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := New(st, clock.Fixed(testNow), "")
	if _, err := c.Init(InitParams{PartnerName: "Acme Partners", SupportEmail: "help@acme.example", AdminOrgName: "Acme HQ", AdminEmail: testAdmin}); err != nil {
		t.Fatal(err)
	}
	return c
}

func mustCreate(t *testing.T, c *Console, name, ref string) OrgView {
	t.Helper()
	v, err := c.CreateOrg(name, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
