package pgstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

var testOrgColumns = []string{"id", "seq", "name", "name_lc", "ref_id", "ref_lc", "admin", "created_at", "deleted_at"}

func orgRow(seq int, name, ref string, admin bool, deleted bool) []any {
	var del *time.Time
	if deleted {
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		del = &at
	}
	return []any{fmt.Sprintf("org_%06d", seq), seq, name, strings.ToLower(name), ref, strings.ToLower(ref), admin,
		time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), del}
}

func copyOrgs(t *testing.T, s *Store, rows ...[]any) {
	t.Helper()
	err := s.Write(testCtx(t), func(tx pgx.Tx) error {
		if _, err := tx.CopyFrom(testCtx(t), pgx.Identifier{"orgs"}, testOrgColumns, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		var ids [][]any
		for _, r := range rows {
			ids = append(ids, []any{r[0]})
		}
		_, err := tx.CopyFrom(testCtx(t), pgx.Identifier{"org_stats"}, []string{"org_id"}, pgx.CopyFromRows(ids))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// liveCountHolds checks the maintained count against a real count.
func liveCountHolds(t *testing.T, s *Store, want int64) {
	t.Helper()
	kept := queryInt(t, s, "SELECT live FROM org_count")
	counted := queryInt(t, s, "SELECT count(*) FROM orgs WHERE deleted_at IS NULL AND NOT admin")
	if kept != want || counted != want {
		t.Fatalf("org_count %d, counted %d, want %d", kept, counted, want)
	}
}

func TestTheLiveOrgCountIsMaintainedForEveryKindOfWrite(t *testing.T) {
	s, _ := migrated(t, Options{})
	liveCountHolds(t, s, 0)
	copyOrgs(t, s, orgRow(1, "Admin", "", true, false), orgRow(2, "Acme", "A-1", false, false),
		orgRow(3, "Beta", "", false, false), orgRow(4, "Gone", "G", false, true), orgRow(5, "Gamma", "", false, false))
	liveCountHolds(t, s, 3)
	if n := queryInt(t, s, "SELECT count(*) FROM org_stats"); n != 5 {
		t.Fatalf("%d org_stats rows for 5 orgs", n)
	}
	mustExec(t, s, "UPDATE orgs SET deleted_at = now() WHERE id IN ('org_000002', 'org_000003')")
	liveCountHolds(t, s, 1)
	mustExec(t, s, "UPDATE orgs SET name = 'Gamma2', name_lc = 'gamma2' WHERE id = 'org_000005'") // no change in count
	liveCountHolds(t, s, 1)
	// An upsert fires both the insert and the update trigger.
	mustExec(t, s, `INSERT INTO orgs (id, seq, name, name_lc, created_at) VALUES
		('org_000002', 2, 'Acme', 'acme', now()), ('org_000006', 6, 'Delta', 'delta', now())
		ON CONFLICT (id) DO UPDATE SET deleted_at = NULL`)
	liveCountHolds(t, s, 3)
	mustExec(t, s, "DELETE FROM org_stats WHERE org_id = 'org_000004'; DELETE FROM orgs WHERE id IN ('org_000004', 'org_000006')")
	liveCountHolds(t, s, 2)
}

func TestCountersNeverGoNegative(t *testing.T) {
	s, _ := migrated(t, Options{})
	copyOrgs(t, s, orgRow(1, "Acme", "", false, false))
	for _, set := range []string{"users = -1", "messages = messages - 1", "devices_onboarded = -5",
		"session_days = '{1,2}', session_counts = '{3}'", "session_days = '{1}', session_counts = '{-1}'"} {
		err := exec(t, s, "UPDATE org_stats SET "+set)
		if err == nil || fail.ExitCode(err) != 1 || !strings.Contains(err.Error(), "would break a rule of the store") {
			t.Errorf("%s: want a refusal (exit 1), got %v", set, err)
		}
	}
	mustExec(t, s, "INSERT INTO orgs (id, seq, name, name_lc, created_at) VALUES ('org_000002', 2, 'B', 'b', now())")
	if err := exec(t, s, "UPDATE org_count SET live = live - 3"); err == nil {
		t.Error("the live count went negative")
	}
}

func TestTheAuditTrailIsAppendOnly(t *testing.T) {
	s, _ := migrated(t, Options{})
	mustExec(t, s, "INSERT INTO audit (at, actor, action) VALUES (now(), 'ann@example.com', 'org.created')")
	for _, sql := range []string{"UPDATE audit SET actor = 'eve@example.com'", "DELETE FROM audit"} {
		err := exec(t, s, sql)
		if !fail.Is(err, fail.Denied) || !strings.Contains(err.Error(), "audit entries can only be appended") {
			t.Errorf("%s: want Denied, got %v", sql, err)
		}
	}
	if n := queryInt(t, s, "SELECT count(*) FROM audit WHERE actor = 'postgres'"); n != 1 {
		t.Fatalf("audit changed: %d", n)
	}
}

func TestARefNamesOneLiveCustomerOrg(t *testing.T) {
	s, _ := migrated(t, Options{})
	copyOrgs(t, s, orgRow(1, "Admin", "", true, false), orgRow(2, "Acme", "Ref-1", false, false),
		orgRow(3, "Old", "REF-1", false, true))
	err := exec(t, s, "INSERT INTO orgs (id, seq, name, name_lc, ref_id, ref_lc, created_at) VALUES ('org_000004', 4, 'X', 'x', 'ref-1', 'ref-1', now())")
	if !fail.Is(err, fail.Conflict) {
		t.Fatalf("a second live org with ref ref-1: want Conflict, got %v", err)
	}
}

// TestKeysAndLookupsAreInByteOrder: name order and matching must be
// bbolt's (strings.ToLower, then bytes) whatever the server's locale.
func TestKeysAndLookupsAreInByteOrder(t *testing.T) {
	s, _ := migrated(t, Options{})
	var notC []string
	err := s.Read(testCtx(t), func(tx pgx.Tx) error {
		rows, err := tx.Query(testCtx(t), `SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = 'public' AND data_type = 'text' AND coalesce(collation_name, '') <> 'C'
			AND (column_name IN ('id', 'key', 'email', 'token_hash', 'device') OR column_name LIKE '%\_id' OR column_name LIKE '%\_lc'
			     OR (table_name = 'id_sequences' AND column_name = 'name'))
			AND column_name NOT IN ('ref_id')`)
		if err != nil {
			return err
		}
		notC, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil || len(notC) > 0 {
		t.Fatalf("key or lookup columns without COLLATE \"C\": %v %v", notC, err)
	}

	names := []string{"zeta", "Zeta", "äpfel", "apfel", "a b", "ab", "a-c", "Ärger", "émile", "eve", "_x", "ß", "İstanbul", "10", "9", "a\u00a0b"}
	var rows [][]any
	for i := range 200 {
		rows = append(rows, orgRow(i+1, names[rand.IntN(len(names))]+fmt.Sprint(rand.IntN(3)), "", false, false))
	}
	copyOrgs(t, s, rows...)
	type key struct {
		lc  string
		seq int
	}
	var want []key
	for _, r := range rows {
		want = append(want, key{strings.ToLower(r[2].(string)), r[1].(int)})
	}
	slices.SortFunc(want, func(a, b key) int {
		if c := strings.Compare(a.lc, b.lc); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	var got []key
	err = s.Read(testCtx(t), func(tx pgx.Tx) error {
		rs, err := tx.Query(testCtx(t), "SELECT name_lc, seq FROM orgs WHERE deleted_at IS NULL AND NOT admin ORDER BY name_lc, seq")
		if err != nil {
			return err
		}
		got, err = pgx.CollectRows(rs, func(r pgx.CollectableRow) (key, error) {
			var k key
			return k, r.Scan(&k.lc, &k.seq)
		})
		return err
	})
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("server order differs from Go's byte order (%v):\n got %v\nwant %v", err, got, want)
	}
}

// TestSearchAndPagingCanUseTheirIndexes: the plans the list and search
// queries need exist (whether the planner picks them on a small table is
// its business, so other plans are switched off).
func TestSearchAndPagingCanUseTheirIndexes(t *testing.T) {
	s, _ := migrated(t, Options{})
	var rows [][]any
	for i := range 500 {
		rows = append(rows, orgRow(i+1, fmt.Sprintf("Org %d", i), fmt.Sprintf("R-%d", i), false, i%7 == 0))
	}
	copyOrgs(t, s, rows...)
	mustExec(t, s, "ANALYZE orgs")
	// plan explains query with no other way to run it: no sequential scans
	// or sorts, and without the indexes in drop (restored by the rollback).
	rollback := fmt.Errorf("roll back")
	plan := func(query string, drop ...string) string {
		var lines []string
		err := s.Write(testCtx(t), func(tx pgx.Tx) error {
			if _, err := tx.Exec(testCtx(t), "SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off"); err != nil {
				return err
			}
			for _, index := range drop {
				if _, err := tx.Exec(testCtx(t), "DROP INDEX "+index); err != nil {
					return err
				}
			}
			rs, err := tx.Query(testCtx(t), "EXPLAIN "+query)
			if err != nil {
				return err
			}
			lines, err = pgx.CollectRows(rs, pgx.RowTo[string])
			if err != nil {
				return err
			}
			return rollback
		})
		if err != rollback {
			t.Fatal(err)
		}
		return strings.Join(lines, "\n")
	}
	live := "deleted_at IS NULL AND NOT admin"
	if p := plan("SELECT id FROM orgs WHERE "+live+" AND (name_lc LIKE '%org 4%' OR ref_lc LIKE '%org 4%')", "orgs_by_name"); !strings.Contains(p, "orgs_search") {
		t.Errorf("search doesn't use the trigram index:\n%s", p)
	}
	p := plan("SELECT id FROM orgs WHERE " + live + " AND (name_lc, seq) > ('org 1', 2) ORDER BY name_lc, seq LIMIT 50")
	if !strings.Contains(p, "orgs_by_name") || strings.Contains(p, "Sort") {
		t.Errorf("paging doesn't walk the name index:\n%s", p)
	}
	if p := plan("SELECT id FROM orgs WHERE " + live + " AND ref_lc = 'r-3'"); !strings.Contains(p, "orgs_by_ref") {
		t.Errorf("ref lookup doesn't use its index:\n%s", p)
	}
}

func TestResetEmptiesEveryTableAndKeepsTheSchema(t *testing.T) {
	s, _ := migrated(t, Options{})
	var tables []string
	err := s.Read(testCtx(t), func(tx pgx.Tx) error {
		rs, err := tx.Query(testCtx(t), "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL ($1) ORDER BY 1", keptTables)
		if err != nil {
			return err
		}
		tables, err = pgx.CollectRows(rs, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := slices.Sorted(slices.Values(dataTables)); !slices.Equal(tables, want) {
		t.Fatalf("dataTables is out of date:\nschema %v\nlisted %v", tables, want)
	}
	copyOrgs(t, s, orgRow(1, "Acme", "", false, false))
	mustExec(t, s, "INSERT INTO audit (at, actor, action) VALUES (now(), 'a@b.co', 'x'); INSERT INTO settings VALUES ('k', 'v')")
	if err := s.Write(testCtx(t), func(tx pgx.Tx) error { return resetData(context.Background(), tx) }); err != nil {
		t.Fatal(err)
	}
	for _, table := range dataTables {
		want := int64(0)
		if table == "org_count" {
			want = 1
		}
		if n := queryInt(t, s, "SELECT count(*) FROM "+table); n != want {
			t.Errorf("%s: %d rows after reset", table, n)
		}
	}
	liveCountHolds(t, s, 0)
	if v := s.Schema(); !v.Current() {
		t.Fatalf("schema %+v", v)
	}
}

// TestSearchPlansTheTrigramIndexAfterABulkImport: the trigram index's
// pending list (its entries since the last vacuum) makes the planner with
// PostgreSQL's default page cost read every org for a narrow search. A bulk
// write through the store merges the list as it commits; a search's
// transaction plans with the page cost of cached data (costPagesAsCached),
// which picks the index with a list of the size an import leaves behind.
func TestSearchPlansTheTrigramIndexAfterABulkImport(t *testing.T) {
	s, _ := migrated(t, Options{})
	name := func(i int) string {
		if i%20 == 0 {
			return fmt.Sprintf("Acme Clinic %06d", i)
		}
		return fmt.Sprintf("Northwind Insurance %06d", i)
	}
	created := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	err := s.Update(testCtx(t), func(tx store.Tx) error {
		for i := range 30_000 {
			o := domain.Org{ID: fmt.Sprintf("org_%06d", i+1), Seq: uint64(i + 1), Name: name(i), RefID: fmt.Sprintf("ref-%06d", i), CreatedAt: created}
			if err := tx.PutOrg(testCtx(t), o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	search := "SELECT id FROM orgs WHERE deleted_at IS NULL AND NOT admin AND " +
		"(name_lc LIKE '%acme%' OR ref_lc LIKE '%acme%' OR shortcode_lc LIKE '%acme%')"
	plan := func(costed bool) string {
		var lines []string
		err := s.View(testCtx(t), func(stx store.Tx) error {
			tx := stx.(*pgTx)
			if costed {
				if err := tx.costPagesAsCached(testCtx(t)); err != nil {
					return err
				}
			}
			rs, err := tx.tx.Query(testCtx(t), "EXPLAIN "+search)
			if err != nil {
				return err
			}
			lines, err = pgx.CollectRows(rs, pgx.RowTo[string])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(lines, "\n")
	}
	if p := plan(false); !strings.Contains(p, "orgs_search") {
		t.Errorf("after a bulk write through the store a search reads every org:\n%s", p)
	}

	// 800 orgs more, all in the pending list (partnerctl's import of
	// 100,000 left 1,679 there).
	var rows [][]any
	for i := 30_000; i < 30_800; i++ {
		rows = append(rows, orgRow(i+1, name(i), fmt.Sprintf("ref-%06d", i), false, false))
	}
	err = s.Write(testCtx(t), func(tx pgx.Tx) error {
		if _, err := tx.Exec(testCtx(t), "SET LOCAL gin_pending_list_limit = '4MB'"); err != nil {
			return err
		}
		_, err := tx.CopyFrom(testCtx(t), pgx.Identifier{"orgs"}, testOrgColumns, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, s, "ANALYZE orgs")
	if p := plan(false); !strings.HasPrefix(p, "Seq Scan on orgs") {
		t.Fatalf("with the default page cost the planner no longer reads every org past a pending list, so this test shows nothing:\n%s", p)
	}
	if p := plan(true); !strings.Contains(p, "orgs_search") {
		t.Errorf("a search's transaction doesn't plan the trigram index:\n%s", p)
	}
	// The setting is the transaction's own.
	if n := queryInt(t, s, "SELECT (current_setting('random_page_cost')::float8 * 10)::int"); n != 40 {
		t.Errorf("random_page_cost after the search's transaction: %d/10, want the server's 4", n)
	}
}
