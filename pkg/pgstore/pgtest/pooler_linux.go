//go:build linux

package pgtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// poolerProc is a running pgbouncer, child of this process.
type poolerProc struct {
	dir      string // its socket folder, inside the server's
	cmd      *exec.Cmd
	exited   chan struct{}
	waitErr  error
	stopOnce sync.Once
}

func startPooler(srv *server) (*poolerProc, error) {
	bin, err := findPgBouncer()
	if err != nil {
		return nil, err
	}
	// PgBouncer refuses to run as root: as root it runs as the server's user.
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	p := &poolerProc{dir: filepath.Join(srv.dir, "pooler"), exited: make(chan struct{})}
	if err := os.Mkdir(p.dir, 0o700); err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(p.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	ini := filepath.Join(p.dir, "pgbouncer.ini")
	if err := writeOwned(ini, poolerConfig(p.dir, srv.dir), cred); err != nil {
		return nil, err
	}
	if err := writeOwned(filepath.Join(p.dir, "hba.conf"), poolerHBA, cred); err != nil {
		return nil, err
	}
	p.cmd = exec.Command(bin, ini)
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGTERM}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // Pdeathsig follows the starting thread
		if err := p.cmd.Start(); err != nil {
			started <- err
			close(p.exited)
			return
		}
		started <- nil
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start pgbouncer: %w", err)
	}
	if err := waitPoolerReady(p); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

// stop ends the pooler at once (SIGTERM: no waiting for its clients).
func (p *poolerProc) stop() {
	p.stopOnce.Do(func() {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
			_ = p.cmd.Process.Signal(sig)
			select {
			case <-p.exited:
				return
			case <-time.After(10 * time.Second):
			}
		}
	})
}

func (p *poolerProc) logTail() string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "pgbouncer.log"))
	b = bytes.TrimSpace(b)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
