package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/pgstore/pgtest"
)

// realNowEnv stands the wall clock still in scripts: a hook of this test
// binary only (partnerctl itself never reads it), so scripts can show that
// the audit records real time and that PARTNERCTL_NOW can't revive a token.
// (On PostgreSQL the audit's time is the server's: scripts say so.)
const realNowEnv = "PARTNERCTL_TEST_REAL_NOW"

// TestMain lets testscript run the real partnerctl command in-process (in
// PostgreSQL scripts as the acting person's own login: see actAsLogin), and
// stops the PostgreSQL test server, if one was started, when the tests end.
func TestMain(m *testing.M) {
	testscript.Main(cleanupM{m}, map[string]func(){
		"partnerctl": func() {
			f := cmdutil.New()
			if v := os.Getenv(realNowEnv); v != "" {
				t, err := time.Parse(time.RFC3339, v)
				if err != nil {
					panic(realNowEnv + ": " + err.Error())
				}
				f.RealClock = clock.Fixed(t)
			}
			os.Exit(root.Main(f, actAsLogin(os.Args[1:])))
		},
	})
}

var updateScripts = flag.Bool("update", false, "rewrite the golden files of testdata/script from the actual output (then review the diff)")

// cleanupM removes the binary the process tests built once all tests ran.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	code := pgtest.Run(c.m)
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// TestScripts runs every testdata/script/*.txtar. Each starts with an empty
// $WORK as HOME, the store at $WORK/p.db, the clock pinned to
// 2026-11-23T12:00:00Z, the real clock standing at 2026-11-23T12:34:56Z
// (what the audit records), and no pager.
func TestScripts(t *testing.T) {
	params := scriptParams(func(env *testscript.Env) error {
		env.Setenv("PARTNERCTL_DB", filepath.Join(env.WorkDir, "p.db"))
		return nil
	}, false)
	if raceEnabled {
		// Under -race each command is a race-built process of its own: the
		// whole suite would take six minutes there for commands that are
		// mostly one goroutine. These scripts drive the commands that run
		// goroutines of their own (parallel event parsing and spooling,
		// store creation and backup beside signals, the progress bar, the
		// clipboard and browser helpers, a long list's writer); the plain
		// pass runs every script.
		params.Dir = ""
		for _, name := range raceScripts {
			params.Files = append(params.Files, filepath.Join("..", "..", "testdata", "script", name+".txtar"))
		}
	}
	testscript.Run(t, params)
}

// raceScripts are the scripts TestScripts runs under -race.
var raceScripts = []string{"events_import", "hostile_events", "demo", "doctor_backup", "store_create",
	"orgs_open_web", "link_clipboard_headless", "report_changes"}

// TestRaceScriptsExist keeps raceScripts naming real scripts.
func TestRaceScriptsExist(t *testing.T) {
	for _, name := range raceScripts {
		if _, err := os.Stat(filepath.Join("..", "..", "testdata", "script", name+".txtar")); err != nil {
			t.Errorf("raceScripts: %v", err)
		}
	}
}

// TestScriptsPostgres runs the same scripts with the store in a PostgreSQL
// database of their own (pgtest's server), each person connecting as their
// own login role (see actAsLogin). Lines (or scripts) that only make sense
// on one backend say so with the [postgres] condition. Where PostgreSQL
// isn't installed it skips, saying so (CI makes that a failure).
func TestScriptsPostgres(t *testing.T) {
	if raceEnabled {
		// Each command runs in a process of its own, with nothing shared
		// between them but the database: under -race they would triple
		// CI's time for no more than the plain pass (and TestScripts under
		// -race) already finds.
		t.Skip("the PostgreSQL scripts run in the plain pass, not under -race")
	}
	pgtest.Server(t) // skip (or fail) here, once, without PostgreSQL
	testscript.Run(t, scriptParams(func(env *testscript.Env) error {
		tb, ok := env.T().(testing.TB)
		if !ok {
			return fmt.Errorf("testscript's T is no testing.TB")
		}
		db := pgtest.NewDatabase(tb)
		store := fmt.Sprintf("postgres:///%s?host=%s", db.Name, url.QueryEscape(pgtest.Server(tb)))
		env.Setenv("PARTNERCTL_DB", store)
		env.Setenv(envPGStore, store)
		env.Setenv(envPGAdmin, db.URL)
		env.Setenv(envPGHost, pgtest.Server(tb))
		env.Setenv(envPGName, db.Name)
		return nil
	}, true))
}

// scriptParams are the scripts' parameters, with setStore pointing
// PARTNERCTL_DB at the script's store.
func scriptParams(setStore func(*testscript.Env) error, postgres bool) testscript.Params {
	return testscript.Params{
		Dir:           filepath.Join("..", "..", "testdata", "script"),
		UpdateScripts: *updateScripts && !postgres,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, ".local", "share"))
			env.Setenv("PARTNERCTL_NOW", "2026-11-23T12:00:00Z")
			env.Setenv(realNowEnv, "2026-11-23T12:34:56Z")
			env.Setenv("NO_COLOR", "1")
			env.Setenv("PAGER", "cat") // scripts check what is printed, not a pager
			return setStore(env)
		},
		Condition: func(cond string) (bool, error) {
			if cond == "postgres" {
				return postgres, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":       exitsCmd,
			"randbytes":   randbytesCmd,
			"bigline":     biglineCmd,
			"foreignbolt": foreignboltCmd,
			"truncate":    truncateCmd,
			"pgrole":      pgroleCmd,
			"pgexec":      pgexecCmd,
		},
	}
}

// exitsCmd is `exits N command args...`: run the command and require exit
// code N, keeping its stdout and stderr for the assertions that follow.
func exitsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("exits: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// scriptInts parses the integer arguments of a custom command.
func scriptInts(ts *testscript.TestScript, args []string) []int {
	out := make([]int, len(args))
	for i, a := range args {
		n, err := strconv.Atoi(a)
		if err != nil {
			ts.Fatalf("bad number %q", a)
		}
		out[i] = n
	}
	return out
}

// randbytesCmd is `randbytes FILE N SEED`: N pseudo-random bytes, the same
// for the same SEED.
func randbytesCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: randbytes FILE N SEED")
	}
	n := scriptInts(ts, args[1:])
	r := rand.New(rand.NewPCG(uint64(n[1]), 7))
	b := make([]byte, n[0])
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o644))
}

// biglineCmd is `bigline FILE N`: one valid event line, then an event line
// whose id is N bytes long, then another valid line.
func biglineCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bigline FILE N")
	}
	n := scriptInts(ts, args[1:])[0]
	f, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	w := bufio.NewWriter(f)
	line := `{"id":"e1","org":"CUST-0001","type":"session.started","at":"2026-11-20T10:00:00Z"}` + "\n"
	w.WriteString(line)
	w.WriteString(`{"id":"`)
	for i := 0; i < n; i++ {
		w.WriteByte('x')
	}
	w.WriteString(`","org":"CUST-0001","type":"session.started","at":"2026-11-20T10:00:00Z"}` + "\n")
	w.WriteString(`{"id":"e3","org":"CUST-0002","type":"session.started","at":"2026-11-20T10:00:00Z"}` + "\n")
	ts.Check(w.Flush())
	ts.Check(f.Close())
}

// foreignboltCmd is `foreignbolt FILE`: a valid bbolt database that is not
// a partnerctl store.
func foreignboltCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: foreignbolt FILE")
	}
	db, err := bolt.Open(ts.MkAbs(args[0]), 0o600, nil)
	ts.Check(err)
	ts.Check(db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("widgets"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	}))
	ts.Check(db.Close())
}

// truncateCmd is `truncate FILE N`: cut FILE to N bytes.
func truncateCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate FILE N")
	}
	ts.Check(os.Truncate(ts.MkAbs(args[0]), int64(scriptInts(ts, args[1:])[0])))
}
