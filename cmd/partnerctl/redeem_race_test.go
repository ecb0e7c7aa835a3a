package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/partnerctl/partnerctl/pkg/pgstore/pgtest"
)

// TestRedeemIsAtomicAcrossProcesses builds the real binary, makes one login
// link, then starts 24 separate partnerctl processes redeeming it at the same
// moment, on a store file and on a PostgreSQL store. Exactly one may
// succeed; every other one must exit 5 saying the link was already used.
func TestRedeemIsAtomicAcrossProcesses(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("this test builds partnerctl and needs the go command: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "partnerctl")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("bbolt", func(t *testing.T) { redeemRace(t, bin, filepath.Join(t.TempDir(), "p.db")) })
	t.Run("postgres", func(t *testing.T) { redeemRace(t, bin, pgtest.NewDatabase(t).URL) })
}

// redeemRace races the redeems of one link on the store db.
func redeemRace(t *testing.T, bin, db string) {
	home := t.TempDir()
	env := append(os.Environ(), "PARTNERCTL_DB="+db, "PARTNERCTL_NOW=2026-11-23T12:00:00Z",
		"PARTNERCTL_USER=", "PARTNERCTL_FORCE_TTY=", "NO_COLOR=1", "HOME="+home, "PARTNERCTL_CONFIG=", "XDG_CONFIG_HOME=")
	run := func(args ...string) (string, string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exitErr *exec.ExitError
		if err != nil && !errors.As(err, &exitErr) {
			t.Fatalf("%v: %v", args, err)
		}
		return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
	}
	mustRun := func(args ...string) string {
		out, errOut, code := run(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	mustRun("init", "--partner-name", "Acme", "--support-email", "help@acme.example", "--admin-org", "Acme HQ", "--admin-email", "you@acme.example")
	mustRun("orgs", "create", "--name", "Bakery", "--ref", "BAK-1")
	url := strings.TrimSpace(mustRun("link", "create", "BAK-1", "--email", "ceo@bakery.example", "--no-copy"))
	mustRun("logout") // redeeming needs no current user

	const n = 24
	type result struct {
		stdout, stderr string
		code           int
	}
	results := make([]result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			o, e, c := run("link", "redeem", url, "--lock-timeout", "60s", "-o", "json")
			results[i] = result{o, e, c}
		}()
	}
	close(start)
	wg.Wait()

	wins := 0
	for i, r := range results {
		switch r.code {
		case 0:
			wins++
			if !strings.Contains(r.stdout, `"email":"ceo@bakery.example"`) || !strings.Contains(r.stdout, `"redeemed_at":"2026-11-23T12:00:00Z"`) {
				t.Errorf("process %d succeeded with stdout %q", i, r.stdout)
			}
		case 5:
			if !strings.Contains(r.stderr, "partnerctl: login link lnk_000001 was already used at 2026-11-23T12:00:00Z") || r.stdout != "" {
				t.Errorf("process %d: exit 5 with stdout %q stderr %q", i, r.stdout, r.stderr)
			}
		default:
			t.Errorf("process %d: exit %d, stderr %q; want 0 or 5", i, r.code, r.stderr)
		}
	}
	if wins != 1 {
		t.Fatalf("%d of %d concurrent redeems succeeded; want exactly 1", wins, n)
	}
	audit := mustRun("--as", "you@acme.example", "audit", "list", "--fields", "action")
	if got := strings.Count(audit, "link.redeemed"); got != 1 {
		t.Fatalf("audit has %d link.redeemed entries; want 1:\n%s", got, audit)
	}
}
