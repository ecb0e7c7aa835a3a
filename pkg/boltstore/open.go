// Package boltstore implements pkg/store over one bbolt file.
//
// One writer at a time: bbolt takes an exclusive flock for a read-write open
// and a shared one for a read-only open, so readers run together and a writer
// waits for them; a turnstile keeps a stream of readers from starving it
// (turnstile_flock.go). Every open has a timeout; past it the caller gets a
// fail.Busy error (exit 6) instead of hanging.
package boltstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Mode says how a command uses the store.
type Mode int

const (
	// ReadOnly shares the store with other readers.
	ReadOnly Mode = iota
	// ReadWrite holds the store alone; the file must exist and be a store.
	ReadWrite
	// Create is ReadWrite that also makes a new, empty store when none exists.
	Create
)

// Options configure Open.
type Options struct {
	Path        string
	Mode        Mode
	LockTimeout time.Duration
	// Warn, when set, receives one-line warnings about the store, such as
	// a file that group or others can read.
	Warn func(msg string)
	// NoSchemaCheck opens a file without requiring a complete partnerctl
	// schema, so `doctor` can report what is missing instead of refusing.
	NoSchemaCheck bool
}

// Store is an open bbolt store.
type Store struct {
	db   *bolt.DB
	path string
	// file is where the bbolt file is: path, or for a new store not yet
	// published, a temporary file beside it (see create.go).
	file string
	// staged: a new store that Publish has not yet put at path.
	staged bool
	// leftover is a temporary name to remove once the file is closed.
	leftover    string
	lockTimeout time.Duration
	// mapped is how much of the file the mmap surely covers; 0 when unknown.
	mapped int64
	// Fresh is true when Open created the file.
	Fresh bool
	// staging is held by CreateOrgsStaged from its first step to its last,
	// and shared by every other transaction of this process.
	staging sync.RWMutex
	// arenas recycles write transactions' copies of their values.
	arenas arenaPool
}

var _ store.Store = (*Store)(nil)

// Open opens (or, in Create mode, creates) the store at opts.Path. A new
// store is built aside and put in place by Publish (or Close): see create.go.
func Open(opts Options) (*Store, error) {
	fresh := false
	fi, err := os.Stat(opts.Path)
	if errors.Is(err, fs.ErrNotExist) {
		if opts.Mode != Create {
			return nil, fail.Internalf("no store at %s", opts.Path).
				WithCode(fail.CodeNoStore)
		}
		if err := refuseSymlink(opts.Path, "which does not exist"); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(opts.Path), 0o700); err != nil {
			return nil, fail.Wrap(fail.Internal, err, "cannot create the store's folder")
		}
		fresh = true
	} else if err != nil {
		return nil, fail.Wrap(fail.Internal, err, "cannot read the store")
	} else {
		if fi.IsDir() {
			return nil, fail.Internalf("%s is a folder, not a partnerctl store", opts.Path).
				WithCode(fail.CodeNotAStore)
		}
		if !fi.Mode().IsRegular() {
			// Opening a FIFO waits for a writer; a device is no store either.
			return nil, fail.Internalf("%s is not a regular file (%s), so not a partnerctl store", opts.Path, fileKind(fi.Mode())).
				WithCode(fail.CodeNotAStore)
		}
		if fi.Size() == 0 {
			// Not a store yet (`mktemp`, `touch`, a crash of an earlier
			// build): refused by readers and writers before bbolt would
			// write its meta pages into it; init and demo build a store
			// aside and put it in its place.
			if opts.Mode != Create {
				return nil, fail.Internalf("no store at %s: the file is empty", opts.Path).
					WithCode(fail.CodeNoStore)
			}
			if err := refuseSymlink(opts.Path, "an empty file"); err != nil {
				return nil, err
			}
			fresh = true
		}
	}
	// A hostile or truncated file can make bbolt touch memory past the end
	// of its mapping; turn that fault into a recoverable panic (see
	// openBolt, View and Update) instead of a crash with a stack trace.
	debug.SetPanicOnFault(true)
	bo := &bolt.Options{Timeout: opts.LockTimeout, ReadOnly: opts.Mode == ReadOnly}
	if opts.LockTimeout <= 0 {
		// bbolt treats 0 as "wait forever"; the smallest real wait is the
		// closest honest reading of --lock-timeout 0.
		bo.Timeout = time.Millisecond
	}
	if opts.Mode != ReadOnly && strconv.IntSize == 64 && runtime.GOOS == "linux" {
		bo.InitialMmapSize = writeMmapSize
	}
	file := opts.Path
	release := func() {}
	if fresh {
		if file, err = reserveNewStore(opts); err != nil {
			return nil, err
		}
	} else {
		deadline := time.Now().Add(bo.Timeout)
		var timedOut bool
		release, timedOut = passTurnstile(opts.Path, opts.Mode != ReadOnly, deadline)
		if timedOut {
			return nil, classifyOpenError(opts, bolterrors.ErrTimeout)
		}
		bo.Timeout = max(time.Until(deadline), time.Millisecond)
	}
	db, err := openBolt(file, bo)
	release() // a writer holds the store now (or gave up): let readers queue there
	if err != nil {
		if fresh {
			discardFile(file)
		}
		return nil, classifyOpenError(opts, err)
	}
	s := &Store{db: db, path: opts.Path, file: file, staged: fresh, lockTimeout: opts.LockTimeout,
		Fresh: fresh, mapped: int64(bo.InitialMmapSize)}
	// With a large mmap bbolt grows the file in AllocSize steps past what it
	// needs (16 MB by default): keep the slack small.
	db.AllocSize = growStep
	switch {
	case fresh:
		err = s.guard(func() error { return db.Update(createSchema) })
	default:
		err = s.guard(s.checkSize)
		if err != nil {
			break
		}
		// Without the schema check (doctor, db migrate) the store is left
		// as it is, but for an orgs import that died between its
		// transactions: undoing that is recovery, not an upgrade.
		check, upgrade := schemaCurrent, upgradeSchema
		if opts.NoSchemaCheck {
			check, upgrade = noStagedOrgs, undoStagedOrgs
		}
		current := true
		err = s.guard(func() error {
			return db.View(func(btx *bolt.Tx) (err error) { current, err = check(btx); return err })
		})
		if err != nil || current {
			break
		}
		// A store of an earlier build is upgraded in place, in one write
		// transaction; a reader takes the write lock for that moment.
		if opts.Mode != ReadOnly {
			err = s.guard(func() error { return db.Update(upgrade) })
			break
		}
		_ = db.Close()
		if err = upgradeWith(opts); err != nil {
			return nil, err
		}
		if db, err = openBolt(opts.Path, bo); err != nil {
			return nil, classifyOpenError(opts, err)
		}
		s.db = db
		db.AllocSize = growStep
	}
	if err != nil && opts.Mode == Create && fail.Is(err, fail.Internal) {
		if code, _ := fail.CodeOf(err); code == fail.CodeNotAStore {
			var fe *fail.Error
			if errors.As(err, &fe) {
				err = fe.WithCode(fail.CodeHalfMadeStore)
			}
		}
	}
	if err != nil {
		_ = db.Close()
		if fresh {
			discardFile(file) // the temporary file: never a store at the path
		}
		return nil, err
	}
	if !fresh {
		warnMode(opts, fi.Mode())
	}
	return s, nil
}

// fileKind names a file type for an error message.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// writeMmapSize is the mmap a writer starts with on Linux (address space,
// not memory; elsewhere bbolt may grow the file to it): bbolt then never
// remaps below it, which saves remaps during big imports and tells
// dropMappedPages how far the mapping surely reaches.
const writeMmapSize = 1 << 30

// growStep is how far past its data bbolt grows the file at a time.
const growStep = 1 << 20

// openBolt turns a panic inside bbolt on a hostile file into an error.
func openBolt(path string, bo *bolt.Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", bolterrors.ErrInvalid, r)
		}
	}()
	return bolt.Open(path, 0o600, bo)
}

func classifyOpenError(opts Options, err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fail.Busyf("store %s is busy: another partnerctl process holds it (waited %s)", opts.Path, opts.LockTimeout).
			WithCode(fail.CodeBusy)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum):
		return fail.Internalf("%s is not a partnerctl store or is corrupt (%v)", opts.Path, err).
			WithCode(fail.CodeCorruptStore, opts.Path)
	case errors.Is(err, fs.ErrPermission):
		return fail.Wrap(fail.Internal, err, "cannot open the store")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fail.Internalf("cannot open %s: %v", opts.Path, err)
	}
	// bbolt's own complaints about the file (too small, bad meta page,
	// impossible sizes) all mean one thing to a user.
	return fail.Internalf("%s is not a partnerctl store or is corrupt (%v)", opts.Path, err).
		WithCode(fail.CodeCorruptStore, opts.Path)
}

// checkSize refuses a file shorter than its own meta page says: a truncated
// copy. Reading it would touch memory past the end of the file.
func (s *Store) checkSize() error {
	fi, err := os.Stat(s.file)
	if err != nil {
		return fail.Wrap(fail.Internal, err, "cannot read the store")
	}
	return s.db.View(func(btx *bolt.Tx) error {
		if need := btx.Size(); fi.Size() < need {
			return fail.Internalf("%s is truncated or corrupt: %d bytes, but its pages need %d", s.path, fi.Size(), need).
				WithCode(fail.CodeTruncatedStore)
		}
		return nil
	})
}

// warnMode tells the user when group or others can read or write the store:
// it holds customer data and, once links and invites exist, token hashes.
func warnMode(opts Options, mode fs.FileMode) {
	if opts.Warn == nil || mode.Perm()&0o077 == 0 {
		return
	}
	opts.Warn(fmt.Sprintf("warning: store %s is accessible by group or others (mode %04o); run `chmod 600 %s`",
		opts.Path, mode.Perm(), opts.Path))
}

// guard runs fn, turning a panic inside bbolt (a corrupt page, a fault past
// the end of a truncated file) into a clear error: never a stack trace.
func (s *Store) guard(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fail.Internalf("cannot read store %s (%v); it may be corrupt", s.path, r).
				WithCode(fail.CodeDamagedStore, s.path)
		}
	}()
	return fn()
}

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// DB exposes the bbolt handle for maintenance (doctor, backup).
func (s *Store) DB() *bolt.DB { return s.db }

// Close closes the store. A new store not yet published is published
// first: a library caller that opened with Create and closes finds its
// store at the path (init and demo call Publish themselves, to report it).
func (s *Store) Close() error {
	var perr error
	if s.staged {
		if perr = s.Publish(); perr != nil {
			s.Discard()
			return perr
		}
	}
	err := s.db.Close()
	if s.leftover != "" {
		discardFile(s.leftover)
		s.leftover = ""
	}
	return err
}

// View runs fn in a read transaction: a snapshot, shared with other readers.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.staging.RLock()
	defer s.staging.RUnlock()
	err := s.guard(func() error { return s.db.View(func(btx *bolt.Tx) error { return fn(&boltTx{btx: btx}) }) })
	s.dropMappedPages()
	return err
}

// Update runs fn in the write transaction: this process holds the file's
// exclusive lock, so no other writer runs meanwhile.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.staging.RLock()
	defer s.staging.RUnlock()
	var t *boltTx
	err := s.guard(func() error {
		return s.db.Update(func(btx *bolt.Tx) error {
			t = &boltTx{btx: btx, arenas: &s.arenas}
			if err := fn(t); err != nil {
				return err
			}
			return t.flushIndexes()
		})
	})
	if t != nil {
		t.releaseArena() // bbolt has committed or rolled back
	}
	s.dropMappedPages()
	return err
}

// Discard closes a store this process created and not yet published and
// removes its temporary file: for a command that failed before the new
// store held anything worth keeping. A published store, or one opened
// rather than created, is only closed: it may be another process's.
func (s *Store) Discard() {
	_ = s.db.Close()
	if s.staged {
		discardFile(s.file)
		s.staged = false
	}
	if s.leftover != "" {
		discardFile(s.leftover)
		s.leftover = ""
	}
}
