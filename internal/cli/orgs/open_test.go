package orgs

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
)

var ctx = context.Background()

func openTestStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.db")
	st, err := boltstore.Open(boltstore.Options{Path: path, Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := console.New(st, console.Options{Clock: clock.Fixed(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))})
	if _, err := c.Init(ctx, console.InitParams{PartnerName: "Acme", SupportEmail: "help@acme.example",
		AdminOrgName: "Acme HQ", AdminEmail: "you@acme.example", LoginBaseURL: "https://app.acme.example/login"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateOrg(ctx, "Bakery", "BAK-1"); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenWeb(t *testing.T) {
	const url = "https://app.acme.example/orgs/org_000002/inbox\n"
	const opened = "Opened Bakery (org_000002) as partner; `partnerctl orgs close` returns to the admin org\n"
	notFound := &exec.Error{Name: "xdg-open", Err: exec.ErrNotFound}
	for _, tc := range []struct {
		name       string
		args       []string
		browserErr error
		calls      int
		stderr     string
	}{
		{"no --web", []string{"BAK-1"}, nil, 0, opened},
		{"browser opens", []string{"BAK-1", "--web"}, nil, 1, opened + "Opened the inbox in your browser\n"},
		{"no browser", []string{"BAK-1", "--web"}, notFound, 1,
			opened + "No browser could be opened: none was found on this machine; open the URL above yourself\n"},
		{"browser fails", []string{"BAK-1", "-w"}, errors.New("exit status 3"), 1,
			opened + "No browser could be opened (exit status 3); open the URL above yourself\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTestStore(t)
			io, _, out, errOut := iostreams.Test()
			getenv := func(k string) string {
				return map[string]string{cmdutil.EnvDB: db, clock.EnvVar: "2026-11-23T12:00:00Z",
					cmdutil.EnvConfig: db + ".config.json", cmdutil.EnvUser: "you@acme.example"}[k]
			}
			f := &cmdutil.Factory{IO: io, Getenv: getenv, Flags: cmdutil.GlobalFlags{Output: "table", LockTimeout: time.Second}}
			var got []string
			cmd := NewCmdOpen(f, func(u string) error { got = append(got, u); return tc.browserErr })
			cmd.SetArgs(tc.args)
			if err := cmd.Execute(); err != nil {
				t.Fatalf("open: %v", err) // no browser is not a failure: the org was opened
			}
			if out.String() != url {
				t.Fatalf("stdout %q; want %q", out, url)
			}
			if errOut.String() != tc.stderr {
				t.Fatalf("stderr %q; want %q", errOut, tc.stderr)
			}
			if len(got) != tc.calls || (tc.calls == 1 && got[0]+"\n" != url) {
				t.Fatalf("browser calls %q; want %d of the inbox URL", got, tc.calls)
			}
		})
	}
}
