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
}

// Factory gives commands their dependencies; tests build one over buffers.
type Factory struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	Flags  GlobalFlags
	// Ctx is the running command's context; nil is context.Background().
	Ctx context.Context
}

// New returns the factory of a real process.
func New() *Factory {
	return &Factory{IO: iostreams.System(os.Getenv), Getenv: os.Getenv}
}

// Clock is the console's clock: PARTNERCTL_NOW when set, else the system's.
func (f *Factory) Clock() (clock.Clock, error) { return clock.FromEnv(f.Getenv(clock.EnvVar)) }

// DBPath is --db, else PARTNERCTL_DB, else the XDG data home default.
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

// Session is an open store with its console.
type Session struct {
	*console.Console
	Store store.Store
	// Path is the store's file, for messages.
	Path string
	// Fresh is true when Open created the store.
	Fresh bool
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
	opts, err := f.StoreOptions(mode)
	if err != nil {
		return nil, err
	}
	st, err := boltstore.Open(opts)
	if err != nil {
		return nil, err
	}
	sess, err := f.session(st, opts.Path)
	if err != nil {
		st.Close()
		return nil, err
	}
	c := console.New(st, console.Options{Clock: clk, As: as, Session: sess})
	return &Session{Console: c, Store: st, Path: st.Path(), Fresh: st.Fresh}, nil
}

// OpenStore opens the store alone, without a console: for maintenance
// (doctor, backup), which finds what the backend can do by probing its
// optional capabilities. check=false opens a store whose schema is
// incomplete, so doctor can report what is missing.
func (f *Factory) OpenStore(mode boltstore.Mode, check bool) (store.Store, string, error) {
	opts, err := f.StoreOptions(mode)
	if err != nil {
		return nil, "", err
	}
	opts.NoSchemaCheck = !check
	st, err := boltstore.Open(opts)
	if err != nil {
		return nil, "", err
	}
	return st, opts.Path, nil
}

// session is the config file's session of the store, found by the store's
// own id where it has one (so it follows the store when the file moves or
// is restored from a backup), else by its path. The first time a store is
// used with a config file, what builds before the config file kept in the
// store (who is logged in, open orgs) moves over.
func (f *Factory) session(st store.Store, storePath string) (console.Session, error) {
	key := config.StoreKey(storePath)
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

// StoreOptions are the options every command opens the store with: the
// path, the lock timeout, and warnings (such as a store other users can
// read) printed on stderr.
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
		Color: f.IO.ColorEnabled() && !f.Flags.NoColor, Now: clk(),
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
