package pgstore

import (
	"context"
	"iter"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Scopes are read through partnerctl_scopes(), which shows a scoped
// teammate the others' scopes cut to the orgs they see, as the console
// does (row-level security can't cut a row: the table shows them only
// their own).

func (t *pgTx) Scope(ctx context.Context, email string) ([]string, bool, error) {
	var ids []string
	err := t.queryOne(ctx, "SELECT org_ids FROM partnerctl_scopes() WHERE email = $1", []any{email}, &ids)
	if err == store.ErrNotFound {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return scopeIDs(ids), true, nil
}

// scopeIDs is a scope's ids as the contract gives them: byte order, once
// each, an empty scope as an empty (not nil) list.
func scopeIDs(ids []string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if ids == nil {
		ids = []string{}
	}
	return ids
}

func (t *pgTx) SetScope(ctx context.Context, email string, orgIDs []string) error {
	if err := t.writable(); err != nil {
		return err
	}
	// The orgs a scoped teammate creates join their scope: the policy lets
	// them add only orgs this transaction wrote, so those go first.
	if err := t.flushOrgs(ctx); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO scopes (email, org_ids) VALUES ($1, $2)
		ON CONFLICT (email) DO UPDATE SET org_ids = EXCLUDED.org_ids`, email, scopeIDs(orgIDs))
	return err
}

func (t *pgTx) DeleteScope(ctx context.Context, email string) error {
	if err := t.writable(); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, "DELETE FROM scopes WHERE email = $1", email)
	return err
}

func (t *pgTx) Scopes(ctx context.Context) iter.Seq2[domain.Scope, error] {
	return list(ctx, t, 0, "SELECT email, org_ids FROM partnerctl_scopes() ORDER BY email", nil, func(r pgx.Row) (domain.Scope, error) {
		var s domain.Scope
		err := r.Scan(&s.Email, &s.OrgIDs)
		s.OrgIDs = scopeIDs(s.OrgIDs)
		return s, err
	})
}
