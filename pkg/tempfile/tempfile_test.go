package tempfile

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

func reset() {
	registry.Lock()
	registry.stopped = false
	registry.paths = map[string]bool{}
	registry.Unlock()
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestCreateNamesLocksAndRemoves(t *testing.T) {
	reset()
	dir := t.TempDir()
	f, err := Create(dir, dir, KindSpool)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(f.Name())
	fi, _ := os.Stat(f.Name())
	if !IsName(base) || !strings.HasPrefix(base, ".partnerctl-spool-") || fi.Mode().Perm() != 0o600 {
		t.Fatalf("made %s, mode %v", base, fi.Mode())
	}
	// alive: Sweep leaves it, from this process as from any other
	if removed, _ := Sweep(dir); len(removed) != 0 {
		t.Fatalf("swept a live file: %v", removed)
	}
	f.Remove()
	if n := names(t, dir); len(n) != 0 {
		t.Fatalf("left %v", n)
	}
}

func TestSweepRemovesOnlyDeadLeftovers(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("liveness is the open file itself on Windows")
	}
	reset()
	home, away := t.TempDir(), t.TempDir()
	dead, err := Create(home, home, KindSpool)
	if err != nil {
		t.Fatal(err)
	}
	dead.Close() // as if its process had been killed: the lock is gone
	deadAway, err := Create(away, home, KindBackup)
	if err != nil {
		t.Fatal(err)
	}
	deadAway.Close()
	live, err := Create(away, home, KindBackup)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Remove()
	mine := filepath.Join(home, ".partnerctl-notes.txt") // not a temporary file's name
	os.WriteFile(mine, nil, 0o600)
	os.WriteFile(filepath.Join(home, "p.db"), nil, 0o600)
	removed, err := Sweep(home)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	want := []string{dead.Name(), deadAway.pointer, deadAway.Name()}
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Fatalf("removed %v\nwant %v", removed, want)
	}
	if n := names(t, home); len(n) != 3 { // the live pointer, the notes, the store
		t.Fatalf("home holds %v", n)
	}
	if _, err := os.Stat(live.Name()); err != nil {
		t.Fatalf("the live file went: %v", err)
	}
}

func TestRemoveAllRemovesEveryRegisteredFile(t *testing.T) {
	reset()
	defer reset()
	home, away := t.TempDir(), t.TempDir()
	a, _ := Create(home, home, KindSpool)
	b, _ := Create(away, home, KindBackup)
	r, err := Reserve(home, KindNewStore)
	if err != nil || a == nil || b == nil {
		t.Fatal(err)
	}
	RemoveAll()
	if n := append(names(t, home), names(t, away)...); len(n) != 0 {
		t.Fatalf("left %v (reserved %s)", n, r)
	}
	if _, err := Create(home, home, KindSpool); err == nil || len(names(t, home)) != 0 {
		t.Fatal("a file made after RemoveAll must not stay")
	}
}

// TestNothingIsLeftOnceRemoveAllReturns: the signal handler exits right
// after RemoveAll, so a file another goroutine was making at that moment
// must already be gone (or never made) when RemoveAll returns; registering
// it only later would be too late, the process has exited.
func TestNothingIsLeftOnceRemoveAllReturns(t *testing.T) {
	for round := 0; round < 200; round++ {
		reset()
		home, away := t.TempDir(), t.TempDir()
		started := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			close(started)
			for {
				if _, err := Create(away, home, KindBackup); err != nil {
					return
				}
			}
		}()
		<-started
		RemoveAll()
		left := append(names(t, home), names(t, away)...)
		<-done
		if len(left) != 0 {
			t.Fatalf("round %d: right after RemoveAll, left %v", round, left)
		}
	}
	reset()
}

// TestSignalsRemoveTemporaryFiles runs a child process (this test binary)
// that makes a temporary file and waits; SIGINT and SIGTERM end it with
// 130 and 143, and the file is gone.
func TestSignalsRemoveTemporaryFiles(t *testing.T) {
	if os.Getenv("TEMPFILE_CHILD") != "" {
		RemoveOnSignal()
		f, err := Create(os.Getenv("TEMPFILE_CHILD"), os.Getenv("TEMPFILE_HOME"), KindBackup)
		if err != nil {
			panic(err)
		}
		os.Stdout.WriteString(f.Name() + "\n")
		select {}
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send")
	}
	for sig, want := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143} {
		dir, home := t.TempDir(), t.TempDir()
		c := exec.Command(os.Args[0], "-test.run=^TestSignalsRemoveTemporaryFiles$")
		c.Env = append(os.Environ(), "TEMPFILE_CHILD="+dir, "TEMPFILE_HOME="+home)
		out, err := c.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		path, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if len(names(t, dir)) != 1 || len(names(t, home)) != 1 {
			t.Fatalf("child made %v and %v", names(t, dir), names(t, home))
		}
		_ = c.Process.Signal(sig)
		err = c.Wait()
		if c.ProcessState.ExitCode() != want {
			t.Fatalf("%v: exit %v, want %d", sig, err, want)
		}
		if n := append(names(t, dir), names(t, home)...); len(n) != 0 {
			t.Fatalf("%v left %v (the file was %s)", sig, n, strings.TrimSpace(path))
		}
	}
}

// A store's folder that can't be written (a store on read-only media) gets
// no pointer, but the file is still made where it was asked for.
func TestCreateWithoutPointerWhenHomeIsReadOnly(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a folder this user can't write")
	}
	reset()
	home, away := t.TempDir(), t.TempDir()
	os.Chmod(home, 0o500)
	defer os.Chmod(home, 0o700)
	f, err := Create(away, home, KindBackup)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Remove()
	if f.pointer != "" || len(names(t, home)) != 0 {
		t.Fatalf("pointer %q in a read-only folder", f.pointer)
	}
}
