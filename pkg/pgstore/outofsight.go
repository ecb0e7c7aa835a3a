package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// outOfSightOrgID stands, for a scoped teammate, for a live org that holds
// a ref but that row-level security hides from them. A ref is unique among
// every org, also those out of sight: the console checks a new ref against
// every org (store.Tx.OrgIDByRef, LiveOrgIDs, unscoped) and refuses it
// naming only an org the teammate sees ("already used by another org"),
// which on bbolt it can, and here row-level security would let it miss.
// Shortcodes likewise. The schema tells a scoped session which refs and
// shortcodes such orgs hold, never which
// org holds them, so this id names no org: the console's scope, which
// doesn't see it, drops it like any other org out of sight.
const outOfSightOrgID = "org_out_of_sight"

// isScoped asks once per transaction whether the session is a scoped
// teammate's.
func (t *pgTx) isScoped(ctx context.Context) (bool, error) {
	if t.scoped == nil {
		var scoped bool
		if err := t.tx.QueryRow(ctx, "SELECT partnerctl_scope_org_ids() IS NOT NULL").Scan(&scoped); err != nil {
			return false, err
		}
		t.scoped = &scoped
	}
	return *t.scoped, nil
}

// shortcodeOutOfSight reports whether a live org out of a scoped
// session's sight has the shortcode code (as refsOutOfSight does for refs).
func (t *pgTx) shortcodeOutOfSight(ctx context.Context, code string) (bool, error) {
	if scoped, err := t.isScoped(ctx); err != nil || !scoped {
		return false, err
	}
	var held bool
	err := t.tx.QueryRow(ctx, "SELECT partnerctl_shortcode_out_of_sight($1)", code).Scan(&held)
	return held, err
}

// refsOutOfSight marks, in ids, the folded refs (unresolved, id "") that a
// live org out of a scoped session's sight holds, with outOfSightOrgID.
// Nobody else has orgs out of sight worth asking about (admins and
// unscoped members see every org).
func (t *pgTx) refsOutOfSight(ctx context.Context, folded, ids []string) error {
	var ask []string
	for i, f := range folded {
		if ids[i] == "" && f != "" {
			ask = append(ask, f)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	if scoped, err := t.isScoped(ctx); err != nil || !scoped {
		return err
	}
	rows, err := t.tx.Query(ctx, "SELECT partnerctl_refs_out_of_sight($1)", ask)
	if err != nil {
		return err
	}
	held, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	out := make(map[string]bool, len(held))
	for _, f := range held {
		out[f] = true
	}
	for i, f := range folded {
		if ids[i] == "" && out[f] {
			ids[i] = outOfSightOrgID
		}
	}
	return nil
}
