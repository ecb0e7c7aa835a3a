package cmdutil

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
)

// A store from a build that kept the session in the store: its current
// user and open orgs move to the config file on first use, once.
func TestLegacySessionMovesToTheConfigFile(t *testing.T) {
	dir := t.TempDir()
	db, cfg := filepath.Join(dir, "p.db"), filepath.Join(dir, "config", "config.json")
	st, err := boltstore.Open(boltstore.Options{Path: db, Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c := console.New(st, console.Options{Clock: clock.Fixed(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))})
	if _, err := c.Init(context.Background(), console.InitParams{PartnerName: "Acme", SupportEmail: "help@acme.example",
		AdminOrgName: "Acme HQ", AdminEmail: "you@acme.example"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	raw, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("settings"))
		if err := b.Put([]byte("current_user"), []byte("you@acme.example")); err != nil {
			return err
		}
		return b.Put([]byte("active_org/you@acme.example"), []byte("org_000009"))
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	io, _, _, _ := iostreams.Test()
	env := map[string]string{EnvDB: db, EnvConfig: cfg}
	f := &Factory{IO: io, Getenv: func(k string) string { return env[k] }, Flags: GlobalFlags{LockTimeout: time.Second}}
	who, err := Read(f, func(ctx context.Context, c *console.Console) (console.WhoAmI, error) { return c.WhoAmI(ctx) })
	if err != nil || who.Email != "you@acme.example" {
		t.Fatalf("whoami after the move: %+v %v", who, err)
	}
	saved, err := os.ReadFile(cfg)
	if err != nil || !strings.Contains(string(saved), `"current_user": "you@acme.example"`) || !strings.Contains(string(saved), `"you@acme.example": "org_000009"`) {
		t.Fatalf("config file: %s %v", saved, err)
	}
	if fi, err := os.Stat(cfg); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("config file mode: %v %v", fi.Mode(), err)
	}
	// Logging out is not undone by the store's old copy.
	if _, err := Write(f, func(ctx context.Context, c *console.Console) (struct{}, error) { return struct{}{}, c.Logout(ctx) }); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(f, func(ctx context.Context, c *console.Console) (console.WhoAmI, error) { return c.WhoAmI(ctx) }); err == nil {
		t.Fatal("still logged in after logout")
	}
}
