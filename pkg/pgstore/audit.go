package pgstore

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// AppendAudit appends e. The server records its own clock's time and the
// session's login as the actor (a trigger sets them), whatever e says: a
// client can't write history as someone else or at another time.
func (t *pgTx) AppendAudit(ctx context.Context, e domain.AuditEntry) error {
	if err := t.writable(); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO audit (at, actor, action, org_id, org_name, detail)
		VALUES (now(), '', $1, $2, $3, $4)`, e.Action, e.OrgID, e.OrgName, e.Detail)
	return err
}

func (t *pgTx) AuditEntries(ctx context.Context, f store.AuditFilter) iter.Seq2[domain.AuditEntry, error] {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.OrgID != "" {
		add("org_id = $%d", f.OrgID)
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if !f.Since.IsZero() {
		add("at >= $%d", f.Since)
	}
	sql := "SELECT seq, at, actor, action, org_id, org_name, detail FROM audit"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	return list(ctx, t, 0, sql+" ORDER BY seq", args, func(r pgx.Row) (domain.AuditEntry, error) {
		var e domain.AuditEntry
		var seq int64
		err := r.Scan(&seq, &e.At, &e.Actor, &e.Action, &e.OrgID, &e.OrgName, &e.Detail)
		e.Seq, e.At = uint64(seq), utc(e.At)
		return e, err
	})
}
