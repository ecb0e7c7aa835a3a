package iostreams

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// ErrClosedPager is returned by writes after the person quit the pager
// early (q in less): not a failure, the command just stops printing.
var ErrClosedPager = errors.New("the pager was closed")

// PagerCommand is the pager long output goes through on a terminal, as gh
// does: $PARTNERCTL_PAGER, else $PAGER, else less. "" or "cat" turn it off.
func PagerCommand(getenv func(string) string) string {
	if v, set := lookup(getenv, "PARTNERCTL_PAGER"); set {
		return v
	}
	if v, set := lookup(getenv, "PAGER"); set {
		return v
	}
	return "less"
}

// SetPager sets the pager command StartPager runs.
func (s *IOStreams) SetPager(cmd string) { s.pagerCommand = cmd }

// StartPager sends stdout through the pager until StopPager, when stdout is
// a terminal and a pager is set. less gets LESS=FRX unless LESS is set: it
// quits at once when the output fits one screen (-F), keeps colors (-R) and
// leaves the text on the screen when it quits (-X). A pager that can't be
// started is skipped: the output is printed directly.
func (s *IOStreams) StartPager() {
	cmdline := strings.Fields(s.pagerCommand)
	if !s.stdoutTTY || s.pager != nil || len(cmdline) == 0 || cmdline[0] == "cat" {
		return
	}
	cmd := exec.Command(cmdline[0], cmdline[1:]...)
	cmd.Env = os.Environ()
	if _, set := os.LookupEnv("LESS"); !set {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	cmd.Stdout = s.Out
	cmd.Stderr = s.ErrOut
	in, err := cmd.StdinPipe()
	if err != nil {
		return
	}
	if err := cmd.Start(); err != nil {
		return
	}
	s.pager = &pager{cmd: cmd, in: in, out: s.Out}
	s.Out = s.pager
}

// StopPager closes the pager's input and waits for the person to quit it.
func (s *IOStreams) StopPager() {
	if s.pager == nil {
		return
	}
	s.pager.in.Close()
	_ = s.pager.cmd.Wait()
	s.Out = s.pager.out
	s.pager = nil
}

type pager struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out io.Writer
}

func (p *pager) Write(b []byte) (int, error) {
	n, err := p.in.Write(b)
	if err != nil && (errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed)) {
		return n, ErrClosedPager
	}
	return n, err
}
