// Package console is partnerctl's core library: every rule of the product
// (access, health, orgs, events, ...) lives here, over a store.Store and a
// clock. It knows nothing of cobra, terminals or output formats, so other Go
// programs can drive a partner console with it.
package console

import (
	"context"
	"errors"
	"time"

	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Console runs partner-console operations for one acting user.
type Console struct {
	st  store.Store
	now clock.Clock
	// wall is the real clock, which PARTNERCTL_NOW never pins: token
	// lifetimes are also checked against it, and the audit records it.
	wall    clock.Clock
	as      string
	session Session
	// heldMatches: see Options.HeldMatches.
	heldMatches int
}

// Options configure a Console.
type Options struct {
	// Clock is the console's clock (health, expiry, reports); nil is the
	// system's. A caller may pin it.
	Clock clock.Clock
	// RealClock is the clock a pinned Clock never stretches: token
	// lifetimes are also checked against it, and the audit records it; nil
	// is the system's.
	RealClock clock.Clock
	// As, when set, is the acting user's email, overriding the session's
	// current user.
	As string
	// Session remembers who is logged in and which org each user has open,
	// between calls; nil keeps it in memory for the Console's life.
	Session Session
	// HeldMatches is how many matches a sorted listing keeps whole before
	// it keeps only their sort keys and reads the orgs again as it prints
	// them (see orgSorter); 0 is DefaultHeldMatches. Tests set it low to
	// run the second path on small stores.
	HeldMatches int
}

// New returns a Console over st.
func New(st store.Store, opts Options) *Console {
	if opts.Clock == nil {
		opts.Clock = clock.System
	}
	if opts.RealClock == nil {
		opts.RealClock = clock.System
	}
	if opts.Session == nil {
		opts.Session = NewMemorySession()
	}
	if opts.HeldMatches <= 0 {
		opts.HeldMatches = DefaultHeldMatches
	}
	return &Console{st: st, now: opts.Clock, wall: opts.RealClock, as: opts.As, session: opts.Session,
		heldMatches: opts.HeldMatches}
}

// SetRealClock replaces the real clock, for tests that need the wall clock
// to stand still or move.
func (c *Console) SetRealClock(real clock.Clock) {
	if real != nil {
		c.wall = real
	}
}

// Now is the console's clock reading, in UTC.
func (c *Console) Now() time.Time { return c.now().UTC() }

// RealNow is the real clock's reading, in UTC, whatever the console's clock
// is pinned to.
func (c *Console) RealNow() time.Time { return c.wall().UTC() }

// actor is the acting user's email, or "" when nobody is logged in. On a
// store whose connections carry a verified identity (store.Identity: a
// database login) it is the login's user, and a user named with As must be
// that same user: nobody acts as someone else there. (The session's saved
// user is no claim there: Login checked it, and people who share a config
// file may each connect as their own login.)
func (c *Console) actor(ctx context.Context, tx store.Tx) (string, error) {
	id, ok := c.st.(store.Identity)
	if !ok {
		if c.as != "" {
			return domain.ParseEmail(c.as)
		}
		return c.session.CurrentUser()
	}
	claimed := ""
	if c.as != "" {
		var err error
		if claimed, err = domain.ParseEmail(c.as); err != nil {
			return "", err
		}
	}
	login, err := id.Login(ctx, tx)
	if err != nil {
		return "", err
	}
	if login.Email == "" {
		return "", fail.Deniedf("no current user").WithCode(fail.CodeUnboundLogin, login.Name).
			WithHint("database login %q is no partner user of this store", login.Name)
	}
	if claimed != "" && claimed != login.Email {
		return "", fail.Deniedf("you are %s on this store (database login %q), not %s", login.Email, login.Name, claimed).
			WithCode(fail.CodeNotYourLogin)
	}
	return login.Email, nil
}

// bindFirstLogin makes the transaction's login, on a store with verified
// identities, the user email (init, demo).
func (c *Console) bindFirstLogin(ctx context.Context, tx store.Tx, email, how string) error {
	if id, ok := c.st.(store.Identity); ok {
		return id.BindFirstLogin(ctx, tx, email, how)
	}
	return nil
}

// partner loads the partner, turning its absence into a clear error.
func partner(ctx context.Context, tx store.Tx) (domain.Partner, error) {
	p, err := tx.Partner(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return p, fail.Internalf("this store has no partner yet").WithCode(fail.CodeNoPartner)
	}
	return p, err
}

// audit appends one entry to the trail.
func (c *Console) audit(ctx context.Context, tx store.Tx, actor, action string, org *domain.Org, detail string) error {
	e := domain.AuditEntry{At: c.RealNow(), Actor: actor, Action: action, Detail: detail}
	if org != nil {
		e.OrgID, e.OrgName = org.ID, org.Name
	}
	return tx.AppendAudit(ctx, e)
}
