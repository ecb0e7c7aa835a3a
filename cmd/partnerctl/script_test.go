package main

import (
	"bufio"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
)

// TestMain lets testscript run the real partnerctl command in-process.
func TestMain(m *testing.M) {
	testscript.Main(cleanupM{m}, map[string]func(){
		"partnerctl": func() { os.Exit(root.Main(cmdutil.New(), os.Args[1:])) },
	})
}

var updateScripts = flag.Bool("update", false, "rewrite the golden files of testdata/script from the actual output (then review the diff)")

// cleanupM removes the binary the process tests built once all tests ran.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	code := c.m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// TestScripts runs every testdata/script/*.txtar. Each starts with an empty
// $WORK as HOME, the store at $WORK/p.db, the clock pinned to
// 2026-11-23T12:00:00Z and no pager.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join("..", "..", "testdata", "script"),
		UpdateScripts: *updateScripts,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, ".local", "share"))
			env.Setenv("PARTNERCTL_DB", filepath.Join(env.WorkDir, "p.db"))
			env.Setenv("PARTNERCTL_NOW", "2026-11-23T12:00:00Z")
			env.Setenv("NO_COLOR", "1")
			env.Setenv("PAGER", "cat") // scripts check what is printed, not a pager
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":       exitsCmd,
			"randbytes":   randbytesCmd,
			"bigline":     biglineCmd,
			"foreignbolt": foreignboltCmd,
			"truncate":    truncateCmd,
		},
	})
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
