// Package config is the local config file: the per-person state that is
// not store data (who is logged in, which org each user has open), kept per
// store in $XDG_CONFIG_HOME/partnerctl/config.json (mode 0600), so people
// sharing a store each have their own.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// File is the config file at one path.
type File struct{ path string }

// At is the config file at path.
func At(path string) *File { return &File{path: path} }

// DefaultPath is $XDG_CONFIG_HOME/partnerctl/config.json, or under
// ~/.config when XDG_CONFIG_HOME is unset.
func DefaultPath(getenv func(string) string) (string, error) {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fail.Usagef("cannot find a home folder for the config file; set XDG_CONFIG_HOME")
			}
			home = h
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "partnerctl", "config.json"), nil
}

// Path is where the file lives.
func (f *File) Path() string { return f.path }

type data struct {
	Stores map[string]*StoreState `json:"stores"`
}

// StoreState is what one person keeps about one store.
type StoreState struct {
	CurrentUser string            `json:"current_user,omitempty"`
	OpenOrgs    map[string]string `json:"open_orgs,omitempty"` // email → org id
}

// Read returns the state kept for store key; ok is false when there is none.
func (f *File) Read(key string) (StoreState, bool, error) {
	d, err := f.load()
	if err != nil {
		return StoreState{}, false, err
	}
	st, ok := d.Stores[key]
	if !ok {
		return StoreState{}, false, nil
	}
	return *st, true, nil
}

// Update changes the state kept for store key, under an exclusive lock so
// two processes saving at once don't lose each other's change, and writes
// the file whole (temporary file, then rename).
func (f *File) Update(key string, change func(*StoreState)) error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot save the config file")
	}
	lock, err := os.OpenFile(f.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fail.Wrap(fail.Internal, err, "cannot save the config file")
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot lock the config file")
	}
	d, err := f.load()
	if err != nil {
		return err
	}
	st := d.Stores[key]
	if st == nil {
		st = &StoreState{}
		d.Stores[key] = st
	}
	change(st)
	raw, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".config-*.json")
	if err != nil {
		return fail.Wrap(fail.Internal, err, "cannot save the config file")
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		tmp.Close()
		return fail.Wrap(fail.Internal, err, "cannot save the config file")
	}
	if err := tmp.Close(); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot save the config file")
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fail.Wrap(fail.Internal, err, "cannot save the config file")
	}
	return nil
}

func (f *File) load() (*data, error) {
	d := &data{Stores: map[string]*StoreState{}}
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return nil, fail.Wrap(fail.Internal, err, "cannot read the config file")
	}
	if err := json.Unmarshal(raw, d); err != nil {
		return nil, fail.Internalf("config file %s is not valid JSON (%v)", f.path, err).
			WithHint("fix or delete it: it only holds who is logged in and which org is open")
	}
	if d.Stores == nil {
		d.Stores = map[string]*StoreState{}
	}
	return d, nil
}

// Session is the console.Session of one store, kept in the file.
type Session struct {
	File *File
	Key  string
}

func (s Session) CurrentUser() (string, error) {
	st, _, err := s.File.Read(s.Key)
	return st.CurrentUser, err
}

func (s Session) SetCurrentUser(email string) error {
	return s.File.Update(s.Key, func(st *StoreState) { st.CurrentUser = email })
}

func (s Session) OpenOrg(email string) (string, error) {
	st, _, err := s.File.Read(s.Key)
	return st.OpenOrgs[email], err
}

func (s Session) SetOpenOrg(email, orgID string) error {
	return s.File.Update(s.Key, func(st *StoreState) {
		if orgID == "" {
			delete(st.OpenOrgs, email)
			return
		}
		if st.OpenOrgs == nil {
			st.OpenOrgs = map[string]string{}
		}
		st.OpenOrgs[email] = orgID
	})
}

// StoreKey names a store file in the config: its absolute path.
func StoreKey(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return fmt.Sprintf("file:%s", abs)
}
