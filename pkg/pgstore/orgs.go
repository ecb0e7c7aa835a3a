package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// An org is a row of orgs (identity, lookups) and one of org_stats (the
// counters events feed), read joined.
const orgColumns = `o.id, o.seq, o.name, o.ref_id, o.admin, o.created_at, o.deleted_at, o.link_status, o.tenant,
	s.users, s.data_sources, s.ai_trained, s.integrations, s.sessions_total, s.last_active_at,
	s.messages, s.subscribers, s.devices_total, s.devices_registered, s.devices_onboarded,
	s.devices_provisioned, s.session_days, s.session_counts`

const orgsJoined = ` FROM orgs o JOIN org_stats s ON s.org_id = o.id`

// live is the condition of a live customer org (what every lookup and
// listing but OrgQuery.All sees); the partial indexes are on it.
const live = `o.deleted_at IS NULL AND NOT o.admin`

type orgScanner struct {
	o            domain.Org
	seq          int64
	link         string
	tenant       []byte
	days, counts []int32
}

func (s *orgScanner) dest() []any {
	o := &s.o
	return []any{&o.ID, &s.seq, &o.Name, &o.RefID, &o.Admin, &o.CreatedAt, &o.DeletedAt, &s.link, &s.tenant,
		&o.Users, &o.DataSources, &o.AITrained, &o.Integrations, &o.SessionsTotal, &o.LastActiveAt,
		&o.Messages, &o.Subscribers, &o.Devices.Total, &o.Devices.Registered, &o.Devices.Onboarded,
		&o.Devices.Provisioned, &s.days, &s.counts}
}

func (s *orgScanner) org() (domain.Org, error) {
	o := s.o
	o.Seq, o.LinkStatus = uint64(s.seq), domain.LinkStatus(s.link)
	if err := decodeTenant(s.tenant, &o.Tenant); err != nil {
		return o, fmt.Errorf("org %s: tenant details: %w", o.ID, err)
	}
	o.CreatedAt, o.DeletedAt, o.LastActiveAt = utc(o.CreatedAt), utcPtr(o.DeletedAt), utcPtr(o.LastActiveAt)
	if len(s.days) != len(s.counts) {
		return o, fmt.Errorf("org %s: %d session days but %d counts", o.ID, len(s.days), len(s.counts))
	}
	if len(s.days) > 0 {
		o.SessionDays = make([]domain.DayCount, len(s.days))
		for i := range s.days {
			o.SessionDays[i] = domain.DayCount{Day: s.days[i], Count: s.counts[i]}
		}
	}
	return o, nil
}

// orgReader scans a listing's rows one after another into one scanner:
// per row, a listing allocates the org it returns, not the scan's
// scaffolding. org() copies out everything a scan may reuse (the times,
// the session arrays), so no two orgs share memory.
type orgReader struct {
	s    orgScanner
	dest []any
}

func (r *orgReader) read(row pgx.Row) (*domain.Org, error) {
	if r.dest == nil {
		r.dest = r.s.dest()
	}
	if err := row.Scan(r.dest...); err != nil {
		return nil, err
	}
	o, err := r.s.org()
	return &o, err
}

func scanOrg(row pgx.Row) (domain.Org, error) {
	var s orgScanner
	if err := row.Scan(s.dest()...); err != nil {
		return domain.Org{}, err
	}
	return s.org()
}

func (t *pgTx) Org(ctx context.Context, id string) (domain.Org, error) {
	if err := t.flushOrgs(ctx); err != nil {
		return domain.Org{}, err
	}
	o, err := found(scanOrg(t.tx.QueryRow(ctx, "SELECT "+orgColumns+orgsJoined+" WHERE o.id = $1", id)))
	if errors.Is(err, store.ErrNotFound) {
		// The admin org of a session that may not read its row: the
		// refusals name it.
		return t.outsidersAdminOrg(ctx, id)
	}
	return o, err
}

func (t *pgTx) OrgsByID(ctx context.Context, ids []string) ([]domain.Org, error) {
	out := make([]domain.Org, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	if err := t.flushOrgs(ctx); err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, "SELECT k.i, "+orgColumns+
		" FROM unnest($1::text[]) WITH ORDINALITY AS k(id, i) JOIN orgs o ON o.id = k.id JOIN org_stats s ON s.org_id = o.id", bulk, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var s orgScanner
		if err := rows.Scan(append([]any{&i}, s.dest()...)...); err != nil {
			return nil, err
		}
		if out[i-1], err = s.org(); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

func (t *pgTx) OrgIDByRef(ctx context.Context, ref string) (string, error) {
	if ref == "" {
		return "", store.ErrNotFound
	}
	if err := t.flushOrgs(ctx); err != nil {
		return "", err
	}
	var id string
	folded := store.Fold(ref)
	err := t.queryOne(ctx, "SELECT o.id FROM orgs o WHERE o.ref_lc = $1 AND o.ref_lc <> '' AND "+live,
		[]any{folded}, &id)
	if errors.Is(err, store.ErrNotFound) {
		ids := []string{""}
		if err := t.refsOutOfSight(ctx, []string{folded}, ids); err != nil {
			return "", err
		}
		if ids[0] != "" {
			return ids[0], nil
		}
	}
	return id, err
}

func (t *pgTx) OrgIDByShortcode(ctx context.Context, code string) (string, error) {
	if code == "" {
		return "", store.ErrNotFound
	}
	if err := t.flushOrgs(ctx); err != nil {
		return "", err
	}
	var id string
	err := t.queryOne(ctx, "SELECT o.id FROM orgs o WHERE o.shortcode = $1 AND "+live, []any{code}, &id)
	if errors.Is(err, store.ErrNotFound) {
		held, err := t.shortcodeOutOfSight(ctx, code)
		if err != nil {
			return "", err
		}
		if held {
			return outOfSightOrgID, nil
		}
	}
	return id, err
}

func (t *pgTx) OrgIDsByName(ctx context.Context, name string) ([]string, error) {
	if err := t.flushOrgs(ctx); err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, "SELECT o.id FROM orgs o WHERE o.name_lc = $1 AND "+live+" ORDER BY o.seq", store.Fold(name))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// LiveOrgIDs resolves every key in one query: as a live customer org's id
// first, then as a ref.
func (t *pgTx) LiveOrgIDs(ctx context.Context, keys []string) ([]string, error) {
	ids := make([]string, len(keys))
	if len(keys) == 0 {
		return ids, nil
	}
	if err := t.flushOrgs(ctx); err != nil {
		return nil, err
	}
	if t.liveKeys == nil && len(keys) >= liveKeysMin {
		n, err := t.CountOrgs(ctx)
		if err != nil {
			return nil, err
		}
		if len(keys)*4 >= n {
			if err := t.loadLiveKeys(ctx); err != nil {
				return nil, err
			}
		}
	}
	folded := make([]string, len(keys))
	for i, k := range keys {
		folded[i] = store.Fold(k)
	}
	if t.liveKeys != nil {
		for i, k := range keys {
			if _, ok := t.liveKeys.ids[k]; ok {
				ids[i] = k
			} else if k != "" {
				ids[i] = t.liveKeys.refs[folded[i]]
			}
		}
		return ids, t.refsOutOfSight(ctx, folded, ids)
	}
	// Joins, not a subquery per key: for a batch of a feed's keys the
	// planner hashes the live orgs once.
	rows, err := t.tx.Query(ctx, `SELECT k.i, coalesce(a.id, b.id)
		FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(key, folded, i)
		LEFT JOIN orgs a ON a.id = k.key AND a.deleted_at IS NULL AND NOT a.admin
		LEFT JOIN orgs b ON b.ref_lc = k.folded AND b.ref_lc <> '' AND b.deleted_at IS NULL AND NOT b.admin
		WHERE a.id IS NOT NULL OR b.id IS NOT NULL`, bulk, keys, folded)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var id *string
		if err := rows.Scan(&i, &id); err != nil {
			return nil, err
		}
		if id != nil {
			ids[i-1] = *id
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return ids, t.refsOutOfSight(ctx, folded, ids)
}

// liveKeys is every live customer org's id and folded ref, read once by a
// transaction that resolves a big share of them (an events import): then
// each later batch of a feed's keys is resolved in memory. Writing orgs
// forgets it.
type liveKeys struct {
	ids  map[string]struct{}
	refs map[string]string // folded ref → id
}

// liveKeysMin is how many keys a LiveOrgIDs call needs before it reads
// every live org's keys (when they are a quarter of the orgs or more).
var liveKeysMin = 5000

func (t *pgTx) loadLiveKeys(ctx context.Context) error {
	rows, err := t.tx.Query(ctx, "SELECT o.id, o.ref_lc FROM orgs o WHERE "+live, bulk)
	if err != nil {
		return err
	}
	defer rows.Close()
	k := &liveKeys{ids: map[string]struct{}{}, refs: map[string]string{}}
	for rows.Next() {
		raw := rows.RawValues()
		id, ref := string(raw[0]), string(raw[1])
		k.ids[id] = struct{}{}
		if ref != "" {
			k.refs[ref] = id
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	t.liveKeys = k
	return nil
}

// PutOrg keeps the org in memory until something reads orgs or the
// transaction commits (see pgTx).
func (t *pgTx) PutOrg(_ context.Context, o domain.Org) error {
	if err := t.writable(); err != nil {
		return err
	}
	if o.ID == "" {
		return fmt.Errorf("pgstore: an org without an id")
	}
	if !knownLink(o.LinkStatus) {
		return fmt.Errorf("org %s: unknown link status %q", o.ID, o.LinkStatus)
	}
	if i, ok := t.pendingAt[o.ID]; ok {
		t.pending[i] = o
		return nil
	}
	if t.pendingAt == nil {
		t.pendingAt = map[string]int{}
	}
	t.pendingAt[o.ID] = len(t.pending)
	t.pending = append(t.pending, o)
	return nil
}

// flushOrgs writes the pending orgs in one statement: orgs and their stats
// upserted from one source, rows that don't change left alone (no index
// writes, no count change).
func (t *pgTx) flushOrgs(ctx context.Context) error {
	if len(t.pending) == 0 {
		return nil
	}
	pending := t.pending
	t.pending, t.pendingAt, t.liveKeys = nil, nil, nil
	t.orgsWritten += len(pending)
	if err := t.claimNewOrgs(ctx, pending); err != nil {
		return err
	}
	for start := 0; start < len(pending); start += orgFlushRows {
		if err := t.writeOrgs(ctx, pending[start:min(start+orgFlushRows, len(pending))]); err != nil {
			if len(pending) == 1 && isRefTaken(err) {
				return refTaken(pending[0].RefID)
			}
			if len(pending) == 1 && isShortcodeTaken(err) {
				return shortcodeTaken(pending[0].Tenant.Shortcode)
			}
			return err
		}
	}
	return nil
}

// claimNewOrgs lets a scoped teammate create orgs outside their scope (the
// console then adds them to it): row-level security admits an upsert's new
// row only if the session may see it, so the schema grants the
// transaction the ids that name no org yet. Nobody else needs it, so only
// a scoped session (asked once per transaction) pays the round trip.
func (t *pgTx) claimNewOrgs(ctx context.Context, orgs []domain.Org) error {
	if scoped, err := t.isScoped(ctx); err != nil || !scoped {
		return err
	}
	ids := make([]string, len(orgs))
	for i := range orgs {
		ids[i] = orgs[i].ID
	}
	_, err := t.tx.Exec(ctx, "SELECT partnerctl_claim_new_orgs($1)", ids)
	return err
}

// orgFlushRows bounds one statement's orgs (and so its memory on both sides).
const orgFlushRows = 50_000

// orgStageColumns stage orgs with their counters, in writeOrgs's order.
var orgStageColumns = append([]stageColumn{{"id", "text"}, {"seq", "bigint"}, {"name", "text"}, {"name_lc", "text"},
	{"ref_id", "text"}, {"ref_lc", "text"}, {"admin", "boolean"}, {"created_at", "timestamptz"}, {"deleted_at", "timestamptz"},
	{"link_status", "text"}, {"tenant", "jsonb"}, {"shortcode", "text"}, {"shortcode_lc", "text"}},
	counterStageColumns...)

// counterStageColumns are org_stats' counters, in counterNames order.
var counterStageColumns = []stageColumn{{"users", "bigint"}, {"data_sources", "bigint"}, {"ai_trained", "boolean"},
	{"integrations", "bigint"}, {"sessions_total", "bigint"}, {"last_active_at", "timestamptz"}, {"messages", "bigint"},
	{"subscribers", "bigint"}, {"devices_total", "bigint"}, {"devices_registered", "bigint"}, {"devices_onboarded", "bigint"},
	{"devices_provisioned", "bigint"}, {"session_days", "integer[]"}, {"session_counts", "integer[]"}}

// counterValues puts o's counters in vals, in counterNames order.
func counterValues(o *domain.Org, vals []any) {
	days, counts := make([]int32, len(o.SessionDays)), make([]int32, len(o.SessionDays))
	for i, d := range o.SessionDays {
		days[i], counts[i] = d.Day, d.Count
	}
	vals[0], vals[1], vals[2], vals[3] = int64(o.Users), int64(o.DataSources), o.AITrained, int64(o.Integrations)
	vals[4], vals[5], vals[6], vals[7] = int64(o.SessionsTotal), microsPtr(o.LastActiveAt), int64(o.Messages), int64(o.Subscribers)
	vals[8], vals[9], vals[10], vals[11] = int64(o.Devices.Total), int64(o.Devices.Registered), int64(o.Devices.Onboarded), int64(o.Devices.Provisioned)
	vals[12], vals[13] = days, counts
}

// upsertOrgsFrom is writeOrgs's statement, over a source of orgStageColumns.
func upsertOrgsFrom(src string) string {
	return `WITH src AS (` + src + `), written AS (
			INSERT INTO orgs (id, seq, name, name_lc, ref_id, ref_lc, admin, created_at, deleted_at,
				link_status, tenant, shortcode, shortcode_lc)
			SELECT id, seq, name, name_lc, ref_id, ref_lc, admin, created_at, deleted_at,
				link_status, tenant, shortcode, shortcode_lc FROM src
			ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, name = EXCLUDED.name, name_lc = EXCLUDED.name_lc,
				ref_id = EXCLUDED.ref_id, ref_lc = EXCLUDED.ref_lc, admin = EXCLUDED.admin,
				created_at = EXCLUDED.created_at, deleted_at = EXCLUDED.deleted_at, link_status = EXCLUDED.link_status,
				tenant = EXCLUDED.tenant, shortcode = EXCLUDED.shortcode, shortcode_lc = EXCLUDED.shortcode_lc
			WHERE (orgs.seq, orgs.name, orgs.ref_id, orgs.admin, orgs.created_at, orgs.deleted_at, orgs.link_status, orgs.tenant)
				IS DISTINCT FROM (EXCLUDED.seq, EXCLUDED.name, EXCLUDED.ref_id, EXCLUDED.admin, EXCLUDED.created_at,
					EXCLUDED.deleted_at, EXCLUDED.link_status, EXCLUDED.tenant)
		)
		INSERT INTO org_stats (org_id, ` + counterNames + `)
		SELECT id, ` + sessionCast("src") + ` FROM src
		ON CONFLICT (org_id) DO UPDATE SET ` + counterUpdates + `
		WHERE (` + counterTuple("org_stats") + `) IS DISTINCT FROM (` + counterTuple("EXCLUDED") + `)`
}

func (t *pgTx) writeOrgs(ctx context.Context, orgs []domain.Org) error {
	n := len(orgs)
	if n > stagedRows {
		name, err := t.stage(ctx, orgStageColumns, n, func(i int, vals []any) {
			o := &orgs[i]
			vals[0], vals[1], vals[2], vals[3] = o.ID, int64(o.Seq), o.Name, store.Fold(o.Name)
			vals[4], vals[5], vals[6], vals[7], vals[8] = o.RefID, store.Fold(o.RefID), o.Admin, micros(o.CreatedAt), microsPtr(o.DeletedAt)
			vals[9], vals[10], vals[11], vals[12] = string(o.LinkStatus), encodeTenant(&o.Tenant), o.Tenant.Shortcode, store.Fold(o.Tenant.Shortcode)
			counterValues(o, vals[13:])
		})
		if err != nil {
			return err
		}
		_, err = t.tx.Exec(ctx, upsertOrgsFrom("SELECT * FROM "+name))
		return err
	}
	c := orgArrays{
		id: make([]string, n), seq: make([]int64, n), name: make([]string, n), nameLC: make([]string, n),
		ref: make([]string, n), refLC: make([]string, n), admin: make([]bool, n), created: make([]time.Time, n),
		deleted: make([]*time.Time, n), link: make([]string, n), tenant: make([]string, n), code: make([]string, n),
		codeLC: make([]string, n), counters: newCounterArrays(n),
	}
	for i := range orgs {
		o := &orgs[i]
		c.id[i], c.seq[i], c.name[i], c.nameLC[i] = o.ID, int64(o.Seq), o.Name, store.Fold(o.Name)
		c.ref[i], c.refLC[i], c.admin[i] = o.RefID, store.Fold(o.RefID), o.Admin
		c.created[i], c.deleted[i] = micros(o.CreatedAt), microsPtr(o.DeletedAt)
		c.link[i], c.tenant[i], c.code[i], c.codeLC[i] = string(o.LinkStatus), encodeTenant(&o.Tenant), o.Tenant.Shortcode, store.Fold(o.Tenant.Shortcode)
		c.counters.set(i, o)
	}
	args := append([]any{c.id, c.seq, c.name, c.nameLC, c.ref, c.refLC, c.admin, c.created, c.deleted,
		c.link, c.tenant, c.code, c.codeLC}, c.counters.args()...)
	_, err := t.tx.Exec(ctx, upsertOrgsFrom(`SELECT id, seq, name, name_lc, ref_id, ref_lc, admin, created_at, deleted_at,
				link_status, tenant::jsonb AS tenant, shortcode, shortcode_lc, `+counterNames+`
				FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
				$7::boolean[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::text[], `+counterParams(14)+`)
				AS s(id, seq, name, name_lc, ref_id, ref_lc, admin, created_at, deleted_at,
					link_status, tenant, shortcode, shortcode_lc, `+counterNames+`)`), append([]any{bulk}, args...)...)
	return err
}

type orgArrays struct {
	id, name, nameLC, ref, refLC []string
	link, tenant, code, codeLC   []string
	seq                          []int64
	admin                        []bool
	created                      []time.Time
	deleted                      []*time.Time
	counters                     counterArrays
}

// counterArrays are the event-fed counters of many orgs, a column each,
// for unnest. Session days go as array literals ('{1,2}'): unnest can't
// take an array of arrays.
type counterArrays struct {
	users, dataSources, integrations, sessions, messages, subscribers []int64
	total, registered, onboarded, provisioned                         []int64
	ai                                                                []bool
	lastActive                                                        []*time.Time
	days, counts                                                      []string
}

// counterNames are org_stats' counter columns, in counterArrays.args order.
const counterNames = `users, data_sources, ai_trained, integrations, sessions_total, last_active_at, messages,
	subscribers, devices_total, devices_registered, devices_onboarded, devices_provisioned, session_days, session_counts`

var counterColumns = strings.Fields(strings.ReplaceAll(counterNames, ",", " "))

func counterParams(first int) string {
	types := []string{"bigint", "bigint", "boolean", "bigint", "bigint", "timestamptz", "bigint",
		"bigint", "bigint", "bigint", "bigint", "bigint", "text", "text"}
	var b strings.Builder
	for i, ty := range types {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i) + "::" + ty + "[]")
	}
	return b.String()
}

// sessionCast selects the counter columns of rel, session days cast from
// their literals.
func sessionCast(rel string) string {
	cols := make([]string, len(counterColumns))
	for i, c := range counterColumns {
		cols[i] = rel + "." + c
		if c == "session_days" || c == "session_counts" {
			cols[i] += "::integer[]"
		}
	}
	return strings.Join(cols, ", ")
}

var counterUpdates = counterSets("EXCLUDED")

// counterSets sets each counter column to rel's, session days cast.
func counterSets(rel string) string {
	vals := strings.Split(sessionCast(rel), ", ")
	sets := make([]string, len(counterColumns))
	for i, c := range counterColumns {
		sets[i] = c + " = " + vals[i]
	}
	return strings.Join(sets, ", ")
}

func counterTuple(rel string) string {
	cols := make([]string, len(counterColumns))
	for i, c := range counterColumns {
		cols[i] = rel + "." + c
	}
	return strings.Join(cols, ", ")
}

func newCounterArrays(n int) counterArrays {
	ints := func() []int64 { return make([]int64, n) }
	return counterArrays{users: ints(), dataSources: ints(), integrations: ints(), sessions: ints(), messages: ints(),
		subscribers: ints(), total: ints(), registered: ints(), onboarded: ints(), provisioned: ints(),
		ai: make([]bool, n), lastActive: make([]*time.Time, n), days: make([]string, n), counts: make([]string, n)}
}

func (c *counterArrays) set(i int, o *domain.Org) {
	c.users[i], c.dataSources[i], c.integrations[i] = int64(o.Users), int64(o.DataSources), int64(o.Integrations)
	c.sessions[i], c.messages[i], c.subscribers[i] = int64(o.SessionsTotal), int64(o.Messages), int64(o.Subscribers)
	c.total[i], c.registered[i] = int64(o.Devices.Total), int64(o.Devices.Registered)
	c.onboarded[i], c.provisioned[i] = int64(o.Devices.Onboarded), int64(o.Devices.Provisioned)
	c.ai[i], c.lastActive[i] = o.AITrained, microsPtr(o.LastActiveAt)
	c.days[i], c.counts[i] = sessionLiterals(o.SessionDays)
}

// args in counterNames order.
func (c *counterArrays) args() []any {
	return []any{c.users, c.dataSources, c.ai, c.integrations, c.sessions, c.lastActive, c.messages,
		c.subscribers, c.total, c.registered, c.onboarded, c.provisioned, c.days, c.counts}
}

// sessionLiterals writes session days as two array literals.
func sessionLiterals(days []domain.DayCount) (string, string) {
	if len(days) == 0 {
		return "{}", "{}"
	}
	var d, n strings.Builder
	d.WriteByte('{')
	n.WriteByte('{')
	for i, dc := range days {
		if i > 0 {
			d.WriteByte(',')
			n.WriteByte(',')
		}
		d.WriteString(strconv.FormatInt(int64(dc.Day), 10))
		n.WriteString(strconv.FormatInt(int64(dc.Count), 10))
	}
	d.WriteByte('}')
	n.WriteByte('}')
	return d.String(), n.String()
}

// PutOrgCounters updates the counters of existing orgs in one statement
// per batch; an org that doesn't exist fails the call.
func (t *pgTx) PutOrgCounters(ctx context.Context, orgs []*domain.Org) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := t.flushOrgs(ctx); err != nil {
		return err
	}
	// One entry per id, the last given winning: an UPDATE … FROM applies
	// only one of several source rows for a target.
	byID := make(map[string]int, len(orgs))
	var uniq []*domain.Org
	for _, o := range orgs {
		if i, ok := byID[o.ID]; ok {
			uniq[i] = o
			continue
		}
		byID[o.ID] = len(uniq)
		uniq = append(uniq, o)
	}
	for start := 0; start < len(uniq); start += orgFlushRows {
		if err := t.writeCounters(ctx, uniq[start:min(start+orgFlushRows, len(uniq))]); err != nil {
			return err
		}
	}
	return nil
}

func (t *pgTx) writeCounters(ctx context.Context, orgs []*domain.Org) error {
	n := len(orgs)
	ids := make([]string, n)
	for i, o := range orgs {
		ids[i] = o.ID
	}
	// A count, not an anti-join of the updated rows with the source: that
	// was a nested loop over both, quadratic.
	update := func(src string) string {
		return `WITH src AS (` + src + `), updated AS (
				UPDATE org_stats SET ` + counterSets("src") + `
				FROM src WHERE org_stats.org_id = src.id
				RETURNING 1
			)
			SELECT count(*) FROM updated`
	}
	var updated int64
	var err error
	if n > stagedRows {
		var name string
		name, err = t.stage(ctx, append([]stageColumn{{"id", "text"}}, counterStageColumns...), n, func(i int, vals []any) {
			vals[0] = orgs[i].ID
			counterValues(orgs[i], vals[1:])
		})
		if err == nil {
			err = t.tx.QueryRow(ctx, update("SELECT * FROM "+name)).Scan(&updated)
		}
	} else {
		c := newCounterArrays(n)
		for i, o := range orgs {
			c.set(i, o)
		}
		args := append([]any{bulk, ids}, c.args()...)
		err = t.tx.QueryRow(ctx, update(`SELECT * FROM unnest($1::text[], `+counterParams(2)+`) AS s(id, `+counterNames+`)`), args...).Scan(&updated)
	}
	if err != nil {
		return err
	}
	if updated == int64(n) {
		return nil
	}
	var missing string
	err = t.tx.QueryRow(ctx, `SELECT k.id FROM unnest($1::text[]) AS k(id)
		WHERE NOT EXISTS (SELECT 1 FROM org_stats s WHERE s.org_id = k.id) LIMIT 1`, bulk, ids).Scan(&missing)
	if err != nil {
		return fmt.Errorf("%d of %d orgs' counters written, and no org is missing: %w", updated, n, err)
	}
	return fmt.Errorf("org %s: %w", missing, store.ErrNotFound)
}

func (t *pgTx) CountOrgs(ctx context.Context) (int, error) {
	if err := t.flushOrgs(ctx); err != nil {
		return 0, err
	}
	var n int64
	err := t.queryOne(ctx, "SELECT live FROM org_count", nil, &n)
	return int(n), err
}

// Orgs runs the query in SQL: the search on the folded name and ref (the
// trigram index), name order on the (name_lc, seq) index, paging with
// LIMIT/OFFSET: the first page reads only its own rows.
func (t *pgTx) Orgs(ctx context.Context, q store.OrgQuery) iter.Seq2[*domain.Org, error] {
	var where []string
	var args []any
	if !q.All {
		where = append(where, live, linkCondition(q.Links))
		if q.Devices != nil {
			where = append(where, fmt.Sprintf("s.devices_total BETWEEN %d AND %d", q.Devices.Min, q.Devices.Max))
		}
		if q.Only != nil {
			args = append(args, q.Only)
			where = append(where, "o.id = ANY($1::text[])")
		}
	}
	from := orgsJoined
	search := store.Fold(q.Search)
	if search != "" {
		// A literal, not a parameter: the planner sees the pattern, so it
		// plans the trigram index for a narrow search, cursors included.
		pattern := quoteLiteral("%" + likeEscaper.Replace(search) + "%")
		if q.All {
			where = append(where, "(o.name_lc LIKE "+pattern+" OR o.ref_lc LIKE "+pattern+" OR o.shortcode_lc LIKE "+pattern+")")
		} else {
			// The schema's function, in place of the table: under
			// row-level security a LIKE here could not use the trigram
			// index (see partnerctl_search_orgs).
			from = " FROM partnerctl_search_orgs(" + pattern + ") o JOIN org_stats s ON s.org_id = o.id"
		}
	}
	sql := "SELECT " + orgColumns + from
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	// Any order is creation order: a listing reads in batches, and its
	// batches must agree on the order.
	if q.Order == store.OrderName && !q.All {
		sql += " ORDER BY o.name_lc, o.seq"
	} else {
		sql += " ORDER BY o.seq"
	}
	if q.Offset > 0 {
		sql += " OFFSET " + strconv.Itoa(q.Offset)
	}
	orgs := listMany(ctx, t, q.Limit, sql, args, new(orgReader).read)
	return func(yield func(*domain.Org, error) bool) {
		if err := t.flushOrgs(ctx); err != nil {
			yield(nil, err)
			return
		}
		if search != "" {
			if err := t.costPagesAsCached(ctx); err != nil {
				yield(nil, err)
				return
			}
		}
		if q.Limit <= 0 || q.Limit > probeRows {
			for o, err := range orgs {
				if !yield(o, err) || err != nil {
					return
				}
			}
			return
		}
		// A page: read it whole, then its orgs' licenses in one query
		// (the console shows each listed org's license status).
		var page []*domain.Org
		for o, err := range orgs {
			if err != nil {
				yield(nil, err)
				return
			}
			page = append(page, o)
		}
		if err := t.readLicensesAhead(ctx, page); err != nil {
			yield(nil, err)
			return
		}
		for _, o := range page {
			if !yield(o, nil) {
				return
			}
		}
	}
}

// costPagesAsCached lets the rest of the transaction plan with
// random_page_cost at cachedPageCost (where the server's is higher), as
// PostgreSQL's documentation suggests where the data is mostly in memory,
// as an org table of a million is. With the default 4, a search's planner
// prices the trigram index's pending list (the entries inserted since the
// last vacuum, up to 4 MB) as pages from disk: after a bulk import it
// reads all 100,000 orgs (34 ms) instead of the index (9 ms).
func (t *pgTx) costPagesAsCached(ctx context.Context) error {
	if t.pagesCostedAsCached {
		return nil
	}
	_, err := t.tx.Exec(ctx, "SELECT set_config('random_page_cost', $1, true) WHERE current_setting('random_page_cost')::float8 > $1::float8",
		cachedPageCost)
	t.pagesCostedAsCached = err == nil
	return err
}

// cachedPageCost is the random_page_cost a search plans with: a page read
// out of order costs little more than one read in order when both are in
// memory (the common advice for SSDs and cached data is 1.1).
const cachedPageCost = "1.1"

// quoteLiteral quotes s as an SQL string constant (the sessions have
// standard_conforming_strings on: a backslash is itself).
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// likeEscaper escapes LIKE's wildcards (and its escape character) in a
// search text: it is matched as it is.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// linkCondition is the SQL of OrgQuery.Links (see store.OrgQuery.KeepsLink):
// connected orgs only when links is empty.
func linkCondition(links []domain.LinkStatus) string {
	keep := map[domain.LinkStatus]bool{}
	for _, l := range links {
		if l == "" {
			l = domain.LinkAccepted
		}
		keep[l] = true
	}
	if len(keep) == 0 {
		keep[domain.LinkAccepted] = true
	}
	var in []string
	for _, l := range domain.LinkStatuses {
		if keep[l] {
			in = append(in, quoteLiteral(string(l)))
			if l == domain.LinkAccepted {
				in = append(in, "''")
			}
		}
	}
	if len(in) == 0 {
		return "false"
	}
	return "o.link_status IN (" + strings.Join(in, ", ") + ")"
}

// knownLink reports whether s is a link status an org may be stored with.
func knownLink(s domain.LinkStatus) bool {
	return s == "" || slices.Contains(domain.LinkStatuses, s)
}

// encodeTenant is the tenant column's JSON ('{}' for no details).
func encodeTenant(t *domain.Tenant) string {
	if *t == (domain.Tenant{}) {
		return "{}"
	}
	b, err := json.Marshal(t)
	if err != nil {
		panic(err) // strings only: can't fail
	}
	return string(b)
}

func decodeTenant(raw []byte, t *domain.Tenant) error {
	if len(raw) == 0 || string(raw) == "{}" {
		*t = domain.Tenant{}
		return nil
	}
	*t = domain.Tenant{}
	return json.Unmarshal(raw, t)
}
