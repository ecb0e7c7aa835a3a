// Package boltstore implements pkg/store over one bbolt file.
//
// One writer at a time: bbolt takes an exclusive flock for a read-write open
// and a shared one for a read-only open, so readers run together and a writer
// waits for them. Every open has a timeout; past it the caller gets a
// fail.Busy error (exit 6) instead of hanging.
package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
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
}

// Store is an open bbolt store.
type Store struct {
	db   *bolt.DB
	path string
	// mapped is how much of the file the mmap surely covers; 0 when unknown.
	mapped int64
	// Fresh is true when Open created the file.
	Fresh bool
}

var _ store.Store = (*Store)(nil)

// Open opens (or, in Create mode, creates) the store at opts.Path.
func Open(opts Options) (*Store, error) {
	fresh := false
	if _, err := os.Stat(opts.Path); errors.Is(err, fs.ErrNotExist) {
		if opts.Mode != Create {
			return nil, fail.Internalf("no store at %s", opts.Path).
				WithHint("create one with `partnerctl init …`, or try `partnerctl demo`")
		}
		if err := os.MkdirAll(filepath.Dir(opts.Path), 0o700); err != nil {
			return nil, fail.Wrap(fail.Internal, err, "cannot create the store's folder")
		}
		fresh = true
	} else if err != nil {
		return nil, fail.Wrap(fail.Internal, err, "cannot read the store")
	}
	bo := &bolt.Options{Timeout: opts.LockTimeout, ReadOnly: opts.Mode == ReadOnly}
	if opts.LockTimeout <= 0 {
		// bbolt treats 0 as "wait forever"; the smallest real wait is the
		// closest honest reading of --lock-timeout 0.
		bo.Timeout = time.Millisecond
	}
	if opts.Mode != ReadOnly && strconv.IntSize == 64 && runtime.GOOS == "linux" {
		bo.InitialMmapSize = writeMmapSize
	}
	db, err := openBolt(opts.Path, bo)
	if err != nil {
		if fresh {
			_ = os.Remove(opts.Path)
		}
		return nil, classifyOpenError(opts, err)
	}
	s := &Store{db: db, path: opts.Path, Fresh: fresh, mapped: int64(bo.InitialMmapSize)}
	// With a large mmap bbolt grows the file in AllocSize steps past what it
	// needs (16 MB by default): keep the slack small.
	db.AllocSize = growStep
	if fresh {
		err = db.Update(createSchema)
	} else {
		err = db.View(checkSchema)
	}
	if err != nil {
		_ = db.Close()
		if fresh {
			_ = os.Remove(opts.Path)
		}
		return nil, err
	}
	return s, nil
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
			WithHint("try again, or wait longer with --lock-timeout")
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum):
		return fail.Internalf("%s is not a partnerctl store or is corrupt (%v)", opts.Path, err).
			WithHint("check --db / PARTNERCTL_DB; `partnerctl doctor` inspects a store")
	case errors.Is(err, fs.ErrPermission):
		return fail.Wrap(fail.Internal, err, "cannot open the store")
	}
	return fail.Internalf("cannot open %s: %v", opts.Path, err)
}

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// DB exposes the bbolt handle for maintenance (doctor, backup).
func (s *Store) DB() *bolt.DB { return s.db }

func (s *Store) Close() error { return s.db.Close() }

func (s *Store) View(fn func(store.Tx) error) error {
	err := s.db.View(func(btx *bolt.Tx) error { return fn(&tx{btx: btx}) })
	s.dropMappedPages()
	return err
}

func (s *Store) Update(fn func(store.Tx) error) error {
	err := s.db.Update(func(btx *bolt.Tx) error {
		t := &tx{btx: btx}
		if err := fn(t); err != nil {
			return err
		}
		return t.flushIndexes()
	})
	s.dropMappedPages()
	return err
}

var (
	bucketMeta     = []byte("meta")
	bucketSettings = []byte("settings")
	bucketSeq      = []byte("seq")
	bucketOrgs     = []byte("orgs")
	bucketOrgNames = []byte("org_names")
	bucketOrgRefs  = []byte("org_refs")
	bucketMembers  = []byte("members")
	bucketEvents   = []byte("events")
	bucketDevices  = []byte("devices")
	bucketAudit    = []byte("audit")
	bucketLinks    = []byte("links")
	bucketLinkHash = []byte("link_hashes")
	bucketLicenses = []byte("licenses")

	allBuckets = [][]byte{bucketMeta, bucketSettings, bucketSeq, bucketOrgs, bucketOrgNames,
		bucketOrgRefs, bucketMembers, bucketEvents, bucketDevices, bucketAudit,
		bucketLinks, bucketLinkHash, bucketLicenses}

	keySchema   = []byte("schema_version")
	keyKind     = []byte("kind")
	keyPartner  = []byte("partner")
	keyOrgCount = []byte("org_count")
)

func createSchema(btx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return btx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(store.SchemaVersion)))
}

func checkSchema(btx *bolt.Tx) error {
	meta := btx.Bucket(bucketMeta)
	if meta == nil || meta.Get(keySchema) == nil {
		return fail.Internalf("this file is a bbolt database but not a partnerctl store").
			WithHint("check --db / PARTNERCTL_DB")
	}
	v, err := strconv.Atoi(string(meta.Get(keySchema)))
	if err != nil {
		return fail.Internalf("store has an unreadable schema version %q", meta.Get(keySchema))
	}
	if v > store.SchemaVersion {
		return fail.Internalf("store schema v%d is newer than this partnerctl understands (v%d)", v, store.SchemaVersion).
			WithHint("upgrade partnerctl")
	}
	for _, name := range allBuckets {
		if btx.Bucket(name) == nil {
			return fail.Internalf("store is missing its %q bucket", name).WithHint("run `partnerctl doctor`")
		}
	}
	return nil
}

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// Discard closes a store this process created and removes its file: for a
// command that failed before the new store held anything worth keeping.
func (s *Store) Discard() {
	_ = s.db.Close()
	if s.Fresh {
		_ = os.Remove(s.path)
	}
}
