// Package iostreams holds a command's standard streams and whether each is a
// terminal, so commands render for a person or a script, and tests can say
// which one they are.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// ForceTTYEnv, when set to 1, makes every stream count as a terminal; tests
// and screenshots use it to see the terminal rendering.
const ForceTTYEnv = "PARTNERCTL_FORCE_TTY"

// IOStreams are the streams of one command run.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	colorDisabled                  bool
	// width is the terminal's width in columns, 0 when unknown.
	width int

	pagerCommand string
	pager        *pager
}

// System returns the process's streams. getenv reads the environment.
func System(getenv func(string) string) *IOStreams {
	isTTY := func(f *os.File) bool {
		return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	s := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY: isTTY(os.Stdin), stdoutTTY: isTTY(os.Stdout), stderrTTY: isTTY(os.Stderr)}
	if getenv(ForceTTYEnv) == "1" {
		s.stdinTTY, s.stdoutTTY, s.stderrTTY = true, true, true
	}
	if _, set := lookup(getenv, "NO_COLOR"); set || getenv("TERM") == "dumb" || getenv("CLICOLOR") == "0" {
		s.colorDisabled = true
	}
	s.width = terminalWidth(getenv, os.Stdout)
	s.pagerCommand = PagerCommand(getenv)
	return s
}

// DefaultWidth is the width assumed for a terminal that doesn't say.
const DefaultWidth = 80

// terminalWidth is $COLUMNS when it is a number (scripts, tests and
// screenshots set it), else the size of the terminal on f, else 80.
func terminalWidth(getenv func(string) string, f *os.File) int {
	if n, err := strconv.Atoi(strings.TrimSpace(getenv("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
		return w
	}
	return DefaultWidth
}

func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

// Test returns streams over buffers, none of them a terminal.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

func (s *IOStreams) IsStdinTTY() bool       { return s.stdinTTY }
func (s *IOStreams) IsStdoutTTY() bool      { return s.stdoutTTY }
func (s *IOStreams) IsStderrTTY() bool      { return s.stderrTTY }
func (s *IOStreams) SetStdinTTY(v bool)     { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool)    { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool)    { s.stderrTTY = v }
func (s *IOStreams) SetColorEnabled(v bool) { s.colorDisabled = !v }

// ColorEnabled reports whether stdout output may carry ANSI color: on a
// terminal unless NO_COLOR, CLICOLOR=0 or TERM=dumb says no.
func (s *IOStreams) ColorEnabled() bool { return s.stdoutTTY && !s.colorDisabled }

// TerminalWidth is the width, in columns, that terminal output must fit:
// $COLUMNS, else the terminal's own, else 80.
func (s *IOStreams) TerminalWidth() int {
	if s.width <= 0 {
		return DefaultWidth
	}
	return s.width
}

// SetTerminalWidth sets the width for tests.
func (s *IOStreams) SetTerminalWidth(n int) { s.width = n }
