// Package console is partnerctl's core library: every rule of the product
// (access, health, orgs, events, ...) lives here, over a store.Store and a
// clock. It knows nothing of cobra, terminals or output formats, so other Go
// programs can drive a partner console with it.
package console

import (
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
	wall clock.Clock
	// as overrides the saved current user (--as, PARTNERCTL_USER).
	as string
}

// New returns a Console over st. now is the console's clock (reports and
// rules read it; a caller may pin it); the real clock is the system's until
// SetRealClock. as, when non-empty, is the acting user's email and overrides
// the one saved by Login.
func New(st store.Store, now clock.Clock, as string) *Console {
	if now == nil {
		now = clock.System
	}
	return &Console{st: st, now: now, wall: clock.System, as: as}
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

// Setting keys for what `login` and `orgs open` save locally.
const settingCurrentUser = "current_user"

// actor is the acting user's email, or "" when nobody is logged in.
func (c *Console) actor(tx store.Tx) (string, error) {
	if c.as != "" {
		return domain.ParseEmail(c.as)
	}
	return tx.Setting(settingCurrentUser)
}

// partner loads the partner, turning its absence into a clear error.
func partner(tx store.Tx) (domain.Partner, error) {
	p, err := tx.Partner()
	if errors.Is(err, store.ErrNotFound) {
		return p, fail.Internalf("this store has no partner yet").WithHint("run `partnerctl init …` or `partnerctl demo`")
	}
	return p, err
}

// audit appends one entry to the trail.
func (c *Console) audit(tx store.Tx, actor, action string, org *domain.Org, detail string) error {
	e := domain.AuditEntry{At: c.RealNow(), Actor: actor, Action: action, Detail: detail}
	if org != nil {
		e.OrgID, e.OrgName = org.ID, org.Name
	}
	return tx.AppendAudit(e)
}
