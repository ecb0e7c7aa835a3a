package root

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
)

// run executes partnerctl in-process with a pinned clock and returns the
// exit code and stderr.
func run(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	env := map[string]string{"PARTNERCTL_DB": db, "PARTNERCTL_NOW": "2026-11-23T12:00:00Z", "PARTNERCTL_CONFIG": db + ".config.json"}
	f := &cmdutil.Factory{IO: io, Getenv: func(k string) string { return env[k] }}
	code := Main(f, args)
	return code, out.String(), errOut.String()
}

func TestSecondWriterGetsExit6AfterTheLockTimeout(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	if code, _, errOut := run(t, db, "demo", "--orgs", "3"); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	holder, err := boltstore.Open(boltstore.Options{Path: db, Mode: boltstore.ReadWrite, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, db, "--lock-timeout", "150ms", "orgs", "create", "--name", "Blocked")
	if code != 6 || !strings.HasPrefix(errOut, "partnerctl: store "+db+" is busy: another partnerctl process holds it (waited 150ms); try again") {
		t.Fatalf("writer while locked: exit %d, %q", code, errOut)
	}
	code, _, errOut = run(t, db, "--lock-timeout", "150ms", "orgs", "list")
	if code != 6 {
		t.Fatalf("reader while a writer holds the store: exit %d, %q", code, errOut)
	}
	holder.Close()
	if code, _, errOut := run(t, db, "orgs", "create", "--name", "Unblocked"); code != 0 {
		t.Fatalf("after release: %d %s", code, errOut)
	}
}

func TestReadersShareTheStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	if code, _, errOut := run(t, db, "demo", "--orgs", "3"); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	reader, err := boltstore.Open(boltstore.Options{Path: db, Mode: boltstore.ReadOnly, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	code, out, errOut := run(t, db, "--lock-timeout", "150ms", "orgs", "list", "--fields", "ref_id", "--no-headers")
	if code != 0 || strings.Count(out, "CUST-") != 3 {
		t.Fatalf("a second reader must not wait: exit %d, %q %q", code, out, errOut)
	}
}
