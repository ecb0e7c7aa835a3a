package main

// Helpers for the tests that run the real partnerctl binary as separate
// processes (process_linux_test.go, secrets_test.go).

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// binary builds partnerctl once per test run.
func binary(t *testing.T) string {
	t.Helper()
	if raceEnabled {
		// These tests exercise processes, not this one's memory; they run
		// in the normal `go test ./...` pass and would only double CI time.
		t.Skip("process tests are skipped under -race")
	}
	if testing.Short() {
		t.Skip("process tests are skipped in -short mode (CI runs them)")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "partnerctl-bin-*")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "partnerctl")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// proc runs partnerctl against one store: a file, or a PostgreSQL URL.
type proc struct {
	t    *testing.T
	bin  string
	db   string
	home string
}

// newProc runs partnerctl on the store file db, with db's folder as HOME.
func newProc(t *testing.T, db string) proc {
	return proc{t: t, bin: binary(t), db: db, home: filepath.Dir(db)}
}

func (p proc) cmd(args ...string) *exec.Cmd {
	c := exec.Command(p.bin, args...)
	c.Env = append(os.Environ(), "PARTNERCTL_DB="+p.db, "PARTNERCTL_NOW=2026-11-23T12:00:00Z",
		"NO_COLOR=1", "HOME="+p.home, "PARTNERCTL_USER=", "XDG_CONFIG_HOME=",
		// the session file stays out of the store's folder, which some tests
		// require to hold nothing but the store
		"PARTNERCTL_CONFIG="+p.home+".config.json")
	return c
}

// run runs partnerctl and returns stdout, stderr and the exit code.
func (p proc) run(args ...string) (string, string, int) {
	c := p.cmd(args...)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		p.t.Fatalf("partnerctl %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), code
}

// must runs partnerctl and requires exit 0.
func (p proc) must(args ...string) string {
	p.t.Helper()
	out, errOut, code := p.run(args...)
	if code != 0 {
		p.t.Fatalf("partnerctl %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func (p proc) init() {
	p.t.Helper()
	p.must("init", "--partner-name", "Load Partners", "--support-email", "help@load.example",
		"--admin-org", "Load HQ", "--admin-email", "admin@load.example")
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(b))
}

func orgsCSV(n int) string {
	var b strings.Builder
	b.WriteString("name,ref_id\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Org %05d,R-%05d\n", i, i)
	}
	return b.String()
}

func requireDoctor(t *testing.T, p proc, when string) {
	t.Helper()
	out, errOut, code := p.run("doctor")
	if code != 0 || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("doctor after %s: exit %d\n%s%s", when, code, out, errOut)
	}
}
