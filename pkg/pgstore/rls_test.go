package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/pgstore/pgtest"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// The row-level security of SPEC §14, proven with each person's own plain
// SQL (a raw psql session), not through partnerctl. The store is built
// through the console: its owner (the superuser here, who made the
// schema) runs init; teammates accept invitations connected as their own
// roles; the owner scopes two (sam to Alpha, pat to Beta), leaves mo
// unscoped, makes ada an admin and removes ray. The owner, sam and pat have each run the
// default changes report (the owner's is the shared one, sam's and pat's
// their own); one event has been imported.
type rlsStore struct {
	db                    *pgtest.Database
	owner                 *Store
	adminOrg, alpha, beta string
	// login URLs
	sam, pat, mo, ada, ray, carol, nobody string
}

const rlsPassword = "pw-rls"

func buildRLSStore(t *testing.T) *rlsStore {
	t.Helper()
	ctx := testCtx(t)
	s, db := migrated(t, Options{LockTimeout: 10e9})
	owner := console.New(s, console.Options{})
	p, err := owner.Init(ctx, console.InitParams{PartnerName: "Acme", SupportEmail: "help@acme.example",
		AdminOrgName: "Acme HQ", AdminEmail: "boss@acme.example", LoginBaseURL: "https://login.acme.example"})
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	r := &rlsStore{db: db, owner: s}
	r.adminOrg = p.AdminOrgID
	alpha, carolInvite, err := owner.CreateOrgWith(ctx, console.CreateOrgParams{Name: "Alpha", Ref: "A-1", Owner: "carol@alpha.example"})
	if err != nil {
		t.Fatal(err)
	}
	beta, _, err := owner.CreateOrgWith(ctx, console.CreateOrgParams{Name: "Beta", Ref: "B-1"})
	if err != nil {
		t.Fatal(err)
	}
	r.alpha, r.beta = alpha.ID, beta.ID
	for _, org := range []string{"A-1", "B-1"} {
		if _, err := owner.CreateLink(ctx, console.LinkParams{Org: org, Email: "it@" + org + ".example"}); err != nil {
			t.Fatal(err)
		}
	}
	// Alpha has carol's invitation (as its owner); Beta one too.
	if _, err := owner.InviteUser(ctx, console.InviteParams{Email: "new@beta.example", Org: "B-1", Role: "owner"}); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.ConnectOrg(ctx, console.ConnectParams{Name: "Gamma", Email: "it@gamma.example", Ref: "G-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.IssueLicense(ctx, console.IssueParams{Start: "2026-01-01", End: "2027-01-01", Org: "B-1"}); err != nil {
		t.Fatal(err)
	}
	// Teammates accept their invitations, each connected as their own
	// role: the token flow under the policies.
	accept := func(name, url string) string {
		login := db.CreateLogin(t, db.Name+"_"+name, rlsPassword)
		st := open(t, login, Options{LockTimeout: 10e9})
		if _, err := console.New(st, console.Options{}).AcceptInvite(ctx, url); err != nil {
			t.Fatalf("%s accepts: %v", name, err)
		}
		return login
	}
	for _, who := range []struct {
		name, role string
		url        *string
	}{{"sam", "", &r.sam}, {"pat", "", &r.pat}, {"mo", "", &r.mo}, {"ada", "admin", &r.ada}, {"ray", "", &r.ray}} {
		inv, err := owner.InviteUser(ctx, console.InviteParams{Email: who.name + "@acme.example", AdminOrg: true, Role: who.role})
		if err != nil {
			t.Fatal(err)
		}
		*who.url = accept(who.name, inv.URL)
	}
	r.carol = accept("carol", carolInvite.URL)
	for who, org := range map[string]string{"sam": "A-1", "pat": "B-1"} {
		if _, err := owner.ScopeUser(ctx, console.ScopeParams{Email: who + "@acme.example", Orgs: []string{org}}); err != nil {
			t.Fatal(err)
		}
	}
	event := `{"id":"e1","org":"A-1","type":"session.started","at":"2026-11-20T10:00:00Z"}` + "\n"
	if _, err := owner.ImportEvents(ctx, strings.NewReader(event), console.EventImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{db.URL, r.sam, r.pat} {
		st := open(t, url, Options{LockTimeout: 10e9})
		if _, err := console.New(st, console.Options{}).ReportChanges(ctx, console.ChangesQuery{}); err != nil {
			t.Fatalf("report as %s: %v", url, err)
		}
	}
	if _, err := owner.RemoveUser(ctx, console.MemberParams{Email: "ray@acme.example", AdminOrg: true}); err != nil {
		t.Fatal(err)
	}
	r.nobody = db.CreateLogin(t, db.Name+"_nobody", rlsPassword)
	return r
}

// rlsTables is every table the schema has (dataTables and keptTables):
// each is checked for each role.
var rlsTables = append(slices.Clone(dataTables), keptTables...)

func connectAs(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(testCtx(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// counts is how many rows of each table the connection sees ("denied"
// when it may not even look).
func counts(t *testing.T, conn *pgx.Conn) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range rlsTables {
		var n int64
		err := conn.QueryRow(testCtx(t), "SELECT count(*) FROM "+table).Scan(&n)
		switch {
		case isDenied(err):
			out[table] = "denied"
		case err != nil:
			t.Fatalf("%s: %v", table, err)
		default:
			out[table] = fmt.Sprint(n)
		}
	}
	return out
}

func isDenied(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42501" // insufficient_privilege
}

// ownerCount counts rows as the owner (who sees every row).
func (r *rlsStore) ownerCount(t *testing.T, sql string, args ...any) string {
	t.Helper()
	return fmt.Sprint(queryInt(t, r.owner, sql, args...))
}

// expectCounts compares what a role sees with want, table by table; a
// table want leaves out must look empty.
func expectCounts(t *testing.T, who string, got map[string]string, want map[string]string) {
	t.Helper()
	for _, table := range rlsTables {
		w, ok := want[table]
		if !ok {
			w = "0"
		}
		if got[table] != w {
			t.Errorf("%s sees %s rows of %s, want %s", who, got[table], table, w)
		}
	}
}

// writeAttempts are one INSERT, UPDATE and DELETE on each table: an
// outsider's must all fail or touch nothing.
func writeAttempts(r *rlsStore) []string {
	var out []string
	for _, table := range rlsTables {
		out = append(out, "DELETE FROM "+table)
	}
	set := map[string]string{"partner": "name = 'Hijacked'", "store_meta": "kind = 'init'", "settings": "value = value",
		"id_sequences": "last = last + 1", "orgs": "name = 'Hijacked'", "org_stats": "users = users + 1",
		"org_count": "live = live + 1", "memberships": "role = 'owner'", "scopes": "org_ids = '{}'",
		"report_states": "state = state", "claimed_event_ids": "id = id", "device_states": "state = state",
		"audit": "actor = 'x'", "links": "revoked_at = now()", "invites": "accepted_at = now()",
		"invite_token_hashes": "token_hash = token_hash", "connect_requests": "accepted_at = now()",
		"licenses": "unpaid = true", "logins": "email = 'boss@acme.example'", "token_grants": "kind = kind",
		"store_identity": "id = 'x'", "schema_version": "name = name"}
	for _, table := range rlsTables {
		out = append(out, "UPDATE "+table+" SET "+set[table])
	}
	return append(out,
		"INSERT INTO partner (id, name, created_at, admin_org_id) VALUES ('p', 'Mine', now(), 'o')",
		"INSERT INTO orgs (id, seq, name, name_lc, created_at) VALUES ('o_mine', 999, 'Mine', 'mine', now())",
		"INSERT INTO org_stats (org_id) VALUES ('"+r.beta+"')",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('"+r.adminOrg+"', 'ray@acme.example', 'owner', now())",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('"+r.beta+"', 'ray@acme.example', 'owner', now())",
		"INSERT INTO scopes (email, org_ids) VALUES ('ray@acme.example', '{}')",
		"INSERT INTO settings (key, value) VALUES ('login_methods', 'password')",
		"INSERT INTO id_sequences (name, last) VALUES ('x', 1)",
		"INSERT INTO audit (at, actor, action) VALUES (now(), '', 'forged')",
		"INSERT INTO links (id, seq, org_id, email, token_hash, created_by, created_at, expires_at) VALUES ('l', 999, '"+r.beta+"', 'me@x.example', 'h', 'me', now(), now())",
		"INSERT INTO licenses (id, seq, number, start_at, end_at, created_at) VALUES ('lic', 999, 'L-9', now(), now(), now())",
		"INSERT INTO logins (role, email, bound_by) VALUES (session_user, 'boss@acme.example', 'me')",
		"INSERT INTO token_grants VALUES (pg_backend_pid(), pg_current_xact_id(), 'link', 'l', '"+r.beta+"', '')",
		"SELECT partnerctl_grant('org', 'x', '"+r.beta+"', '')",
	)
}

// tryWrite runs sql in a transaction it rolls back, returning the rows
// it touched or its error.
func tryWrite(t *testing.T, conn *pgx.Conn, sql string) (int64, error) {
	t.Helper()
	tx, err := conn.Begin(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	tag, err := tx.Exec(testCtx(t), sql)
	return tag.RowsAffected(), err
}

// expectNoWrite requires every attempt to fail or touch nothing.
func expectNoWrite(t *testing.T, who string, conn *pgx.Conn, attempts []string) {
	t.Helper()
	for _, sql := range attempts {
		if n, err := tryWrite(t, conn, sql); err == nil && n != 0 {
			t.Errorf("%s: %s touched %d rows", who, sql, n)
		}
	}
}

// tokenTables are reachable through functions only, by every role but the
// owner: their SELECT is denied.
var tokenTables = map[string]string{"token_grants": "denied", "invite_token_hashes": "denied"}

// TestRLSOutsidersSeeAndChangeNothing: a removed member and a role mapped
// to no one see, with their own SQL, no row of any table, and can change
// nothing; what partnerctl tells them (the partner's and admin org's
// names) comes from partnerctl_store_facts (TestRLSStoreFactsAreOnlyNames).
func TestRLSOutsidersSeeAndChangeNothing(t *testing.T) {
	r := buildRLSStore(t)
	// The yes/no questions the policies ask answer an outsider no, even
	// where the answer is yes (as the owner's session shows).
	var invite string
	if err := r.owner.pool.QueryRow(testCtx(t), "SELECT min(id) FROM invites").Scan(&invite); err != nil {
		t.Fatal(err)
	}
	probes := "SELECT partnerctl_org_has_owner($1), partnerctl_invite_exists($2), partnerctl_invite_token_findable($2)"
	probe := func(conn interface {
		QueryRow(context.Context, string, ...any) pgx.Row
	}) string {
		var a, b, c bool
		if err := conn.QueryRow(testCtx(t), probes, r.alpha, invite).Scan(&a, &b, &c); err != nil {
			return err.Error()
		}
		return fmt.Sprint(a, b, c)
	}
	if got := probe(r.owner.pool); got != "true true true" {
		t.Fatalf("the owner's probes: %s, want true true true", got)
	}
	for _, who := range []struct{ name, url string }{{"ray (removed)", r.ray}, {"nobody (unmapped)", r.nobody}} {
		conn := connectAs(t, who.url)
		expectCounts(t, who.name, counts(t, conn), tokenTables)
		expectNoWrite(t, who.name, conn, writeAttempts(r))
		if got := probe(conn); got != "false false false" {
			t.Errorf("%s: the probes answer %s, want false false false", who.name, got)
		}
	}
	// The owner's view is unchanged: nothing above was written.
	if got := r.ownerCount(t, "SELECT count(*) FROM memberships WHERE email = 'ray@acme.example'"); got != "0" {
		t.Errorf("ray has %s memberships", got)
	}
}

// TestRLSStoreFactsAreOnlyNames: what anyone who can connect may learn
// through partnerctl_store_facts() is these six values, no more: an
// outsider's refusals and `init` need them.
func TestRLSStoreFactsAreOnlyNames(t *testing.T) {
	r := buildRLSStore(t)
	conn := connectAs(t, r.nobody)
	rows, err := conn.Query(testCtx(t), "SELECT * FROM partnerctl_store_facts()")
	if err != nil {
		t.Fatal(err)
	}
	var columns []string
	for _, f := range rows.FieldDescriptions() {
		columns = append(columns, f.Name)
	}
	values, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) ([]any, error) { return row.Values() })
	if err != nil {
		t.Fatal(err)
	}
	storeID, _ := r.owner.StoreID(testCtx(t))
	wantColumns := []string{"schema_version", "store_id", "partner_name", "admin_org_id", "admin_org_name", "kind"}
	want := fmt.Sprint([][]any{{int32(LatestSchema()), storeID, "Acme", r.adminOrg, "Acme HQ", "init"}})
	if !slices.Equal(columns, wantColumns) || fmt.Sprint(values) != want {
		t.Errorf("partnerctl_store_facts() = %v %v, want %v %v", columns, values, wantColumns, want)
	}
	// Nor does the store, opened by an outsider, read more than that.
	st := open(t, r.nobody, Options{})
	if id, _ := st.StoreID(testCtx(t)); id != storeID || !st.Schema().Current() {
		t.Errorf("an outsider's store: id %q, schema %+v", id, st.Schema())
	}
	err = st.View(testCtx(t), func(tx store.Tx) error {
		p, err := tx.Partner(testCtx(t))
		if err != nil || fmt.Sprintf("%+v", p) != fmt.Sprintf("%+v", domain.Partner{Name: "Acme", AdminOrgID: r.adminOrg}) {
			t.Errorf("an outsider's partner: %+v, %v", p, err)
		}
		o, err := tx.Org(testCtx(t), r.adminOrg)
		if err != nil || o.Name != "Acme HQ" || !o.Admin || o.ID != r.adminOrg || o.CreatedAt != (time.Time{}) {
			t.Errorf("an outsider's admin org: %+v, %v", o, err)
		}
		if _, err := tx.Org(testCtx(t), r.alpha); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an outsider reads Alpha: %v", err)
		}
		kind, err := tx.Kind(testCtx(t))
		if err != nil || kind != domain.KindInit {
			t.Errorf("an outsider's store kind: %q, %v", kind, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRLSAScopedMemberSeesOnlyTheirOrgs: sam, a member scoped to Alpha,
// sees Alpha's and the admin org's records and none of Beta's or Gamma's,
// can change Alpha but not Beta, and can't write licenses, the partner,
// scopes or the admin org's team.
func TestRLSAScopedMemberSeesOnlyTheirOrgs(t *testing.T) {
	r := buildRLSStore(t)
	conn := connectAs(t, r.sam)
	mine := []string{r.adminOrg, r.alpha}
	in := func(table string) string {
		return r.ownerCount(t, "SELECT count(*) FROM "+table+" WHERE org_id = ANY($1)", mine)
	}
	// org_count (every connected org) is not theirs: their console counts
	// their own; of the scopes and report states, their own.
	want := map[string]string{"partner": "1", "store_meta": "1",
		"settings": r.ownerCount(t, "SELECT count(*) FROM settings"), "id_sequences": r.ownerCount(t, "SELECT count(*) FROM id_sequences"),
		"orgs": "2", "org_stats": "2", "memberships": in("memberships"), "scopes": "1", "report_states": "1", "links": in("links"),
		"claimed_event_ids": "1", "invites": in("invites"), "connect_requests": in("connect_requests"), "licenses": in("licenses"),
		"audit":  r.ownerCount(t, "SELECT count(*) FROM audit WHERE org_id = $1", r.alpha),
		"logins": "1", "token_grants": "denied", "invite_token_hashes": "denied"}
	expectCounts(t, "sam (scoped)", counts(t, conn), want)
	if want["links"] != "1" || want["audit"] == "0" || want["memberships"] == "0" {
		t.Fatalf("the store lacks the records this test needs: %v", want)
	}
	// Beta's records, by any name, aren't there.
	for _, sql := range []string{"SELECT count(*) FROM orgs WHERE id = $1", "SELECT count(*) FROM links WHERE org_id = $1",
		"SELECT count(*) FROM licenses WHERE org_id = $1", "SELECT count(*) FROM audit WHERE org_id = $1"} {
		var n int64
		if err := conn.QueryRow(testCtx(t), sql, r.beta).Scan(&n); err != nil || n != 0 {
			t.Errorf("sam: %s: %d rows, %v", sql, n, err)
		}
	}
	allowed := []string{
		"UPDATE orgs SET name = 'Alpha Two' WHERE id = '" + r.alpha + "'",
		"UPDATE org_stats SET users = users + 1 WHERE org_id = '" + r.alpha + "'",
		// what sam's commands append: about Alpha, or about no org
		"INSERT INTO audit (at, actor, action, org_id) VALUES (now(), 'x', 'org.opened', '" + r.alpha + "')",
		"INSERT INTO audit (at, actor, action) VALUES (now(), 'x', 'events.imported')",
	}
	for _, sql := range allowed {
		if n, err := tryWrite(t, conn, sql); err != nil || n != 1 {
			t.Errorf("sam: %s: %d rows, %v", sql, n, err)
		}
	}
	refused := []string{
		"UPDATE orgs SET name = 'Mine' WHERE id = '" + r.beta + "'",
		"UPDATE orgs SET name = 'Mine' WHERE id = '" + r.adminOrg + "'",
		"UPDATE org_stats SET users = 0 WHERE org_id = '" + r.beta + "'",
		"UPDATE links SET revoked_at = now() WHERE org_id = '" + r.beta + "'",
		// a member revokes only the links they created (this one is boss's)
		"UPDATE links SET revoked_at = now() WHERE org_id = '" + r.alpha + "'",
		"DELETE FROM orgs", "DELETE FROM links",
		"UPDATE partner SET name = 'Mine'", "DELETE FROM partner", "UPDATE settings SET value = ''",
		"INSERT INTO settings (key, value) VALUES ('x', 'y')",
		"UPDATE licenses SET unpaid = true", "DELETE FROM licenses",
		"INSERT INTO licenses (id, seq, number, start_at, end_at, created_at, org_id) VALUES ('lic', 999, 'L-9', now(), now(), now(), '" + r.alpha + "')",
		"UPDATE scopes SET org_ids = org_ids || '" + r.beta + "'::text",
		"INSERT INTO scopes (email, org_ids) VALUES ('boss@acme.example', '{}')",
		"DELETE FROM scopes",
		"UPDATE memberships SET role = 'owner' WHERE email = 'sam@acme.example'",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.adminOrg + "', 'pal@acme.example', 'member', now())",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.beta + "', 'sam@acme.example', 'owner', now())",
		"INSERT INTO links (id, seq, org_id, email, token_hash, created_by, created_at, expires_at) VALUES ('l', 999, '" + r.beta + "', 'me@x.example', 'h', 'me', now(), now())",
		"INSERT INTO invites (id, seq, org_id, email, role, token_hash, created_by, created_at, expires_at) VALUES ('i', 999, '" + r.adminOrg + "', 'pal@acme.example', 'owner', 'h', 'me', now(), now())",
		"INSERT INTO device_states (org_id, device, state, at) VALUES ('" + r.beta + "', 'd', 'x', now())",
		"UPDATE audit SET detail = 'x'", "DELETE FROM audit",
		// nor does sam's audit speak of orgs out of sam's sight
		"INSERT INTO audit (at, actor, action, org_id) VALUES (now(), 'x', 'org.opened', '" + r.beta + "')",
		"INSERT INTO audit (at, actor, action, org_id) VALUES (now(), 'x', 'member.scoped', '" + r.adminOrg + "')",
		// orgs delete is for admins and owners, also of the orgs one sees;
		// the link status is the tenant's; an invitation is its sender's
		// to resend or delete; imports never unclaim events
		"UPDATE orgs SET deleted_at = now() WHERE id = '" + r.alpha + "'",
		"UPDATE orgs SET link_status = 'rejected' WHERE id = '" + r.alpha + "'",
		"UPDATE invites SET deleted_at = now() WHERE org_id = '" + r.alpha + "'",
		"DELETE FROM invites", "DELETE FROM claimed_event_ids", "DELETE FROM org_stats", "DELETE FROM id_sequences",
		// the shared report and pat's are not sam's
		"UPDATE report_states SET state = state WHERE name NOT LIKE '%/sam@acme.example'",
		"DELETE FROM report_states WHERE name NOT LIKE '%/sam@acme.example'",
		"INSERT INTO report_states (name, state) VALUES ('mine', '')",
		"INSERT INTO report_states (name, state) VALUES ('mine/pat@acme.example', '')",
	}
	expectNoWrite(t, "sam", conn, refused)
	// The scopes as the console shows them: sam's own whole, pat's (Beta)
	// cut to what sam sees (nothing), as on bbolt.
	rows, err := conn.Query(testCtx(t), "SELECT email, org_ids FROM partnerctl_scopes() ORDER BY email")
	if err != nil {
		t.Fatal(err)
	}
	scopes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (string, error) {
		var email string
		var ids []string
		err := row.Scan(&email, &ids)
		return fmt.Sprint(email, ids), err
	})
	if want := []string{"pat@acme.example[]", "sam@acme.example[" + r.alpha + "]"}; err != nil || !slices.Equal(scopes, want) {
		t.Errorf("sam's partnerctl_scopes(): %v, %v; want %v", scopes, err, want)
	}
	// Refs are unique among every org: sam learns which refs orgs out of
	// his sight hold (partnerctl says "already used by another org"),
	// never which org; nobody else asks.
	for _, who := range []struct {
		name, url string
		want      []string
	}{{"sam", r.sam, []string{"b-1", "g-1"}}, {"mo", r.mo, nil}, {"nobody", r.nobody, nil}, {"carol", r.carol, nil}} {
		c := conn
		if who.url != r.sam {
			c = connectAs(t, who.url)
		}
		rows, err := c.Query(testCtx(t), "SELECT partnerctl_refs_out_of_sight(ARRAY['a-1', 'b-1', 'g-1', 'z-9']) ORDER BY 1")
		var held []string
		if err == nil {
			held, err = pgx.CollectRows(rows, pgx.RowTo[string])
		}
		if err != nil || !slices.Equal(held, who.want) {
			t.Errorf("%s: refs out of sight: %v, %v; want %v", who.name, held, err, who.want)
		}
	}
	var key string
	if err := conn.QueryRow(testCtx(t), "SELECT name FROM report_states").Scan(&key); err != nil || key != "default/sam@acme.example" {
		t.Errorf("sam's report state: %q, %v", key, err)
	}
	// Nor does the store, through partnerctl, show more.
	st := open(t, r.sam, Options{})
	var found []string
	err = st.View(testCtx(t), func(tx store.Tx) error {
		for o, err := range tx.Orgs(testCtx(t), store.OrgQuery{Search: "a"}) {
			if err != nil {
				return err
			}
			found = append(found, o.Name)
		}
		return nil
	})
	if err != nil || !slices.Equal(found, []string{"Alpha"}) {
		t.Errorf("sam's search for %q found %v (%v), want [Alpha]", "a", found, err)
	}
}

// TestRLSAMemberChangesNoMoreThanTheConsoleLets: mo, an unscoped member,
// sees every org but deletes none (`orgs delete` is admin), gives no one a
// role above member or partner in a customer org, doesn't settle an org's
// link or its connect request (the tenant's token does) nor ask a linked
// org again, changes no invitation someone else sent, unclaims no event,
// removes no record the console only marks, and shares only the reports
// named as typed.
func TestRLSAMemberChangesNoMoreThanTheConsoleLets(t *testing.T) {
	r := buildRLSStore(t)
	conn := connectAs(t, r.mo)
	var n int64
	if err := conn.QueryRow(testCtx(t), "SELECT count(*) FROM orgs WHERE NOT admin").Scan(&n); err != nil || n != 3 {
		t.Fatalf("mo sees %d customer orgs (%v), want 3", n, err)
	}
	var reports []string
	rows, err := conn.Query(testCtx(t), "SELECT name FROM report_states ORDER BY name")
	if err == nil {
		reports, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil || !slices.Equal(reports, []string{"default"}) {
		t.Errorf("mo's report states: %v, %v; want [default]", reports, err)
	}
	for _, sql := range []string{
		"UPDATE orgs SET name = 'Beta Two' WHERE id = '" + r.beta + "'",
		// orgs open; events import's member.added and member.removed
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.beta + "', 'mo@acme.example', 'partner', now())",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.beta + "', 'x@beta.example', 'member', now())",
		"DELETE FROM memberships WHERE org_id = '" + r.alpha + "' AND email = 'carol@alpha.example'",
		// link create, in mo's own name, for 15 minutes
		"INSERT INTO links (id, seq, org_id, email, token_hash, created_by, created_at, expires_at, real_expires_at) VALUES ('lnk_x', 999, '" +
			r.beta + "', 'x@beta.example', 'hx', 'mo@acme.example', now(), now() + interval '15 minutes', now() + interval '15 minutes')",
		// a writer numbers what it makes: the sequence moves forward
		"UPDATE id_sequences SET last = last + 1 WHERE name = (SELECT min(name) FROM id_sequences)",
	} {
		if n, err := tryWrite(t, conn, sql); err != nil || n != 1 {
			t.Errorf("mo: %s: %d rows, %v", sql, n, err)
		}
	}
	expectNoWrite(t, "mo", conn, []string{
		// no higher role than the console gives: promoting needs admin
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.beta + "', 'mo@acme.example', 'owner', now())",
		"UPDATE memberships SET role = 'admin' WHERE org_id = '" + r.alpha + "'",
		"UPDATE orgs SET deleted_at = now() WHERE NOT admin",
		"UPDATE orgs SET link_status = 'accepted' WHERE link_status = 'pending'",
		// an org's id, number, creation time and kind are the store's
		"UPDATE orgs SET seq = seq + 1000 WHERE id = '" + r.beta + "'",
		"UPDATE orgs SET created_at = now() WHERE NOT admin", "UPDATE orgs SET admin = true WHERE id = '" + r.beta + "'",
		"UPDATE orgs SET id = 'org_x' WHERE id = '" + r.beta + "'",
		// numbers are never handed out twice
		"UPDATE id_sequences SET last = 0", "UPDATE id_sequences SET last = last - 1",
		// nor are links made in someone else's name, or to live longer
		// than 15 minutes (by either clock), or without the real clock's
		"INSERT INTO links (id, seq, org_id, email, token_hash, created_by, created_at, expires_at, real_expires_at) VALUES ('lnk_x', 999, '" +
			r.beta + "', 'x@beta.example', 'hx', 'ada@acme.example', now(), now() + interval '15 minutes', now() + interval '15 minutes')",
		"INSERT INTO links (id, seq, org_id, email, token_hash, created_by, created_at, expires_at, real_expires_at) VALUES ('lnk_x', 999, '" +
			r.beta + "', 'x@beta.example', 'hx', 'mo@acme.example', now(), now() + interval '1 hour', now() + interval '15 minutes')",
		"INSERT INTO links (id, seq, org_id, email, token_hash, created_by, created_at, expires_at, real_expires_at) VALUES ('lnk_x', 999, '" +
			r.beta + "', 'x@beta.example', 'hx', 'mo@acme.example', now() + interval '1 year', now() + interval '1 year', now() + interval '1 year')",
		"INSERT INTO links (id, seq, org_id, email, token_hash, created_by, created_at, expires_at) VALUES ('lnk_x', 999, '" +
			r.beta + "', 'x@beta.example', 'hx', 'mo@acme.example', now(), now() + interval '15 minutes')",
		"UPDATE connect_requests SET accepted_at = now()",
		// a connect request comes with its new pending org, never for a linked one
		"INSERT INTO connect_requests (id, seq, org_id, email, token_hash, created_by, created_at, expires_at) VALUES ('pcr_x', 999, '" +
			r.beta + "', 'it@beta.example', 'h', 'mo@acme.example', now(), now() + interval '1 day')",
		"UPDATE invites SET deleted_at = now()", "UPDATE invites SET expires_at = now() + interval '1 year'",
		"UPDATE report_states SET state = state WHERE name LIKE '%/%'",
		"INSERT INTO report_states (name, state) VALUES ('x/sam@acme.example', '')",
		"DELETE FROM report_states", "DELETE FROM claimed_event_ids", "DELETE FROM orgs", "DELETE FROM org_stats",
		"DELETE FROM links", "DELETE FROM invites", "DELETE FROM connect_requests", "DELETE FROM licenses",
		"DELETE FROM id_sequences", "DELETE FROM device_states",
	})
}

// TestRLSOnlyOwnersMakeOwners: ada, an admin, manages the admin org's
// team up to her own role: she makes and invites admins, not owners, and
// demotes or removes no owner; mo, a member, invites only the first owner
// of an org that has none; carol, Alpha's owner, makes and invites owners
// there. Nobody changes what an invitation is for.
func TestRLSOnlyOwnersMakeOwners(t *testing.T) {
	r := buildRLSStore(t)
	invite := func(org, role string) string {
		return "INSERT INTO invites (id, seq, org_id, email, role, token_hash, created_by, created_at, expires_at) VALUES ('inv_x', 999, '" +
			org + "', 'pal@x.example', '" + role + "', 'h', 'me', now(), now())"
	}
	ada := connectAs(t, r.ada)
	for _, sql := range []string{
		invite(r.adminOrg, "admin"),
		"UPDATE memberships SET role = 'admin' WHERE email = 'mo@acme.example'",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.adminOrg + "', 'new@acme.example', 'admin', now())",
		"DELETE FROM memberships WHERE email = 'mo@acme.example'",
	} {
		if n, err := tryWrite(t, ada, sql); err != nil || n != 1 {
			t.Errorf("ada: %s: %d rows, %v", sql, n, err)
		}
	}
	expectNoWrite(t, "ada", ada, []string{
		"UPDATE memberships SET role = 'owner' WHERE email = 'ada@acme.example'",
		invite(r.adminOrg, "owner"), "UPDATE invites SET role = 'owner'", "UPDATE invites SET email = 'ada@acme.example'",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.adminOrg + "', 'new@acme.example', 'owner', now())",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.beta + "', 'ada@acme.example', 'owner', now())",
		"UPDATE memberships SET role = 'admin' WHERE email = 'boss@acme.example'",
		"DELETE FROM memberships WHERE email = 'boss@acme.example'",
	})
	mo := connectAs(t, r.mo)
	if n, err := tryWrite(t, mo, invite(r.beta, "owner")); err != nil || n != 1 {
		t.Errorf("mo can't invite Beta's first owner: %d, %v", n, err)
	}
	expectNoWrite(t, "mo", mo, []string{invite(r.beta, "admin"), invite(r.alpha, "owner"), invite(r.adminOrg, "member")})
	carol := connectAs(t, r.carol)
	for _, sql := range []string{
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.alpha + "', 'co@alpha.example', 'owner', now())",
		invite(r.alpha, "owner"),
	} {
		if n, err := tryWrite(t, carol, sql); err != nil || n != 1 {
			t.Errorf("carol: %s: %d rows, %v", sql, n, err)
		}
	}
}

// TestRLSTokenHashesAreReadOnlyThroughFunctions: no login but the owner
// reads a token's hash, whatever records it sees (the hash lookups are
// functions); the records' other columns are read as before.
func TestRLSTokenHashesAreReadOnlyThroughFunctions(t *testing.T) {
	r := buildRLSStore(t)
	for _, who := range []struct{ name, url string }{{"mo", r.mo}, {"sam", r.sam}, {"carol", r.carol}, {"ray", r.ray}, {"nobody", r.nobody}} {
		conn := connectAs(t, who.url)
		for _, table := range []string{"links", "invites", "connect_requests", "invite_token_hashes"} {
			var n int64
			if err := conn.QueryRow(testCtx(t), "SELECT count(token_hash) FROM "+table).Scan(&n); !isDenied(err) {
				t.Errorf("%s reads the token hashes of %s: %d, %v", who.name, table, n, err)
			}
		}
	}
	conn := connectAs(t, r.mo)
	var n int64
	if err := conn.QueryRow(testCtx(t), "SELECT count(id) FROM links").Scan(&n); err != nil || n != 2 {
		t.Errorf("mo reads %d links, %v; want 2", n, err)
	}
}

// TestRLSACustomerOwnerReadsOnlyTheirOrgsAudit: carol owns Alpha (a
// customer, no partner member): she sees Alpha's record, team, invitations
// and audit entries, the partner and the id sequences (she sends
// invitations too), nothing of Beta's nor the admin org's; she manages
// Alpha's team but can't change Alpha's record, Beta, the admin org, the
// partner or licenses.
func TestRLSACustomerOwnerReadsOnlyTheirOrgsAudit(t *testing.T) {
	r := buildRLSStore(t)
	conn := connectAs(t, r.carol)
	want := map[string]string{"partner": "1", "store_meta": "1", "orgs": "1", "org_stats": "1",
		"logins": "1", "token_grants": "denied", "invite_token_hashes": "denied",
		"memberships":  r.ownerCount(t, "SELECT count(*) FROM memberships WHERE org_id = $1", r.alpha),
		"invites":      r.ownerCount(t, "SELECT count(*) FROM invites WHERE org_id = $1", r.alpha),
		"id_sequences": r.ownerCount(t, "SELECT count(*) FROM id_sequences"),
		"audit":        r.ownerCount(t, "SELECT count(*) FROM audit WHERE org_id = $1", r.alpha)}
	expectCounts(t, "carol (customer owner)", counts(t, conn), want)
	if n, err := tryWrite(t, conn, "UPDATE memberships SET role = 'admin' WHERE org_id = '"+r.alpha+"'"); err != nil || n != 1 {
		t.Errorf("carol can't manage her own org's team: %d, %v", n, err)
	}
	if n, err := tryWrite(t, conn, "UPDATE org_stats SET users = users + 1 WHERE org_id = '"+r.alpha+"'"); err != nil || n != 1 {
		t.Errorf("carol can't count her own org's team: %d, %v", n, err)
	}
	expectNoWrite(t, "carol", conn, []string{
		// her org's record is the partner's to change (the console
		// changes only its user count, in org_stats), or to delete
		"UPDATE orgs SET name = 'Mine'", "UPDATE orgs SET ref_id = 'MINE', ref_lc = 'mine'",
		"UPDATE orgs SET deleted_at = now()",
		"UPDATE org_stats SET users = 0 WHERE org_id <> '" + r.alpha + "'",
		"UPDATE memberships SET role = 'owner' WHERE org_id <> '" + r.alpha + "'",
		"DELETE FROM memberships WHERE org_id <> '" + r.alpha + "'",
		"UPDATE invites SET accepted_at = now() WHERE org_id <> '" + r.alpha + "'",
		"DELETE FROM invite_token_hashes", "DELETE FROM id_sequences", "DELETE FROM orgs",
		"UPDATE partner SET name = 'Mine'", "UPDATE settings SET value = ''", "UPDATE store_meta SET kind = 'init'",
		"UPDATE licenses SET unpaid = true", "UPDATE links SET revoked_at = now()", "UPDATE connect_requests SET accepted_at = now()",
		"UPDATE scopes SET org_ids = '{}'", "UPDATE audit SET detail = ''", "DELETE FROM audit",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.adminOrg + "', 'carol@alpha.example', 'owner', now())",
		"INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('" + r.beta + "', 'carol@alpha.example', 'owner', now())",
		"INSERT INTO invites (id, seq, org_id, email, role, token_hash, created_by, created_at, expires_at) VALUES ('i', 999, '" + r.adminOrg + "', 'pal@alpha.example', 'owner', 'h', 'me', now(), now())",
		"INSERT INTO audit (at, actor, action, org_id) VALUES (now(), '', 'forged', '" + r.beta + "')",
		"INSERT INTO licenses (id, seq, number, start_at, end_at, created_at, org_id) VALUES ('lic', 999, 'L-9', now(), now(), now(), '" + r.alpha + "')",
		"INSERT INTO orgs (id, seq, name, name_lc, created_at) VALUES ('o_mine', 999, 'Mine', 'mine', now())",
	})
}

// TestRLSAuditIsAppendOnlyForEveryone: no role, the owner included,
// changes or removes an audit entry.
func TestRLSAuditIsAppendOnlyForEveryone(t *testing.T) {
	r := buildRLSStore(t)
	for _, url := range []string{r.db.URL, r.sam, r.ray, r.carol, r.nobody} {
		conn := connectAs(t, url)
		for _, sql := range []string{"UPDATE audit SET detail = 'x'", "DELETE FROM audit"} {
			if _, err := tryWrite(t, conn, sql); !isDenied(err) {
				t.Errorf("%s as %s: %v, want insufficient_privilege", sql, conn.Config().User, err)
			}
		}
	}
}

// TestRLSTokensGrantOnlyTheirOwnRecords: a token found through its
// function lets an outsider's transaction touch that link and nothing
// else; a made-up token grants nothing, and the grant ends with the
// transaction.
func TestRLSTokensGrantOnlyTheirOwnRecords(t *testing.T) {
	r := buildRLSStore(t)
	var hash, linkID string
	if err := r.owner.Read(testCtx(t), func(tx pgx.Tx) error {
		return tx.QueryRow(testCtx(t), "SELECT token_hash, id FROM links WHERE org_id = $1", r.alpha).Scan(&hash, &linkID)
	}); err != nil {
		t.Fatal(err)
	}
	conn := connectAs(t, r.nobody)
	ctx := testCtx(t)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	var n int64
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM partnerctl_link_by_token_hash('nothing')").Scan(&n); err != nil || n != 0 {
		t.Fatalf("a made-up token: %d, %v", n, err)
	}
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM links").Scan(&n); err != nil || n != 0 {
		t.Fatalf("after a made-up token: %d links, %v", n, err)
	}
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM partnerctl_link_by_token_hash($1)", hash).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the link's token: %d, %v", n, err)
	}
	for sql, want := range map[string]int64{
		"SELECT count(*) FROM links":                1,
		"SELECT count(*) FROM orgs WHERE NOT admin": 1,
		"SELECT count(*) FROM memberships":          0,
		"SELECT count(*) FROM invites":              0,
		"SELECT count(*) FROM audit":                0,
		"WITH u AS (UPDATE links SET redeemed_at = now() RETURNING 1) SELECT count(*) FROM u": 1,
		"WITH u AS (UPDATE orgs SET name = 'x' RETURNING 1) SELECT count(*) FROM u":           0,
	} {
		if err := tx.QueryRow(ctx, sql).Scan(&n); err != nil || n != want {
			t.Errorf("with the link's token: %s: %d, %v; want %d", sql, n, err, want)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM links").Scan(&n); err != nil || n != 0 {
		t.Errorf("after the transaction: %d links, %v", n, err)
	}
}

// TestSearchUnderRLSUsesTheTrigramIndex: a member held by row-level
// security searches through partnerctl_search_orgs, whose query uses the
// trigram index; the same LIKE straight on orgs can't (its operator isn't
// leakproof, so it runs after the policy), which is why the function is
// there. The plans are read with auto_explain (nested statements
// included), other plans switched off as in
// TestSearchAndPagingCanUseTheirIndexes. (The function runs as the
// schema's owner whoever calls it; what it returns is checked in
// TestRLSAScopedMemberSeesOnlyTheirOrgs.)
func TestSearchUnderRLSUsesTheTrigramIndex(t *testing.T) {
	s, db := migrated(t, Options{})
	var rows [][]any
	rows = append(rows, orgRow(1, "HQ", "", true, false))
	for i := range 500 {
		rows = append(rows, orgRow(i+2, fmt.Sprintf("Org %d", i), fmt.Sprintf("R-%d", i), false, false))
	}
	copyOrgs(t, s, rows...)
	role := db.Name + "_searcher"
	db.Exec(t, "CREATE ROLE "+pgx.Identifier{role}.Sanitize())
	mustExec(t, s, `INSERT INTO partner (id, name, created_at, admin_org_id) VALUES ('p', 'P', now(), 'org_000001');
		INSERT INTO memberships (org_id, email, role, joined_at) VALUES ('org_000001', 'm@p.example', 'member', now());
		ANALYZE orgs`)
	// The session's user (session_user, which SET ROLE doesn't change) is
	// the member; the policies hold the role it sets (current_user), as
	// they would hold the member's own login.
	mustExec(t, s, "INSERT INTO logins (role, email, bound_by) VALUES (session_user, 'm@p.example', 'test')")

	cfg, err := pgx.ParseConfig(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	var plans []string
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { plans = append(plans, n.Message) }
	ctx := testCtx(t)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, sql := range []string{"LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
		"SET auto_explain.log_nested_statements = on", "SET auto_explain.log_level = notice",
		"SET enable_seqscan = off"} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// Without the name index (put back by the rollback), which a bitmap
	// scan of 500 rows would rather read.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	for _, sql := range []string{"DROP INDEX orgs_by_name", "SET LOCAL ROLE " + pgx.Identifier{role}.Sanitize()} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	planOf := func(sql string) (int64, string) {
		t.Helper()
		plans = nil
		var n int64
		if err := tx.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n, strings.Join(plans, "\n")
	}
	n, p := planOf("SELECT count(*) FROM partnerctl_search_orgs('%org 4%') o")
	if n != 111 || !strings.Contains(p, "orgs_search") {
		t.Errorf("the search function found %d orgs, want 111, or didn't use the trigram index:\n%s", n, p)
	}
	n, p = planOf("SELECT count(*) FROM orgs o WHERE " + live + " AND o.name_lc LIKE '%org 4%'")
	if n != 111 || strings.Contains(p, "orgs_search") {
		t.Errorf("LIKE under row-level security found %d orgs, want 111, and now uses the trigram index (is the function still needed?):\n%s", n, p)
	}
}

// TestRLSATeammatesBulkImportCommits: an import big enough to refresh the
// planner's statistics and merge the search index's pending list (see
// pgTx.flush) commits for a teammate too, who owns neither the tables nor
// the index (autovacuum does both for them), and their orgs are found.
func TestRLSATeammatesBulkImportCommits(t *testing.T) {
	r := buildRLSStore(t)
	ctx := testCtx(t)
	var csv strings.Builder
	csv.WriteString("name,ref_id\n")
	for i := range analyzeAfterOrgs {
		fmt.Fprintf(&csv, "Bulk Org %06d,BULK-%06d\n", i, i)
	}
	ada := console.New(open(t, r.ada, Options{LockTimeout: 10e9}), console.Options{})
	res, err := ada.ImportOrgs(ctx, strings.NewReader(csv.String()))
	if err != nil || res.Len() != analyzeAfterOrgs {
		t.Fatalf("ada's import of %d orgs: %d created, %v", analyzeAfterOrgs, res.Len(), err)
	}
	if got := r.ownerCount(t, "SELECT count(*) FROM partnerctl_search_orgs('%bulk org 00999%')"); got != "10" {
		t.Errorf("a search after ada's import found %s orgs, want 10", got)
	}
}
