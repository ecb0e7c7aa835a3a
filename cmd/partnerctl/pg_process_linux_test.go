package main

// Process-level tests of the PostgreSQL store: separate partnerctl processes
// against one database of pgtest's server, as a team's are.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/pgstore"
	"github.com/partnerctl/partnerctl/pkg/pgstore/pgtest"
)

// pgProc is a proc on a fresh database (made from template when given),
// connected as the superuser: init binds that login to its admin.
func pgProc(t *testing.T, template string) (proc, *pgtest.Database) {
	t.Helper()
	bin := binary(t)
	var db *pgtest.Database
	if template == "" {
		db = pgtest.NewDatabase(t)
	} else {
		db = pgtest.NewDatabaseFrom(t, template)
	}
	return proc{t: t, bin: bin, db: db.URL, home: t.TempDir()}, db
}

// TestPostgresWriterLock: a writer holding the store makes a second writer
// process give up after its --lock-timeout with exit 6, while reader
// processes answer at once from the last commit; once the first commits,
// writers get through again.
func TestPostgresWriterLock(t *testing.T) {
	p, _ := pgProc(t, "")
	p.init()
	p.must("orgs", "create", "--name", "Before", "--ref", "B-1")

	st, err := pgstore.Open(context.Background(), p.db, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- st.Write(context.Background(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(context.Background(), "UPDATE partner SET name = 'Held'"); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	select {
	case <-held:
	case err := <-done:
		t.Fatalf("holding writer: %v", err)
	}
	released := false
	defer func() {
		if !released {
			close(release)
			<-done
		}
	}()

	start := time.Now()
	_, errOut, code := p.run("orgs", "create", "--name", "Blocked", "--lock-timeout", "700ms")
	waited := time.Since(start)
	if code != 6 || !strings.Contains(errOut, "is busy: another partnerctl is writing (waited 700ms); try again, or allow a longer lock timeout") {
		t.Fatalf("second writer: exit %d: %s", code, errOut)
	}
	if waited < 700*time.Millisecond {
		t.Fatalf("the second writer gave up after %s, before its 700ms lock timeout", waited)
	}
	for _, args := range [][]string{{"orgs", "list", "--fields", "name", "--no-headers"}, {"partner", "show", "--fields", "name", "--no-headers"}, {"doctor"}} {
		start := time.Now()
		out, errOut, code := p.run(append(args, "--lock-timeout", "700ms")...)
		if code != 0 {
			t.Fatalf("reader %v while a writer holds the store: exit %d: %s", args, code, errOut)
		}
		if strings.Contains(out, "Held") || strings.Contains(out, "Blocked") {
			t.Fatalf("reader %v saw uncommitted writes: %s", args, out)
		}
		if took := time.Since(start); took > 650*time.Millisecond {
			t.Logf("reader %v took %s (a loaded machine?)", args, took)
		}
	}
	if out := p.must("orgs", "list", "--fields", "name", "--no-headers"); out != "Before\n" {
		t.Fatalf("orgs list: %q", out)
	}

	close(release)
	released = true
	if err := <-done; err != nil {
		t.Fatalf("holding writer: %v", err)
	}
	p.must("orgs", "create", "--name", "After", "--lock-timeout", "700ms")
	if out := p.must("partner", "show", "--fields", "name", "--no-headers"); out != "Held\n" {
		t.Fatalf("partner after the holder committed: %q", out)
	}
}

// TestPostgresCrashSafety SIGKILLs `events import` into a PostgreSQL store
// at random moments. After every kill the store passes doctor; the import
// run again to its end leaves every org and membership exactly as an
// uninterrupted import does.
func TestPostgresCrashSafety(t *testing.T) {
	const kills = 12
	dir := t.TempDir()
	base, baseDB := pgProc(t, "")
	base.init()
	base.must("orgs", "import", writeFile(t, filepath.Join(dir, "orgs.csv"), orgsCSV(300)))
	events := writeFile(t, filepath.Join(dir, "events.jsonl"), eventsJSONL(120_000, 300, 7))

	ref, _ := pgProc(t, baseDB.Name)
	start := time.Now()
	ref.must("events", "import", events)
	took := time.Since(start)
	want := takeSnapshot(t, ref.db)

	p, _ := pgProc(t, baseDB.Name)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 5))
	killed := 0
	for i := 0; i < kills; i++ {
		if killAtRandom(t, p, r, took*9/10, "events", "import", events, "--lock-timeout", "60s") {
			killed++
		}
		requireDoctor(t, p, fmt.Sprintf("kill %d", i+1))
	}
	p.must("events", "import", events, "--lock-timeout", "60s")
	requireDoctor(t, p, "the final run")
	sameSnapshot(t, takeSnapshot(t, p.db), want)
	// and once more: every event is a duplicate, nothing changes
	_, errOut, code := p.run("events", "import", events, "--lock-timeout", "60s")
	if code != 0 || !strings.Contains(errOut, "Imported 0 event(s), 120000 duplicate(s), 0 skipped") {
		t.Fatalf("re-import: exit %d: %s", code, errOut)
	}
	sameSnapshot(t, takeSnapshot(t, p.db), want)
	t.Logf("uninterrupted import took %v; %d of %d runs killed mid-way", took, killed, kills)
	if killed < kills/2 {
		t.Fatalf("only %d of %d runs were killed before they ended: the test proves too little", killed, kills)
	}
}
