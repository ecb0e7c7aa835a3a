// Package tempfile makes partnerctl's temporary files (a new store being
// built, an import's spool, a backup being written) removable when the
// process is interrupted and findable when it was killed:
//
//   - every one is named .partnerctl-KIND-RANDOM.tmp, mode 0600;
//   - while its process lives, the file is locked (an flock on Unix; a
//     new bbolt store carries bbolt's own), so a lock anyone can take marks
//     a leftover;
//   - it is registered, and RemoveOnSignal removes every registered file on
//     SIGINT or SIGTERM before the process exits;
//   - one made outside the store's folder (a backup, next to its
//     destination) leaves a pointer there: a symlink of the same pattern.
//
// Sweep(folder) then removes the leftovers of killed processes in a store's
// folder, following pointers: doctor runs it, and so do init and demo.
package tempfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

const (
	prefix = ".partnerctl-"
	suffix = ".tmp"
)

// Kinds of temporary files, in their names.
const (
	KindNewStore = "newstore"
	KindSpool    = "spool"
	KindBackup   = "backup"
	kindPointer  = "pointer"
)

// registry holds every temporary path this process made and has not yet
// removed or handed over.
var registry = struct {
	sync.Mutex
	paths   map[string]bool
	stopped bool // RemoveAll ran: the process is exiting
}{paths: map[string]bool{}}

// makeRegistered runs create, which makes path, and registers path, as one
// step under the registry's lock: a signal's RemoveAll then runs wholly
// before it (and nothing is made) or wholly after it (and removes path).
// Registering after making would leave a file behind when the signal came
// between the two.
func makeRegistered(path string, create func() error) error {
	registry.Lock()
	defer registry.Unlock()
	if registry.stopped {
		return errors.New("interrupted")
	}
	if err := create(); err != nil {
		return err
	}
	registry.paths[path] = true
	return nil
}

// Forget stops tracking path: it was renamed into place or removed.
func Forget(path string) {
	registry.Lock()
	delete(registry.paths, path)
	registry.Unlock()
}

// RemoveAll removes every registered file; later ones are removed as soon
// as they are made. For a process about to exit on a signal.
func RemoveAll() {
	registry.Lock()
	defer registry.Unlock()
	registry.stopped = true
	for p := range registry.paths {
		_ = os.Remove(p)
		delete(registry.paths, p)
	}
}

func name(kind string) (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + kind + "-" + hex.EncodeToString(b) + suffix, nil
}

// IsName reports whether base is a partnerctl temporary file's name.
func IsName(base string) bool {
	kind, ok := strings.CutPrefix(base, prefix)
	if !ok || !strings.HasSuffix(kind, suffix) {
		return false
	}
	kind, _, ok = strings.Cut(strings.TrimSuffix(kind, suffix), "-")
	return ok && kind != ""
}

// File is a temporary file this process holds.
type File struct {
	*os.File
	pointer string // the symlink in the store's folder, when the file is elsewhere
}

// Create makes a temporary file of kind in dir, locked and registered.
// home is the store's folder: when dir is elsewhere, a pointer there names
// the file, so Sweep(home) finds it after a crash (when home is read-only
// there is no pointer, and no sweep would find it anyway).
func Create(dir, home, kind string) (*File, error) {
	for range 10 {
		base, err := name(kind)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, base)
		var f *os.File
		err = makeRegistered(path, func() (err error) {
			f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
			return err
		})
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		tf := &File{File: f}
		if err := lock(f); err != nil {
			tf.Remove()
			return nil, err
		}
		if home != "" && !sameDir(dir, home) {
			_ = tf.point(home, path)
		}
		return tf, nil
	}
	return nil, fmt.Errorf("cannot create a temporary file in %s", dir)
}

func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// point leaves a symlink in home naming path.
func (f *File) point(home, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	for range 10 {
		base, err := name(kindPointer)
		if err != nil {
			return err
		}
		link := filepath.Join(home, base)
		err = makeRegistered(link, func() error { return os.Symlink(abs, link) })
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		f.pointer = link
		return nil
	}
	return fmt.Errorf("cannot create a pointer in %s", home)
}

// Remove closes and removes the file and its pointer.
func (f *File) Remove() {
	path := f.Name()
	f.Close()
	os.Remove(path)
	Forget(path)
	f.dropPointer()
}

func (f *File) dropPointer() {
	if f.pointer != "" {
		os.Remove(f.pointer)
		Forget(f.pointer)
		f.pointer = ""
	}
}

// Rename closes the file and renames it to dst: it is no longer temporary.
func (f *File) Rename(dst string) error {
	path := f.Name()
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(path, dst); err != nil {
		return err
	}
	Forget(path)
	f.dropPointer()
	return nil
}

// Reserve makes an empty temporary file of kind in dir for a caller that
// opens and locks it itself (bbolt, for a new store), and registers it. The
// caller removes it, or hands it over, and then calls Forget.
func Reserve(dir, kind string) (string, error) {
	f, err := Create(dir, "", kind)
	if err != nil {
		return "", err
	}
	path := f.Name()
	if err := f.Close(); err != nil { // releases the lock: the caller takes its own
		f.Remove()
		return "", err
	}
	return path, nil
}

// Sweep removes the leftover temporary files in dir: those that no live
// process holds, and those that its dead pointers name. It returns the
// paths removed. Files of live processes, and anything not named like a
// partnerctl temporary file, are left alone.
func Sweep(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !IsName(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				continue
			}
			fi, err := os.Lstat(target)
			switch {
			case errors.Is(err, fs.ErrNotExist): // the file is gone: only the pointer is left
			case err != nil || !fi.Mode().IsRegular() || !IsName(filepath.Base(target)):
				continue // not ours to judge
			case held(target):
				continue
			default:
				if os.Remove(target) == nil {
					removed = append(removed, target)
				}
			}
			if os.Remove(path) == nil {
				removed = append(removed, path)
			}
		case e.Type().IsRegular():
			if !held(path) && os.Remove(path) == nil {
				removed = append(removed, path)
			}
		}
	}
	return removed, nil
}
