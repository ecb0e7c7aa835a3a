package pgstore

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/pgstore/pgtest"
)

func TestEmbeddedMigrationsRunFromOneWithoutGaps(t *testing.T) {
	ms, err := embeddedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if LatestSchema() != len(ms) || ms[0].name != "0001_initial.sql" {
		t.Fatalf("latest %d, migrations %v", LatestSchema(), ms[0].name)
	}
	for _, bad := range []fstest.MapFS{
		{"0001_a.sql": {}, "0003_c.sql": {}},
		{"0001_a.sql": {}, "001_b.sql": {}},
		{"0001.sql": {}},
		{"0002_b.sql": {}},
		{},
	} {
		if _, err := loadMigrations(bad); err == nil {
			t.Errorf("accepted %v", bad)
		}
	}
}

func TestOpenRefusesADatabaseThatWasNeverInitialised(t *testing.T) {
	db := pgtest.NewDatabase(t)
	_, err := Open(testCtx(t), db.URL, Options{})
	if !errors.Is(err, ErrNotInitialized) || fail.ExitCode(err) != 1 {
		t.Fatalf("want ErrNotInitialized, exit 1; got %v (exit %d)", err, fail.ExitCode(err))
	}
	want := `database "` + db.Name + `" on Unix socket ` + pgtest.Server(t) + `/.s.PGSQL.5432 has no partnerctl schema`
	if err.Error() != want {
		t.Fatalf("message:\n got %s\nwant %s", err, want)
	}
	s := open(t, db.URL, Options{AllowOldSchema: true})
	if got := s.Schema(); got.Version != 0 || got.Latest != LatestSchema() || got.Current() {
		t.Fatalf("schema %+v", got)
	}
}

func TestMigrateCreatesTheSchemaOnce(t *testing.T) {
	db := pgtest.NewDatabase(t)
	s := open(t, db.URL, Options{AllowOldSchema: true})
	from, to, err := s.Migrate(testCtx(t))
	if err != nil || from != 0 || to != LatestSchema() || !s.Schema().Current() {
		t.Fatalf("migrate: %d → %d, %v, %+v", from, to, err, s.Schema())
	}
	from, to, err = s.Migrate(testCtx(t))
	if err != nil || from != LatestSchema() || to != LatestSchema() {
		t.Fatalf("second migrate: %d → %d, %v", from, to, err)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM schema_version"); n != int64(LatestSchema()) {
		t.Fatalf("%d schema_version rows", n)
	}
	// Now an ordinary open accepts it.
	open(t, db.URL, Options{})
}

func TestConcurrentMigrationsApplyEachStepOnce(t *testing.T) {
	db := pgtest.NewDatabase(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		s := open(t, db.URL, Options{AllowOldSchema: true, LockTimeout: time.Minute})
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = s.Migrate(testCtx(t))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	s := open(t, db.URL, Options{})
	if n := queryInt(t, s, "SELECT count(*) FROM schema_version"); n != int64(LatestSchema()) {
		t.Fatalf("%d schema_version rows", n)
	}
}

func TestANewerSchemaIsRefused(t *testing.T) {
	s, db := migrated(t, Options{})
	mustExec(t, s, "INSERT INTO schema_version (version, name) VALUES ($1, 'from_the_future.sql')", LatestSchema()+1)
	for _, allowOld := range []bool{false, true} {
		_, err := Open(testCtx(t), db.URL, Options{AllowOldSchema: allowOld})
		if !errors.Is(err, ErrSchemaNewer) || fail.ExitCode(err) != 1 || fail.HintOf(err) == "" {
			t.Fatalf("allowOld=%v: want ErrSchemaNewer, exit 1, a hint; got %v (exit %d)", allowOld, err, fail.ExitCode(err))
		}
		if !strings.Contains(err.Error(), "newer than this partnerctl") {
			t.Fatalf("message: %s", err)
		}
	}
	// A store opened before the newer build migrated refuses to migrate.
	if _, _, err := s.Migrate(testCtx(t)); !errors.Is(err, ErrSchemaNewer) {
		t.Fatalf("migrate over a newer schema: %v", err)
	}
}

func twoSteps(second string) []migration {
	ms, err := loadMigrations(fstest.MapFS{
		"0001_first.sql":  {Data: []byte("CREATE TABLE first (x int);")},
		"0002_second.sql": {Data: []byte(second)},
	})
	if err != nil {
		panic(err)
	}
	return ms
}

func TestAnOutdatedSchemaIsReportedThenMigrated(t *testing.T) {
	db := pgtest.NewDatabase(t)
	steps := twoSteps("CREATE TABLE second (y int); INSERT INTO first VALUES (1);")
	old := open(t, db.URL, Options{AllowOldSchema: true, migrations: steps[:1]})
	if _, to, err := old.Migrate(testCtx(t)); err != nil || to != 1 {
		t.Fatalf("first step: %d, %v", to, err)
	}
	_, err := Open(testCtx(t), db.URL, Options{migrations: steps})
	if !errors.Is(err, ErrSchemaOutdated) || errors.Is(err, ErrNotInitialized) || fail.ExitCode(err) != 1 {
		t.Fatalf("want ErrSchemaOutdated, exit 1; got %v", err)
	}
	if !strings.Contains(err.Error(), "has schema v1, older than this partnerctl's v2") {
		t.Fatalf("message: %s", err)
	}
	s := open(t, db.URL, Options{AllowOldSchema: true, migrations: steps})
	if from, to, err := s.Migrate(testCtx(t)); err != nil || from != 1 || to != 2 {
		t.Fatalf("migrate: %d → %d, %v", from, to, err)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM first"); n != 1 {
		t.Fatalf("second step didn't run: %d rows", n)
	}
}

func TestAFailedMigrationLeavesTheSchemaAsItWas(t *testing.T) {
	db := pgtest.NewDatabase(t)
	s := open(t, db.URL, Options{AllowOldSchema: true, migrations: twoSteps("CREATE TABLE second (y int); SELECT no_such_function();")})
	_, _, err := s.Migrate(testCtx(t))
	if err == nil || !strings.Contains(err.Error(), "migration 0002_second.sql: ") || fail.ExitCode(err) != 1 {
		t.Fatalf("want the failing migration named, exit 1; got %v", err)
	}
	if s.Schema().Version != 0 {
		t.Fatalf("schema %+v", s.Schema())
	}
	if n := queryInt(t, s, "SELECT count(*) FROM pg_tables WHERE tablename IN ('first', 'second', 'schema_version')"); n != 0 {
		t.Fatalf("%d tables left behind", n)
	}
}
