package pgstore

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// pgTx is one store transaction over one pgx transaction. Writers are
// serialized (see Write), which is what lets it keep some writes in memory
// until they are needed: id sequences are read once and written back at
// the commit, and orgs put are written together, in one statement, before
// anything reads orgs (or at the commit). A bulk `orgs import` or demo of a
// million orgs is then a handful of statements, not a million.
type pgTx struct {
	tx       pgx.Tx
	readOnly bool
	// seqs are the id sequences read so far: the last number handed out.
	seqs store.SeqCounter
	// pending are the orgs put and not yet written, in put order; a second
	// put of one id replaces its entry.
	pending   []domain.Org
	pendingAt map[string]int
	// liveKeys resolves a feed's org keys in memory, once read.
	liveKeys *liveKeys
	// licensesAhead are the licenses of a page of orgs, by org, read
	// with the page (until a license is written).
	licensesAhead map[string][]domain.License
	// cursors numbers the listings' cursors, stages the staging tables.
	cursors, stages int
	// orgsWritten counts the orgs flushed, to refresh the planner's
	// statistics after a bulk write (see flush).
	orgsWritten int
	// pagesCostedAsCached: the transaction plans with cachedPageCost (see
	// costPagesAsCached).
	pagesCostedAsCached bool
	// scoped is whether the session is a scoped teammate's, once asked
	// (see isScoped).
	scoped *bool
	// hashesHidden: the session may not read the token hashes of links,
	// invitations and connect requests (see readable).
	hashesHidden bool
	// adminOrgID is the admin org's id as the store read it when it opened
	// ("": it had none), so only a miss of that id asks who may read it
	// (see Org).
	adminOrgID string
}

var _ store.Tx = (*pgTx)(nil)

var _ store.Store = (*Store)(nil)

// errReadOnly is what a write in a View returns, before reaching the server.
var errReadOnly = errors.New("pgstore: a write in a read-only transaction")

func (t *pgTx) writable() error {
	if t.readOnly {
		return errReadOnly
	}
	return nil
}

// View runs fn in a read-only transaction over one snapshot; it never waits
// for a writer.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", s.target, err)
	}
	return s.Read(ctx, func(tx pgx.Tx) error {
		return fn(&pgTx{tx: tx, readOnly: true, hashesHidden: s.hashesHidden, adminOrgID: s.adminOrgID})
	})
}

// Update runs fn in a write transaction holding the writer lock, then writes
// what fn left in memory and commits.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", s.target, err)
	}
	return s.Write(ctx, func(tx pgx.Tx) error {
		t := &pgTx{tx: tx, hashesHidden: s.hashesHidden, adminOrgID: s.adminOrgID}
		if err := fn(t); err != nil {
			return err
		}
		return t.flush(ctx)
	})
}

// flush writes what the transaction holds in memory. After a bulk write of
// orgs (an import, a demo) it refreshes the planner's statistics of the org
// tables in the same transaction, and merges the search index's new
// entries: until autovacuum gets round to it, a planner that has never
// seen them sorts every org for the first page (0.4 s at 100k orgs, 4.4 s
// at 1M, instead of reading 25 index entries).
func (t *pgTx) flush(ctx context.Context) error {
	if err := t.flushOrgs(ctx); err != nil {
		return err
	}
	if t.orgsWritten >= analyzeAfterOrgs {
		// Only the tables' owner may analyze them; for anyone else it is a
		// warning, not an error, and autovacuum does it soon after.
		if _, err := t.tx.Exec(ctx, "ANALYZE orgs, org_stats"); err != nil {
			return err
		}
		// The trigram index's new entries wait in its pending list (up to
		// 4 MB) until a vacuum; every search reads the whole list, and the
		// planner prices it so high that it reads every org instead (34 ms
		// at 100,000 orgs, against 9 ms through the index). Only the
		// index's owner may merge them; for anyone else autovacuum does.
		if _, err := t.tx.Exec(ctx, `SELECT gin_clean_pending_list('orgs_search'::regclass)
			WHERE pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'orgs_search'::regclass), 'USAGE')`); err != nil {
			return err
		}
	}
	return t.flushSeqs(ctx)
}

// analyzeAfterOrgs is how many orgs one transaction writes before its
// commit refreshes the org tables' statistics.
const analyzeAfterOrgs = 10_000

// micros drops what PostgreSQL can't keep (it stores microseconds), so what
// is read back is what was put.
func micros(tm time.Time) time.Time { return tm.Truncate(time.Microsecond) }

func microsPtr(tm *time.Time) *time.Time {
	if tm == nil {
		return nil
	}
	v := micros(*tm)
	return &v
}

// found turns a lookup of one row that found none into store.ErrNotFound:
// found(scanX(row)).
func found[T any](v T, err error) (T, error) {
	if errors.Is(err, pgx.ErrNoRows) {
		return v, store.ErrNotFound
	}
	return v, err
}

// toNullTime keeps a zero time (none recorded) as NULL.
func toNullTime(tm time.Time) *time.Time {
	if tm.IsZero() {
		return nil
	}
	return microsPtr(&tm)
}

// fromNullTime reads NULL back as the zero time.
func fromNullTime(tm *time.Time) time.Time {
	if tm == nil {
		return time.Time{}
	}
	return tm.UTC()
}

// utc puts times read from the server in UTC (pgx reads them in Local).
func utc(tm time.Time) time.Time { return tm.UTC() }

func utcPtr(tm *time.Time) *time.Time {
	if tm == nil {
		return nil
	}
	v := tm.UTC()
	return &v
}

// bulk goes first in the arguments of a statement that sends or reads many
// rows: described first (one more round trip), then sent and read in
// binary, not as text.
const bulk = pgx.QueryExecModeDescribeExec

// queryOne runs a query that returns at most one row; no row is
// store.ErrNotFound.
func (t *pgTx) queryOne(ctx context.Context, sql string, args []any, dest ...any) error {
	err := t.tx.QueryRow(ctx, sql, args...).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// probeRows is how many rows a listing first reads with a plain query;
// only a longer one goes on through a cursor.
const probeRows = 256

// list yields the rows of a query, scanned by scan. Other statements of the
// transaction may run while the caller consumes it (the console reads each
// org's licenses while it lists orgs), which one connection can't do in the
// middle of a result, so rows are read in batches, each read whole before
// it is yielded: first up to probeRows with a plain query (most listings
// end there, in one round trip), then the rest from a cursor over the same
// query. sql must order its rows completely (the cursor skips what the
// probe read) and may end with OFFSET but not LIMIT; limit > 0 is its
// LIMIT, added here. A caller that stops early closes the cursor.
func list[T any](ctx context.Context, t *pgTx, limit int, sql string, args []any, scan func(pgx.Row) (T, error)) iter.Seq2[T, error] {
	return listFrom(ctx, t, probeRows, limit, sql, args, scan)
}

// listMany is list for a listing that is usually long (every org, a
// search): straight to the cursor, without running the query twice.
func listMany[T any](ctx context.Context, t *pgTx, limit int, sql string, args []any, scan func(pgx.Row) (T, error)) iter.Seq2[T, error] {
	if limit > 0 && limit <= probeRows {
		return list(ctx, t, limit, sql, args, scan)
	}
	return listFrom(ctx, t, 0, limit, sql, args, scan)
}

func listFrom[T any](ctx context.Context, t *pgTx, probeRows, limit int, sql string, args []any, scan func(pgx.Row) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if probeRows > 0 {
			probe := probeRows + 1
			if limit > 0 && limit <= probeRows {
				probe = limit
			}
			rows, err := t.tx.Query(ctx, sql+" LIMIT "+strconv.Itoa(probe), args...)
			if err != nil {
				yield(zero, err)
				return
			}
			batch, err := collect(rows, scan)
			if err != nil {
				yield(zero, err)
				return
			}
			more := len(batch) > probeRows
			if more {
				batch = batch[:probeRows]
			}
			for _, v := range batch {
				if !yield(v, nil) {
					return
				}
			}
			if !more {
				return
			}
		}
		if limit > 0 {
			sql += " LIMIT " + strconv.Itoa(limit)
		}
		t.cursors++
		name := fmt.Sprintf("partnerctl_list_%d", t.cursors)
		if _, err := t.tx.Exec(ctx, "DECLARE "+name+" NO SCROLL CURSOR FOR "+sql, args...); err != nil {
			yield(zero, err)
			return
		}
		if probeRows > 0 {
			if _, err := t.tx.Exec(ctx, "MOVE FORWARD "+strconv.Itoa(probeRows)+" IN "+name); err != nil {
				yield(zero, err)
				return
			}
		}
		closeCursor := func() error {
			_, err := t.tx.Exec(ctx, "CLOSE "+name)
			return err
		}
		for size := 1024; ; size = min(size*2, 8192) {
			// Described on every fetch: the text of a FETCH says nothing of
			// its columns, so a cached description could be another cursor's.
			rows, err := t.tx.Query(ctx, fmt.Sprintf("FETCH %d FROM %s", size, name), pgx.QueryExecModeDescribeExec)
			if err != nil {
				yield(zero, err)
				return
			}
			batch, err := collect(rows, scan)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, v := range batch {
				if !yield(v, nil) {
					_ = closeCursor()
					return
				}
			}
			if len(batch) < size {
				if err := closeCursor(); err != nil {
					yield(zero, err)
				}
				return
			}
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
		}
	}
}

func collect[T any](rows pgx.Rows, scan func(pgx.Row) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
