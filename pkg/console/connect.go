package console

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/token"
)

// Seed 002's tenant link approval: the partner asks an existing tenant to
// link to it; the tenant is pending (not connected: not listed by default,
// not counted, can't be opened or signed into) until someone with the
// approval URL accepts or rejects the request.

// ConnectView is a connect request as the console shows it: never its token.
type ConnectView struct {
	ID, OrgID, OrgName, Email, CreatedBy string
	CreatedAt, ExpiresAt                 time.Time
	State                                domain.ConnectState
	// SettledAt is when it was accepted or rejected, nil while it is not.
	SettledAt *time.Time
}

func connectView(r *domain.ConnectRequest, o *domain.Org, now, real time.Time) ConnectView {
	v := ConnectView{ID: r.ID, OrgID: r.OrgID, OrgName: o.Name, Email: r.Email, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, State: r.State(now, real), SettledAt: r.AcceptedAt}
	if r.RejectedAt != nil {
		v.SettledAt = r.RejectedAt
	}
	return v
}

// NewConnect is a connect request just made: the pending org and the one
// copy of the approval URL.
type NewConnect struct {
	ConnectView
	Org OrgView
	URL string
}

// ConnectParams are the inputs of `orgs connect`.
type ConnectParams struct {
	Name string
	// Email is who is asked to approve; it becomes the tenant's contact
	// email.
	Email string
	Ref   string
	// Tenant holds the other tenant details; its ContactEmail is Email.
	Tenant domain.Tenant
}

// ConnectURL is where a connect request is approved: the login host's
// /connect page, with the token.
func ConnectURL(loginBaseURL, tok string) string {
	u, err := url.Parse(loginBaseURL)
	if err != nil || u.Host == "" {
		u = &url.URL{Scheme: "https", Host: "login.example.com"}
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/connect", RawQuery: "token=" + url.QueryEscape(tok)}).String()
}

// ConnectOrg asks an existing tenant to link to the partner: it records a
// pending org with the tenant's details and a connect request valid 7 days,
// and returns the approval URL (token prefix pcr_, only its hash is kept).
// Audited as org.connect_requested.
func (c *Console) ConnectOrg(ctx context.Context, p ConnectParams) (NewConnect, error) {
	var out NewConnect
	name, err := checkOrgName(p.Name)
	if err != nil {
		return out, err
	}
	ref, err := checkRef(p.Ref)
	if err != nil {
		return out, err
	}
	email, err := domain.ParseEmail(p.Email)
	if err != nil {
		return out, fail.Fieldf(fail.Usage, "invalid {email} %q", p.Email)
	}
	tenant := p.Tenant
	tenant.ContactEmail = email
	if err := checkTenant(&tenant); err != nil {
		return out, err
	}
	// Made before the transaction, so a re-run of it issues the same token.
	tok, err := token.New(token.ConnectPrefix)
	if err != nil {
		return out, err
	}
	err = c.asAdminUpdate(ctx, func(tx store.Tx, actor string) error {
		if err := refTaken(ctx, tx, ref, ""); err != nil {
			return err
		}
		if err := shortcodeTaken(ctx, tx, tenant.Shortcode, ""); err != nil {
			return err
		}
		now, real := c.Now(), c.RealNow()
		o, err := newOrg(ctx, tx, name, ref, now)
		if err != nil {
			return err
		}
		o.LinkStatus, o.Tenant = domain.LinkPending, tenant
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
		// like any org a scoped teammate creates, it joins their scope
		if err := addToScope(ctx, tx, actor, o.ID); err != nil {
			return err
		}
		seq, err := tx.NextSeq(ctx, "connect")
		if err != nil {
			return err
		}
		r := domain.ConnectRequest{ID: connectID(seq), Seq: seq, OrgID: o.ID, Email: email, TokenHash: token.Hash(tok),
			CreatedBy: actor, CreatedAt: now, ExpiresAt: now.Add(domain.ConnectValidity),
			RealExpiresAt: real.Add(domain.ConnectValidity)}
		if err := tx.PutConnectRequest(ctx, r); err != nil {
			return err
		}
		part, err := partner(ctx, tx)
		if err != nil {
			return err
		}
		out = NewConnect{ConnectView: connectView(&r, &o, now, real), Org: viewOf(&o, now), URL: ConnectURL(part.LoginBaseURL, tok)}
		return c.audit(ctx, tx, actor, "org.connect_requested", &o,
			fmt.Sprintf("%s to %s, expires %s", r.ID, email, r.ExpiresAt.Format(time.RFC3339)))
	})
	return out, err
}

// AcceptConnect settles a connect request by accepting it: the org becomes
// connected. RejectConnect rejects it: the org stays out of the console as
// rejected. Neither needs a current user: the token is the credential. A
// token never issued is NotFound (exit 3); a request already settled or
// expired, or whose org was deleted, is a Conflict (exit 5) saying which.
// Audited as org.connect_accepted or org.connect_rejected, with the asked
// email as the actor.
func (c *Console) AcceptConnect(ctx context.Context, tokenOrURL string) (ConnectView, error) {
	return c.settleConnect(ctx, tokenOrURL, true)
}

// RejectConnect: see AcceptConnect.
func (c *Console) RejectConnect(ctx context.Context, tokenOrURL string) (ConnectView, error) {
	return c.settleConnect(ctx, tokenOrURL, false)
}

func (c *Console) settleConnect(ctx context.Context, tokenOrURL string, accept bool) (ConnectView, error) {
	var out ConnectView
	tok, err := token.Parse(tokenOrURL)
	if err != nil {
		return out, err
	}
	hash := token.Hash(tok)
	err = c.st.Update(ctx, func(tx store.Tx) error {
		unknown := fail.NotFoundf("unknown connect request: this token was never issued by this console").
			WithHint("check that the whole URL was copied")
		r, err := tx.ConnectRequestByTokenHash(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return unknown
		} else if err != nil {
			return err
		}
		if !token.Equal(r.TokenHash, hash) {
			return unknown
		}
		o, err := tx.Org(ctx, r.OrgID)
		if err != nil {
			return err
		}
		now, real := c.Now(), c.RealNow()
		switch r.State(now, real) {
		case domain.ConnectAccepted:
			return fail.Conflictf("connect request %s was already accepted at %s", r.ID, r.AcceptedAt.UTC().Format(time.RFC3339))
		case domain.ConnectRejected:
			return fail.Conflictf("connect request %s was already rejected at %s", r.ID, r.RejectedAt.UTC().Format(time.RFC3339))
		case domain.ConnectExpired:
			return fail.Conflictf("connect request %s expired at %s", r.ID, r.ExpiresAt.UTC().Format(time.RFC3339)).
				WithHint("ask the partner for a new one")
		}
		if !o.Live() {
			return fail.Conflictf("connect request %s is for org %s, which was deleted", r.ID, o.Name)
		}
		action := "org.connect_rejected"
		if accept {
			r.AcceptedAt, o.LinkStatus, action = &now, domain.LinkAccepted, "org.connect_accepted"
		} else {
			r.RejectedAt, o.LinkStatus = &now, domain.LinkRejected
		}
		if err := tx.PutConnectRequest(ctx, r); err != nil {
			return err
		}
		if err := tx.PutOrg(ctx, o); err != nil {
			return err
		}
		out = connectView(&r, &o, now, real)
		return c.audit(ctx, tx, r.Email, action, &o, r.ID)
	})
	return out, err
}
