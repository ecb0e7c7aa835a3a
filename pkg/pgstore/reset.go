package pgstore

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// dataTables lists every table that holds records (all but schema_version):
// a test checks it against the schema, so a migration can't add a table
// that a reset would miss.
var dataTables = []string{
	"partner", "store_meta", "settings", "id_sequences",
	"orgs", "org_stats", "org_count", "memberships",
	"claimed_event_ids", "device_states", "audit",
	"links", "invites", "invite_token_hashes", "licenses", "license_history",
}

// resetData deletes every record, leaving an empty store of the current
// schema (store.MetaTx.Reset). TRUNCATE is the one way to empty the audit
// trail, whose rows can't be deleted; it fires no row triggers, so the
// maintained org count is reset here too. It locks the tables until commit:
// readers wait for a reset (bounded by their lock timeout).
func resetData(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, "TRUNCATE "+strings.Join(dataTables, ", ")+"; INSERT INTO org_count (live) VALUES (0)")
	return err
}
