package link_test

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/partnerctl/partnerctl/internal/cli/cmdutil"
	"github.com/partnerctl/partnerctl/internal/cli/link"
	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// fakeClipboard records what was copied.
type fakeClipboard struct {
	supported bool
	err       error
	calls     []string
}

var ctx = context.Background()

func (c *fakeClipboard) Supported() bool { return c.supported }
func (c *fakeClipboard) WriteAll(s string) error {
	c.calls = append(c.calls, s)
	return c.err
}

func newStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.db")
	st, err := boltstore.Open(boltstore.Options{Path: path, Mode: boltstore.Create, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := console.New(st, console.Options{Clock: clock.Fixed(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))})
	if _, err := c.Init(ctx, console.InitParams{PartnerName: "Acme", SupportEmail: "help@acme.example",
		AdminOrgName: "Acme HQ", AdminEmail: "you@acme.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateOrg(ctx, "Bakery", "BAK-1"); err != nil {
		t.Fatal(err)
	}
	return path
}

var urlLine = regexp.MustCompile(`^https://login\.example\.com/magic\?token=plk_[A-Za-z0-9_-]{43}\n$`)

func TestCreateCopiesOnlyWhenItShould(t *testing.T) {
	for _, tc := range []struct {
		name      string
		tty       bool
		flags     []string
		clip      fakeClipboard
		copied    bool
		stderrEnd string
	}{
		{"terminal copies", true, nil, fakeClipboard{supported: true}, true, "Copied the URL to the clipboard\n"},
		{"pipe does not copy", false, nil, fakeClipboard{supported: true}, false, "until 2026-11-23 12:15:00 UTC\n"},
		{"--copy forces", false, []string{"--copy"}, fakeClipboard{supported: true}, true, "Copied the URL to the clipboard\n"},
		{"--no-copy skips", true, []string{"--no-copy"}, fakeClipboard{supported: true}, false, "until 2026-11-23 12:15:00 UTC\n"},
		{"headless terminal", true, nil, fakeClipboard{supported: false}, false,
			"Not copied: no clipboard on this machine (install xclip, xsel or wl-clipboard); copy the URL from the output\n"},
		{"failing clipboard", true, nil, fakeClipboard{supported: true, err: errors.New("exit status 1")}, true,
			"Not copied: the clipboard failed (exit status 1); copy the URL from the output\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := newStore(t)
			io, _, out, errOut := iostreams.Test()
			io.SetStdoutTTY(tc.tty)
			f := &cmdutil.Factory{IO: io, Getenv: env(path), Flags: cmdutil.GlobalFlags{Output: "table", LockTimeout: time.Second}}
			clip := tc.clip
			cmd := link.NewCmdLink(f, &clip)
			cmd.SetArgs(append([]string{"create", "BAK-1", "--email", "ceo@bakery.example"}, tc.flags...))
			cmd.SetOut(out)
			cmd.SetErr(errOut)
			if err := cmd.Execute(); err != nil {
				t.Fatalf("create: %v (stderr %q)", err, errOut)
			}
			if !urlLine.MatchString(out.String()) {
				t.Fatalf("stdout %q: want the URL alone", out)
			}
			if !strings.HasSuffix(errOut.String(), tc.stderrEnd) {
				t.Fatalf("stderr %q: want it to end with %q", errOut, tc.stderrEnd)
			}
			wantCalls := 0
			if tc.copied {
				wantCalls = 1
			}
			if len(clip.calls) != wantCalls {
				t.Fatalf("clipboard written %d times; want %d", len(clip.calls), wantCalls)
			}
			if tc.copied && clip.calls[0]+"\n" != out.String() {
				t.Fatalf("copied %q; want the printed URL %q", clip.calls[0], out)
			}
		})
	}
}

func TestCreateCopyFlagsConflict(t *testing.T) {
	path := newStore(t)
	io, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IO: io, Getenv: env(path), Flags: cmdutil.GlobalFlags{Output: "table", LockTimeout: time.Second}}
	clip := &fakeClipboard{supported: true}
	cmd := link.NewCmdLink(f, clip)
	cmd.SetArgs([]string{"create", "BAK-1", "--email", "a@b.example", "--copy", "--no-copy"})
	cmd.SetErr(out)
	err := cmd.Execute()
	if !fail.Is(err, fail.Usage) || len(clip.calls) != 0 || strings.Contains(out.String(), "plk_") {
		t.Fatalf("err %v, calls %d, output %q; want a usage error and nothing made", err, len(clip.calls), out)
	}
}

func env(db string) func(string) string {
	return func(k string) string {
		switch k {
		case cmdutil.EnvDB:
			return db
		case clock.EnvVar:
			return "2026-11-23T12:00:00Z"
		case cmdutil.EnvConfig:
			return db + ".config.json"
		case cmdutil.EnvUser:
			return "you@acme.example"
		}
		return ""
	}
}
