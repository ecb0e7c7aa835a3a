package store

import (
	"context"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Optional capabilities: a backend implements them when it can, and callers
// find out with a type assertion (as restic's backends do).

// OrgPacker is a Tx that packs an org into a few bytes and back, with
// nothing lost: a sorted listing holds its matches packed (a record of the
// bbolt codec is ~120 bytes, no pointers) instead of decoded (~1 KB, all
// pointers for the collector to scan) or read again in windows, so a sort
// of a million orgs reads the store once.
type OrgPacker interface {
	PackOrg(dst []byte, o *domain.Org) []byte
	UnpackOrg(packed []byte, o *domain.Org) error
}

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

// Identity is a backend whose connections carry a verified identity, a
// database login, that every transaction acts as: who a user is comes from
// it, never from a claim (an email given on the command line, a saved
// login). Without it (a file on one laptop) the acting user is whoever the
// front end says.
type Identity interface {
	// Login is the transaction's login and the user it is bound to.
	Login(ctx context.Context, tx Tx) (Login, error)
	// BindFirstLogin binds the transaction's login to email on a store
	// whose logins are bound to no one yet (init, a demo's reset); how
	// says why, for the record. Accepting an invitation binds the
	// accepting login by itself.
	BindFirstLogin(ctx context.Context, tx Tx, email, how string) error
}

// Login is a verified identity.
type Login struct {
	// Name is the login's own name (a database role).
	Name string
	// Email is the partner user the login is bound to, "" when none.
	Email string
}

// Migrator upgrades a store whose schema is older than the build's, in one
// transaction; a store that upgrades itself when opened has none.
type Migrator interface {
	// Migrate returns the schema versions before and after.
	Migrate(ctx context.Context) (from, to int, err error)
}

// ImportRanges is a store whose write transactions cost what they dirty
// and hold it until they commit (bbolt: copy-on-write pages). An events
// import into such a store of several times OrgsPerImport orgs is applied
// one range of org ids at a time, a range per OrgsPerImport of its orgs,
// a transaction (or more) each (pkg/ingest).
type ImportRanges interface {
	OrgsPerImport() int
}

// EventStager is a Tx that can claim event ids its caller knows no import
// has claimed without looking them up among the ids claimed since its
// caller checked (bbolt: a set of runs of their own, merged into the
// others in one pass later). An events import in ranges stages each
// range's ids while Generations shows that only its own ranges committed
// since its planning read found them unclaimed, and its last transaction
// merges them: each range's ids fall between the earlier ranges' ids, and
// claiming them there rewrote those again in every range.
type EventStager interface {
	// StageEvents claims ids. One found claimed is an error, but the
	// store need not look among those staged since the caller checked
	// (bbolt looks among the merged runs only).
	StageEvents(ctx context.Context, ids []string) error
	// ClaimStagedEvents merges every staged id with the others (as
	// ClaimEvents does first, whenever ids are staged).
	ClaimStagedEvents(ctx context.Context) error
}

// Generations is a Tx that says which of the store's commits it sees: the
// store's generation counts every commit, by any process, so two
// transactions whose generations differ by n have exactly n commits
// between them. An events import in ranges reuses its planning read's
// answers in a range only when the commits since are its own ranges'.
type Generations interface {
	// Generation is the count of commits the transaction sees (a write
	// transaction's own commit not included).
	Generation() uint64
}
