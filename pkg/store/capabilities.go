package store

import "context"

// Optional capabilities: a backend implements them when it can, and callers
// find out with a type assertion (as restic's backends do).

// StorageChecker checks a backend's own structures (pages, indexes, files)
// beyond the domain invariants that pkg/doctor checks for every backend.
type StorageChecker interface {
	// CheckStorage only reads. pages is the outcome of a PageChecker run
	// elsewhere, nil to run it here when the backend has one.
	CheckStorage(ctx context.Context, pages []string) (StorageReport, error)
}

// StorageReport is what CheckStorage found.
type StorageReport struct {
	Problems []string
	// Unreadable says the records can't be trusted (damaged pages, a
	// missing schema): checks that read them should not run.
	Unreadable bool
	Checks     int    // how many checks ran
	Events     int    // imported event ids held
	Summary    string // what was checked, for the user ("bbolt's consistency check")
}

// PageChecker is a low-level check that may crash or exhaust memory on a
// damaged file, so a careful caller runs it in a child process.
type PageChecker interface {
	CheckPages(ctx context.Context) ([]string, error)
}

// Backuper writes a consistent copy of the store to a file while other
// processes keep working; the copy is a working store.
type Backuper interface {
	Backup(ctx context.Context, dst string, opts BackupOptions) (int64, error)
}

// BackupOptions tune Backup.
type BackupOptions struct {
	// Force replaces an existing file at the destination; without it an
	// existing file is an error.
	Force bool
	// Written, when set, is called once the copy is complete but before it
	// is made durable: the store is no longer needed then.
	Written func()
}
