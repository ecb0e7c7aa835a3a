package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/root"
)

// TestMain lets testscript run the real partnerctl command in-process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"partnerctl": func() { os.Exit(root.Main(cmdutil.New(), os.Args[1:])) },
	})
}

var updateScripts = flag.Bool("update", false, "rewrite the golden files of testdata/script from the actual output (then review the diff)")

// TestScripts runs every testdata/script/*.txtar. Each starts with an empty
// $WORK as HOME, the store at $WORK/p.db and the clock pinned to
// 2026-11-23T12:00:00Z.
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
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": exitsCmd,
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
