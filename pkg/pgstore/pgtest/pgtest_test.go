package pgtest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestMain(m *testing.M) { Main(m) }

func connect(t *testing.T, url string) (*pgx.Conn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err == nil {
		t.Cleanup(func() { conn.Close(context.Background()) })
	}
	return conn, err
}

func TestEachTestGetsItsOwnDatabase(t *testing.T) {
	a, b := NewDatabase(t), NewDatabase(t)
	if a.Name == b.Name {
		t.Fatalf("two databases named %s", a.Name)
	}
	a.Exec(t, "CREATE TABLE only_in_a (x int)")
	conn, err := connect(t, b.URL)
	if err != nil {
		t.Fatal(err)
	}
	var db string
	var found bool
	if err := conn.QueryRow(context.Background(),
		"SELECT current_database(), to_regclass('only_in_a') IS NOT NULL").Scan(&db, &found); err != nil {
		t.Fatal(err)
	}
	if db != b.Name || found {
		t.Fatalf("connected to %s (want %s), sees a's table: %v", db, b.Name, found)
	}
}

func TestTheServerListensOnAShortUnixSocketOnly(t *testing.T) {
	d := NewDatabase(t)
	conn, err := connect(t, d.URL)
	if err != nil {
		t.Fatal(err)
	}
	var listen, fsync string
	ctx := context.Background()
	if err := conn.QueryRow(ctx, "SELECT current_setting('listen_addresses'), current_setting('fsync')").Scan(&listen, &fsync); err != nil {
		t.Fatal(err)
	}
	if listen != "" || fsync != "off" {
		t.Fatalf("listen_addresses=%q fsync=%s", listen, fsync)
	}
	dir := Server(t)
	if len(dir)+len("/.s.PGSQL.5432") > 107 {
		t.Fatalf("socket path too long: %s", dir)
	}
	if _, err := os.Stat(dir + "/.s.PGSQL.5432"); err != nil {
		t.Fatal(err)
	}
}

func TestLoginRolesMustGiveTheirPassword(t *testing.T) {
	d := NewDatabase(t)
	pw := "p@ss:w/o#rd?'x"
	good := d.CreateLogin(t, d.Name+"_ann", pw)
	conn, err := connect(t, good)
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	var who string
	if err := conn.QueryRow(context.Background(), "SELECT session_user").Scan(&who); err != nil || who != d.Name+"_ann" {
		t.Fatalf("session_user %q, %v", who, err)
	}
	for _, bad := range []string{d.URLFor(d.Name+"_ann", "wrong"), d.URLFor(d.Name+"_ann", "")} {
		_, err = connect(t, bad)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "28P01" {
			t.Errorf("wrong password: want SQLSTATE 28P01, got %v", err)
		}
	}
}

func TestRequiredByCIOrTheVariable(t *testing.T) {
	for _, c := range []struct {
		require, ci string
		want        bool
	}{{"", "", false}, {"1", "", true}, {"", "true", true}, {"0", "false", false}} {
		t.Setenv(RequireEnv, c.require)
		t.Setenv("CI", c.ci)
		if got, why := Required(); got != c.want || got == (why == "") {
			t.Errorf("%s=%q CI=%q: required=%v (%q), want %v", RequireEnv, c.require, c.ci, got, why, c.want)
		}
	}
}

func TestBinDirHoldsTheServerBinaries(t *testing.T) {
	dir, err := findBinDir()
	if err != nil {
		if req, _ := Required(); req {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if !strings.HasSuffix(dir, "/bin") || !isExecutable(dir+"/initdb") {
		t.Fatalf("bin dir %s", dir)
	}
}

// TestMissingServerSkipsUnlessRequired runs this test binary again with no
// server binaries to find: the probe must skip, and fail when required.
func TestMissingServerSkipsUnlessRequired(t *testing.T) {
	if os.Getenv("PGTEST_PROBE") == "1" {
		t.Skip("probe only")
	}
	for _, c := range []struct {
		env  []string
		want string
	}{
		{[]string{RequireEnv + "=", "CI="}, "--- SKIP: TestProbeMissingServer"},
		{[]string{RequireEnv + "=1", "CI="}, "--- FAIL: TestProbeMissingServer"},
		{[]string{RequireEnv + "=", "CI=true"}, "--- FAIL: TestProbeMissingServer"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestProbeMissingServer$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "PGTEST_PROBE_MISSING=1", BinDirEnv+"=/nonexistent")
		cmd.Env = append(cmd.Env, c.env...)
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), c.want) || !strings.Contains(string(out), "PostgreSQL") {
			t.Errorf("%v: want %q and a word about PostgreSQL, got:\n%s", c.env, c.want, out)
		}
	}
}

func TestProbeMissingServer(t *testing.T) {
	if os.Getenv("PGTEST_PROBE_MISSING") != "1" {
		t.Skip("run by TestMissingServerSkipsUnlessRequired")
	}
	NewDatabase(t)
	t.Fatal("got a database without server binaries")
}

func TestADatabaseIsDroppedAfterItsTest(t *testing.T) {
	var inner *Database
	t.Run("inner", func(t *testing.T) { inner = NewDatabase(t) })
	outer := NewDatabase(t)
	conn, err := connect(t, outer.URL)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		var exists bool
		if err := conn.QueryRow(context.Background(), "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", inner.Name).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if !exists {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("database %s still there a minute after its test", inner.Name)
		}
	}
}
