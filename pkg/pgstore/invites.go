package pgstore

import (
	"context"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

const inviteColumns = `id, seq, org_id, email, role, login_method, token_hash, created_by, created_at, expires_at,
	real_expires_at, resent_at, accepted_at, deleted_at`

func scanInvite(r pgx.Row) (domain.Invite, error) {
	var i domain.Invite
	var seq int64
	var role string
	var realExpiry *time.Time
	err := r.Scan(&i.ID, &seq, &i.OrgID, &i.Email, &role, &i.LoginMethod, &i.TokenHash, &i.CreatedBy, &i.CreatedAt,
		&i.ExpiresAt, &realExpiry, &i.ResentAt, &i.AcceptedAt, &i.DeletedAt)
	i.Seq, i.Role, i.CreatedAt, i.ExpiresAt = uint64(seq), domain.Role(role), utc(i.CreatedAt), utc(i.ExpiresAt)
	i.RealExpiresAt = fromNullTime(realExpiry)
	i.ResentAt, i.AcceptedAt, i.DeletedAt = utcPtr(i.ResentAt), utcPtr(i.AcceptedAt), utcPtr(i.DeletedAt)
	return i, err
}

func (t *pgTx) Invite(ctx context.Context, id string) (domain.Invite, error) {
	return found(scanInvite(t.tx.QueryRow(ctx, "SELECT "+t.readable(inviteColumns)+" FROM invites WHERE id = $1", id)))
}

// InviteByTokenHash goes through a SECURITY DEFINER function, as
// LinkByTokenHash does; it finds an invite by any token ever issued for it.
func (t *pgTx) InviteByTokenHash(ctx context.Context, hash string) (domain.Invite, error) {
	return found(scanInvite(t.tx.QueryRow(ctx, "SELECT "+inviteColumns+" FROM partnerctl_invite_by_token_hash($1)", hash)))
}

// PutInvite upserts the invite and records its token's hash (through
// partnerctl_record_invite_token: nobody's own SQL reads or writes the
// hashes), in one round trip. Accepting it (accepted_at set) binds the
// session's login, if it is bound to no one, to the invited email: a
// trigger does that in the same statement.
func (t *pgTx) PutInvite(ctx context.Context, i domain.Invite) error {
	if err := t.writable(); err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO invites (`+inviteColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, org_id = EXCLUDED.org_id, email = EXCLUDED.email,
				role = EXCLUDED.role, login_method = EXCLUDED.login_method, `+keepHash(i.TokenHash, "$7")+`
				created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
				real_expires_at = EXCLUDED.real_expires_at,
				resent_at = EXCLUDED.resent_at, accepted_at = EXCLUDED.accepted_at, deleted_at = EXCLUDED.deleted_at`,
		i.ID, int64(i.Seq), i.OrgID, i.Email, string(i.Role), i.LoginMethod, i.TokenHash, i.CreatedBy,
		micros(i.CreatedAt), micros(i.ExpiresAt), toNullTime(i.RealExpiresAt), microsPtr(i.ResentAt), microsPtr(i.AcceptedAt), microsPtr(i.DeletedAt))
	b.Queue("SELECT partnerctl_record_invite_token($1)", i.ID)
	return t.tx.SendBatch(ctx, b).Close()
}

func (t *pgTx) Invites(ctx context.Context, orgID string) iter.Seq2[domain.Invite, error] {
	if orgID == "" {
		return list(ctx, t, 0, "SELECT "+t.readable(inviteColumns)+" FROM invites ORDER BY seq", nil, scanInvite)
	}
	return list(ctx, t, 0, "SELECT "+t.readable(inviteColumns)+" FROM invites WHERE org_id = $1 ORDER BY seq", []any{orgID}, scanInvite)
}
