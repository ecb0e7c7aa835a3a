package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/store"
)

var (
	_ store.StorageChecker = (*Store)(nil)
	_ store.Migrator       = (*Store)(nil)
)

// storageChecks are what doctor checks of the database beyond the domain
// invariants: what the schema's own rules (constraints, triggers) don't
// already guarantee. Each query lists problems, one per row.
var storageChecks = []struct{ name, sql string }{
	{"org stats", `SELECT 'org ' || o.id || ': no counters row (org_stats)' FROM orgs o
		LEFT JOIN org_stats s ON s.org_id = o.id WHERE s.org_id IS NULL ORDER BY o.id LIMIT 100`},
	{"org count", `SELECT format('org_count says %s connected orgs, but %s exist', c.live, n.live)
		FROM org_count c, (SELECT count(*) AS live FROM orgs
			WHERE deleted_at IS NULL AND NOT admin AND link_status IN ('', 'accepted')) n
		WHERE c.live <> n.live`},
	{"org count rows", `SELECT format('org_count has %s rows, want 1', count(*)) FROM org_count HAVING count(*) <> 1`},
	{"folded names", `SELECT 'org ' || id || ': its lookup columns (name_lc, ref_lc) are empty for a name or ref' FROM orgs
		WHERE (name <> '' AND name_lc = '') OR (ref_id <> '' AND ref_lc = '') ORDER BY id LIMIT 100`},
	{"shortcodes", `SELECT 'org ' || id || ': its shortcode column differs from its tenant details' FROM orgs
		WHERE shortcode <> coalesce(tenant->>'shortcode', '') ORDER BY id LIMIT 100`},
	// (the hashes are read only by the schema's functions)
	{"invite tokens", `SELECT 'invitation ' || i.id || ': its token is not findable' FROM invites i
		WHERE NOT partnerctl_invite_token_findable(i.id) ORDER BY i.id LIMIT 100`},
	{"sequences", `SELECT format('id sequence %s is at %s, behind %s %s', q.name, q.last, r.kind, r.seq) FROM id_sequences q
		JOIN (SELECT 'org' AS kind, max(seq) AS seq FROM orgs UNION ALL SELECT 'link', max(seq) FROM links
		      UNION ALL SELECT 'invite', max(seq) FROM invites UNION ALL SELECT 'license', max(seq) FROM licenses
		      UNION ALL SELECT 'connect', max(seq) FROM connect_requests) r
		  ON r.kind = q.name WHERE r.seq > q.last`},
}

// CheckStorage checks the schema version, then the rules above. A database
// without this build's schema can't be read by the domain checks: that is
// reported as Unreadable, with what to run.
func (s *Store) CheckStorage(ctx context.Context, _ []string) (store.StorageReport, error) {
	r := store.StorageReport{Summary: fmt.Sprintf("PostgreSQL schema v%d", s.schema.Version), Checks: 1}
	switch {
	case s.schema.Version == 0:
		r.Problems = append(r.Problems, fmt.Sprintf("%s has no partnerctl schema: run `partnerctl init --db …`", s.target))
		r.Unreadable = true
		return r, nil
	case s.schema.Version < s.schema.Latest:
		r.Problems = append(r.Problems, fmt.Sprintf("schema v%d is older than this partnerctl's v%d: run `partnerctl db migrate`", s.schema.Version, s.schema.Latest))
		r.Unreadable = true
		return r, nil
	}
	err := s.Read(ctx, func(tx pgx.Tx) error {
		for _, c := range storageChecks {
			rows, err := tx.Query(ctx, c.sql)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			found, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			r.Problems = append(r.Problems, found...)
			r.Checks++
		}
		var events int64
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM claimed_event_ids").Scan(&events); err != nil {
			return err
		}
		r.Events = int(events)
		return nil
	})
	return r, err
}
