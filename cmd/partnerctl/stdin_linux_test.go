package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStdinImportTakesNoLockWhileWaiting: an import reading standard input
// takes the store's lock only once its input has ended, so a producer that
// has written nothing yet keeps no other command waiting: while `events
// import -` and `orgs import -` sit reading an empty pipe, `orgs create
// --lock-timeout 1s` gets the store (it exited 6 when the import opened the
// store first); then the input arrives and the import applies all of it.
func TestStdinImportTakesNoLockWhileWaiting(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	p := newProc(t, db)
	p.init()
	p.must("orgs", "import", writeFile(t, filepath.Join(dir, "orgs.csv"), "name,ref_id\nAcme,ACME\n"))
	const feed = `{"id":"e1","org":"ACME","type":"session.started","at":"2026-11-20T10:00:00Z"}
{"id":"e2","org":"ACME","type":"session.started","at":"2026-11-21T10:00:00Z"}
{"id":"e3","org":"ACME","type":"message.sent","at":"2026-11-21T11:00:00Z"}
`
	for i, tc := range []struct {
		args           []string
		input          string
		wantOut        string
		wantErr        string
		again, againTo string // the same input again: its exit code and stderr
	}{{
		args:    []string{"events", "import", "-"},
		input:   feed,
		wantErr: "Imported 3 event(s), 0 duplicate(s), 0 skipped\n",
		again:   "0", againTo: "Imported 0 event(s), 3 duplicate(s), 0 skipped\n",
	}, {
		args:  []string{"orgs", "import", "-"},
		input: "name,ref_id\nLate Co,LATE-1\n",
		wantOut: "ID\tNAME\tREF_ID\tSTATUS\tUSERS\tDATA_SOURCES\tAI_TRAINED\tINTEGRATIONS\tSESSIONS_30D\tSESSIONS_TOTAL\tLAST_ACTIVE_AT\tCREATED_AT\tLICENSE_STATUS\tOWNER_EMAIL\tINVITE_ID\tINVITE_URL\tINVITE_EXPIRES_AT\n" +
			"org_000005\tLate Co\tLATE-1\tnew\t0\t0\tfalse\t0\t0\t0\t\t2026-11-23T12:00:00Z\tnone\t\t\t\t\n",
		wantErr: "Imported 1 org(s)\n",
		again:   "5", againTo: "line 2: ref ID \"LATE-1\" is already used by Late Co (org_000005)\npartnerctl: 1 conflicting line(s); nothing was imported\n",
	}} {
		name := strings.Join(tc.args[:2], " ")
		imp := p.cmd(tc.args...)
		stdin, err := imp.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		imp.Stdout, imp.Stderr = &out, &errb
		if err := imp.Start(); err != nil {
			t.Fatal(err)
		}
		waitReadingStdin(t, imp.Process.Pid)
		if holdsLock(t, imp.Process.Pid) {
			t.Errorf("%s holds a lock while its input has not come", name)
		}

		created := fmt.Sprintf("While Waiting %d", i)
		_, werr, code := p.run("orgs", "create", "--name", created, "--lock-timeout", "1s")
		if code != 0 || !strings.HasPrefix(werr, "Created org "+created+" (") {
			t.Errorf("orgs create while %s waits for its input: exit %d\n%s", name, code, werr)
		}
		if !running(t, imp.Process.Pid) {
			t.Fatalf("%s ended before its input came: the test proves nothing\n%s", name, errb.String())
		}

		if _, err := stdin.Write([]byte(tc.input)); err != nil {
			t.Fatal(err)
		}
		stdin.Close()
		if err := imp.Wait(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, errb.String())
		}
		if out.String() != tc.wantOut || errb.String() != tc.wantErr {
			t.Errorf("%s printed\n%q\n%q\nwant\n%q\n%q", name, out.String(), errb.String(), tc.wantOut, tc.wantErr)
		}
		// applied: the same input again finds every line already there
		again := p.cmd(tc.args...)
		again.Stdin = strings.NewReader(tc.input)
		var aerr bytes.Buffer
		again.Stderr = &aerr
		err = again.Run()
		if code := strconv.Itoa(again.ProcessState.ExitCode()); code != tc.again || aerr.String() != tc.againTo {
			t.Errorf("%s again: exit %s (%v)\n%q\nwant exit %s\n%q", name, code, err, aerr.String(), tc.again, tc.againTo)
		}
	}
	requireDoctor(t, p, "the imports")
}

// waitReadingStdin waits until a thread of pid is blocked in read(2) on
// file descriptor 0: the import has gone as far as it can without input.
func waitReadingStdin(t *testing.T, pid int) {
	t.Helper()
	var read string
	switch runtime.GOARCH {
	case "amd64":
		read = "0"
	case "arm64", "riscv64", "loong64":
		read = "63"
	default:
		t.Skipf("read(2)'s number on %s is not known here", runtime.GOARCH)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/syscall", pid))
		for _, task := range tasks {
			b, err := os.ReadFile(task)
			if f := strings.Fields(string(b)); err == nil && len(f) > 1 && f[0] == read && f[1] == "0x0" {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d never read its standard input", pid)
}

// holdsLock reports whether pid holds a file lock (/proc/locks).
func holdsLock(t *testing.T, pid int) bool {
	t.Helper()
	b, err := os.ReadFile("/proc/locks")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		// 1: FLOCK  ADVISORY  WRITE 1234 fe:00:123 0 EOF
		if f := strings.Fields(line); len(f) > 4 && f[4] == strconv.Itoa(pid) {
			return true
		}
	}
	return false
}

// TestStdinImportRefusedBeforeReading: since a stdin import reads its
// input before it locks the store, it checks first that it could import at
// all: a user who may not, or a --db naming no store, is told at once, with
// the input still open and unread, not after the producer is done.
func TestStdinImportRefusedBeforeReading(t *testing.T) {
	dir := t.TempDir()
	p := newProc(t, filepath.Join(dir, "p.db"))
	p.init()
	denied := "partnerctl: stranger@x.example is not a member of the admin org \"Load HQ\"; console access comes with membership of the admin org: ask a member to run `partnerctl users invite stranger@x.example --admin-org`\n"
	missing := filepath.Join(dir, "none.db")
	noStore := "partnerctl: no store at " + missing + "; create one with `partnerctl init …`, or try `partnerctl demo`\n"
	for _, tc := range []struct {
		args    []string
		code    int
		wantErr string
	}{
		{[]string{"events", "import", "-", "--as", "stranger@x.example"}, 4, denied},
		{[]string{"orgs", "import", "-", "--as", "stranger@x.example"}, 4, denied},
		{[]string{"events", "import", "--db", missing}, 1, noStore},
		{[]string{"orgs", "import", "-", "--db", missing}, 1, noStore},
	} {
		name := strings.Join(tc.args, " ")
		imp := p.cmd(tc.args...)
		stdin, err := imp.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		imp.Stdout, imp.Stderr = &out, &errb
		if err := imp.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { _ = imp.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			stdin.Close()
			<-done
			t.Errorf("%s waited for its input before refusing", name)
		}
		stdin.Close()
		if code := imp.ProcessState.ExitCode(); code != tc.code || out.String() != "" || errb.String() != tc.wantErr {
			t.Errorf("%s: exit %d\n%q%q\nwant exit %d\n%q", name, code, out.String(), errb.String(), tc.code, tc.wantErr)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("%s: %v", missing, err)
	}
}
