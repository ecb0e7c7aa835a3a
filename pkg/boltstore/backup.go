package boltstore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
	"github.com/partnerctl/partnerctl/pkg/tempfile"
)

var _ store.Backuper = (*Store)(nil)

// Backup writes a consistent copy of the store to dst, from one read
// transaction (bbolt's Tx.WriteTo), so the copy is a working store as of one
// instant. The copy goes to a temporary file (mode 0600) next to dst that is
// synced and then renamed over dst: dst is either the old file or the whole
// new copy, never half of one. It returns the bytes written.
func (s *Store) Backup(_ context.Context, dst string, opts store.BackupOptions) (int64, error) {
	if fi, err := os.Stat(dst); err == nil {
		if self, err2 := os.Stat(s.path); err2 == nil && os.SameFile(fi, self) {
			return 0, fail.Usagef("%s is the store itself; back up to another file", dst)
		}
		if fi.IsDir() {
			return 0, fail.Usagef("%s is a folder; name the backup file", dst)
		}
		if !opts.Force {
			return 0, fail.Conflictf("%s already exists", dst).WithCode(fail.CodeBackupExists)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, fail.Wrap(fail.Internal, err, "cannot write the backup")
	}
	dir := filepath.Dir(dst)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return 0, fail.Internalf("cannot write the backup: folder %s does not exist", dir)
	}
	// The copy's temporary file leaves a pointer in the store's folder
	// when it is elsewhere, so doctor can remove it after a crash.
	tmp, err := tempfile.Create(dir, filepath.Dir(s.path), tempfile.KindBackup)
	if err != nil {
		return 0, fail.Wrap(fail.Internal, err, "cannot write the backup")
	}
	done := false
	defer func() {
		if !done {
			tmp.Remove()
		}
	}()
	var n int64
	err = s.guard(func() error {
		return s.db.View(func(btx *bolt.Tx) error {
			var err error
			n, err = btx.WriteTo(tmp)
			return err
		})
	})
	if err != nil {
		return 0, fail.Wrap(fail.Internal, err, "cannot write the backup")
	}
	if opts.Written != nil {
		opts.Written()
	}
	if err := tmp.Sync(); err != nil {
		return 0, fail.Wrap(fail.Internal, err, "cannot write the backup")
	}
	if err := tmp.Rename(dst); err != nil {
		return 0, fail.Wrap(fail.Internal, err, "cannot write the backup")
	}
	done = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable; not every filesystem can
		d.Close()
	}
	return n, nil
}
