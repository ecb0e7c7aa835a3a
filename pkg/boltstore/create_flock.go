//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package boltstore

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// replaceEmpty renames tmp over path when path is still an empty regular
// file, holding that file's lock (the one bbolt takes) so that no other
// creator, and no writer that would fill it, acts on it at the same time.
// Anything else at path is fs.ErrExist.
func replaceEmpty(tmp, path string, wait time.Duration) error {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != 0 {
		return fs.ErrExist
	}
	f, err := os.Open(path)
	if err != nil {
		return fs.ErrExist
	}
	defer f.Close()
	deadline := time.Now().Add(max(wait, time.Millisecond))
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			return fs.ErrExist
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Still the same empty file at the path?
	held, err1 := f.Stat()
	now, err2 := os.Lstat(path)
	if err1 != nil || err2 != nil || held.Size() != 0 || !os.SameFile(held, now) {
		return fs.ErrExist
	}
	return os.Rename(tmp, path)
}
