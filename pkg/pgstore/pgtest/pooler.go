package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A team may put a connection pooler between partnerctl and the server:
// PgBouncer in session pooling mode, the usual one, keeps server sessions
// open between commands. The pooler here is that: one PgBouncer per test
// binary in front of the shared server, started on first use, on a Unix
// socket only. It authenticates as a team's would (README): the superuser
// is trusted on the local socket, every other login gives its password,
// checked against the server's own (auth_query), and its server session is
// its own login's, never a shared one.

var (
	poolerOnce sync.Once
	pooler     *poolerProc
	poolerErr  error
)

// PoolerPort names the pooler's socket (.s.PGSQL.<port>): it listens on
// no TCP port.
const PoolerPort = 6432

// PooledURL is URL through the pooler: the same database as the
// superuser. It skips t where PgBouncer isn't installed (fails it when
// Required).
func (d *Database) PooledURL(t testing.TB) string {
	t.Helper()
	return d.PooledURLFor(t, "postgres", "")
}

// PooledURLFor is URLFor through the pooler.
func (d *Database) PooledURLFor(t testing.TB, role, password string) string {
	t.Helper()
	p := sharedPooler(t, d.srv)
	u := url.User(role)
	if password != "" {
		u = url.UserPassword(role, password)
	}
	return fmt.Sprintf("postgres://%s@/%s?host=%s&port=%d", u.String(), url.PathEscape(d.Name), url.QueryEscape(p.dir), PoolerPort)
}

func sharedPooler(t testing.TB, srv *server) *poolerProc {
	t.Helper()
	poolerOnce.Do(func() { pooler, poolerErr = startPooler(srv) })
	if poolerErr == nil {
		return pooler
	}
	unavailable(t, poolerErr, "connection pooler", "pgbouncer")
	return nil
}

// findPgBouncer finds the pgbouncer binary: on PATH, or where Debian puts
// it (/usr/sbin, not on a plain user's PATH).
func findPgBouncer() (string, error) {
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p, nil
	}
	if isExecutable("/usr/sbin/pgbouncer") {
		return "/usr/sbin/pgbouncer", nil
	}
	return "", &notInstalledError{"pgbouncer not found on PATH or in /usr/sbin"}
}

// poolerConfig is PgBouncer's configuration for a server whose socket is
// in serverDir.
func poolerConfig(dir, serverDir string) string {
	return fmt.Sprintf(`[databases]
* = host=%[2]s
[pgbouncer]
listen_addr =
listen_port = %[3]d
unix_socket_dir = %[1]s
pool_mode = session
auth_type = hba
auth_hba_file = %[1]s/hba.conf
auth_user = postgres
auth_query = SELECT usename, passwd FROM pg_shadow WHERE usename = $1
max_client_conn = 500
default_pool_size = 40
server_idle_timeout = 10
logfile = %[1]s/pgbouncer.log
pidfile = %[1]s/pgbouncer.pid
`, dir, serverDir, PoolerPort)
}

// poolerHBA mirrors the server's pg_hba.conf.
const poolerHBA = "local all postgres trust\nlocal all all scram-sha-256\n"

// waitPoolerReady connects through the pooler as soon as it accepts.
func waitPoolerReady(p *poolerProc) error {
	target := fmt.Sprintf("postgres://postgres@/postgres?host=%s&port=%d", url.QueryEscape(p.dir), PoolerPort)
	return p.waitAccepting("pgbouncer", 30*time.Second, p.logTail, func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, target)
		if err == nil {
			err = conn.Ping(ctx)
			_ = conn.Close(ctx)
		}
		return err
	})
}
