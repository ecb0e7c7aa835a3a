// Package pgstore keeps partnerctl's records in a PostgreSQL database shared
// by a partner team (SPEC §13), over jackc/pgx.
//
// Connection strings follow libpq: a postgres:// URL, completed by the PG*
// environment variables and ~/.pgpass; sslmode goes in the URL.
//
// Concurrency: today's rules read, check in Go, then write, which is only
// safe with one writer at a time. Every write transaction therefore first
// takes one advisory transaction lock per database, waiting at most the lock
// timeout (then fail.Busy, exit 6). Read transactions take no lock and read
// a snapshot, so they never wait for a writer. Writes run at READ COMMITTED:
// each statement sees everything committed before it, including what the
// previous holder of the lock wrote.
//
// The schema is versioned by embedded migrations (migrations/NNNN_*.sql);
// see Migrate.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// Options configure Open. The zero value is usable.
type Options struct {
	// LockTimeout is how long a writer waits for another writer (and any
	// statement for a lock); 0 or less waits the shortest time there is.
	LockTimeout time.Duration
	// ConnectTimeout bounds connecting when the URL sets no connect_timeout.
	// Default 10s.
	ConnectTimeout time.Duration
	// AllowOldSchema opens a database whose schema is older than this
	// build's, or that has none yet: for the commands that create or
	// upgrade it (then call Migrate) and for doctor. Without it such a
	// database is refused with ErrNotInitialized or ErrSchemaOutdated.
	// A newer schema is always refused.
	AllowOldSchema bool
	// IdleInTransactionTimeout is how long the server lets a transaction sit
	// idle (a hung or stopped client holding the writer lock) before ending
	// its session. Default one minute.
	IdleInTransactionTimeout time.Duration
	// MaxConns caps the pool. Default 4.
	MaxConns int32

	// migrations replaces the embedded ones, for tests.
	migrations []migration
}

// Store is an open PostgreSQL store.
type Store struct {
	pool        *pgxpool.Pool
	target      target
	secrets     []string
	lockTimeout time.Duration
	migrations  []migration
	schema      SchemaState
	id          string // the store's id (store_identity), read with the schema
	// hashesHidden: this login may not read the tokens' hashes (every
	// login but the schema's owner), read with the schema.
	hashesHidden bool
	// adminOrgID is the admin org's id, read with the schema ("" when the
	// store had no partner then).
	adminOrgID string
}

// writerLockKey is the advisory lock every write transaction holds: one
// writer per database. The value spells "partnerc" in ASCII.
const writerLockKey int64 = 0x706172746e657263

// Open connects to the database at connString and checks its schema. Errors
// are one line, name host and database, never a password: exit 4 for a
// refused login, 6 for a server that can't take a connection now, 1 for the
// rest (malformed URL, unreachable server, missing database, missing,
// outdated or newer schema).
func Open(ctx context.Context, connString string, opts Options) (*Store, error) {
	connString, _ = normalizeScheme(connString)
	cfg, err := pgxpool.ParseConfig(connString)
	if err == nil && ambiguousPassword(connString) {
		err = errors.New("a password that may not be percent-encoded")
	}
	if err != nil {
		return nil, parseError(connString, err)
	}
	s := &Store{
		target:      targetOf(&cfg.ConnConfig.Config),
		secrets:     passwords(cfg),
		lockTimeout: opts.LockTimeout,
		migrations:  opts.migrations,
	}
	if s.migrations == nil {
		if s.migrations, err = embeddedMigrations(); err != nil {
			return nil, fail.Wrap(fail.Internal, err, "this build's schema migrations are broken")
		}
	}
	configure(cfg, opts)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectError(s.target, s.secrets, err)
	}
	s.pool = pool
	if err := s.checkServer(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.readSchema(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.schema.check(s.target, opts.AllowOldSchema); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// configure sets what every session of a store needs (measured in
// design/postgres.md): no JIT (it made a search 4-5x slower), temp buffers
// big enough that an import's temp tables stay in memory, a lock timeout,
// and an end to sessions idling inside a transaction.
//
// They are SET once the session is up, in one round trip, not sent as
// startup parameters: a connection pooler in front of the server
// (PgBouncer) refuses startup parameters it doesn't know, or drops them
// silently when told to ignore them, and a pooled session would then run
// without its lock timeout. application_name is a startup parameter that
// poolers pass on.
func configure(cfg *pgxpool.Config, opts Options) {
	// A command runs each statement once, on a connection of its own: a
	// statement cache would only add a round trip (prepare, then execute)
	// to each. Statements that move many rows say DescribeExec (binary
	// formats) themselves: see bulk.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	params := cfg.ConnConfig.RuntimeParams
	if params["application_name"] == "" {
		params["application_name"] = "partnerctl"
	}
	setup := sessionSetup(opts)
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		return conn.PgConn().Exec(ctx, setup).Close()
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
		if opts.ConnectTimeout > 0 {
			cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
		}
	}
	cfg.MaxConns = 4
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
}

// sessionSetup is the SQL that gives a new session the store's settings.
func sessionSetup(opts Options) string {
	idle := opts.IdleInTransactionTimeout
	if idle <= 0 {
		idle = time.Minute
	}
	settings := [][2]string{
		{"jit", "off"},
		{"standard_conforming_strings", "on"}, // quoteLiteral relies on it
		// A command's queries are small: starting parallel workers
		// (processes) for them costs more than it saves, the more so on a
		// busy server.
		{"max_parallel_workers_per_gather", "0"},
		// Listings read through cursors to their end: plan for all the
		// rows, not the first tenth (a search's cursor otherwise walked
		// every org).
		{"cursor_tuple_fraction", "1"},
		{"temp_buffers", "'128MB'"},
		{"lock_timeout", millis(max(opts.LockTimeout, time.Millisecond))},
		{"idle_in_transaction_session_timeout", millis(idle)},
	}
	var b strings.Builder
	for _, kv := range settings {
		fmt.Fprintf(&b, "SET %s = %s;", kv[0], kv[1])
	}
	return b.String()
}

// millis is d as a whole number of milliseconds (rounded up), the unit of
// PostgreSQL's timeout settings.
func millis(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Millisecond-1)/time.Millisecond), 10)
}

// passwords lists every password the configuration may send, whatever its
// source (URL, PGPASSWORD, ~/.pgpass), so no message can show one.
func passwords(cfg *pgxpool.Config) []string {
	if cfg.ConnConfig.Password == "" {
		return nil
	}
	return []string{cfg.ConnConfig.Password}
}

// minServerMajor is the oldest PostgreSQL partnerctl supports (SPEC §13).
const minServerMajor = 13

// checkServer connects (so a bad host, login or database fails here, with a
// clear message) and refuses a server older than minServerMajor.
func (s *Store) checkServer(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return connectError(s.target, s.secrets, err)
	}
	defer conn.Release()
	version := conn.Conn().PgConn().ParameterStatus("server_version")
	digits := version
	if i := strings.IndexFunc(version, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		digits = version[:i]
	}
	if major, err := strconv.Atoi(digits); err != nil || major < minServerMajor {
		return fail.Internalf("%s runs PostgreSQL %s; partnerctl needs %d or later", s.target, version, minServerMajor)
	}
	return nil
}

// Close releases the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Schema is the database's schema version and this build's.
func (s *Store) Schema() SchemaState { return s.schema }

// Target names the store in messages: `database "acme" on host:5432`.
func (s *Store) Target() string { return s.target.String() }

// Read runs fn in a read-only transaction over one snapshot of the store.
// It takes no lock, so it never waits for a writer.
func (s *Store) Read(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return s.classifyOwn(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return s.classify(err)
	}
	return s.classifyOwn(tx.Commit(ctx))
}

// Write runs fn in a transaction that holds the store's writer lock; fn's
// error (or a failed commit) leaves nothing. Waiting for the lock longer
// than the lock timeout is fail.Busy.
func (s *Store) Write(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return s.classify(err)
	}
	return s.classifyOwn(tx.Commit(ctx))
}

// beginWrite starts a READ COMMITTED transaction and takes the writer lock
// (its wait bounded by the session's lock_timeout). Every later statement
// sees all that earlier writers committed.
func (s *Store) beginWrite(ctx context.Context) (pgx.Tx, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return nil, s.classifyOwn(err)
	}
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", writerLockKey); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, s.classifyOwn(err)
	}
	return tx, nil
}
