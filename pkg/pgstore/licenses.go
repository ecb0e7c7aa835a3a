package pgstore

import (
	"context"
	"encoding/json"
	"iter"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

const licenseColumns = `id, seq, number, org_id, start_at, end_at, created_at, deactivated_at, unpaid, note, history`

func scanLicense(r pgx.Row) (domain.License, error) {
	var l domain.License
	var seq int64
	var org *string
	var history []byte
	if err := r.Scan(&l.ID, &seq, &l.Number, &org, &l.Start, &l.End, &l.CreatedAt, &l.Deactivated, &l.Unpaid,
		&l.Note, &history); err != nil {
		return l, err
	}
	l.Seq, l.Start, l.End, l.CreatedAt, l.Deactivated = uint64(seq), utc(l.Start), utc(l.End), utc(l.CreatedAt), utcPtr(l.Deactivated)
	if org != nil {
		l.OrgID = *org
	}
	if err := json.Unmarshal(history, &l.History); err != nil {
		return l, err
	}
	for i := range l.History {
		l.History[i].At = utc(l.History[i].At)
	}
	return l, nil
}

func (t *pgTx) License(ctx context.Context, id string) (domain.License, error) {
	return found(scanLicense(t.tx.QueryRow(ctx, "SELECT "+licenseColumns+" FROM licenses WHERE id = $1", id)))
}

func (t *pgTx) PutLicense(ctx context.Context, l domain.License) error {
	if err := t.writable(); err != nil {
		return err
	}
	t.licensesAhead = nil
	history := make([]domain.LicenseChange, len(l.History))
	for i, c := range l.History {
		c.At = micros(c.At)
		history[i] = c
	}
	raw, err := json.Marshal(history)
	if err != nil {
		return err
	}
	var org *string
	if l.OrgID != "" {
		org = &l.OrgID
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO licenses (`+licenseColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, number = EXCLUDED.number, org_id = EXCLUDED.org_id,
			start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at, created_at = EXCLUDED.created_at,
			deactivated_at = EXCLUDED.deactivated_at, unpaid = EXCLUDED.unpaid, note = EXCLUDED.note,
			history = EXCLUDED.history`,
		l.ID, int64(l.Seq), l.Number, org, micros(l.Start), micros(l.End), micros(l.CreatedAt), microsPtr(l.Deactivated),
		l.Unpaid, l.Note, string(raw))
	return err
}

// readLicensesAhead reads the licenses of these orgs in one query and keeps
// them until a license is written: a page of orgs is listed with each
// org's license status, and 25 queries would be 25 round trips.
func (t *pgTx) readLicensesAhead(ctx context.Context, orgs []*domain.Org) error {
	if len(orgs) == 0 {
		return nil
	}
	ids := make([]string, len(orgs))
	ahead := make(map[string][]domain.License, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
		ahead[o.ID] = nil
	}
	rows, err := t.tx.Query(ctx, "SELECT "+licenseColumns+" FROM licenses WHERE org_id = ANY($1::text[]) ORDER BY org_id, seq", ids)
	if err != nil {
		return err
	}
	found, err := collect(rows, scanLicense)
	if err != nil {
		return err
	}
	for _, l := range found {
		ahead[l.OrgID] = append(ahead[l.OrgID], l)
	}
	t.licensesAhead = ahead
	return nil
}

// Licenses of one org read its index range only (or what a page of orgs
// read ahead).
func (t *pgTx) Licenses(ctx context.Context, orgID string) iter.Seq2[domain.License, error] {
	if ls, ok := t.licensesAhead[orgID]; ok && orgID != "" {
		return func(yield func(domain.License, error) bool) {
			for _, l := range ls {
				l.History = slices.Clone(l.History) // the caller's to change
				if !yield(l, nil) {
					return
				}
			}
		}
	}
	if orgID == "" {
		return list(ctx, t, 0, "SELECT "+licenseColumns+" FROM licenses ORDER BY seq", nil, scanLicense)
	}
	return list(ctx, t, 0, "SELECT "+licenseColumns+" FROM licenses WHERE org_id = $1 ORDER BY seq", []any{orgID}, scanLicense)
}
