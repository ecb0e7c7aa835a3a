package console

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/token"
)

// MaxLinkTTL is the longest (and default) life of a one-time login link.
const MaxLinkTTL = 15 * time.Minute

const maxReasonLength = 500

// LinkView is a link as the console shows it: never its token or hash.
type LinkView struct {
	ID         string
	OrgID      string
	OrgName    string
	Email      string
	CreatedBy  string
	Reason     string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	State      domain.LinkState
	RedeemedAt *time.Time
	RevokedAt  *time.Time
	RevokedBy  string
}

func linkView(l *domain.Link, o *domain.Org, now, real time.Time) LinkView {
	return LinkView{ID: l.ID, OrgID: l.OrgID, OrgName: o.Name, Email: l.Email, CreatedBy: l.CreatedBy,
		Reason: l.Reason, CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt, State: l.State(now, real),
		RedeemedAt: l.RedeemedAt, RevokedAt: l.RevokedAt, RevokedBy: l.RevokedBy}
}

// NewLink is a link just made: the only time its URL (and token) exists
// outside the recipient's hands.
type NewLink struct {
	LinkView
	URL string
}

// LinkParams are the inputs of `link create`.
type LinkParams struct {
	Org    string
	Email  string
	TTL    time.Duration // 0 means MaxLinkTTL
	Reason string
}

// LinkURL is base with ?token=tok added, keeping any query base already has.
func LinkURL(base, tok string) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "token=" + url.QueryEscape(tok)
}

// CreateLink makes a one-time login link that signs p.Email into p.Org once,
// within the TTL (at most 15 minutes). Only the token's hash is stored; the
// URL in the result is the one chance to see it. Audited as link.created
// (without the token).
func (c *Console) CreateLink(ctx context.Context, p LinkParams) (NewLink, error) {
	var out NewLink
	ttl := p.TTL
	if ttl == 0 {
		ttl = MaxLinkTTL
	}
	if ttl < time.Second || ttl > MaxLinkTTL {
		return out, fail.Fieldf(fail.Usage, "invalid {ttl} %s: a login link lives from 1s to %s", p.TTL, "15m")
	}
	email, err := domain.ParseEmail(p.Email)
	if err != nil {
		return out, err
	}
	reason := strings.TrimSpace(p.Reason)
	if len(reason) > maxReasonLength || strings.ContainsAny(reason, "\r\n\t\x00") {
		return out, fail.Fieldf(fail.Usage, "{reason} must be one line of at most %d bytes without tabs", maxReasonLength)
	}
	if err := checkLineText("reason", reason); err != nil {
		return out, err
	}
	tok, err := token.New(token.LinkPrefix)
	if err != nil {
		return out, err
	}
	err = c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		o, err := resolveOrg(ctx, tx, p.Org)
		if err != nil {
			return err
		}
		if err := requireConnected(&o, "get login links"); err != nil {
			return err
		}
		part, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		seq, err := tx.NextSeq(ctx, "link")
		if err != nil {
			return err
		}
		now, real := c.Now(), c.RealNow()
		l := domain.Link{ID: linkID(seq), Seq: seq, OrgID: o.ID, Email: email, TokenHash: token.Hash(tok),
			CreatedBy: actor, Reason: reason, CreatedAt: now, ExpiresAt: now.Add(ttl), RealExpiresAt: real.Add(ttl)}
		if err := tx.PutLink(ctx, l); err != nil {
			return err
		}
		out = NewLink{LinkView: linkView(&l, &o, now, real), URL: LinkURL(part.LoginBaseURL, tok)}
		detail := fmt.Sprintf("%s for %s, expires %s", l.ID, email, l.ExpiresAt.Format(time.RFC3339))
		if reason != "" {
			detail += ", reason: " + reason
		}
		return c.audit(ctx, tx, actor, "link.created", &o, detail)
	})
	return out, err
}

// RedeemLink consumes a link, given its token or URL. It needs no current
// user: the token is the credential. Lookup, checks and the write happen in
// one write transaction, which bbolt runs alone (one writer holds the file's
// lock across processes), so of any number of concurrent redeems of one link
// exactly one succeeds. Unknown → NotFound (3); used, expired, revoked or org
// deleted → Conflict (5) naming which. Audited as link.redeemed with the
// link's email as the actor.
func (c *Console) RedeemLink(ctx context.Context, tokenOrURL string) (LinkView, error) {
	var v LinkView
	tok, err := token.Parse(tokenOrURL)
	if err != nil {
		return v, err
	}
	hash := token.Hash(tok)
	err = c.st.Update(ctx, func(tx store.Tx) error {
		unknown := fail.NotFoundf("unknown login link: this token was never issued by this console").
			WithHint("check that the whole URL was copied")
		l, err := tx.LinkByTokenHash(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return unknown
		} else if err != nil {
			return err
		}
		if !token.Equal(l.TokenHash, hash) {
			return unknown
		}
		o, err := tx.Org(ctx, l.OrgID)
		if err != nil {
			return err
		}
		now, real := c.Now(), c.RealNow()
		if err := usable(&l, &o, now, real); err != nil {
			return err
		}
		l.RedeemedAt = &now
		if err := tx.PutLink(ctx, l); err != nil {
			return err
		}
		v = linkView(&l, &o, now, real)
		return c.audit(ctx, tx, l.Email, "link.redeemed", &o, l.ID)
	})
	return v, err
}

// usable says why a link can't be redeemed, or nil.
func usable(l *domain.Link, o *domain.Org, now, real time.Time) error {
	switch l.State(now, real) {
	case domain.LinkUsed:
		return fail.Conflictf("login link %s was already used at %s", l.ID, l.RedeemedAt.UTC().Format(time.RFC3339)).
			WithHint("links work once; ask for a new one")
	case domain.LinkRevoked:
		return fail.Conflictf("login link %s was revoked at %s", l.ID, l.RevokedAt.UTC().Format(time.RFC3339)).
			WithHint("ask for a new one")
	}
	if !o.Live() {
		return fail.Conflictf("login link %s is for org %s, which was deleted", l.ID, o.Name)
	}
	if l.State(now, real) == domain.LinkExpired {
		if now.Before(l.ExpiresAt) { // only the real clock says so: the console's is pinned
			return fail.Conflictf("login link %s expired at %s real time", l.ID, domain.RealExpiry(l.ExpiresAt, l.RealExpiresAt).Format(time.RFC3339)).
				WithHint("links last at most 15 minutes of real time, whatever PARTNERCTL_NOW says; ask for a new one")
		}
		return fail.Conflictf("login link %s expired at %s", l.ID, l.ExpiresAt.UTC().Format(time.RFC3339)).
			WithHint("links last at most 15 minutes; ask for a new one")
	}
	return nil
}

// LinkQuery filters `link list`. Empty fields match everything.
type LinkQuery struct {
	Org   string
	State string
}

// ParseLinkState validates a --state value.
func ParseLinkState(s string) (domain.LinkState, error) {
	st := domain.LinkState(strings.ToLower(strings.TrimSpace(s)))
	if st == "" || slices.Contains(domain.LinkStates, st) {
		return st, nil
	}
	return "", fail.Fieldf(fail.Usage, "invalid {state} %q: want active, used, expired or revoked", s)
}

// Links lists links, oldest first. Links of deleted orgs leave the list, as
// their orgs do (they can no longer be redeemed; the audit trail keeps them).
func (c *Console) Links(ctx context.Context, q LinkQuery) ([]LinkView, error) {
	state, err := ParseLinkState(q.State)
	if err != nil {
		return nil, err
	}
	rows := []LinkView{}
	err = c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		only := ""
		if q.Org != "" {
			o, err := resolveOrg(ctx, tx, q.Org)
			if err != nil {
				return err
			}
			only = o.ID
		}
		orgs := map[string]*domain.Org{}
		now, real := c.Now(), c.RealNow()
		rows = []LinkView{}
		for l, err := range tx.Links(ctx, only) {
			if err != nil {
				return err
			}
			o, ok := orgs[l.OrgID]
			if !ok {
				org, err := tx.Org(ctx, l.OrgID)
				if err != nil {
					return fmt.Errorf("link %s: org %s: %w", l.ID, l.OrgID, err)
				}
				o = &org
				orgs[l.OrgID] = o
			}
			if !o.Live() {
				continue
			}
			v := linkView(&l, o, now, real)
			if state == "" || v.State == state {
				rows = append(rows, v)
			}
		}
		return nil
	})
	return rows, err
}

// RevokeLink stops an active link from working. Unknown id → NotFound (3);
// someone else's link, for a member of the admin org below admin → Denied
// (4); a link that is already used, revoked or expired, or whose org was
// deleted → Conflict (5). Audited as link.revoked.
func (c *Console) RevokeLink(ctx context.Context, id string) (LinkView, error) {
	var v LinkView
	id = strings.TrimSpace(id)
	err := c.withStanding(ctx, true, func(tx store.Tx, s *standing) error {
		actor := s.actor
		l, err := tx.Link(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return fail.NotFoundf("no login link %q", id).WithCode(fail.CodeUnknownLink, id)
		} else if err != nil {
			return err
		}
		if l.CreatedBy != actor && s.role.Rank() < domain.RoleAdmin.Rank() {
			return errRoleTooLow(ctx, tx, *s, domain.RoleAdmin, fmt.Sprintf("revoke %s, which %s created", l.ID, l.CreatedBy))
		}
		o, err := tx.Org(ctx, l.OrgID)
		if err != nil {
			return err
		}
		now, real := c.Now(), c.RealNow()
		if err := usable(&l, &o, now, real); err != nil {
			var fe *fail.Error
			if errors.As(err, &fe) {
				return fail.Conflictf("cannot revoke: %s", fe.Msg)
			}
			return err
		}
		l.RevokedAt, l.RevokedBy = &now, actor
		if err := tx.PutLink(ctx, l); err != nil {
			return err
		}
		v = linkView(&l, &o, now, real)
		return c.audit(ctx, tx, actor, "link.revoked", &o, fmt.Sprintf("%s for %s", l.ID, l.Email))
	})
	return v, err
}
