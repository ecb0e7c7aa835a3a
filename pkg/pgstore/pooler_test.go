package pgstore

// Through a connection pooler: a team may put PgBouncer (session pooling)
// in front of its server, so that each command gets a session the server
// already has open instead of starting one (README, "A pooler in front").
// The store must behave the same through it.

import (
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/pgstore/pgtest"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/store/storetest"
)

// pooled is a fresh database with this build's schema, and a store on it
// through the pooler.
func pooled(t *testing.T, opts Options) (*Store, *pgtest.Database) {
	t.Helper()
	db := pgtest.NewDatabaseFrom(t, schemaTemplate(t))
	return open(t, db.PooledURL(t), opts), db
}

func TestConformanceThroughAPooler(t *testing.T) {
	if raceEnabled {
		t.Skip("the pooled conformance runs in the plain pass: under -race TestConformance covers this package's goroutines")
	}
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _ := pooled(t, Options{LockTimeout: time.Minute, MaxConns: 8})
		return s
	})
}

// settingsAndSession reads the settings partnerctl gives a session, and
// the server process behind it.
func settingsAndSession(t *testing.T, s *Store) (settings map[string]string, backend int) {
	t.Helper()
	settings = map[string]string{}
	err := s.Read(testCtx(t), func(tx pgx.Tx) error {
		for _, name := range []string{"jit", "temp_buffers", "lock_timeout", "idle_in_transaction_session_timeout",
			"max_parallel_workers_per_gather", "cursor_tuple_fraction", "standard_conforming_strings", "application_name"} {
			var v string
			if err := tx.QueryRow(testCtx(t), "SELECT current_setting($1)", name).Scan(&v); err != nil {
				return err
			}
			settings[name] = v
		}
		return tx.QueryRow(testCtx(t), "SELECT pg_backend_pid()").Scan(&backend)
	})
	if err != nil {
		t.Fatal(err)
	}
	return settings, backend
}

// TestThroughAPoolerEverySessionGetsTheStoreSettings: PgBouncer refuses
// startup parameters it doesn't know, so the settings are SET once the
// session is up; a server session the pooler hands on to the next command
// carries the next command's settings, not the last one's.
func TestThroughAPoolerEverySessionGetsTheStoreSettings(t *testing.T) {
	first, db := pooled(t, Options{LockTimeout: 2500 * time.Millisecond})
	want := map[string]string{
		"jit": "off", "temp_buffers": "128MB", "lock_timeout": "2500ms",
		"idle_in_transaction_session_timeout": "1min", "max_parallel_workers_per_gather": "0",
		"cursor_tuple_fraction": "1", "standard_conforming_strings": "on", "application_name": "partnerctl",
	}
	got, backend := settingsAndSession(t, first)
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s = %s, want %s", name, got[name], v)
		}
	}
	first.Close()
	second := open(t, db.PooledURL(t), Options{LockTimeout: 700 * time.Millisecond})
	got, again := settingsAndSession(t, second)
	if again != backend {
		t.Fatalf("the second command got server process %d, not the first's %d: the pooler kept no session", again, backend)
	}
	if got["lock_timeout"] != "700ms" {
		t.Errorf("the reused session's lock_timeout = %s, want the second command's 700ms", got["lock_timeout"])
	}
}

// TestThroughAPoolerEachLoginIsItself: the pooler keeps one pool per login,
// so a command's session is its own login's (identity is the login), and a
// wrong password is refused as without it (exit 4).
func TestThroughAPoolerEachLoginIsItself(t *testing.T) {
	_, db := pooled(t, Options{})
	for _, role := range []string{db.Name + "_ann", db.Name + "_bob"} {
		db.CreateLogin(t, role, secret)
		s := open(t, db.PooledURLFor(t, role, secret), Options{})
		var who string
		if err := s.Read(testCtx(t), func(tx pgx.Tx) error {
			return tx.QueryRow(testCtx(t), "SELECT session_user::text").Scan(&who)
		}); err != nil {
			t.Fatal(err)
		}
		if who != role {
			t.Fatalf("through the pooler %s's session is %s's", role, who)
		}
	}
	checkOpenError(t, db.PooledURLFor(t, db.Name+"_ann", "Wr0ng-pa55"), 4, "refused the login")
}

// TestThroughAPoolerAWriterIsBusyWhileReadsAnswer: the writer lock, its
// timeout (exit 6) and lock-free reads hold through the pooler.
func TestThroughAPoolerAWriterIsBusyWhileReadsAnswer(t *testing.T) {
	holder, db := pooled(t, Options{})
	mustExec(t, holder, "INSERT INTO settings VALUES ('before', '1')")
	release := holdWriter(t, holder)
	other := open(t, db.PooledURL(t), Options{LockTimeout: 300 * time.Millisecond})
	err := exec(t, other, "INSERT INTO settings VALUES ('second', 'writer')")
	if !fail.Is(err, fail.Busy) || fail.ExitCode(err) != 6 || !strings.Contains(err.Error(), "another partnerctl is writing (waited 300ms)") {
		t.Fatalf("second writer: want exit 6 after 300ms, got %v", err)
	}
	if n := queryInt(t, other, "SELECT count(*) FROM settings"); n != 1 {
		t.Fatalf("a reader saw %d settings, want the 1 committed", n)
	}
	if err := release(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	mustExec(t, other, "INSERT INTO settings VALUES ('after', 'x')")
}
