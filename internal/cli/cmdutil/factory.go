// Package cmdutil is what every command shares: the global flags, the
// factory that opens the store and builds the console, and argument checks.
package cmdutil

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/internal/config"
	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Environment variables partnerctl reads.
const (
	EnvDB     = "PARTNERCTL_DB"
	EnvUser   = "PARTNERCTL_USER"
	EnvConfig = "PARTNERCTL_CONFIG"
)

// GlobalFlags are the root command's persistent flags.
type GlobalFlags struct {
	DB          string
	Output      string
	Fields      string
	NoHeaders   bool
	As          string
	LockTimeout time.Duration
	NoColor     bool
	JQ          string
	Template    string
	// OutputSet is true when -o was given on the command line.
	OutputSet bool
	CSVRaw    bool
}

// Factory gives commands their dependencies; tests build one over buffers.
type Factory struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	Flags  GlobalFlags
	// Ctx is the running command's context; nil is context.Background().
	Ctx context.Context
	// RealClock, when set, stands in for the wall clock (which
	// PARTNERCTL_NOW never pins): only tests set it.
	RealClock clock.Clock
}

// New returns the factory of a real process. Its stderr escapes control
// sequences (diagnostics quote names and input lines); progress bars write
// their own under it (see output.RawWriter).
func New() *Factory {
	io := iostreams.System(os.Getenv)
	io.ErrOut = output.SafeWriter(io.ErrOut)
	return &Factory{IO: io, Getenv: os.Getenv}
}

// RealNow is the real clock's reading (RealClock in tests, else the
// system's), which PARTNERCTL_NOW never pins.
func (f *Factory) RealNow() time.Time {
	if f.RealClock != nil {
		return f.RealClock().UTC()
	}
	return time.Now().UTC()
}

// Clock is the console's clock: PARTNERCTL_NOW when set, else the system's.
func (f *Factory) Clock() (clock.Clock, error) { return clock.FromEnv(f.Getenv(clock.EnvVar)) }

// DBPath is --db, else PARTNERCTL_DB, else the XDG data home default: a
// bbolt file, or a postgres:// URL (see openStore).
func (f *Factory) DBPath() (string, error) {
	if f.Flags.DB != "" {
		return f.Flags.DB, nil
	}
	if p := f.Getenv(EnvDB); p != "" {
		return p, nil
	}
	data := f.Getenv("XDG_DATA_HOME")
	if data == "" {
		home := f.Getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fail.Usagef("cannot find a home folder for the default store; pass --db or set %s", EnvDB)
			}
			home = h
		}
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "partnerctl", "partnerctl.db"), nil
}

// StoreDir is the store's folder ("" when it can't be told): where
// temporary files go, so doctor finds a killed process's leftovers.
func (f *Factory) StoreDir() string {
	path, err := f.DBPath()
	if err != nil {
		return ""
	}
	return filepath.Dir(path)
}

// Session is an open store with its console.
type Session struct {
	*console.Console
	Store store.Store
	// Path names the store in messages: its file, or its database and host.
	Path string
	// Fresh is true when Open created the store (a file, or a schema).
	Fresh bool
}

// Publish puts a store this Open created at its path, complete, when the
// backend builds new stores aside (bbolt); otherwise there is nothing to do.
func (s *Session) Publish() error {
	if p, ok := s.Store.(interface{ Publish() error }); ok {
		return p.Publish()
	}
	return nil
}

// Discard closes the store and, when this Open created it and the backend
// can, removes it: for a command that failed before the new store held
// anything worth keeping.
func (s *Session) Discard() {
	if d, ok := s.Store.(interface{ Discard() }); ok {
		d.Discard()
		return
	}
	_ = s.Store.Close()
}

// Open opens the store in mode and builds a console for the acting user,
// whose session (current user, open orgs) lives in the local config file.
func (f *Factory) Open(mode boltstore.Mode) (*Session, error) {
	clk, err := f.Clock()
	if err != nil {
		return nil, err
	}
	as := f.Flags.As
	if as == "" {
		as = f.Getenv(EnvUser)
	}
	opened, err := f.openStore(mode, true)
	if err != nil {
		return nil, err
	}
	sess, err := f.session(opened.store, opened.name)
	if err != nil {
		opened.store.Close()
		return nil, err
	}
	c := console.New(opened.store, console.Options{Clock: clk, RealClock: f.RealClock, As: as, Session: sess})
	return &Session{Console: c, Store: opened.store, Path: opened.name, Fresh: opened.fresh}, nil
}

// OpenStore opens the store alone, without a console: for maintenance
// (doctor, backup, db migrate), which finds what the backend can do by
// probing its optional capabilities. check=false opens a store whose schema
// is incomplete or older than this build's, so doctor can report what is
// missing and db migrate can upgrade it. It returns the store's name for
// messages (its file, or its database and host).
func (f *Factory) OpenStore(mode boltstore.Mode, check bool) (store.Store, string, error) {
	opened, err := f.openStore(mode, check)
	if err != nil {
		return nil, "", err
	}
	return opened.store, opened.name, nil
}

// session is the config file's session of the store, found by the store's
// own id where it has one (so it follows the store when the file moves or
// is restored from a backup, and is the same for every URL of a database),
// else by its path. The first time a store is used with a config file,
// what builds before the config file kept in the store (who is logged in,
// open orgs) moves over.
func (f *Factory) session(st store.Store, storePath string) (console.Session, error) {
	key := ""
	if named, ok := st.(interface {
		StoreID(context.Context) (string, error)
	}); ok {
		id, err := named.StoreID(f.Context())
		if err != nil {
			return nil, err
		}
		if id != "" {
			key = "store:" + id
		}
	}
	if key == "" {
		key = config.StoreKey(storePath)
	}
	path, err := f.ConfigPath()
	if err != nil {
		return nil, err
	}
	file := config.At(path)
	s := config.Session{File: file, Key: key}
	if _, known, err := file.Read(key); err != nil || known {
		return s, err
	}
	legacy, ok := st.(interface {
		LegacySession(context.Context) (string, map[string]string, error)
	})
	if !ok {
		return s, nil
	}
	user, open, err := legacy.LegacySession(f.Context())
	if err != nil || (user == "" && len(open) == 0) {
		return s, err
	}
	return s, file.Update(key, func(state *config.StoreState) {
		state.CurrentUser, state.OpenOrgs = user, open
	})
}

// ConfigPath is PARTNERCTL_CONFIG, else $XDG_CONFIG_HOME/partnerctl/config.json.
func (f *Factory) ConfigPath() (string, error) {
	if p := f.Getenv(EnvConfig); p != "" {
		return p, nil
	}
	return config.DefaultPath(f.Getenv)
}

// Context is the context of the running command.
func (f *Factory) Context() context.Context {
	if f.Ctx == nil {
		return context.Background()
	}
	return f.Ctx
}

// StoreOptions are the options every command opens a bbolt store with:
// the path, the lock timeout, and warnings (such as a store other users
// can read) printed on stderr.
func (f *Factory) StoreOptions(mode boltstore.Mode) (boltstore.Options, error) {
	path, err := f.DBPath()
	if err != nil {
		return boltstore.Options{}, err
	}
	return boltstore.Options{
		Path: path, Mode: mode, LockTimeout: f.Flags.LockTimeout,
		Warn: func(msg string) { fmt.Fprintf(f.IO.ErrOut, "partnerctl: %s\n", msg) },
	}, nil
}

// Read runs fn on a read-only store and closes it before returning, so the
// caller prints with the store already released: a slow reader on a pipe
// never holds writers back.
func Read[T any](f *Factory, fn func(ctx context.Context, c *console.Console) (T, error)) (T, error) {
	return with(f, boltstore.ReadOnly, fn)
}

// Write runs fn with the store held for writing, then closes it.
func Write[T any](f *Factory, fn func(ctx context.Context, c *console.Console) (T, error)) (T, error) {
	return with(f, boltstore.ReadWrite, fn)
}

func with[T any](f *Factory, mode boltstore.Mode, fn func(ctx context.Context, c *console.Console) (T, error)) (T, error) {
	var zero T
	s, err := f.Open(mode)
	if err != nil {
		return zero, err
	}
	v, err := fn(f.Context(), s.Console)
	if cerr := s.Store.Close(); err == nil && cerr != nil {
		err = fail.Wrap(fail.Internal, cerr, "cannot close the store")
	}
	return v, err
}

// OutputOptions turns the global flags into printer options. --jq and
// --template imply -o json and are checked here, before any work is done.
func (f *Factory) OutputOptions() (output.Options, error) {
	format, err := output.ParseFormat(f.Flags.Output)
	if err != nil {
		return output.Options{}, err
	}
	if f.Flags.JQ != "" || f.Flags.Template != "" {
		if f.Flags.OutputSet && format != output.FormatJSON {
			return output.Options{}, fail.Usagef("--jq and --template filter JSON; they can't be combined with -o %s", format).
				WithHint("drop -o, or use -o json")
		}
		format = output.FormatJSON
	}
	clk, err := f.Clock()
	if err != nil {
		return output.Options{}, err
	}
	o := output.Options{
		Format: format, NoHeaders: f.Flags.NoHeaders, TTY: f.IO.IsStdoutTTY(),
		Color: f.IO.ColorEnabled() && !f.Flags.NoColor, Now: clk(), CSVRaw: f.Flags.CSVRaw,
		Width: f.IO.TerminalWidth(), Diag: f.IO.ErrOut,
		JQ: f.Flags.JQ, Template: f.Flags.Template,
	}
	for _, field := range strings.Split(f.Flags.Fields, ",") {
		if field = strings.TrimSpace(field); field != "" {
			o.Fields = append(o.Fields, field)
		}
	}
	if err := output.CheckFilters(o); err != nil {
		return output.Options{}, err
	}
	return o, nil
}
