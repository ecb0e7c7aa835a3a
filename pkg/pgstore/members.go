package pgstore

import (
	"context"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

const memberColumns = "org_id, email, role, login_method, joined_at, expires_at"

func scanMember(r pgx.Row) (domain.Membership, error) {
	var m domain.Membership
	var role string
	err := r.Scan(&m.OrgID, &m.Email, &role, &m.LoginMethod, &m.JoinedAt, &m.ExpiresAt)
	m.Role, m.JoinedAt, m.ExpiresAt = domain.Role(role), utc(m.JoinedAt), utcPtr(m.ExpiresAt)
	return m, err
}

func (t *pgTx) Membership(ctx context.Context, orgID, email string) (domain.Membership, error) {
	return found(scanMember(t.tx.QueryRow(ctx, "SELECT "+memberColumns+" FROM memberships WHERE org_id = $1 AND email = $2", orgID, email)))
}

func (t *pgTx) MembershipsByKey(ctx context.Context, keys []store.MemberKey) (map[store.MemberKey]domain.Membership, error) {
	out := map[store.MemberKey]domain.Membership{}
	if len(keys) == 0 {
		return out, nil
	}
	orgs, emails := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		orgs[i], emails[i] = k.OrgID, k.Email
	}
	rows, err := t.tx.Query(ctx, "SELECT m.org_id, m.email, m.role, m.login_method, m.joined_at, m.expires_at"+
		" FROM unnest($1::text[], $2::text[]) AS k(org_id, email)"+
		" JOIN memberships m ON m.org_id = k.org_id AND m.email = k.email", bulk, orgs, emails)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		out[store.MemberKey{OrgID: m.OrgID, Email: m.Email}] = m
	}
	return out, rows.Err()
}

func (t *pgTx) PutMembership(ctx context.Context, m domain.Membership) error {
	return t.PutMemberships(ctx, []domain.Membership{m})
}

// PutMemberships upserts every membership in one statement.
func (t *pgTx) PutMemberships(ctx context.Context, ms []domain.Membership) error {
	if err := t.writable(); err != nil {
		return err
	}
	if len(ms) == 0 {
		return nil
	}
	// One row per key, the last given winning: ON CONFLICT can't touch a
	// row twice in one statement.
	at := make(map[store.MemberKey]int, len(ms))
	var orgs, emails, roles, methods []string
	var joined []time.Time
	var expires []*time.Time
	for _, m := range ms {
		k := store.MemberKey{OrgID: m.OrgID, Email: m.Email}
		if i, ok := at[k]; ok {
			roles[i], methods[i], joined[i], expires[i] = string(m.Role), m.LoginMethod, micros(m.JoinedAt), microsPtr(m.ExpiresAt)
			continue
		}
		at[k] = len(orgs)
		orgs, emails, roles = append(orgs, m.OrgID), append(emails, m.Email), append(roles, string(m.Role))
		methods, joined = append(methods, m.LoginMethod), append(joined, micros(m.JoinedAt))
		expires = append(expires, microsPtr(m.ExpiresAt))
	}
	upsert := func(src string) string {
		return `INSERT INTO memberships (` + memberColumns + `) ` + src + `
			ON CONFLICT (org_id, email) DO UPDATE SET role = EXCLUDED.role, login_method = EXCLUDED.login_method,
				joined_at = EXCLUDED.joined_at, expires_at = EXCLUDED.expires_at`
	}
	if len(orgs) > stagedRows {
		name, err := t.stage(ctx, []stageColumn{{"org_id", "text"}, {"email", "text"}, {"role", "text"},
			{"login_method", "text"}, {"joined_at", "timestamptz"}, {"expires_at", "timestamptz"}}, len(orgs), func(i int, vals []any) {
			vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = orgs[i], emails[i], roles[i], methods[i], joined[i], expires[i]
		})
		if err != nil {
			return err
		}
		_, err = t.tx.Exec(ctx, upsert("SELECT * FROM "+name))
		return err
	}
	_, err := t.tx.Exec(ctx, upsert(`SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])`),
		bulk, orgs, emails, roles, methods, joined, expires)
	return err
}

func (t *pgTx) DeleteMembership(ctx context.Context, orgID, email string) error {
	return t.DeleteMemberships(ctx, []store.MemberKey{{OrgID: orgID, Email: email}})
}

func (t *pgTx) DeleteMemberships(ctx context.Context, keys []store.MemberKey) error {
	if err := t.writable(); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	orgs, emails := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		orgs[i], emails[i] = k.OrgID, k.Email
	}
	_, err := t.tx.Exec(ctx, `DELETE FROM memberships m USING unnest($1::text[], $2::text[]) AS k(org_id, email)
		WHERE m.org_id = k.org_id AND m.email = k.email`, bulk, orgs, emails)
	return err
}

func (t *pgTx) Memberships(ctx context.Context, f store.MemberFilter) iter.Seq2[domain.Membership, error] {
	sql := "SELECT " + memberColumns + " FROM memberships"
	var args []any
	switch {
	case f.OrgID != "" && f.Email != "":
		sql += " WHERE org_id = $1 AND email = $2"
		args = []any{f.OrgID, f.Email}
	case f.OrgID != "":
		sql += " WHERE org_id = $1"
		args = []any{f.OrgID}
	case f.Email != "":
		sql += " WHERE email = $1"
		args = []any{f.Email}
	}
	return list(ctx, t, 0, sql+" ORDER BY org_id, email", args, scanMember)
}
