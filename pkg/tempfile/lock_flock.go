//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package tempfile

import (
	"errors"
	"os"
	"syscall"
)

// lock marks f as held by this process until it is closed (or the process
// dies): an exclusive flock.
func lock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// held reports whether a live process holds path: its lock can't be taken.
// (An flock taken through another descriptor of this same process conflicts
// too, so this process's own files read as held.)
func held(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true // can't tell: leave it
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return errors.Is(err, syscall.EWOULDBLOCK)
}
