package pgstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// ClaimEvents looks up, in one query, the ids that may have been claimed
// before, and copies the new ones into claimed_event_ids. A feed numbers its
// events as they happen, so a batch usually sorts entirely after every id
// claimed before: those need no lookup (bytea compares like Go strings).
// Writers are serialized, so nothing can claim an id between the lookup
// and the copy.
func (t *pgTx) ClaimEvents(ctx context.Context, ids []string, fresh []bool) error {
	if err := t.writable(); err != nil {
		return err
	}
	if len(fresh) != len(ids) {
		return fmt.Errorf("ClaimEvents: want a result per id")
	}
	if len(ids) == 0 {
		return nil
	}
	at := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, dup := at[id]; dup {
			return fmt.Errorf("ClaimEvents: id %q given twice", id)
		}
		at[id] = i
	}
	var greatest []byte
	err := t.tx.QueryRow(ctx, "SELECT id FROM claimed_event_ids ORDER BY id DESC LIMIT 1").Scan(&greatest)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	var maybe [][]byte
	for _, id := range ids {
		fresh[at[id]] = true
		if greatest != nil && id <= string(greatest) {
			maybe = append(maybe, []byte(id))
		}
	}
	if len(maybe) > 0 {
		rows, err := t.tx.Query(ctx, "SELECT id FROM claimed_event_ids WHERE id = ANY($1::bytea[])", bulk, maybe)
		if err != nil {
			return err
		}
		seen, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		for _, id := range seen {
			fresh[at[string(id)]] = false
		}
	}
	rows := make([][]any, 0, len(ids))
	for i, id := range ids {
		if fresh[i] {
			rows = append(rows, []any{[]byte(id)})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	_, err = t.tx.CopyFrom(ctx, pgx.Identifier{"claimed_event_ids"}, []string{"id"}, pgx.CopyFromRows(rows))
	return err
}

func (t *pgTx) DeviceStates(ctx context.Context, keys []store.DeviceKey) (map[store.DeviceKey]domain.DeviceState, error) {
	out := make(map[store.DeviceKey]domain.DeviceState, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	orgs, devices := make([]string, len(keys)), make([][]byte, len(keys))
	for i, k := range keys {
		orgs[i], devices[i] = k.OrgID, []byte(k.Device)
	}
	rows, err := t.tx.Query(ctx, `SELECT d.org_id, d.device, d.state, d.at
		FROM unnest($1::text[], $2::bytea[]) AS k(org_id, device)
		JOIN device_states d ON d.org_id = k.org_id AND d.device = k.device`, bulk, orgs, devices)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k store.DeviceKey
		var device []byte
		var s domain.DeviceState
		if err := rows.Scan(&k.OrgID, &device, &s.State, &s.At); err != nil {
			return nil, err
		}
		k.Device, s.At = string(device), utc(s.At)
		out[k] = s
	}
	return out, rows.Err()
}

// PutDeviceStates upserts every state in one statement.
func (t *pgTx) PutDeviceStates(ctx context.Context, states map[store.DeviceKey]domain.DeviceState) error {
	if err := t.writable(); err != nil {
		return err
	}
	if len(states) == 0 {
		return nil
	}
	n := len(states)
	orgs, devices, names, ats := make([]string, 0, n), make([][]byte, 0, n), make([]string, 0, n), make([]time.Time, 0, n)
	// In key order, as bbolt writes them: the same index pages together.
	keys := slices.SortedFunc(maps.Keys(states), func(a, b store.DeviceKey) int {
		if a.OrgID != b.OrgID {
			return strings.Compare(a.OrgID, b.OrgID)
		}
		return strings.Compare(a.Device, b.Device)
	})
	for _, k := range keys {
		s := states[k]
		orgs, devices = append(orgs, k.OrgID), append(devices, []byte(k.Device))
		names, ats = append(names, s.State), append(ats, micros(s.At))
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO device_states (org_id, device, state, at)
		SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[], $4::timestamptz[])
		ON CONFLICT (org_id, device) DO UPDATE SET state = EXCLUDED.state, at = EXCLUDED.at`, bulk, orgs, devices, names, ats)
	return err
}
