package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// stagedMark reports whether a killed `orgs import` left the mark of its
// unfinished steps, read with bbolt itself: a partnerctl open would undo it.
func stagedMark(t *testing.T, path string) bool {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	found := false
	err = db.View(func(btx *bolt.Tx) error {
		found = btx.Bucket([]byte("meta")).Get([]byte("staged_orgs")) != nil
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestOrgsImportInStepsIsCrashSafe SIGKILLs an `orgs import` large enough
// to commit in several transactions (steps of 50,000 rows) at moments
// spread over its run, half of them soon after its first step committed. After every kill the next
// command finds the store with none of the file or all of it, and doctor
// is clean; re-run, the import ends as an uninterrupted one.
func TestOrgsImportInStepsIsCrashSafe(t *testing.T) {
	const kills = 6
	dir := t.TempDir()
	base := filepath.Join(dir, "base.db")
	pb := newProc(t, base)
	pb.init()
	pb.must("orgs", "import", writeFile(t, filepath.Join(dir, "first.csv"), orgsCSV(300)))
	big := writeFile(t, filepath.Join(dir, "big.csv"), strings.ReplaceAll(orgsCSV(110_000), "R-", "B-"))
	before := takeSnapshot(t, base)

	took, want := referenceRun(t, base, filepath.Join(dir, "ref.db"), "orgs", "import", big)

	baseSize := fileSize(t, base)
	victim := filepath.Join(dir, "victim.db")
	p := newProc(t, victim)
	killed, between := 0, 0
	for i := 1; i <= kills; i++ {
		copyFile(t, base, victim)
		c := p.cmd("orgs", "import", big)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			time.Sleep(took * time.Duration(i) / (kills + 1))
		} else {
			// the file grows when the first step commits: strike soon after
			deadline := time.Now().Add(2 * took)
			for fileSize(t, victim) <= baseSize && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(took * time.Duration(i) / (4 * kills))
		}
		_ = c.Process.Signal(syscall.SIGKILL)
		_ = c.Wait()
		if ws, ok := c.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			continue // it finished first
		}
		killed++
		if stagedMark(t, victim) {
			between++
		}
		if n := countOrgs(t, victim); n != before.Count && n != want.Count {
			t.Fatalf("after kill %d the store has %d orgs; want %d or %d", i, n, before.Count, want.Count)
		}
		requireDoctor(t, p, fmt.Sprintf("kill %d", i))
		if got := takeSnapshot(t, victim); got.Count == before.Count {
			sameSnapshot(t, got, before)
		}
	}
	_, errOut, code := p.run("orgs", "import", big)
	if code != 0 && code != 5 {
		t.Fatalf("re-run: exit %d\n%s", code, errOut)
	}
	requireDoctor(t, p, "the final run")
	sameSnapshot(t, takeSnapshot(t, victim), want)
	t.Logf("uninterrupted import took %v; %d of %d runs killed, %d of them between steps", took, killed, kills, between)
	if between == 0 {
		t.Fatalf("no kill landed between the import's steps (%d killed): the test proves too little", killed)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
