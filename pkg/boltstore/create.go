package boltstore

// Creating a store is atomic: init and demo build the new store in a
// temporary file beside the path (pkg/tempfile: .partnerctl-newstore-….tmp)
// and Publish links it into place once it is complete, so a kill at any
// moment leaves no store or a whole one, never a file every command refuses.
// link(2) never replaces: of two processes creating the same store at once,
// one wins and the other gets a conflict (exit 5) and removes only its own
// temporary file.
//
// Two things at the path are taken as "no store yet": nothing, and an empty
// regular file (mktemp, touch, an earlier build killed early). The empty
// file is replaced by a rename under its own lock, only while it is still
// that same empty file. A symlink is never created through: one that points
// nowhere, or at an empty file, is refused; one that points at an existing
// store is simply opened.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/tempfile"
)

// refuseSymlink fails when path is a symlink: the store would be created
// wherever it points, which its owner may not have meant (or may not own).
func refuseSymlink(path, what string) error {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	target, _ := os.Readlink(path)
	return fail.Usagef("refusing to create a store through the symlink %s (to %s, %s)", path, target, what).
		WithCode(fail.CodeSymlinkStore)
}

// reserveNewStore clears dead leftovers from the folder and reserves the
// temporary file the new store is built in.
func reserveNewStore(opts Options) (string, error) {
	dir := filepath.Dir(opts.Path)
	removed, _ := tempfile.Sweep(dir)
	for _, p := range removed {
		if opts.Warn != nil {
			opts.Warn(fmt.Sprintf("removed %s, left by a partnerctl process that was killed", p))
		}
	}
	file, err := tempfile.Reserve(dir, tempfile.KindNewStore)
	if err != nil {
		return "", fail.Wrap(fail.Internal, err, "cannot create the store")
	}
	return file, nil
}

// discardFile removes a temporary file and forgets it.
func discardFile(path string) {
	_ = os.Remove(path)
	tempfile.Forget(path)
}

// Publish puts a new store, complete, at its path; it does nothing for a
// store that was opened rather than created, or is published already.
// Another store that appeared at the path meanwhile wins: Publish then
// fails with a conflict, and the caller discards this one.
func (s *Store) Publish() error {
	if !s.staged {
		return nil
	}
	if err := s.db.Sync(); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot write the new store")
	}
	err := os.Link(s.file, s.path)
	switch {
	case errors.Is(err, fs.ErrExist):
		err = replaceEmpty(s.file, s.path, s.lockTimeout)
	case err != nil && !errors.Is(err, fs.ErrExist):
		// A filesystem without hard links: rename, after checking that
		// nothing is there (the check and the rename are not atomic).
		if _, lerr := os.Lstat(s.path); lerr == nil {
			err = fs.ErrExist
		} else {
			err = os.Rename(s.file, s.path)
		}
	}
	var fe *fail.Error
	if errors.As(err, &fe) {
		return err
	}
	if errors.Is(err, fs.ErrExist) {
		return fail.Conflictf("another process created a store at %s at the same time; this one was not kept", s.path).
			WithCode(fail.CodeRaceLost)
	}
	if err != nil {
		return fail.Wrap(fail.Internal, err, "cannot put the new store in place")
	}
	if rerr := os.Remove(s.file); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		s.leftover = s.file // Windows: removed once closed
	} else {
		tempfile.Forget(s.file)
	}
	s.file, s.staged = s.path, false
	if d, err := os.Open(filepath.Dir(s.path)); err == nil {
		_ = d.Sync() // make the new name durable; not every filesystem can
		d.Close()
	}
	return nil
}
