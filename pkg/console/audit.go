package console

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// AuditQuery filters `audit list`. Empty fields match everything.
type AuditQuery struct {
	// Org is an org id, ref ID or exact name; deleted orgs (by id) and the
	// admin org are accepted too, since their history stays.
	Org string
	// Actor is an email.
	Actor string
	// Since keeps entries at or after this time: an RFC 3339 time, a date
	// (YYYY-MM-DD, midnight UTC) or a duration back from now (90m, 24h, 7d).
	Since string
}

// ParseSince reads a --since value relative to now.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fail.Fieldf(fail.Usage, "invalid {since} %q: want a date (2026-11-01), an RFC 3339 time or a duration such as 90m, 24h or 7d", s)
}

// Audit lists audit entries, oldest first, matching q. Members of the admin
// org read the trail (a scoped teammate: that of their orgs); an org's own
// owners and admins read their org's, naming it in q.Org, with the
// partner's users as the actors.
func (c *Console) Audit(ctx context.Context, q AuditQuery) ([]domain.AuditEntry, error) {
	var since time.Time
	if q.Since != "" {
		var err error
		// audit times are real times, so "the last 24h" is too
		if since, err = ParseSince(q.Since, c.RealNow()); err != nil {
			return nil, err
		}
	}
	actor := ""
	if q.Actor != "" {
		var err error
		if actor, err = domain.ParseEmail(q.Actor); err != nil {
			return nil, err
		}
	}
	var rows []domain.AuditEntry
	err := c.st.View(ctx, func(tx store.Tx) error {
		rows = []domain.AuditEntry{}
		s, err := c.standingOf(ctx, tx)
		if err != nil {
			return err
		}
		orgID := ""
		if s.member() {
			tx = s.vis.tx(tx)
			if q.Org != "" {
				o, err := resolveAnyOrg(ctx, tx, q.Org)
				if err != nil {
					return err
				}
				orgID = o.ID
			}
		} else if orgID, err = c.ownAuditOrg(ctx, tx, s, q.Org); err != nil {
			return err
		}
		for e, err := range tx.AuditEntries(ctx, store.AuditFilter{OrgID: orgID, Actor: actor, Since: since}) {
			if err != nil {
				return err
			}
			rows = append(rows, e)
		}
		return nil
	})
	return rows, err
}

// ownAuditOrg is the org whose trail a customer may read: their own, where
// they are an owner or admin, named with --org (seed 000: what the partner
// does in an org is visible to it). To anyone else, whether an org exists
// stays unsaid.
func (c *Console) ownAuditOrg(ctx context.Context, tx store.Tx, s standing, arg string) (string, error) {
	refuse := errNotPartnerAdmin(ctx, tx, s.partner, s.actor)
	if arg == "" {
		return "", refuse
	}
	o, err := resolveAnyOrg(ctx, tx, arg)
	if fail.Is(err, fail.NotFound) || fail.Is(err, fail.Usage) || (err == nil && o.Admin) {
		return "", refuse
	}
	if err != nil {
		return "", err
	}
	m, ok, err := activeMembership(ctx, tx, o.ID, s.actor, c.Now())
	switch {
	case err != nil:
		return "", err
	case !ok:
		return "", refuse
	case !m.Role.CanManageTeam():
		return "", fail.Deniedf("%s is not an owner or admin of %s: its audit trail is for them", s.actor, o.Name)
	}
	return o.ID, nil
}

// resolveAnyOrg finds an org whose history may be asked for: a live customer
// org as resolveOrg does, any org by id (deleted included), or the admin org
// by id or name.
func resolveAnyOrg(ctx context.Context, tx store.Tx, arg string) (domain.Org, error) {
	key := strings.TrimSpace(arg)
	if o, err := tx.Org(ctx, key); err == nil {
		return o, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return o, err
	}
	o, err := resolveOrg(ctx, tx, key)
	if fail.Is(err, fail.NotFound) {
		if p, perr := partner(ctx, tx); perr == nil {
			if admin, aerr := tx.Org(ctx, p.AdminOrgID); aerr == nil && strings.EqualFold(admin.Name, key) {
				return admin, nil
			}
		}
	}
	return o, err
}
