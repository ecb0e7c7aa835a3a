package console_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/token"
)

// linkEnv is a real bbolt store in a temp folder, initialised for Acme with
// admin you@acme.example and one customer org, under a clock tests move.
type linkEnv struct {
	t    *testing.T
	path string
	st   *boltstore.Store
	now  time.Time
	org  console.OrgView
	// session is shared by every console of the test, as the CLI's config
	// file is by every command.
	session console.Session
}

var ctx = context.Background()

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func newLinkEnv(t *testing.T) *linkEnv {
	t.Helper()
	e := &linkEnv{t: t, path: filepath.Join(t.TempDir(), "p.db"), now: t0}
	st, err := boltstore.Open(boltstore.Options{Path: e.path, Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.st = st
	if _, err := e.as("").Init(ctx, console.InitParams{PartnerName: "Acme", SupportEmail: "help@acme.example",
		AdminOrgName: "Acme HQ", AdminEmail: "you@acme.example", LoginBaseURL: "https://login.acme.example/magic"}); err != nil {
		t.Fatal(err)
	}
	if e.org, err = e.as("").CreateOrg(ctx, "Bakery", "BAK-1"); err != nil {
		t.Fatal(err)
	}
	return e
}

// as is a console acting as email ("" = the saved current user). Its
// clock and the real clock both read e.now: time passes for real here.
func (e *linkEnv) as(email string) *console.Console {
	if e.session == nil {
		e.session = console.NewMemorySession()
	}
	now := func() time.Time { return e.now }
	return console.New(e.st, console.Options{Clock: now, RealClock: now, As: email, Session: e.session})
}

func (e *linkEnv) create(ttl time.Duration) console.NewLink {
	e.t.Helper()
	l, err := e.as("").CreateLink(ctx, console.LinkParams{Org: "BAK-1", Email: "Ceo@Bakery.example", TTL: ttl, Reason: "support call"})
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

func wantKind(t *testing.T, err error, k fail.Kind, msg string) {
	t.Helper()
	if fail.KindOf(err) != k || err == nil {
		t.Fatalf("error = %v (kind %d); want kind %d", err, fail.KindOf(err), k)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Fatalf("error %q does not say %q", err, msg)
	}
}

func TestLinkLifeCycle(t *testing.T) {
	e := newLinkEnv(t)
	l := e.create(0)
	if l.ID != "lnk_000001" || l.Email != "ceo@bakery.example" || l.CreatedBy != "you@acme.example" ||
		l.State != domain.LinkActive || !l.ExpiresAt.Equal(t0.Add(15*time.Minute)) || l.OrgName != "Bakery" {
		t.Fatalf("created %+v", l.LinkView)
	}
	tok := strings.TrimPrefix(l.URL, "https://login.acme.example/magic?token=")
	if tok == l.URL || !token.WellFormed(token.LinkPrefix, tok) {
		t.Fatalf("URL %q: want the login base URL with ?token=plk_…", l.URL)
	}

	e.now = t0.Add(time.Minute)
	got, err := e.as("nobody@else.example").RedeemLink(ctx, l.URL) // no console access needed
	if err != nil {
		t.Fatal(err)
	}
	if got.State != domain.LinkUsed || got.RedeemedAt == nil || !got.RedeemedAt.Equal(e.now) || got.Email != "ceo@bakery.example" {
		t.Fatalf("redeemed %+v", got)
	}
	_, err = e.as("").RedeemLink(ctx, tok)
	wantKind(t, err, fail.Conflict, "already used at 2026-11-23T12:01:00Z")

	links, err := e.as("").Links(ctx, console.LinkQuery{State: "used"})
	if err != nil || len(links) != 1 || links[0].ID != l.ID {
		t.Fatalf("used links = %+v, %v", links, err)
	}
	_, err = e.as("").RevokeLink(ctx, l.ID)
	wantKind(t, err, fail.Conflict, "cannot revoke: login link lnk_000001 was already used")
}

func TestLinkExpiresAtTheExactBoundary(t *testing.T) {
	e := newLinkEnv(t)
	l := e.create(10 * time.Minute)
	e.now = t0.Add(10*time.Minute - time.Nanosecond)
	if links, _ := e.as("").Links(ctx, console.LinkQuery{}); links[0].State != domain.LinkActive {
		t.Fatalf("one tick before expiry: state %s", links[0].State)
	}
	e.now = t0.Add(10 * time.Minute)
	if links, _ := e.as("").Links(ctx, console.LinkQuery{}); links[0].State != domain.LinkExpired {
		t.Fatalf("at expiry: state %s", links[0].State)
	}
	_, err := e.as("").RedeemLink(ctx, l.URL)
	wantKind(t, err, fail.Conflict, "login link lnk_000001 expired at 2026-11-23T12:10:00Z")

	// one tick earlier it still works
	e2 := newLinkEnv(t)
	l2 := e2.create(10 * time.Minute)
	e2.now = t0.Add(10*time.Minute - time.Nanosecond)
	if _, err := e2.as("").RedeemLink(ctx, l2.URL); err != nil {
		t.Fatalf("redeem one tick before expiry: %v", err)
	}
}

func TestLinkRevoke(t *testing.T) {
	e := newLinkEnv(t)
	l := e.create(0)
	v, err := e.as("").RevokeLink(ctx, l.ID)
	if err != nil || v.State != domain.LinkRevoked || v.RevokedBy != "you@acme.example" {
		t.Fatalf("revoke = %+v, %v", v, err)
	}
	_, err = e.as("").RedeemLink(ctx, l.URL)
	wantKind(t, err, fail.Conflict, "login link lnk_000001 was revoked at 2026-11-23T12:00:00Z")
	_, err = e.as("").RevokeLink(ctx, l.ID)
	wantKind(t, err, fail.Conflict, "cannot revoke: login link lnk_000001 was revoked")
	_, err = e.as("").RevokeLink(ctx, "lnk_000099")
	wantKind(t, err, fail.NotFound, `no login link "lnk_000099"`)
	_, err = e.as("").RevokeLink(ctx, "lnk_01")
	wantKind(t, err, fail.NotFound, `no login link "lnk_01"`)
	_, err = e.as("stranger@else.example").RevokeLink(ctx, l.ID)
	wantKind(t, err, fail.Denied, "not a member of the admin org")
}

func TestLinkOfDeletedOrg(t *testing.T) {
	e := newLinkEnv(t)
	l := e.create(0)
	if _, err := e.as("").DeleteOrg(ctx, "BAK-1"); err != nil {
		t.Fatal(err)
	}
	_, err := e.as("").RedeemLink(ctx, l.URL)
	wantKind(t, err, fail.Conflict, "login link lnk_000001 is for org Bakery, which was deleted")
	_, err = e.as("").RevokeLink(ctx, l.ID)
	wantKind(t, err, fail.Conflict, "which was deleted")
	links, err := e.as("").Links(ctx, console.LinkQuery{})
	if err != nil || len(links) != 0 {
		t.Fatalf("links of a deleted org are listed: %+v, %v", links, err)
	}
	_, err = e.as("").CreateLink(ctx, console.LinkParams{Org: e.org.ID, Email: "a@b.example"})
	wantKind(t, err, fail.NotFound, "no org")
}

func TestLinkUnknownAndInvalid(t *testing.T) {
	e := newLinkEnv(t)
	e.create(0)
	tok, _ := token.New(token.LinkPrefix)
	_, err := e.as("").RedeemLink(ctx, tok)
	wantKind(t, err, fail.NotFound, "unknown login link")
	_, err = e.as("").RedeemLink(ctx, "plk_nonsense")
	wantKind(t, err, fail.NotFound, "unknown login link")
	_, err = e.as("").RedeemLink(ctx, "https://login.acme.example/magic")
	wantKind(t, err, fail.Usage, "no token= parameter")

	for _, p := range []console.LinkParams{
		{Org: "BAK-1", Email: "a@b.example", TTL: 15*time.Minute + time.Second},
		{Org: "BAK-1", Email: "a@b.example", TTL: -time.Minute},
		{Org: "BAK-1", Email: "not-an-email"},
		{Org: "BAK-1", Email: "a@b.example", Reason: "two\nlines"},
	} {
		_, err := e.as("").CreateLink(ctx, p)
		wantKind(t, err, fail.Usage, "")
	}
	_, err = e.as("").Links(ctx, console.LinkQuery{State: "gone"})
	wantKind(t, err, fail.Usage, `invalid state "gone"`)
	_, err = e.as("").CreateLink(ctx, console.LinkParams{Org: "nope", Email: "a@b.example"})
	wantKind(t, err, fail.NotFound, `no org "nope"`)
}

func TestLinkTokenNeverStored(t *testing.T) {
	e := newLinkEnv(t)
	l := e.create(0)
	tok := l.URL[strings.Index(l.URL, "token=")+len("token="):]
	if _, err := e.as("").RedeemLink(ctx, tok); err != nil {
		t.Fatal(err)
	}
	var stored domain.Link
	err := e.st.View(ctx, func(tx store.Tx) error {
		var err error
		stored, err = tx.Link(ctx, l.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if stored.TokenHash != token.Hash(tok) || stored.TokenHash == tok {
		t.Fatalf("stored hash %q; want SHA-256 of the token", stored.TokenHash)
	}
	audit, err := e.as("").Audit(ctx, console.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range audit {
		if strings.Contains(a.Detail, tok) {
			t.Fatalf("audit entry %+v holds the token", a)
		}
	}
	e.st.Close()
	raw, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(tok)) || bytes.Contains(raw, []byte(tok[len("plk_"):])) {
		t.Fatal("the store file contains the token")
	}
	if !bytes.Contains(raw, []byte(token.Hash(tok))) {
		t.Fatal("the store file lacks the token hash (is the test looking at the right file?)")
	}
}

func TestLinkListFilters(t *testing.T) {
	e := newLinkEnv(t)
	other, err := e.as("").CreateOrg(ctx, "Florist", "FLO-1")
	if err != nil {
		t.Fatal(err)
	}
	a := e.create(5 * time.Minute)
	b := e.create(0)
	c, err := e.as("").CreateLink(ctx, console.LinkParams{Org: other.ID, Email: "x@florist.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.as("").RevokeLink(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	e.now = t0.Add(6 * time.Minute)
	ids := func(q console.LinkQuery) string {
		rows, err := e.as("").Links(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, r := range rows {
			s = append(s, r.ID+":"+string(r.State))
		}
		return strings.Join(s, ",")
	}
	for q, want := range map[console.LinkQuery]string{
		{}:                            a.ID + ":expired," + b.ID + ":revoked," + c.ID + ":active",
		{Org: "Bakery"}:               a.ID + ":expired," + b.ID + ":revoked",
		{State: "active"}:             c.ID + ":active",
		{State: "EXPIRED"}:            a.ID + ":expired",
		{Org: "FLO-1", State: "used"}: "",
	} {
		if got := ids(q); got != want {
			t.Errorf("Links(%+v) = %s; want %s", q, got, want)
		}
	}
}
