package cmdutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// GoRun is how to run partnerctl from a checkout of its source.
const GoRun = "go run ./cmd/partnerctl"

// Invocation is how a person at this shell runs this partnerctl, for the
// commands that messages suggest: "partnerctl" when it is on PATH, "go run
// ./cmd/partnerctl" under `go run` (a binary in Go's build cache), else the
// path of this binary. onPath reports whether it was found on PATH.
func Invocation(lookPath func(string) (string, error), executable func() (string, error)) (prog string, onPath bool) {
	if _, err := lookPath("partnerctl"); err == nil {
		return "partnerctl", true
	}
	exe, err := executable()
	if err != nil {
		return "partnerctl", false
	}
	if strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return GoRun, false
	}
	return exe, false
}

// Prog is Invocation for this process.
func (f *Factory) Prog() (prog string, onPath bool) {
	return Invocation(exec.LookPath, os.Executable)
}
