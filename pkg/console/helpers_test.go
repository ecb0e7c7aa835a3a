package console

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

var ctx = context.Background()

const testAdmin = "admin@acme.example"

// newTestConsole returns a console over a fresh, initialised store in a
// temporary folder, acting as the admin, with the clock at testNow.
func newTestConsole(t *testing.T) *Console {
	t.Helper()
	c, _ := initialisedConsole(t, filepath.Join(t.TempDir(), "p.db"), func(st *boltstore.Store) store.Store { return rerunStore{st} })
	return c
}

// initialisedConsole opens a new bbolt store at path (closed when tb ends),
// initialises it as the admin with the clock at testNow, and returns a
// console over the store as wrap gives it (nil: the store itself).
func initialisedConsole(tb testing.TB, path string, wrap func(*boltstore.Store) store.Store) (*Console, *boltstore.Store) {
	tb.Helper()
	st, err := boltstore.Open(boltstore.Options{Path: path, Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	var over store.Store = st
	if wrap != nil {
		over = wrap(st)
	}
	c := New(over, Options{Clock: clock.Fixed(testNow)})
	if _, err := c.Init(ctx, InitParams{PartnerName: "Acme Partners", SupportEmail: "help@acme.example", AdminOrgName: "Acme HQ", AdminEmail: testAdmin}); err != nil {
		tb.Fatal(err)
	}
	return c, st
}

func mustCreate(t *testing.T, c *Console, name, ref string) OrgView {
	t.Helper()
	v, err := c.CreateOrg(ctx, name, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// hasField reports whether err is a fail.Error about the input field.
func hasField(err error, field string) bool {
	var fe *fail.Error
	return errors.As(err, &fe) && slices.Contains(fe.Fields, field)
}

// Errors about one input name its field, so a front end can call it by its
// own name (the CLI: a flag) without pkg/ knowing of flags.
func TestErrorsNameTheirField(t *testing.T) {
	c := newTestConsole(t)
	mustCreate(t, c, "Bakery", "BAK-1")
	_, err := c.CreateLink(ctx, LinkParams{Org: "BAK-1", Email: "a@b.example", TTL: time.Hour})
	if !hasField(err, "ttl") {
		t.Errorf("link ttl: %v", err)
	}
	_, err = c.IssueLicense(ctx, IssueParams{Start: "2026-12-01", End: "2026-11-30"})
	var fe *fail.Error
	if !errors.As(err, &fe) || strings.Join(fe.Fields, ",") != "end,start" ||
		fe.Render(func(f string) string { return "--" + f }) != "--end 2026-11-30 is before --start 2026-12-01" {
		t.Errorf("license dates: %v", err)
	}
	_, err = c.ListOrgs(ctx, OrgQuery{PerPage: 7})
	if !hasField(err, "per_page") || err.Error() != "invalid per page 7: want 10, 25, 50 or 100" {
		t.Errorf("per page: %v", err)
	}
}

// rerunStore runs every write transaction function twice: once in a
// transaction it rolls back, then for real. The store contract lets a
// backend run fn again, so the core's functions must give the same result
// the second time: every test over newTestConsole checks that.
type rerunStore struct{ store.Store }

var errFirstRun = errors.New("first run, rolled back")

func (s rerunStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errFirstRun
	})
	if err != errFirstRun {
		return err
	}
	return s.Store.Update(ctx, fn)
}
