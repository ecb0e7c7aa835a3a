//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package boltstore

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Readers can't starve writers. bbolt's own lock is an flock on the store:
// shared for readers, exclusive for a writer, and flock favours no one, so
// readers whose shared locks overlap without a gap (a dozen `orgs list`
// loops) keep a writer out until its --lock-timeout. A turnstile is a
// second flock, on a sibling file, that everyone passes before the store's:
// a writer holds it exclusively while it waits for the store, so new readers
// queue behind it and the readers inside drain; readers only pass through
// (a shared lock taken and dropped at once). The turnstile orders arrivals
// and guards no data: when its file can't be made (a read-only folder),
// partnerctl goes without it.

// turnstilePath is the sibling lock file of the store at path, beside the
// real file when path is a symlink, so every path to one store shares it.
func turnstilePath(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".turnstile")
}

// passTurnstile waits, until deadline, for the store's turnstile: a writer
// keeps it (release once it holds the store), a reader passes through.
// timedOut reports a deadline passed; any other trouble means no turnstile.
func passTurnstile(path string, writer bool, deadline time.Time) (release func(), timedOut bool) {
	noop := func() {}
	f, err := os.OpenFile(turnstilePath(path), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		if f, err = os.Open(turnstilePath(path)); err != nil {
			return noop, false
		}
	}
	how := syscall.LOCK_SH
	if writer {
		how = syscall.LOCK_EX
	}
	for pause := time.Millisecond; ; pause = min(2*pause, 10*time.Millisecond) {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return noop, false
		}
		if time.Now().After(deadline) {
			f.Close()
			return noop, true
		}
		time.Sleep(pause)
	}
	release = func() { f.Close() } // closing drops the lock
	if !writer {
		release()
		return noop, false
	}
	return release, false
}
