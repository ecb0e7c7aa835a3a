package cmdutil

import (
	"github.com/partnerctl/partnerctl/pkg/boltstore"
	"github.com/partnerctl/partnerctl/pkg/pgstore"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// openedStore is a store the factory opened, with what commands say of it.
type openedStore struct {
	store store.Store
	name  string // the file, or `database "acme" on db.example.com:5432`
	fresh bool   // made by this open (a new file, a new schema)
}

// openStore opens the store --db / PARTNERCTL_DB names: a postgres:// or
// postgresql:// URL is a shared PostgreSQL database, anything else a bbolt
// file. Commands see only store.Store and probe its capabilities.
func (f *Factory) openStore(mode boltstore.Mode, check bool) (openedStore, error) {
	where, err := f.DBPath()
	if err != nil {
		return openedStore{}, err
	}
	if pgstore.IsURL(where) {
		return f.openPostgres(where, mode, check)
	}
	opts, err := f.StoreOptions(mode)
	if err != nil {
		return openedStore{}, err
	}
	opts.NoSchemaCheck = !check
	st, err := boltstore.Open(opts)
	if err != nil {
		return openedStore{}, err
	}
	return openedStore{store: st, name: st.Path(), fresh: st.Fresh}, nil
}

// openPostgres opens a PostgreSQL store. Create (init, demo) makes the
// schema in a database that has none; check=false (doctor, db migrate)
// accepts a missing or older schema; every other open refuses them, and a
// newer one is always refused.
func (f *Factory) openPostgres(url string, mode boltstore.Mode, check bool) (openedStore, error) {
	ctx := f.Context()
	st, err := pgstore.Open(ctx, url, pgstore.Options{
		LockTimeout:    f.Flags.LockTimeout,
		AllowOldSchema: mode == boltstore.Create || !check,
	})
	if err != nil {
		return openedStore{}, err
	}
	opened := openedStore{store: st, name: st.Target()}
	if mode != boltstore.Create || st.Schema().Current() {
		return opened, nil
	}
	if st.Schema().Version > 0 {
		st.Close()
		return openedStore{}, st.RequireCurrentSchema()
	}
	if _, _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return openedStore{}, err
	}
	opened.fresh = true
	return opened, nil
}
