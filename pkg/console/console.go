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
	// as overrides the saved current user (--as, PARTNERCTL_USER).
	as string
}

// New returns a Console over st. as, when non-empty, is the acting user's
// email and overrides the one saved by Login.
func New(st store.Store, now clock.Clock, as string) *Console {
	if now == nil {
		now = clock.System
	}
	return &Console{st: st, now: now, as: as}
}

// Now is the console's clock reading, in UTC.
func (c *Console) Now() time.Time { return c.now().UTC() }

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
	e := domain.AuditEntry{At: c.Now(), Actor: actor, Action: action, Detail: detail}
	if org != nil {
		e.OrgID, e.OrgName = org.ID, org.Name
	}
	return tx.AppendAudit(e)
}
