package pgstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// ClaimEvents reads the ids claimed before that fall in the batch's range,
// in order, from the index (a feed numbers its events as they happen, so a
// fresh batch usually sorts after every id claimed before and this finds
// none; a replayed one finds exactly its own), and copies the new ones into
// claimed_event_ids. bytea compares like Go strings. A range holding far
// more claimed ids than the batch (a few ids spread over a long history)
// is looked up id by id instead. Writers are serialized, so nothing can
// claim an id between the lookup and the copy.
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
	order, err := idOrder("ClaimEvents", ids)
	if err != nil {
		return err
	}
	if err := t.markClaimed(ctx, ids, order, fresh); err != nil {
		return err
	}
	n := 0
	for _, i := range order {
		if fresh[i] {
			order[n] = i
			n++
		}
	}
	if n == 0 {
		return nil
	}
	k := 0
	row := make([]any, 1)
	_, err = t.tx.CopyFrom(ctx, pgx.Identifier{"claimed_event_ids"}, []string{"id"}, pgx.CopyFromFunc(func() ([]any, error) {
		if k == n {
			return nil, nil
		}
		row[0] = unsafeBytes(ids[order[k]])
		k++
		return row, nil
	}))
	return err
}

// idOrder is the indexes of ids in id order, each id once (the ingest
// gives them sorted already); op names the caller in the error.
func idOrder(op string, ids []string) ([]int, error) {
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	if !slices.IsSorted(ids) {
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(ids[a], ids[b]) })
	}
	for n := 1; n < len(order); n++ {
		if ids[order[n-1]] == ids[order[n]] {
			return nil, fmt.Errorf("%s: id %q given twice", op, ids[order[n]])
		}
	}
	return order, nil
}

// EventsClaimed is ClaimEvents' lookup without the copy.
func (t *pgTx) EventsClaimed(ctx context.Context, ids []string, claimed []bool) error {
	if len(claimed) != len(ids) {
		return fmt.Errorf("EventsClaimed: want a result per id")
	}
	if len(ids) == 0 {
		return nil
	}
	order, err := idOrder("EventsClaimed", ids)
	if err != nil {
		return err
	}
	if err := t.markClaimed(ctx, ids, order, claimed); err != nil {
		return err
	}
	for i := range claimed {
		claimed[i] = !claimed[i]
	}
	return nil
}

// markClaimed sets fresh[i] for every id (order sorts them): false for
// those claimed before. It reads the claimed ids in the ids' range from the
// index, in order, merging as they come; when that range holds many more
// than the batch (a few ids spread over a long history), it looks the ids
// up one by one instead.
func (t *pgTx) markClaimed(ctx context.Context, ids []string, order []int, fresh []bool) error {
	limit := rangeClaimLimit(len(ids))
	n, err := t.merge(ctx, ids, order, fresh, "SELECT id FROM claimed_event_ids WHERE id >= $1 AND id <= $2 ORDER BY id LIMIT $3",
		unsafeBytes(ids[order[0]]), unsafeBytes(ids[order[len(order)-1]]), limit)
	if err != nil || n < limit {
		return err
	}
	keys := make([][]byte, len(order))
	for n, i := range order {
		keys[n] = unsafeBytes(ids[i])
	}
	_, err = t.merge(ctx, ids, order, fresh, `SELECT c.id FROM unnest($1::bytea[]) AS k(id)
		JOIN claimed_event_ids c ON c.id = k.id ORDER BY c.id`, keys)
	return err
}

// rangeClaimLimit is how many claimed ids a batch of n reads from its range
// at most before it looks its own ids up instead.
var rangeClaimLimit = func(n int) int { return 2*n + 64 }

// merge runs a query of claimed ids in order and marks the ids among them
// not fresh (every other one fresh); it returns how many rows it read.
func (t *pgTx) merge(ctx context.Context, ids []string, order []int, fresh []bool, sql string, args ...any) (int, error) {
	for _, i := range order {
		fresh[i] = true
	}
	rows, err := t.tx.Query(ctx, sql, append([]any{bulk}, args...)...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n, j := 0, 0
	for rows.Next() {
		claimed := rows.RawValues()[0] // bytea, binary: the id's bytes
		n++
		for j < len(order) && ids[order[j]] < string(claimed) {
			j++
		}
		if j < len(order) && ids[order[j]] == string(claimed) {
			fresh[order[j]] = false
		}
	}
	return n, rows.Err()
}

// unsafeBytes is s's bytes without a copy, for pgx to send (it only reads them).
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

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
	upsert := func(src string) string {
		return `INSERT INTO device_states (org_id, device, state, at) ` + src + `
			ON CONFLICT (org_id, device) DO UPDATE SET state = EXCLUDED.state, at = EXCLUDED.at`
	}
	if len(orgs) > stagedRows {
		name, err := t.stage(ctx, []stageColumn{{"org_id", "text"}, {"device", "bytea"}, {"state", "text"}, {"at", "timestamptz"}},
			len(orgs), func(i int, vals []any) { vals[0], vals[1], vals[2], vals[3] = orgs[i], devices[i], names[i], ats[i] })
		if err != nil {
			return err
		}
		_, err = t.tx.Exec(ctx, upsert("SELECT * FROM "+name))
		return err
	}
	_, err := t.tx.Exec(ctx, upsert(`SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[], $4::timestamptz[])`),
		bulk, orgs, devices, names, ats)
	return err
}
