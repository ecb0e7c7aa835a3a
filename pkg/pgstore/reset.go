package pgstore

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// dataTables lists every table that holds records (all but schema_version
// and store_identity, which a reset keeps): a test checks it against the
// schema, so a migration can't add a table that a reset would miss.
var dataTables = []string{
	"partner", "store_meta", "settings", "id_sequences",
	"orgs", "org_stats", "org_count", "memberships", "scopes", "report_states",
	"claimed_event_ids", "device_states", "audit",
	"links", "invites", "invite_token_hashes", "connect_requests", "licenses", "logins",
}

// keptTables survive a reset: the schema's version and the store's own name.
var keptTables = []string{"schema_version", "store_identity"}

// resetData deletes every record, leaving an empty store of the current
// schema (store.MetaTx.Reset), the logins' bindings included. TRUNCATE is
// the one way to empty the audit trail, whose rows can't be deleted; it
// fires no row triggers, so the maintained org count is reset here too, and
// RESTART IDENTITY numbers the audit from 1 again. It locks the tables until
// commit: readers wait for a reset (bounded by their lock timeout).
func resetData(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, "TRUNCATE "+strings.Join(dataTables, ", ")+" RESTART IDENTITY; INSERT INTO org_count (live) VALUES (0)")
	return err
}
