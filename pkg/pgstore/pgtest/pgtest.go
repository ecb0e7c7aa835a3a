// Package pgtest gives tests a real, hermetic PostgreSQL server: one per test
// binary, started on first use from the installed server binaries (initdb and
// postgres from the Debian package), listening on a Unix socket only, in a
// temporary folder that is removed afterwards. Each test gets a database of
// its own, reachable directly or through a PgBouncer in front of the server
// (Database.PooledURL), started on first use too.
//
// A package that uses it must stop the server when its tests end:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// Where PostgreSQL isn't installed the tests that ask for a database are
// skipped with a message saying so, unless PARTNERCTL_REQUIRE_POSTGRES=1 or
// CI=true is set: then a missing server fails them, so CI can't go green
// without exercising PostgreSQL. The same holds for pgbouncer.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// RequireEnv names the variable that turns a skip for a missing PostgreSQL
// into a failure.
const RequireEnv = "PARTNERCTL_REQUIRE_POSTGRES"

var (
	mainInstalled atomic.Bool
	once          sync.Once
	shared        *server
	sharedErr     error
	dbCounter     atomic.Int64
)

// Main runs the tests and stops the server (if one was started), then exits
// with the tests' status.
func Main(m interface{ Run() int }) { os.Exit(Run(m)) }

// Run runs the tests and stops the server, returning the tests' status: for
// a TestMain that has more to do (testscript.Main accepts a value with a Run
// method, so wrap m in one that calls this).
func Run(m interface{ Run() int }) int {
	mainInstalled.Store(true)
	defer Stop()
	return m.Run()
}

// Stop stops the server and removes its folder. Safe to call when no server
// was started, and more than once.
func Stop() {
	if pooler != nil {
		pooler.stop()
	}
	if shared != nil {
		shared.stop()
	}
}

// Required reports whether a missing PostgreSQL must fail the tests rather
// than skip them, and why.
func Required() (bool, string) {
	if os.Getenv(RequireEnv) == "1" {
		return true, RequireEnv + "=1"
	}
	if os.Getenv("CI") == "true" {
		return true, "CI=true"
	}
	return false, ""
}

// Database is one test's own database on the shared server.
type Database struct {
	// Name is the database's name; role names are server-wide, so a test
	// that creates roles can prefix them with it.
	Name string
	// URL connects to the database as the superuser "postgres" over the
	// server's Unix socket.
	URL string
	srv *server
}

// NewDatabase starts the server on first use and creates a fresh, empty
// database for t. It skips t where PostgreSQL isn't installed (fails it
// when Required).
func NewDatabase(t testing.TB) *Database { return newDatabase(t, "") }

// NewDatabaseFrom is NewDatabase with a copy of a template's contents (see
// Template): a schema made once, copied in milliseconds.
func NewDatabaseFrom(t testing.TB, template string) *Database { return newDatabase(t, template) }

func newDatabase(t testing.TB, template string) *Database {
	t.Helper()
	if !mainInstalled.Load() {
		t.Fatal("pgtest: the package's TestMain must call pgtest.Main(m) (or pgtest.Run) so the server is stopped after the tests")
	}
	srv := sharedServer(t)
	name := fmt.Sprintf("t%04d", dbCounter.Add(1))
	quoted := pgx.Identifier{name}.Sanitize()
	create := "CREATE DATABASE " + quoted
	if template != "" {
		create += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if err := srv.adminExec(context.Background(), create); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	// Dropped when the test ends, so a long suite doesn't fill /tmp (each
	// is about 5 MB); in the background, best effort: the whole server
	// goes when the tests end anyway.
	t.Cleanup(func() {
		go func() { _ = srv.adminExec(context.Background(), "DROP DATABASE IF EXISTS "+quoted+" WITH (FORCE)") }()
	})
	return &Database{Name: name, URL: srv.url(name, url.User("postgres")), srv: srv}
}

var (
	templatesMu sync.Mutex
	templates   = map[string]error{}
)

// Template makes, once per test binary, a database called name that setup
// fills through its URL (setup must close its connections), to copy with
// NewDatabaseFrom. A failed setup fails every test that asks for it.
func Template(t testing.TB, name string, setup func(url string) error) string {
	t.Helper()
	if !mainInstalled.Load() {
		t.Fatal("pgtest: the package's TestMain must call pgtest.Main(m) (or pgtest.Run)")
	}
	srv := sharedServer(t)
	templatesMu.Lock()
	defer templatesMu.Unlock()
	err, done := templates[name]
	if !done {
		err = srv.adminExec(context.Background(), "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		if err == nil {
			err = setup(srv.url(name, url.User("postgres")))
		}
		templates[name] = err
	}
	if err != nil {
		t.Fatalf("pgtest: template %s: %v", name, err)
	}
	return name
}

// Server returns the shared server's socket folder, starting the server if
// needed (skipping or failing t like NewDatabase): for a test that points a
// client at the server itself, e.g. to name a database that doesn't exist.
func Server(t testing.TB) (socketDir string) {
	t.Helper()
	if !mainInstalled.Load() {
		t.Fatal("pgtest: the package's TestMain must call pgtest.Main(m) (or pgtest.Run)")
	}
	return sharedServer(t).dir
}

// URLFor returns a URL to this database as role with password (percent-
// encoded as needed; no password when it is "").
func (d *Database) URLFor(role, password string) string {
	u := url.User(role)
	if password != "" {
		u = url.UserPassword(role, password)
	}
	return d.srv.url(d.Name, u)
}

// CreateLogin creates a login role with a password (it must be unique on the
// server: see Name) and returns a URL to this database as that role. Local
// connections of every role but "postgres" must give their password.
func (d *Database) CreateLogin(t testing.TB, role, password string) string {
	t.Helper()
	// CREATE ROLE takes no parameters: quote the password as a literal.
	lit := "'" + strings.ReplaceAll(password, "'", "''") + "'"
	if err := d.srv.adminExec(context.Background(), "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN PASSWORD "+lit); err != nil {
		t.Fatalf("pgtest: create role %s: %v", role, err)
	}
	return d.URLFor(role, password)
}

// Exec runs SQL in this database as the superuser: to set up grants,
// ownership or a state a test needs.
func (d *Database) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, d.URL)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", d.Name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("pgtest: %s: %v", firstLine(sql), err)
	}
}

func sharedServer(t testing.TB) *server {
	t.Helper()
	once.Do(func() { shared, sharedErr = startServer() })
	if sharedErr == nil {
		return shared
	}
	unavailable(t, sharedErr, "PostgreSQL server", "postgresql")
	return nil
}

// unavailable skips t for a program that isn't installed (fails it when
// Required) and fails it for any other error.
func unavailable(t testing.TB, err error, what, pkg string) {
	t.Helper()
	if nf, ok := err.(*notInstalledError); ok {
		if req, why := Required(); req {
			t.Fatalf("pgtest: no %s to test with: %v; it is required here (%s): install the %s package", what, nf, why, pkg)
		}
		t.Skipf("pgtest: skipping: no %s to test with: %v (install the %s package to run this test; CI does)", what, nf, pkg)
	}
	t.Fatalf("pgtest: %v", err)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
