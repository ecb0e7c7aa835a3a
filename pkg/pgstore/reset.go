package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// dataTables lists every table that holds records (all but keptTables): a
// test checks it against the schema and that a reset empties each.
var dataTables = []string{
	"partner", "store_meta", "settings", "id_sequences",
	"orgs", "org_stats", "org_count", "memberships", "scopes", "report_states",
	"claimed_event_ids", "device_states", "audit",
	"links", "invites", "invite_token_hashes", "connect_requests", "licenses", "logins", "token_grants",
}

// keptTables survive a reset: the schema's version and the store's own name.
var keptTables = []string{"schema_version", "store_identity"}

// resetData deletes every record, leaving an empty store of the current
// schema (store.MetaTx.Reset), the logins' bindings included: the schema's
// partnerctl_reset() truncates every table but keptTables (TRUNCATE is the
// one way to empty the audit trail, whose rows can't be deleted, and needs
// the tables' owner: the function lets a member wipe a demo store, only the
// owner a real one). It locks the tables until commit: readers wait for a
// reset (bounded by their lock timeout).
func resetData(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, "SELECT partnerctl_reset()")
	return err
}
