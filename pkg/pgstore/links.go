package pgstore

import (
	"context"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

const linkColumns = `id, seq, org_id, email, token_hash, created_by, reason, created_at, expires_at,
	real_expires_at, redeemed_at, revoked_at, revoked_by`

func scanLink(r pgx.Row) (domain.Link, error) {
	var l domain.Link
	var seq int64
	var realExpiry *time.Time
	err := r.Scan(&l.ID, &seq, &l.OrgID, &l.Email, &l.TokenHash, &l.CreatedBy, &l.Reason, &l.CreatedAt, &l.ExpiresAt,
		&realExpiry, &l.RedeemedAt, &l.RevokedAt, &l.RevokedBy)
	l.Seq, l.CreatedAt, l.ExpiresAt, l.RealExpiresAt = uint64(seq), utc(l.CreatedAt), utc(l.ExpiresAt), fromNullTime(realExpiry)
	l.RedeemedAt, l.RevokedAt = utcPtr(l.RedeemedAt), utcPtr(l.RevokedAt)
	return l, err
}

func (t *pgTx) Link(ctx context.Context, id string) (domain.Link, error) {
	return found(scanLink(t.tx.QueryRow(ctx, "SELECT "+t.readable(linkColumns)+" FROM links WHERE id = $1", id)))
}

// LinkByTokenHash goes through a SECURITY DEFINER function: the token is
// its redeemer's credential, whatever else they may see.
func (t *pgTx) LinkByTokenHash(ctx context.Context, hash string) (domain.Link, error) {
	return found(scanLink(t.tx.QueryRow(ctx, "SELECT "+linkColumns+" FROM partnerctl_link_by_token_hash($1)", hash)))
}

func (t *pgTx) PutLink(ctx context.Context, l domain.Link) error {
	if err := t.writable(); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO links (`+linkColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, org_id = EXCLUDED.org_id, email = EXCLUDED.email,
			`+keepHash(l.TokenHash, "$5")+`created_by = EXCLUDED.created_by, reason = EXCLUDED.reason,
			created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, real_expires_at = EXCLUDED.real_expires_at,
			redeemed_at = EXCLUDED.redeemed_at,
			revoked_at = EXCLUDED.revoked_at, revoked_by = EXCLUDED.revoked_by`,
		l.ID, int64(l.Seq), l.OrgID, l.Email, l.TokenHash, l.CreatedBy, l.Reason, micros(l.CreatedAt), micros(l.ExpiresAt),
		toNullTime(l.RealExpiresAt), microsPtr(l.RedeemedAt), microsPtr(l.RevokedAt), l.RevokedBy)
	return err
}

func (t *pgTx) Links(ctx context.Context, orgID string) iter.Seq2[domain.Link, error] {
	if orgID == "" {
		return list(ctx, t, 0, "SELECT "+t.readable(linkColumns)+" FROM links ORDER BY seq", nil, scanLink)
	}
	return list(ctx, t, 0, "SELECT "+t.readable(linkColumns)+" FROM links WHERE org_id = $1 ORDER BY seq", []any{orgID}, scanLink)
}
