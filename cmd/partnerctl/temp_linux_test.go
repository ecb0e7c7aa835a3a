package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// inflate makes the store's file about mb megabytes of free pages, so a
// backup (which copies every page) takes long enough to be interrupted.
func inflate(t *testing.T, path string, mb int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	junk := make([]byte, 1<<20)
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("junk"))
		if err != nil {
			return err
		}
		for i := 0; i < mb; i++ {
			if err := b.Put([]byte(fmt.Sprint(i)), junk); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("junk")) })
	}
	if err != nil {
		t.Fatal(err)
	}
}

// hidden lists the dot files in dir, where any temporary file would be,
// but the store's turnstile, which stays.
func hidden(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if strings.HasPrefix(e.Name(), ".") && !strings.HasSuffix(e.Name(), ".turnstile") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestInterruptedBackupsLeaveNothingBehind: a backup writes a temporary
// file next to its destination (in another folder here) and a pointer to
// it in the store's folder. Ctrl-C or SIGTERM at any moment removes both
// (exit 130/143); after a SIGKILL, doctor finds and removes them, says so,
// and touches nothing else.
func TestInterruptedBackupsLeaveNothingBehind(t *testing.T) {
	const runs = 3
	home, away := t.TempDir(), t.TempDir()
	p := newProc(t, filepath.Join(home, "p.db"))
	p.init()
	inflate(t, p.db, 60)
	start := time.Now()
	p.must("backup", filepath.Join(away, "ref.db"))
	took := time.Since(start)
	os.Remove(filepath.Join(away, "ref.db"))
	mine := writeFile(t, filepath.Join(away, "notes.txt"), "mine")
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		caught, swept := 0, 0
		for i := 0; i < runs; i++ {
			dst := filepath.Join(away, fmt.Sprintf("b-%d-%d.db", sig, i))
			c := p.cmd("backup", dst)
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			// wait for the temporary file, then strike somewhere in the copy
			deadline := time.Now().Add(10 * time.Second)
			for len(hidden(t, away)) == 0 && time.Now().Before(deadline) && c.ProcessState == nil {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(time.Duration(r.Int64N(int64(took / 2))))
			_ = c.Process.Signal(sig)
			_ = c.Wait()
			code := c.ProcessState.ExitCode()
			if code == 0 {
				continue // finished first
			}
			caught++
			left := append(hidden(t, away), hidden(t, home)...)
			switch sig {
			case syscall.SIGKILL:
				if len(left) == 0 {
					continue // killed before the file existed
				}
				swept++
				_, errOut, _ := p.run("doctor")
				if got := strings.Count(errOut, "left by a partnerctl process that was killed"); got != len(left) {
					t.Fatalf("doctor reported %d removals for %v:\n%s", got, left, errOut)
				}
				if after := append(hidden(t, away), hidden(t, home)...); len(after) > 0 {
					t.Fatalf("doctor left %v", after)
				}
			default:
				if want := 128 + int(sig); code != want {
					t.Fatalf("%v: exit %d, want %d", sig, code, want)
				}
				if len(left) > 0 {
					t.Fatalf("%v left %v", sig, left)
				}
			}
			if _, err := os.Stat(dst); err == nil {
				// struck after the rename: then it is a whole backup
				requireDoctor(t, newProc(t, dst), "a backup interrupted after its rename")
			}
		}
		t.Logf("%v: %d of %d backups (each %v uninterrupted) caught mid-way; doctor swept after %d", sig, caught, runs, took, swept)
		if caught < runs/3 || (sig == syscall.SIGKILL && swept == 0) {
			t.Fatalf("%v: only %d runs interrupted, %d leftovers swept: the test proves too little", sig, caught, swept)
		}
	}
	if b, err := os.ReadFile(mine); err != nil || string(b) != "mine" {
		t.Fatal("doctor touched a file that was not its own")
	}
	requireDoctor(t, p, "the backups")
}
