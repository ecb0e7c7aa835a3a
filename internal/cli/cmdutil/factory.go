// Package cmdutil is what every command shares: the global flags, the
// factory that opens the store and builds the console, and argument checks.
package cmdutil

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/partnerctl/partnerctl/internal/boltstore"
	"github.com/partnerctl/partnerctl/internal/iostreams"
	"github.com/partnerctl/partnerctl/internal/output"
	"github.com/partnerctl/partnerctl/pkg/clock"
	"github.com/partnerctl/partnerctl/pkg/console"
	"github.com/partnerctl/partnerctl/pkg/fail"
)

// Environment variables partnerctl reads.
const (
	EnvDB   = "PARTNERCTL_DB"
	EnvUser = "PARTNERCTL_USER"
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
	CSVRaw      bool
}

// Factory gives commands their dependencies; tests build one over buffers.
type Factory struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	Flags  GlobalFlags
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
	Store *boltstore.Store
}

// Open opens the store in mode and builds a console for the acting user.
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
	c := console.New(st, clk, as)
	c.SetRealClock(f.RealClock)
	return &Session{Console: c, Store: st}, nil
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
func Read[T any](f *Factory, fn func(c *console.Console) (T, error)) (T, error) {
	return with(f, boltstore.ReadOnly, fn)
}

// Write runs fn with the store held for writing, then closes it.
func Write[T any](f *Factory, fn func(c *console.Console) (T, error)) (T, error) {
	return with(f, boltstore.ReadWrite, fn)
}

func with[T any](f *Factory, mode boltstore.Mode, fn func(c *console.Console) (T, error)) (T, error) {
	var zero T
	s, err := f.Open(mode)
	if err != nil {
		return zero, err
	}
	v, err := fn(s.Console)
	if cerr := s.Store.Close(); err == nil && cerr != nil {
		err = fail.Wrap(fail.Internal, cerr, "cannot close the store")
	}
	return v, err
}

// OutputOptions turns the global flags into printer options.
func (f *Factory) OutputOptions() (output.Options, error) {
	format, err := output.ParseFormat(f.Flags.Output)
	if err != nil {
		return output.Options{}, err
	}
	clk, err := f.Clock()
	if err != nil {
		return output.Options{}, err
	}
	o := output.Options{
		Format: format, NoHeaders: f.Flags.NoHeaders, TTY: f.IO.IsStdoutTTY(),
		Color: f.IO.ColorEnabled() && !f.Flags.NoColor, Now: clk(), CSVRaw: f.Flags.CSVRaw,
	}
	for _, field := range strings.Split(f.Flags.Fields, ",") {
		if field = strings.TrimSpace(field); field != "" {
			o.Fields = append(o.Fields, field)
		}
	}
	return o, nil
}
