package main

// Process-level reliability tests: they run the real partnerctl binary as
// separate processes, because locks, crashes and pipes only exist there.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/pgstore"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// eventsJSONL is n events over the first `orgs` orgs of orgsCSV, of every
// counting kind, deterministic for a seed.
func eventsJSONL(n, orgs int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	types := []string{"session.started", "session.started", "knowledge.added", "knowledge.removed",
		"integration.connected", "integration.disconnected", "message.sent", "contact.created",
		"ai.instructions.updated", "device.registered", "device.onboarded", "device.provisioned",
		"device.removed", "member.added", "member.removed"}
	var b strings.Builder
	for i := 0; i < n; i++ {
		typ := types[r.IntN(len(types))]
		extra := ""
		switch {
		case strings.HasPrefix(typ, "device."):
			extra = fmt.Sprintf(`,"device":"d%d"`, r.IntN(40))
		case strings.HasPrefix(typ, "member."):
			extra = fmt.Sprintf(`,"email":"u%d@cust.example"`, r.IntN(25))
		}
		fmt.Fprintf(&b, `{"id":"e%d","org":"R-%05d","type":"%s","at":"2026-11-%02dT%02d:%02d:00Z"%s}`+"\n",
			i, r.IntN(orgs), typ, 1+r.IntN(22), r.IntN(24), r.IntN(60), extra)
	}
	return b.String()
}

// snapshot is everything the counters live in: every org record (ids,
// counters, session days, devices) and every membership.
type snapshot struct {
	Orgs    []domain.Org
	Members []domain.Membership
	Count   int
}

// referenceRun runs args to the end on a copy (at ref) of the store at
// base: how long it took, to aim the kills, and the store it leaves, which
// every interrupted run must reach too.
func referenceRun(t *testing.T, base, ref string, args ...string) (time.Duration, snapshot) {
	t.Helper()
	copyFile(t, base, ref)
	start := time.Now()
	newProc(t, ref).must(args...)
	took := time.Since(start)
	return took, takeSnapshot(t, ref)
}

func takeSnapshot(t *testing.T, db string) snapshot {
	t.Helper()
	st := openReadOnly(t, db)
	defer st.Close()
	var s snapshot
	ctx := context.Background()
	err := st.View(ctx, func(tx store.Tx) error {
		for o, err := range tx.Orgs(ctx, store.OrgQuery{Order: store.OrderName}) {
			if err != nil {
				return err
			}
			s.Orgs = append(s.Orgs, *o)
		}
		s.Count, _ = tx.CountOrgs(ctx)
		for m, err := range tx.Memberships(ctx, store.MemberFilter{}) {
			if err != nil {
				return err
			}
			s.Members = append(s.Members, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openReadOnly opens the store db (a file, or a PostgreSQL URL) to read it.
func openReadOnly(t *testing.T, db string) store.Store {
	t.Helper()
	if pgstore.IsURL(db) {
		st, err := pgstore.Open(context.Background(), db, pgstore.Options{LockTimeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st, err := boltstore.Open(boltstore.Options{Path: db, Mode: boltstore.ReadOnly, LockTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func countOrgs(t *testing.T, db string) int {
	t.Helper()
	st := openReadOnly(t, db)
	defer st.Close()
	n := 0
	ctx := context.Background()
	if err := st.View(ctx, func(tx store.Tx) (err error) { n, err = tx.CountOrgs(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}

func sameSnapshot(t *testing.T, got, want snapshot) {
	t.Helper()
	if got.Count != want.Count || len(got.Orgs) != len(want.Orgs) || len(got.Members) != len(want.Members) {
		t.Fatalf("counts differ: %d orgs (count %d), %d members; want %d (count %d), %d",
			len(got.Orgs), got.Count, len(got.Members), len(want.Orgs), want.Count, len(want.Members))
	}
	for i := range want.Orgs {
		if !reflect.DeepEqual(got.Orgs[i], want.Orgs[i]) {
			g, _ := json.Marshal(got.Orgs[i])
			w, _ := json.Marshal(want.Orgs[i])
			t.Fatalf("org %s differs:\n got %s\nwant %s", want.Orgs[i].ID, g, w)
		}
	}
	if !reflect.DeepEqual(got.Members, want.Members) {
		t.Fatal("memberships differ")
	}
}

// killAtRandom starts partnerctl args and SIGKILLs it after a random delay
// in [0, max). It reports whether the process was killed before it ended.
func killAtRandom(t *testing.T, p proc, r *rand.Rand, max time.Duration, args ...string) bool {
	t.Helper()
	c := p.cmd(args...)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Duration(r.Int64N(int64(max))))
	_ = c.Process.Signal(syscall.SIGKILL)
	err := c.Wait()
	ee, ok := err.(*exec.ExitError)
	return ok && !ee.Exited()
}

// TestCrashSafety SIGKILLs `events import` and `orgs import` at many random
// moments. After every kill the store must open and pass doctor; after the
// interrupted imports are re-run to completion, every org record and
// membership must equal those of a store that imported the same data
// without interruption: nothing lost, nothing counted twice.
func TestCrashSafety(t *testing.T) {
	const kills = 12 // per import: each kill, doctor and the final re-run cost seconds
	dir := t.TempDir()
	base := filepath.Join(dir, "base.db")
	pb := newProc(t, base)
	pb.init()
	pb.must("orgs", "import", writeFile(t, filepath.Join(dir, "orgs.csv"), orgsCSV(300)))
	events := writeFile(t, filepath.Join(dir, "events.jsonl"), eventsJSONL(120_000, 300, 7))
	bigOrgs := writeFile(t, filepath.Join(dir, "more.csv"), strings.ReplaceAll(orgsCSV(40_000), "R-", "M-"))

	t.Run("events import", func(t *testing.T) {
		took, want := referenceRun(t, base, filepath.Join(dir, "ref-events.db"), "events", "import", events)

		victim := filepath.Join(dir, "victim-events.db")
		copyFile(t, base, victim)
		p := newProc(t, victim)
		r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
		killed := 0
		for i := 0; i < kills; i++ {
			if killAtRandom(t, p, r, took*9/10, "events", "import", events) {
				killed++
			}
			requireDoctor(t, p, fmt.Sprintf("kill %d", i+1))
		}
		p.must("events", "import", events)
		requireDoctor(t, p, "the final run")
		sameSnapshot(t, takeSnapshot(t, victim), want)
		t.Logf("uninterrupted import took %v; %d of %d runs killed mid-way", took, killed, kills)
		if killed < kills/4 {
			t.Fatalf("only %d of %d runs were killed before they ended: the test proves too little", killed, kills)
		}
	})

	t.Run("orgs import", func(t *testing.T) {
		took, want := referenceRun(t, base, filepath.Join(dir, "ref-orgs.db"), "orgs", "import", bigOrgs)
		before := takeSnapshot(t, base)

		// orgs import is one transaction: each kill hits a fresh copy of
		// the base store, which must then hold none or all of the file
		victim := filepath.Join(dir, "victim-orgs.db")
		p := newProc(t, victim)
		r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
		killed := 0
		for i := 0; i < kills; i++ {
			copyFile(t, base, victim)
			if killAtRandom(t, p, r, took*9/10, "orgs", "import", bigOrgs) {
				killed++
			}
			requireDoctor(t, p, fmt.Sprintf("kill %d", i+1))
			if n := countOrgs(t, victim); n != before.Count && n != want.Count {
				t.Fatalf("after kill %d the store has %d orgs; want %d or %d", i+1, n, before.Count, want.Count)
			}
		}
		// re-run on the last victim: it either imports the file or (if the
		// killed run had already committed) refuses every ref as taken,
		// changing nothing
		_, errOut, code := p.run("orgs", "import", bigOrgs)
		if code != 0 && code != 5 {
			t.Fatalf("re-run: exit %d\n%s", code, errOut)
		}
		requireDoctor(t, p, "the final run")
		sameSnapshot(t, takeSnapshot(t, victim), want)
		t.Logf("uninterrupted import took %v; %d of %d runs killed mid-way", took, killed, kills)
		if killed < kills/4 {
			t.Fatalf("only %d of %d runs were killed before they ended: the test proves too little", killed, kills)
		}
	})
}

// fionread is how many bytes wait unread in a pipe.
func fionread(t *testing.T, f *os.File) int {
	var n int32
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TIOCINQ, uintptr(unsafe.Pointer(&n)))
	if errno != 0 {
		t.Fatalf("FIONREAD: %v", errno)
	}
	return int(n)
}

// running reports whether a child process is still running (not exited
// and waiting to be reaped).
func running(t *testing.T, pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// pid (comm) state ...: the state follows the last ')'
	rest := b[bytes.LastIndexByte(b, ')')+1:]
	state := strings.Fields(string(rest))[0]
	return state != "Z" && state != "X"
}

// TestSlowReaderDoesNotBlockWriter: `orgs list` on thousands of orgs, its
// stdout a pipe nobody reads, is stuck writing its output; a writer must
// still get the store within its lock timeout, because read commands
// release the store before printing. As a control, a reader that does hold
// the store (a shared flock, as bbolt takes) makes the same writer time out
// with exit 6, so the test can tell the difference.
func TestSlowReaderDoesNotBlockWriter(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	p := newProc(t, db)
	p.init()
	p.must("orgs", "import", writeFile(t, filepath.Join(dir, "orgs.csv"), orgsCSV(3000)))

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	list := p.cmd("orgs", "list")
	list.Stdout = w
	var listErr bytes.Buffer
	list.Stderr = &listErr
	if err := list.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	// wait until the reader has filled the pipe: it is now blocked writing
	deadline := time.Now().Add(10 * time.Second)
	for fionread(t, r) < 60_000 {
		if time.Now().After(deadline) {
			t.Fatalf("orgs list never filled the pipe (%d bytes)", fionread(t, r))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !running(t, list.Process.Pid) {
		t.Fatal("orgs list ended early: its output fit in the pipe, so the test proves nothing")
	}

	_, errOut, code := p.run("orgs", "create", "--name", "Written While Reading", "--lock-timeout", "2s")
	if code != 0 {
		t.Fatalf("writer behind a slow reader: exit %d: %s", code, errOut)
	}
	if !running(t, list.Process.Pid) {
		t.Fatal("orgs list ended before the writer finished: the test proves nothing")
	}

	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := list.Wait(); err != nil {
		t.Fatalf("orgs list: %v\n%s", err, listErr.String())
	}
	if lines := strings.Count(string(out), "\n"); lines != 3001 {
		t.Fatalf("orgs list printed %d lines, want a header and 3000 orgs", lines)
	}

	// the control: a reader that holds the store does block the writer
	f, err := os.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = p.run("orgs", "create", "--name", "Blocked", "--lock-timeout", "300ms")
	if code != 6 || !strings.Contains(errOut, "is busy") {
		t.Fatalf("writer behind a holding reader: exit %d: %s", code, errOut)
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

// TestLoad: 8 writer processes creating 10 orgs each, 8 readers listing
// and a few backups, all at the same time, all succeed within the default
// lock timeout; every write lands exactly once and every backup is a
// working store.
func TestLoad(t *testing.T) {
	const writers, creates, readers, reads = 8, 10, 8, 10
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	p := newProc(t, db)
	p.init()
	p.must("orgs", "import", writeFile(t, filepath.Join(dir, "orgs.csv"), orgsCSV(500)))

	var wg sync.WaitGroup
	errs := make(chan string, writers*creates+readers*reads+3)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < creates; i++ {
				if _, errOut, code := p.run("orgs", "create", "--name", fmt.Sprintf("Load W%d N%d", w, i), "--ref", fmt.Sprintf("L-%d-%d", w, i)); code != 0 {
					errs <- fmt.Sprintf("writer %d create %d: exit %d: %s", w, i, code, errOut)
				}
			}
		}(w)
	}
	for rd := 0; rd < readers; rd++ {
		wg.Add(1)
		go func(rd int) {
			defer wg.Done()
			for i := 0; i < reads; i++ {
				out, errOut, code := p.run("orgs", "list", "--no-headers", "--fields", "id")
				if code != 0 || strings.Count(out, "\n") < 500 {
					errs <- fmt.Sprintf("reader %d read %d: exit %d, %d lines: %s", rd, i, code, strings.Count(out, "\n"), errOut)
				}
			}
		}(rd)
	}
	// backups taken in the middle of it all are consistent, working stores
	backups := make([]string, 3)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range backups {
			backups[i] = filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
			if _, errOut, code := p.run("backup", backups[i]); code != 0 {
				errs <- fmt.Sprintf("backup %d: exit %d: %s", i, code, errOut)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for _, b := range backups {
		requireDoctor(t, newProc(t, b), "a backup under load")
		if n := countOrgs(t, b); n < 500 || n > 500+writers*creates {
			t.Errorf("backup %s holds %d orgs", b, n)
		}
	}
	out := p.must("orgs", "list", "--no-headers", "--fields", "name")
	seen := map[string]int{}
	for _, name := range strings.Split(strings.TrimSpace(out), "\n") {
		seen[name]++
	}
	if len(seen) != 500+writers*creates {
		t.Fatalf("%d distinct orgs, want %d", len(seen), 500+writers*creates)
	}
	for w := 0; w < writers; w++ {
		for i := 0; i < creates; i++ {
			if n := seen[fmt.Sprintf("Load W%d N%d", w, i)]; n != 1 {
				t.Errorf("org Load W%d N%d is there %d times, want once", w, i, n)
			}
		}
	}
	requireDoctor(t, p, "the load")
}

// damagePages gives every leaf page after the meta pages an absurd overflow
// count, the kind of damage that sends bbolt's page check into a huge
// allocation on a goroutine of its own.
func damagePages(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	n := 0
	for off := 2 * page; off+16 <= len(b); off += page {
		if flags := uint16(b[off+8]) | uint16(b[off+9])<<8; flags == 0x02 { // leaf page
			b[off+12], b[off+13], b[off+14], b[off+15] = 0xff, 0xff, 0xff, 0x7f
			n++
		}
	}
	if n == 0 {
		t.Fatal("no leaf page to damage")
	}
	writeFile(t, path, string(b))
}

// TestDoctorOnDamagedPages: on a file whose pages are damaged, doctor
// reports a problem and exits 1; it never crashes with a stack trace, even
// though bbolt's own check (which doctor runs in a child process, under a
// memory cap) does. Read commands fail cleanly or still work. (Writes are
// not tried: bbolt frees a damaged page's absurd overflow range page by
// page when it commits, which takes minutes and gigabytes; doctor is the
// tool that tells you the file is damaged.)
func TestDoctorOnDamagedPages(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	p := newProc(t, db)
	p.must("demo", "--orgs", "60")
	damagePages(t, db)
	out, errOut, code := p.run("doctor")
	if code != 1 || !strings.HasPrefix(out, "problem: bbolt: ") || strings.Contains(errOut, "goroutine") ||
		!strings.HasPrefix(errOut, "partnerctl: doctor found ") {
		t.Fatalf("doctor: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	t.Logf("doctor said: %s", strings.TrimSpace(out))
	for _, args := range [][]string{{"orgs", "list"}, {"orgs", "show", "CUST-0001"}, {"backup", filepath.Join(t.TempDir(), "b.db")}} {
		_, errOut, code := p.run(args...)
		if (code != 0 && code != 1) || strings.Contains(errOut, "goroutine") || strings.Count(strings.TrimSpace(errOut), "\n") > 1 {
			t.Errorf("partnerctl %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
		}
	}
}
