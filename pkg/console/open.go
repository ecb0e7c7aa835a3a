package console

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// ActiveOrg is the org a user is working in: one they opened with
// `orgs open`, or the admin org.
type ActiveOrg struct {
	OrgID    string `json:"org_id"`
	OrgName  string `json:"org_name"`
	RefID    string `json:"ref_id"`
	AdminOrg bool   `json:"admin_org"`
	// Role is the user's role there ("partner" for the basic access that
	// opening grants, or a customer role they already had).
	Role     string `json:"role"`
	InboxURL string `json:"inbox_url"`
	// ExpiresAt is when time-boxed partner access ends (`orgs open --for`);
	// nil when it doesn't.
	ExpiresAt *time.Time `json:"expires_at"`
	// Lapsed, when set, is the org the user had open but may no longer
	// work in: their partner access expired or was ended. The active org
	// is then the admin org.
	Lapsed *LapsedOrg `json:"lapsed,omitempty"`
}

// LapsedOrg is an open org whose access is over.
type LapsedOrg struct {
	OrgID string `json:"org_id"`
	// OrgName is "" when the org is out of the user's sight now.
	OrgName string `json:"org_name"`
	Reason  string `json:"reason"` // LapseExpired or LapseEnded
	// At is when it expired; nil when it was ended (removed, unscoped).
	At *time.Time `json:"at"`
}

// Why an open org lapsed.
const (
	LapseExpired = "expired"
	LapseEnded   = "ended"
)

// Bounds of `orgs open --for`.
const (
	MinOpenFor = time.Minute
	MaxOpenFor = 24 * time.Hour
)

// InboxURL is where an org's inbox lives: the scheme and host of the
// partner's login base URL, then /orgs/<id>/inbox. The console has no other
// address of the platform, and links and the dashboard share a host.
func InboxURL(loginBaseURL, orgID string) string {
	u, err := url.Parse(loginBaseURL)
	if err != nil || u.Host == "" {
		u = &url.URL{Scheme: "https", Host: "login.example.com"}
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/orgs/" + orgID + "/inbox"}).String()
}

func activeView(p domain.Partner, o domain.Org, m domain.Membership) ActiveOrg {
	v := ActiveOrg{OrgID: o.ID, OrgName: o.Name, RefID: o.RefID, AdminOrg: o.Admin,
		Role: string(m.Role), InboxURL: InboxURL(p.LoginBaseURL, o.ID)}
	if m.ExpiresAt != nil {
		at := m.ExpiresAt.UTC()
		v.ExpiresAt = &at
	}
	return v
}

// OpenOrg makes org the acting user's active org and grants them the basic
// `partner` role there, unless they already hold a customer role, which is
// kept. The partner role is not a seat: the org's users count is unchanged.
// Opening is audited as org.opened. A deleted org is not found (exit 3).
func (c *Console) OpenOrg(ctx context.Context, arg string) (ActiveOrg, error) {
	return c.OpenOrgFor(ctx, arg, 0)
}

// OpenOrgFor is OpenOrg with partner access that ends after d (from 1m to
// 24h; 0 for none): from then on the grant is gone, computed from the
// clock. Opening again replaces the end (no d: no end). A customer role
// the user holds there is kept, and is never time-boxed.
func (c *Console) OpenOrgFor(ctx context.Context, arg string, d time.Duration) (ActiveOrg, error) {
	var v ActiveOrg
	if d != 0 && (d < MinOpenFor || d > MaxOpenFor) {
		return v, fail.Fieldf(fail.Usage, "invalid {for} %s: partner access lasts from 1m to 24h", d)
	}
	var who string
	err := c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		who = actor
		o, err := resolveOpenable(ctx, tx, arg)
		if err != nil {
			return err
		}
		if err := requireConnected(&o, "be opened"); err != nil {
			return err
		}
		p, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		now := c.Now()
		m, had, err := membershipOf(ctx, tx, o.ID, actor)
		if err != nil {
			return err
		}
		detail := "kept role " + string(m.Role)
		switch {
		case had && m.Role != domain.RolePartner:
		case had && !m.Lapsed(now) && m.ExpiresAt == nil && d == 0:
		default:
			if !had || m.Lapsed(now) {
				m = domain.Membership{OrgID: o.ID, Email: actor, Role: domain.RolePartner, LoginMethod: "any", JoinedAt: now}
			}
			m.ExpiresAt = nil
			detail = "granted role partner"
			if d > 0 {
				end := now.Add(d)
				m.ExpiresAt = &end
				detail += " until " + end.Format(time.RFC3339)
			}
			if err := tx.PutMembership(ctx, m); err != nil {
				return err
			}
		}
		v = activeView(p, o, m)
		return c.audit(ctx, tx, actor, "org.opened", &o, detail)
	})
	if err != nil {
		return v, err
	}
	return v, c.session.SetOpenOrg(who, v.OrgID)
}

// resolveOpenable is resolveOrg with a clearer message for an org id that
// names a deleted org.
func resolveOpenable(ctx context.Context, tx store.Tx, arg string) (domain.Org, error) {
	if o, err := tx.Org(ctx, strings.TrimSpace(arg)); err == nil && !o.Live() && !o.Admin {
		return o, fail.NotFoundf("org %s (%s) was deleted on %s", o.ID, o.Name, o.DeletedAt.UTC().Format("2006-01-02"))
	}
	return resolveOrg(ctx, tx, arg)
}

// CurrentOrg is the acting user's active org: the one they opened, or the
// admin org when none is open, when the one they opened has since been
// deleted, or when their access to it is over (Lapsed says why: the
// grant expired, or was ended by their removal or a change of scope).
func (c *Console) CurrentOrg(ctx context.Context) (ActiveOrg, error) {
	var v ActiveOrg
	err := c.asAdmin(ctx, func(tx store.Tx, actor string) error {
		var err error
		v, _, err = c.currentOrg(ctx, tx, actor)
		return err
	})
	return v, err
}

// currentOrg also returns the saved customer org when one is open, live and
// still the user's to work in.
func (c *Console) currentOrg(ctx context.Context, tx store.Tx, actor string) (ActiveOrg, *domain.Org, error) {
	p, err := partner(ctx, tx)
	if err != nil {
		return ActiveOrg{}, nil, err
	}
	id, err := c.session.OpenOrg(actor)
	if err != nil {
		return ActiveOrg{}, nil, err
	}
	var lapsed *LapsedOrg
	if id != "" {
		o, err := tx.Org(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return ActiveOrg{}, nil, err
		}
		hidden := false
		if errors.Is(err, store.ErrNotFound) {
			// Out of a scoped teammate's sight now: their access ended.
			whole, err := unscoped(tx).Org(ctx, id)
			hidden = err == nil && whole.Live() && !whole.Admin
		}
		switch {
		case hidden:
			lapsed = &LapsedOrg{OrgID: id, Reason: LapseEnded}
		case err == nil && o.Live() && !o.Admin:
			m, ok, err := membershipOf(ctx, tx, o.ID, actor)
			switch {
			case err != nil:
				return ActiveOrg{}, nil, err
			case !ok:
				lapsed = &LapsedOrg{OrgID: o.ID, OrgName: o.Name, Reason: LapseEnded}
			case m.Lapsed(c.Now()):
				at := m.ExpiresAt.UTC()
				lapsed = &LapsedOrg{OrgID: o.ID, OrgName: o.Name, Reason: LapseExpired, At: &at}
			default:
				return activeView(p, o, m), &o, nil
			}
		}
	}
	v, err := c.adminView(ctx, tx, actor)
	v.Lapsed = lapsed
	return v, nil, err
}

// CloseOrg returns the acting user to the admin org. Closing when no org is
// open changes nothing and records nothing; closed reports whether an org
// was open. The partner role granted by opening stays.
func (c *Console) CloseOrg(ctx context.Context) (v ActiveOrg, closed *ActiveOrg, err error) {
	var who string
	err = c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		who, closed = actor, nil
		prev, open, err := c.currentOrg(ctx, tx, actor)
		if err != nil {
			return err
		}
		if open != nil {
			closed = &prev
			if err := c.audit(ctx, tx, actor, "org.closed", open, ""); err != nil {
				return err
			}
		}
		v, err = c.adminView(ctx, tx, actor)
		return err
	})
	if err != nil {
		return v, nil, err
	}
	return v, closed, c.session.SetOpenOrg(who, "")
}

// adminView is the admin org as actor's active org.
func (c *Console) adminView(ctx context.Context, tx store.Tx, actor string) (ActiveOrg, error) {
	p, err := partner(ctx, tx)
	if err != nil {
		return ActiveOrg{}, err
	}
	admin, err := tx.Org(ctx, p.AdminOrgID)
	if err != nil {
		return ActiveOrg{}, err
	}
	m, _, err := membershipOf(ctx, tx, admin.ID, actor)
	return activeView(p, admin, m), err
}
