package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOrgsImportHugeLineIsBounded: a 1 GiB line (a sparse file of NULs, no
// newline) fails with exit 2 naming the line after reading about one
// record's worth, instead of taking gigabytes of memory (it took 3 GB).
func TestOrgsImportHugeLineIsBounded(t *testing.T) {
	dir := t.TempDir()
	p := newProc(t, filepath.Join(dir, "p.db"))
	p.init()
	huge := filepath.Join(dir, "huge.csv")
	if err := os.WriteFile(huge, []byte("name,ref_id\nA,R-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 1<<30); err != nil {
		t.Fatal(err)
	}
	c := p.cmd("orgs", "import", huge)
	var errb strings.Builder
	c.Stderr = &errb
	err := c.Run()
	if c.ProcessState == nil || c.ProcessState.ExitCode() != 2 {
		t.Fatalf("exit %v: %s", err, errb.String())
	}
	if want := "line 3: record longer than 65536 bytes\npartnerctl: 1 invalid line(s); nothing was imported\n"; errb.String() != want {
		t.Fatalf("stderr %q, want %q", errb.String(), want)
	}
	rss := c.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	t.Logf("max RSS %d MiB", rss>>10)
	if rss > 200<<10 {
		t.Fatalf("orgs import took %d MiB to refuse one long line", rss>>10)
	}
}

// TestDBThatIsNoRegularFileFailsFast: --db naming a FIFO or a device fails
// at once with exit 1 for every kind of command, instead of hanging in
// open(2) (a FIFO with no writer) or reading a device.
func TestDBThatIsNoRegularFileFailsFast(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{fifo, "/dev/null", "/dev/zero"} {
		p := newProc(t, db)
		for _, args := range [][]string{{"orgs", "list"}, {"orgs", "create", "--name", "X"}, {"doctor"},
			{"backup", filepath.Join(dir, "b.db")}, {"demo", "--orgs", "1"},
			{"init", "--partner-name", "P", "--support-email", "a@b.example", "--admin-org", "HQ", "--admin-email", "a@b.example"}} {
			c := p.cmd(append(args, "--lock-timeout", "1s")...)
			var errb strings.Builder
			c.Stderr = &errb
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- c.Wait() }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = c.Process.Kill()
				<-done
				t.Fatalf("partnerctl %q --db %s hung", args, db)
			}
			if code := c.ProcessState.ExitCode(); code != 1 || !strings.Contains(errb.String(), "is not a regular file") {
				t.Errorf("partnerctl %q --db %s: exit %d: %s", args, db, code, errb.String())
			}
		}
	}
}
