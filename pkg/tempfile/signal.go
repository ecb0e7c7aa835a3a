package tempfile

import (
	"os"
	"os/signal"
	"syscall"
)

// RemoveOnSignal makes SIGINT and SIGTERM remove every registered temporary
// file, then end the process with 128 plus the signal's number (130, 143),
// as a shell reports a process killed by it. stop undoes it.
func RemoveOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			RemoveAll()
			code := 130
			if s == syscall.SIGTERM {
				code = 143
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
