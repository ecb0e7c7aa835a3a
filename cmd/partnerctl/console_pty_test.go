//go:build linux

package main

// End-to-end tests of `partnerctl console` in a real pseudo-terminal: the
// real binary on a demo store, keys typed into the terminal, the screen
// read back through a terminal emulator, then the store checked with the
// ordinary commands. Each test also proves the terminal is left exactly as
// it was found: same termios, alternate screen left, cursor shown.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// consoleSession is partnerctl console running on a pseudo-terminal.
type consoleSession struct {
	t         *testing.T
	cmd       *exec.Cmd
	ptmx, tty *os.File
	before    *unix.Termios
	term      *vt.SafeEmulator

	mu  sync.Mutex
	raw bytes.Buffer // every byte the program wrote
}

// startConsole starts bin with args on an 80x24 pseudo-terminal for store p.
func startConsole(t *testing.T, p proc, bin string, env []string, args ...string) *consoleSession {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 80}); err != nil {
		t.Fatal(err)
	}
	before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	cmd := p.cmd(args...)
	cmd.Path, cmd.Args[0] = bin, bin
	// No PATH: no xclip, xsel or wl-copy, so the clipboard is missing on
	// every machine and the URL comes back on stdout.
	cmd.Env = append(cmd.Env, "TERM=xterm-256color", "PATH=/nonexistent")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &consoleSession{t: t, cmd: cmd, ptmx: ptmx, tty: tty, before: before, term: vt.NewSafeEmulator(80, 24)}
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				s.mu.Lock()
				s.raw.Write(buf[:n])
				s.mu.Unlock()
				s.term.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	// The emulator answers the program's queries, as a terminal would.
	go func() { _, _ = io.Copy(ptmx, s.term) }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		s.term.Close()
		ptmx.Close()
		tty.Close()
	})
	return s
}

// resize changes the terminal's size, as a window resize does (the kernel
// sends the program SIGWINCH).
func (s *consoleSession) resize(cols, rows int) {
	s.t.Helper()
	s.term.Resize(cols, rows)
	if err := pty.Setsize(s.ptmx, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)}); err != nil {
		s.t.Fatal(err)
	}
}

// screen is what the terminal shows now.
func (s *consoleSession) screen() string { return s.term.String() }

// waitFor waits until the screen shows every text.
func (s *consoleSession) waitFor(texts ...string) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		scr := s.screen()
		missing := ""
		for _, text := range texts {
			if !strings.Contains(scr, text) {
				missing = text
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; it shows:\n%s", missing, scr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// keys types into the terminal, one key at a time.
func (s *consoleSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		if _, err := s.ptmx.Write([]byte(k)); err != nil {
			s.t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond) // a person's pace: each key is its own read
	}
}

// typeText types s a character at a time.
func (s *consoleSession) typeText(text string) {
	s.t.Helper()
	for _, r := range text {
		s.keys(string(r))
	}
}

// exitCode waits for the program to end.
func (s *consoleSession) exitCode() int {
	s.t.Helper()
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		if err != nil {
			s.t.Fatal(err)
		}
		return 0
	case <-time.After(15 * time.Second):
		s.t.Fatalf("the console did not exit; screen:\n%s", s.screen())
		return -1
	}
}

// output is everything the program wrote, once it has all been read.
func (s *consoleSession) output() string {
	time.Sleep(200 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

// requireRestored checks the terminal is as the program found it: the
// same line discipline settings (echo, canonical mode, signals), the
// alternate screen left and the cursor shown.
func (s *consoleSession) requireRestored(out string) {
	s.t.Helper()
	after, err := unix.IoctlGetTermios(int(s.tty.Fd()), unix.TCGETS)
	if err != nil {
		s.t.Fatal(err)
	}
	if after.Lflag != s.before.Lflag || after.Iflag != s.before.Iflag || after.Oflag != s.before.Oflag || after.Cflag != s.before.Cflag {
		s.t.Fatalf("termios not restored: lflag %#x→%#x iflag %#x→%#x oflag %#x→%#x", s.before.Lflag, after.Lflag,
			s.before.Iflag, after.Iflag, s.before.Oflag, after.Oflag)
	}
	if after.Lflag&unix.ECHO == 0 || after.Lflag&unix.ICANON == 0 {
		s.t.Fatal("the terminal was left without echo or line editing")
	}
	enter, leave := strings.LastIndex(out, "\x1b[?1049h"), strings.LastIndex(out, "\x1b[?1049l")
	if enter < 0 || leave < enter {
		s.t.Fatalf("alternate screen entered at %d, left at %d", enter, leave)
	}
	if show, hide := strings.LastIndex(out, "\x1b[?25h"), strings.LastIndex(out, "\x1b[?25l"); show < hide {
		s.t.Fatal("the cursor was left hidden")
	}
}

// colorCodes lists the SGR parameters in out that set a color (30–49,
// 90–107), as opposed to bold, faint or reverse video.
func colorCodes(out string) []string {
	var found []string
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;:]*)m`).FindAllStringSubmatch(out, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			var n int
			if _, err := fmt.Sscan(p, &n); err == nil && (n >= 30 && n <= 49 || n >= 90 && n <= 107) {
				found = append(found, m[1])
				break
			}
		}
	}
	return found
}

// afterScreen is what the program printed once it left the alternate screen.
func afterScreen(out string) string {
	return out[strings.LastIndex(out, "\x1b[?1049l"):]
}

func demoStore(t *testing.T) proc {
	t.Helper()
	p := newProc(t, filepath.Join(t.TempDir(), "p.db"))
	p.must("demo")
	return p
}

// TestConsoleEndToEnd types a search, pages, opens an org and makes a login
// link in the real console, quits, and checks the store: on a file, and on
// PostgreSQL (connected as the login demo made its admin).
func TestConsoleEndToEnd(t *testing.T) {
	t.Run("bbolt", func(t *testing.T) { consoleEndToEnd(t, demoStore(t)) })
	t.Run("postgres", func(t *testing.T) {
		p, _ := pgProc(t, "")
		p.must("demo")
		consoleEndToEnd(t, p)
	})
}

func consoleEndToEnd(t *testing.T, p proc) {
	s := startConsole(t, p, p.bin, nil, "console")
	s.waitFor("Northwind Partners · support@northwind.example", "Connected orgs: 60", "Showing 1–25 of 60 orgs")

	// The search narrows as you type, no Enter.
	s.keys("/")
	s.typeText("acm")
	s.waitFor("Showing 1–5 of 5 matches (60 total)")
	s.keys("\r", "x")
	s.waitFor("Showing 1–25 of 60 orgs")

	// Paging: next, last, first; then 10 rows a page.
	s.keys("\x1b[C")
	s.waitFor("Showing 26–50 of 60 orgs", "Page 2 of 3")
	s.keys("\x1b[F")
	s.waitFor("Showing 51–60 of 60 orgs", "Page 3 of 3")
	s.keys("\x1b[H", "r", "r", "r")
	s.waitFor("Showing 1–10 of 60 orgs", "Page 1 of 6")

	// Open Acme Bakery.
	s.keys("/")
	s.typeText("bakery")
	s.waitFor("Showing 1–1 of 1 match (60 total)")
	s.keys("\r", "o")
	s.waitFor("Opened Acme Bakery", "as partner", "/inbox")
	s.keys("\r")
	s.waitFor("Active org: Acme Bakery")

	// Details, then a login link from there.
	s.keys("\r")
	s.waitFor("Why", "rule ")
	s.keys("c")
	s.waitFor("Login link into Acme Bakery", "Email:")
	s.typeText("ceo@bakery.example")
	s.keys("\r")
	s.waitFor("Login link lnk_000001 for ceo@bakery.example into Acme Bakery", "Not copied: no clipboard on this machine")
	s.keys("\r", "q")
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit %d; output:\n%s", code, s.output())
	}
	out := s.output()
	s.requireRestored(out)
	if c := colorCodes(out); len(c) > 0 {
		t.Fatalf("NO_COLOR is set, yet the console wrote color codes %v", c)
	}
	if !strings.Contains(out, "\x1b[7m") {
		t.Fatal("without color the selection must still show (reverse video)")
	}

	// The URL the clipboard could not take is printed whole once the
	// screen is restored, and it works.
	url := regexp.MustCompile(`https://login\.example\.com/magic\?token=plk_[A-Za-z0-9_-]{43}`).FindString(afterScreen(out))
	if url == "" {
		t.Fatalf("no login URL after the console closed:\n%q", afterScreen(out))
	}
	if !strings.Contains(afterScreen(out), "Login link lnk_000001 for ceo@bakery.example into Acme Bakery") {
		t.Fatalf("no note about the uncopied link:\n%q", afterScreen(out))
	}

	// The store saw what orgs open and link create would have done.
	var current struct {
		OrgName string `json:"org_name"`
		Role    string `json:"role"`
	}
	if err := json.Unmarshal([]byte(p.must("orgs", "current", "-o", "json")), &current); err != nil {
		t.Fatal(err)
	}
	if current.OrgName != "Acme Bakery" || current.Role != "partner" {
		t.Fatalf("orgs current: %+v", current)
	}
	var audit []struct {
		Actor   string `json:"actor"`
		Action  string `json:"action"`
		OrgName string `json:"org_name"`
	}
	if err := json.Unmarshal([]byte(p.must("audit", "list", "-o", "json")), &audit); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range audit {
		if e.OrgName == "Acme Bakery" {
			got = append(got, e.Actor+" "+e.Action)
		}
	}
	want := []string{"alex@northwind.example org.opened", "alex@northwind.example link.created"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("audit for Acme Bakery: %v, want %v", got, want)
	}
	if out := p.must("link", "redeem", url); !strings.Contains(out, "ceo@bakery.example") {
		t.Fatalf("link redeem: %s", out)
	}
}

// TestConsoleResizes: the console follows the terminal's size live.
func TestConsoleResizes(t *testing.T) {
	p := demoStore(t)
	s := startConsole(t, p, p.bin, nil, "console")
	s.waitFor("Showing 1–25 of 60 orgs")
	if strings.Contains(s.screen(), "SESSIONS") {
		t.Fatal("80 columns should not have room for SESSIONS")
	}
	s.resize(132, 30)
	s.waitFor("SESSIONS 30D/ALL", "ACTIONS")
	s.resize(80, 24)
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(s.screen(), "SESSIONS") {
		if time.Now().After(deadline) {
			t.Fatalf("still wide after shrinking:\n%s", s.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.keys("q")
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	s.requireRestored(s.output())
}

// TestConsoleColors: with color allowed the badges are colored; with
// CLICOLOR=0 or --no-color they are not (NO_COLOR is checked above).
func TestConsoleColors(t *testing.T) {
	p := demoStore(t)
	for _, c := range []struct {
		name  string
		env   []string
		args  []string
		color bool
	}{
		{"color", []string{"NO_COLOR="}, nil, true},
		{"CLICOLOR=0", []string{"NO_COLOR=", "CLICOLOR=0"}, nil, false},
		{"--no-color", []string{"NO_COLOR="}, []string{"--no-color"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startConsole(t, p, p.bin, c.env, append([]string{"console"}, c.args...)...)
			s.waitFor("Showing 1–25 of 60 orgs")
			s.keys("q")
			if code := s.exitCode(); code != 0 {
				t.Fatalf("exit %d", code)
			}
			if got := len(colorCodes(s.output())) > 0; got != c.color {
				t.Fatalf("color codes written: %v, want %v", got, c.color)
			}
		})
	}
}

// TestConsoleExitPaths: Ctrl-C, Esc, SIGTERM and SIGINT each leave the
// terminal as it was.
func TestConsoleExitPaths(t *testing.T) {
	p := demoStore(t)
	for _, c := range []struct {
		name string
		stop func(s *consoleSession)
	}{
		{"ctrl+c", func(s *consoleSession) { s.keys("\x03") }},
		{"ctrl+c while typing a search", func(s *consoleSession) { s.keys("/", "a", "\x03") }},
		{"esc", func(s *consoleSession) { s.keys("\x1b") }},
		{"SIGTERM", func(s *consoleSession) { _ = s.cmd.Process.Signal(syscall.SIGTERM) }},
		{"SIGINT", func(s *consoleSession) { _ = s.cmd.Process.Signal(syscall.SIGINT) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startConsole(t, p, p.bin, nil, "console")
			s.waitFor("Showing 1–25 of 60 orgs")
			c.stop(s)
			if code := s.exitCode(); code != 0 {
				t.Fatalf("exit %d; output:\n%q", code, s.output())
			}
			s.requireRestored(s.output())
		})
	}
}

// TestConsoleRefusesNonMembers: the console's list comes from the same
// core call as orgs list, with its access rule: someone outside the admin
// org gets exit 4 and the usual message, before any screen is drawn.
func TestConsoleRefusesNonMembers(t *testing.T) {
	p := demoStore(t)
	s := startConsole(t, p, p.bin, nil, "console", "--as", "stranger@elsewhere.example")
	if code := s.exitCode(); code != 4 {
		t.Fatalf("exit %d, want 4; output:\n%q", code, s.output())
	}
	out := s.output()
	if strings.Contains(out, "\x1b[?1049h") {
		t.Fatal("a screen was drawn for a non-member")
	}
	if !strings.Contains(out, `partnerctl: stranger@elsewhere.example is not a member of the admin org "Northwind Partner HQ"`) {
		t.Fatalf("output %q", out)
	}
	if after, _ := unix.IoctlGetTermios(int(s.tty.Fd()), unix.TCGETS); after.Lflag != s.before.Lflag {
		t.Fatal("termios changed")
	}
}

var (
	panicBinOnce sync.Once
	panicBinPath string
	panicBinErr  error
)

// panicBinary is partnerctl built with the partnerctl_panic tag, whose
// console panics on "!" (see internal/tui/panic_inject.go).
func panicBinary(t *testing.T) string {
	t.Helper()
	binary(t) // the same skips, and binDir
	panicBinOnce.Do(func() {
		panicBinPath = filepath.Join(binDir, "partnerctl-panic")
		out, err := exec.Command("go", "build", "-tags", "partnerctl_panic", "-o", panicBinPath, ".").CombinedOutput()
		if err != nil {
			panicBinErr = fmt.Errorf("go build -tags partnerctl_panic: %v\n%s", err, out)
		}
	})
	if panicBinErr != nil {
		t.Fatal(panicBinErr)
	}
	return panicBinPath
}

// TestConsolePanicRestoresTheTerminal: a panic in the console's update or
// its drawing ends it with partnerctl's one-line internal error (exit 1,
// no stack trace) and the terminal as it was.
func TestConsolePanicRestoresTheTerminal(t *testing.T) {
	p := demoStore(t)
	bin := panicBinary(t)
	for _, where := range []string{"update", "view"} {
		t.Run(where, func(t *testing.T) {
			s := startConsole(t, p, bin, []string{"PARTNERCTL_TUI_PANIC=" + where}, "console")
			s.waitFor("Showing 1–25 of 60 orgs")
			s.keys("!")
			if code := s.exitCode(); code != 1 {
				t.Fatalf("exit %d, want 1; output:\n%q", code, s.output())
			}
			out := s.output()
			s.requireRestored(out)
			tail := afterScreen(out)
			if !strings.Contains(tail, "partnerctl: the console stopped on an internal error: injected panic in ") {
				t.Fatalf("no one-line error after the screen:\n%q", tail)
			}
			if strings.Contains(tail, "goroutine ") || strings.Contains(tail, ".go:") {
				t.Fatalf("a stack trace reached the terminal:\n%s", tail)
			}
		})
	}
}
