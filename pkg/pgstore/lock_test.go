package pgstore

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// holdWriter starts a write transaction on s that inserts a setting and
// holds the writer lock until release is called (at the latest when the
// test ends, so a failing test doesn't hang on it); it returns once the
// lock is held. release returns the writer's error.
func holdWriter(t *testing.T, s *Store) (release func() error) {
	t.Helper()
	held, unblock := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Write(context.Background(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(context.Background(), "INSERT INTO settings VALUES ('held', 'yes')"); err != nil {
				return err
			}
			close(held)
			<-unblock
			return nil
		})
	}()
	select {
	case <-held:
	case err := <-done:
		t.Fatalf("holding writer: %v", err)
	}
	var once sync.Once
	var err error
	release = func() error {
		once.Do(func() { close(unblock); err = <-done })
		return err
	}
	t.Cleanup(func() { release() })
	return release
}

func TestAWriterWaitsForTheLockThenIsBusyWhileReadsAnswer(t *testing.T) {
	holder, db := migrated(t, Options{})
	mustExec(t, holder, "INSERT INTO settings VALUES ('before', '1')")
	release := holdWriter(t, holder)

	const timeout = 300 * time.Millisecond
	other := open(t, db.URL, Options{LockTimeout: timeout})
	start := time.Now()
	err := exec(t, other, "INSERT INTO settings VALUES ('second', 'writer')")
	waited := time.Since(start)
	if !fail.Is(err, fail.Busy) || fail.ExitCode(err) != 6 {
		t.Fatalf("second writer: want Busy (exit 6), got %v", err)
	}
	want := `database "` + db.Name + `" on Unix socket `
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "is busy: another partnerctl is writing (waited 300ms)") {
		t.Fatalf("message: %s", err)
	}
	if waited < timeout {
		t.Fatalf("gave up after %s, before the %s lock timeout", waited, timeout)
	}
	// Reads answer at once, from the last commit: not the held writer's row.
	if n := queryInt(t, other, "SELECT count(*) FROM settings"); n != 1 {
		t.Fatalf("a reader saw %d settings, want the 1 committed", n)
	}
	if err := release(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	// Once the lock is free the second writer gets through and sees the
	// holder's commit.
	mustExec(t, other, "INSERT INTO settings SELECT 'after', value FROM settings WHERE key = 'held'")
	if n := queryInt(t, other, "SELECT count(*) FROM settings"); n != 3 {
		t.Fatalf("%d settings, want 3", n)
	}
}

func TestAZeroLockTimeoutStillGivesUpRatherThanWaitForever(t *testing.T) {
	holder, db := migrated(t, Options{})
	holdWriter(t, holder)
	other := open(t, db.URL, Options{LockTimeout: 0})
	if err := exec(t, other, "SELECT 1"); !fail.Is(err, fail.Busy) {
		t.Fatalf("want Busy, got %v", err)
	}
}

// TestWritersAreSerialized runs read-check-write increments from separate
// sessions: without the writer lock, READ COMMITTED loses updates.
func TestWritersAreSerialized(t *testing.T) {
	first, db := migrated(t, Options{})
	mustExec(t, first, "INSERT INTO id_sequences VALUES ('counter', 0)")
	const writers, rounds = 6, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		s := open(t, db.URL, Options{LockTimeout: time.Minute})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				err := s.Write(context.Background(), func(tx pgx.Tx) error {
					var n int64
					if err := tx.QueryRow(context.Background(), "SELECT last FROM id_sequences WHERE name = 'counter'").Scan(&n); err != nil {
						return err
					}
					time.Sleep(10 * time.Millisecond) // widen the window a lost update needs
					_, err := tx.Exec(context.Background(), "UPDATE id_sequences SET last = $1 WHERE name = 'counter'", n+1)
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, first, "SELECT last FROM id_sequences WHERE name = 'counter'"); n != writers*rounds {
		t.Fatalf("counter %d, want %d: updates were lost", n, writers*rounds)
	}
}

func TestAFailedWriteLeavesNothing(t *testing.T) {
	s, _ := migrated(t, Options{})
	boom := fail.Conflictf("no")
	err := s.Write(testCtx(t), func(tx pgx.Tx) error {
		if _, err := tx.Exec(testCtx(t), "INSERT INTO settings VALUES ('k', 'v')"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("want fn's own error back, got %v", err)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM settings"); n != 0 {
		t.Fatalf("%d settings survived a failed write", n)
	}
	// The rules' own errors (store.ErrNotFound…) come back as they are.
	for _, run := range []func(context.Context, func(pgx.Tx) error) error{s.Read, s.Write} {
		if err := run(testCtx(t), func(pgx.Tx) error { return store.ErrNotFound }); err != store.ErrNotFound {
			t.Fatalf("want store.ErrNotFound itself, got %#v", err)
		}
	}
}

func TestReadsCannotWrite(t *testing.T) {
	s, _ := migrated(t, Options{})
	err := s.Read(testCtx(t), func(tx pgx.Tx) error {
		_, err := tx.Exec(testCtx(t), "INSERT INTO settings VALUES ('k', 'v')")
		return err
	})
	if err == nil || fail.ExitCode(err) != 1 || !strings.Contains(err.Error(), "read-only transaction") {
		t.Fatalf("want a read-only refusal, got %v", err)
	}
}

func TestEverySessionGetsTheStoreSettings(t *testing.T) {
	s, _ := migrated(t, Options{LockTimeout: 2500 * time.Millisecond})
	want := map[string]string{
		"jit": "off", "temp_buffers": "128MB", "lock_timeout": "2500ms",
		"idle_in_transaction_session_timeout": "1min", "application_name": "partnerctl",
	}
	err := s.Read(testCtx(t), func(tx pgx.Tx) error {
		for name, v := range want {
			var got string
			if err := tx.QueryRow(testCtx(t), "SELECT current_setting($1)", name).Scan(&got); err != nil {
				return err
			}
			if got != v {
				t.Errorf("%s = %s, want %s", name, got, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
