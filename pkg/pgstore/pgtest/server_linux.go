//go:build linux

package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ownerFile marks a folder as made by pgtest and names the process that
// made it, so a later run can remove what a crashed one left behind.
const ownerFile = "pgtest.owner"

func startServer() (*server, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	removeStale()
	// A Unix socket path must fit in 107 bytes: stay out of a long $TMPDIR.
	dir, err := os.MkdirTemp("/tmp", "pgtest")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir}
	if err := s.start(bin, cred); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) start(bin string, cred *syscall.Credential) error {
	if err := os.WriteFile(filepath.Join(s.dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return err
	}
	if cred != nil {
		if err := os.Chown(s.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	data := filepath.Join(s.dir, "data")
	if err := initdb(bin, data, cred); err != nil {
		return err
	}
	// Trust only the superuser; every other role must give its password, so
	// tests can exercise refused logins.
	hba := "local all postgres trust\nlocal all all scram-sha-256\n"
	if err := writeOwned(filepath.Join(data, "pg_hba.conf"), hba, cred); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(s.dir, "server.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", s.dir,
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=32MB")
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		Setpgid:    true, // a Ctrl-C reaches the test binary, which stops the server in order
		// If the test binary dies without stopping the server (a panic, a
		// timeout, kill -9), the kernel stops it: no orphan servers.
		Pdeathsig: syscall.SIGQUIT,
	}
	if err := s.child.start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	return s.waitReady()
}

// stop shuts the server down fast (no waiting for clients) and removes its
// folder.
func (s *server) stop() {
	s.stopOnce.Do(func() {
		s.closeAdmin()
		if s.cmd != nil && s.cmd.Process != nil {
			s.signalUntilExited()
		}
		_ = os.RemoveAll(s.dir)
	})
}

// start starts the child and watches for its exit.
func (c *child) start() error {
	c.exited = make(chan struct{})
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the thread that started the child exits, not
		// the process: keep this goroutine on its thread for the child's life.
		runtime.LockOSThread()
		if err := c.cmd.Start(); err != nil {
			started <- err
			close(c.exited)
			return
		}
		started <- nil
		c.waitErr = c.cmd.Wait()
		close(c.exited)
	}()
	return <-started
}

func (s *server) signalUntilExited() {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGQUIT, syscall.SIGKILL} {
		_ = s.cmd.Process.Signal(sig)
		select {
		case <-s.exited:
			return
		case <-time.After(10 * time.Second):
		}
	}
}

// serverCredential is who the server runs as: initdb and postgres refuse to
// run as root, so as root they run as the package's "postgres" user.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, &notInstalledError{"running as root, but there is no \"postgres\" user to run the server as"}
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

func initdb(bin, data string, cred *syscall.Credential) error {
	var err error
	// C.UTF-8 is what the design measured; a system without it gets plain C
	// (name order is computed in Go and stored under COLLATE "C" anyway).
	for _, locale := range []string{"C.UTF-8", "C"} {
		cmd := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
			"-E", "UTF8", "--locale="+locale, "--no-sync")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		var out []byte
		if out, err = cmd.CombinedOutput(); err == nil {
			return nil
		}
		err = fmt.Errorf("initdb: %v: %s", err, bytes.TrimSpace(out))
		_ = os.RemoveAll(data)
	}
	return err
}

func writeOwned(path, content string, cred *syscall.Credential) error {
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return err
	}
	if cred != nil {
		return os.Chown(path, int(cred.Uid), int(cred.Gid))
	}
	return nil
}

// removeStale removes the folders of earlier runs whose test binary and
// server are both gone (the server dies with its test binary, see Pdeathsig).
func removeStale() {
	marks, _ := filepath.Glob("/tmp/pgtest*/" + ownerFile)
	for _, mark := range marks {
		dir := filepath.Dir(mark)
		if alive(pidIn(mark)) || alive(pidIn(filepath.Join(dir, "data", "postmaster.pid"))) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}

func pidIn(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	n, _ := strconv.Atoi(strings.TrimSpace(line))
	return n
}

func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
