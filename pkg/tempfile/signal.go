package tempfile

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// stopSignals undoes the last RemoveOnSignal.
var stopSignals = func() {}

// HandOverSignals undoes RemoveOnSignal, for a command that handles SIGINT
// and SIGTERM itself and makes no temporary file (the interactive console,
// which must restore the terminal first).
func HandOverSignals() { stopSignals() }

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
	var once sync.Once
	stop = func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
		})
	}
	stopSignals = stop
	return stop
}
