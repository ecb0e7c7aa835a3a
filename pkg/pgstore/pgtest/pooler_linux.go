//go:build linux

package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// poolerProc is a running pgbouncer, child of this process.
type poolerProc struct {
	dir string // its socket folder, inside the server's
	child
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
	p := &poolerProc{dir: filepath.Join(srv.dir, "pooler")}
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
	if err := p.child.start(); err != nil {
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

func (p *poolerProc) logTail() string { return tail(filepath.Join(p.dir, "pgbouncer.log")) }
