package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// child is a process pgtest started (the server, the pooler).
type child struct {
	cmd     *exec.Cmd
	exited  chan struct{} // closed once it has exited
	waitErr error         // its exit, once exited is closed
}

// server is a running postgres, child of this process.
type server struct {
	dir string // socket folder; the cluster lives in dir/data
	child

	mu    sync.Mutex
	admin *pgx.Conn // to the "postgres" database, as the superuser

	stopOnce sync.Once
}

type notInstalledError struct{ msg string }

func (e *notInstalledError) Error() string { return e.msg }

// waitReady connects as soon as the server accepts connections.
func (s *server) waitReady() error {
	return s.waitAccepting("postgres", time.Minute, s.logTail, func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, s.url("postgres", url.User("postgres")))
		if err == nil {
			s.admin = conn
		}
		return err
	})
}

// waitAccepting calls try, each call with 5 seconds, until it succeeds,
// the child exits or within has passed; the errors say which, with the
// end of the child's log.
func (c *child) waitAccepting(name string, within time.Duration, logTail func() string, try func(context.Context) error) error {
	deadline := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := try(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-c.exited:
			return fmt.Errorf("%s exited (%v) while starting: %s", name, c.waitErr, logTail())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not accept connections within %v (%v): %s", name, within, err, logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *server) url(database string, u *url.Userinfo) string {
	return "postgres://" + u.String() + "@/" + url.PathEscape(database) + "?host=" + url.QueryEscape(s.dir)
}

func (s *server) adminExec(ctx context.Context, sql string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.admin == nil {
		return errors.New("the test server was stopped")
	}
	_, err := s.admin.Exec(ctx, sql)
	return err
}

// closeAdmin closes the superuser connection, waiting for a statement
// running on it.
func (s *server) closeAdmin() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.admin != nil {
		_ = s.admin.Close(context.Background())
		s.admin = nil
	}
}

func (s *server) logTail() string { return tail(filepath.Join(s.dir, "server.log")) }

// tail is the end of a log file, for an error message.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	b = bytes.TrimSpace(b)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// BinDirEnv names a variable that, when set, is the only folder searched for
// initdb and postgres: for a server installed elsewhere.
const BinDirEnv = "PARTNERCTL_PG_BINDIR"

// findBinDir finds the folder holding initdb and postgres: $PARTNERCTL_PG_BINDIR
// alone when set, else pg_config's answer, the Debian layout (/usr/lib/postgresql/<major>/bin, newest major
// first), then PATH.
func findBinDir() (string, error) {
	if dir := os.Getenv(BinDirEnv); dir != "" {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
		return "", &notInstalledError{fmt.Sprintf("%s=%s holds no initdb and postgres", BinDirEnv, dir)}
	}
	var candidates []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sortByMajorDesc(debian)
	candidates = append(candidates, debian...)
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	for _, dir := range candidates {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", &notInstalledError{"PostgreSQL server binaries (initdb, postgres) not found via pg_config, in /usr/lib/postgresql/*/bin or on PATH"}
}

func sortByMajorDesc(dirs []string) {
	major := func(d string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		return n
	}
	for i := 1; i < len(dirs); i++ {
		for j := i; j > 0 && major(dirs[j]) > major(dirs[j-1]); j-- {
			dirs[j], dirs[j-1] = dirs[j-1], dirs[j]
		}
	}
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
