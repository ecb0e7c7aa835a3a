package pgstore

import (
	"context"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

const connectColumns = `id, seq, org_id, email, token_hash, created_by, created_at, expires_at, real_expires_at,
	accepted_at, rejected_at`

func scanConnect(r pgx.Row) (domain.ConnectRequest, error) {
	var c domain.ConnectRequest
	var seq int64
	var realExpiry *time.Time
	err := r.Scan(&c.ID, &seq, &c.OrgID, &c.Email, &c.TokenHash, &c.CreatedBy, &c.CreatedAt, &c.ExpiresAt, &realExpiry,
		&c.AcceptedAt, &c.RejectedAt)
	c.Seq, c.CreatedAt, c.ExpiresAt, c.RealExpiresAt = uint64(seq), utc(c.CreatedAt), utc(c.ExpiresAt), fromNullTime(realExpiry)
	c.AcceptedAt, c.RejectedAt = utcPtr(c.AcceptedAt), utcPtr(c.RejectedAt)
	return c, err
}

// ConnectRequestByTokenHash goes through a SECURITY DEFINER function, as
// LinkByTokenHash does: the token is the tenant's credential.
func (t *pgTx) ConnectRequestByTokenHash(ctx context.Context, hash string) (domain.ConnectRequest, error) {
	return found(scanConnect(t.tx.QueryRow(ctx, "SELECT "+connectColumns+" FROM partnerctl_connect_request_by_token_hash($1)", hash)))
}

func (t *pgTx) PutConnectRequest(ctx context.Context, c domain.ConnectRequest) error {
	if err := t.writable(); err != nil {
		return err
	}
	// A new request's org goes first: the schema admits a request only
	// with the pending org the transaction wrote.
	if err := t.flushOrgs(ctx); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO connect_requests (`+connectColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, org_id = EXCLUDED.org_id, email = EXCLUDED.email,
			created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
			real_expires_at = EXCLUDED.real_expires_at, accepted_at = EXCLUDED.accepted_at, rejected_at = EXCLUDED.rejected_at`,
		c.ID, int64(c.Seq), c.OrgID, c.Email, c.TokenHash, c.CreatedBy, micros(c.CreatedAt), micros(c.ExpiresAt),
		toNullTime(c.RealExpiresAt), microsPtr(c.AcceptedAt), microsPtr(c.RejectedAt))
	return err
}

func (t *pgTx) ConnectRequests(ctx context.Context, orgID string) iter.Seq2[domain.ConnectRequest, error] {
	if orgID == "" {
		return list(ctx, t, 0, "SELECT "+t.readable(connectColumns)+" FROM connect_requests ORDER BY seq", nil, scanConnect)
	}
	return list(ctx, t, 0, "SELECT "+t.readable(connectColumns)+" FROM connect_requests WHERE org_id = $1 ORDER BY seq",
		[]any{orgID}, scanConnect)
}
