package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded migrations/NNNN_name.sql file.
type migration struct {
	version int
	name    string
	// body reads the migration's SQL: only migrating needs it, and
	// opening a store (every command) only counts the migrations, so
	// the files aren't copied out of the binary on every open.
	body func() (string, error)
}

var embeddedMigrations = sync.OnceValues(func() ([]migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return loadMigrations(sub)
})

// loadMigrations reads NNNN_name.sql files: versions must run 1, 2, 3, …
// without gaps or repeats, so the order they apply in is never in doubt.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 || v <= 0 || rest == "" {
			return nil, fmt.Errorf("migration %s: want NNNN_name.sql", name)
		}
		if _, err := fs.Stat(fsys, name); err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: path.Base(name), body: func() (string, error) {
			b, err := fs.ReadFile(fsys, name)
			return string(b), err
		}})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no migrations")
	}
	return out, nil
}

// LatestSchema is the schema version this build creates and expects.
func LatestSchema() int {
	ms, err := embeddedMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// SchemaState is a database's schema version against this build's.
type SchemaState struct {
	// Version is the last migration applied; 0 when the database has no
	// partnerctl schema.
	Version int
	// Latest is the last migration this build has.
	Latest int
}

// Current reports whether the database needs no migration.
func (s SchemaState) Current() bool { return s.Version == s.Latest }

// Errors Open and Migrate wrap (test with errors.Is) so the CLI can say what
// to run: the CLI's words don't belong in this package.
var (
	// ErrNotInitialized: the database has no partnerctl schema (never
	// initialised, or not a partnerctl store).
	ErrNotInitialized = errors.New("no partnerctl schema")
	// ErrSchemaOutdated: made by an earlier build; migrating upgrades it.
	ErrSchemaOutdated = errors.New("partnerctl schema is outdated")
	// ErrSchemaNewer: made by a later build; this one must not touch it.
	ErrSchemaNewer = errors.New("partnerctl schema is newer than this build")
)

// SchemaError says how a database's schema differs from this build's.
type SchemaError struct {
	State  SchemaState
	Target string
}

func (e *SchemaError) Error() string {
	switch {
	case e.State.Version == 0:
		return fmt.Sprintf("%s has no partnerctl schema", e.Target)
	case e.State.Version < e.State.Latest:
		return fmt.Sprintf("%s has schema v%d, older than this partnerctl's v%d", e.Target, e.State.Version, e.State.Latest)
	}
	return fmt.Sprintf("%s has schema v%d, newer than this partnerctl understands (v%d)", e.Target, e.State.Version, e.State.Latest)
}

// Is makes errors.Is(err, ErrNotInitialized) (and the others) work.
func (e *SchemaError) Is(target error) bool {
	switch target {
	case ErrNotInitialized:
		return e.State.Version == 0
	case ErrSchemaOutdated:
		return e.State.Version > 0 && e.State.Version < e.State.Latest
	case ErrSchemaNewer:
		return e.State.Version > e.State.Latest
	}
	return false
}

// check refuses a newer schema always, a missing or older one unless
// allowOld. All are exit 1, with a code the CLI turns into what to run.
func (s SchemaState) check(t target, allowOld bool) error {
	err := &fail.Error{Kind: fail.Internal, Err: &SchemaError{State: s, Target: t.String()}}
	switch {
	case s.Version > s.Latest:
		return err.WithHint("upgrade partnerctl: a newer version changed this database").WithCode(fail.CodeSchemaTooNew)
	case allowOld:
		return nil
	case s.Version == 0:
		return err.WithCode(fail.CodeNotInitialized)
	case s.Version < s.Latest:
		return err.WithCode(fail.CodeSchemaOutdated)
	}
	return nil
}

// RequireCurrentSchema is the error Open gives a database whose schema
// isn't this build's (nil when it is): for a store opened with
// AllowOldSchema that turns out to need it.
func (s *Store) RequireCurrentSchema() error { return s.schema.check(s.target, false) }

// schemaVersionDDL records applied migrations; the highest is the version.
const schemaVersionDDL = `CREATE TABLE IF NOT EXISTS schema_version (
    version    integer PRIMARY KEY CHECK (version > 0),
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)`

// readSchema reads the database's schema version (0 without a
// schema_version table), and the store's id where it has one, in two
// statements outside a transaction block: each is its own snapshot, and no
// writer can make it wait. Every command does this first, so it is kept to
// two round trips. Both come from partnerctl_store_facts(), which anyone
// who can connect may call (the tables themselves show their rows to the
// owner alone); a schema without it (the tests' own migrations) is read
// from its table.
func (s *Store) readSchema(ctx context.Context) error {
	f, err := readCurrentFacts(ctx, s.pool)
	if isUndefinedObject(err) {
		// No schema, or one older than partnerctl_store_facts(): ask what
		// is there first.
		f, err = readVersion(ctx, s.pool)
	}
	if err != nil {
		return s.classifyOwn(err)
	}
	v := f.version
	if f.storeID != nil {
		s.id = *f.storeID
	}
	s.hashesHidden, s.adminOrgID = f.hashesHidden, ""
	if f.adminOrgID != nil {
		s.adminOrgID = *f.adminOrgID
	}
	s.schema = SchemaState{Version: v, Latest: len(s.migrations)}
	return nil
}

// openFacts is what opening a store reads of it.
type openFacts struct {
	version      int
	storeID      *string // nil: none
	hashesHidden bool    // the session may not read the tokens' hashes
	adminOrgID   *string // nil: no partner yet
}

// readVersion reads the schema version, the store's id and its admin
// org's through partnerctl_store_facts(), or the version straight from
// schema_version where the function isn't there.
func readVersion(ctx context.Context, q querier) (openFacts, error) {
	var version, facts bool
	err := q.QueryRow(ctx, "SELECT to_regclass('schema_version') IS NOT NULL, to_regprocedure('partnerctl_store_facts()') IS NOT NULL").
		Scan(&version, &facts)
	if err != nil || !version {
		return openFacts{}, err
	}
	if facts {
		return readCurrentFacts(ctx, q)
	}
	var f openFacts
	err = q.QueryRow(ctx, "SELECT coalesce(max(version), 0), NULL::text, false, NULL::text FROM schema_version").
		Scan(&f.version, &f.storeID, &f.hashesHidden, &f.adminOrgID)
	return f, err
}

// readCurrentFacts reads them through partnerctl_store_facts(), which a
// store made by this build has: opening a store asks it straight away, one
// statement instead of two (a new session's every statement counts on the
// first page), and falls back to readVersion when it isn't there.
func readCurrentFacts(ctx context.Context, q querier) (openFacts, error) {
	var f openFacts
	err := q.QueryRow(ctx, `SELECT schema_version, store_id, NOT has_column_privilege('links', 'token_hash', 'SELECT'), admin_org_id
		FROM partnerctl_store_facts()`).Scan(&f.version, &f.storeID, &f.hashesHidden, &f.adminOrgID)
	return f, err
}

func schemaVersion(ctx context.Context, tx pgx.Tx) (int, error) {
	f, err := readVersion(ctx, tx)
	return f.version, err
}

// Migrate applies the migrations the database lacks, all in one
// transaction under the writer lock, so a concurrent writer or a second
// Migrate waits (then finds nothing left to do) and a failure leaves the
// schema as it was. It returns the versions before and after; a newer
// schema is refused.
func (s *Store) Migrate(ctx context.Context) (from, to int, err error) {
	err = s.Write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, schemaVersionDDL); err != nil {
			return err
		}
		v, err := schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		from, to = v, v
		state := SchemaState{Version: v, Latest: len(s.migrations)}
		if err := state.check(s.target, true); err != nil {
			return err
		}
		for _, m := range s.migrations[v:] {
			sql, err := m.body()
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, sql); err != nil {
				return s.inMigration(m, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_version (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return err
			}
			to = m.version
		}
		return nil
	})
	if err != nil {
		return from, from, err
	}
	s.schema = SchemaState{Version: to, Latest: len(s.migrations)}
	return from, to, s.readSchema(ctx)
}

// inMigration classifies a failed migration, naming it.
func (s *Store) inMigration(m migration, err error) error {
	var fe *fail.Error
	if errors.As(s.classify(err), &fe) {
		c := *fe
		c.Msg = "migration " + m.name + ": " + c.Msg
		return &c
	}
	return err
}
