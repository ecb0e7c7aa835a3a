package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/pgstore/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// open opens url and closes the store when the test ends.
func open(t *testing.T, url string, opts Options) *Store {
	t.Helper()
	s, err := Open(testCtx(t), url, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// migrated is a fresh database with this build's schema, and a store on it.
func migrated(t *testing.T, opts Options) (*Store, *pgtest.Database) {
	t.Helper()
	db := pgtest.NewDatabaseFrom(t, schemaTemplate(t))
	return open(t, db.URL, opts), db
}

// schemaTemplate is a database with this build's schema, made once: copying
// it is much faster than migrating each test's database.
func schemaTemplate(t *testing.T) string {
	t.Helper()
	return pgtest.Template(t, "partnerctl_schema", func(url string) error {
		ctx := context.Background()
		s, err := Open(ctx, url, Options{AllowOldSchema: true})
		if err != nil {
			return err
		}
		defer s.Close()
		_, _, err = s.Migrate(ctx)
		return err
	})
}

// exec runs statements in one write transaction.
func exec(t *testing.T, s *Store, sql string, args ...any) error {
	t.Helper()
	return s.Write(testCtx(t), func(tx pgx.Tx) error {
		_, err := tx.Exec(testCtx(t), sql, args...)
		return err
	})
}

func mustExec(t *testing.T, s *Store, sql string, args ...any) {
	t.Helper()
	if err := exec(t, s, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func queryInt(t *testing.T, s *Store, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	err := s.Read(testCtx(t), func(tx pgx.Tx) error { return tx.QueryRow(testCtx(t), sql, args...).Scan(&n) })
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}
