package pgstore

import (
	"context"
	"fmt"

	"github.com/partnerctl/partnerctl/pkg/store"
)

var _ store.Identity = (*Store)(nil)

// Login is the session's login role (session_user: SET ROLE doesn't change
// it) and the partner user it is bound to.
func (s *Store) Login(ctx context.Context, tx store.Tx) (store.Login, error) {
	t, err := own(tx)
	if err != nil {
		return store.Login{}, err
	}
	var l store.Login
	var email *string
	if err := t.tx.QueryRow(ctx, "SELECT session_user::text, partnerctl_login_email()").Scan(&l.Name, &email); err != nil {
		return l, err
	}
	if email != nil {
		l.Email = *email
	}
	return l, nil
}

// BindFirstLogin binds the session's login to email when no login is bound
// yet (a SECURITY DEFINER function checks that: members can't write the
// bindings themselves).
func (s *Store) BindFirstLogin(ctx context.Context, tx store.Tx, email, how string) error {
	t, err := own(tx)
	if err != nil {
		return err
	}
	if err := t.writable(); err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, "SELECT partnerctl_bind_first_login($1, $2)", email, how)
	return err
}

func own(tx store.Tx) (*pgTx, error) {
	t, ok := tx.(*pgTx)
	if !ok {
		return nil, fmt.Errorf("pgstore: a transaction of another store (%T)", tx)
	}
	return t, nil
}

// StoreID is the store's own name, kept by a reset: the key of people's
// sessions in their local config file, whatever URL reaches the database.
// It is read when the store opens; "" for a database without a store.
func (s *Store) StoreID(context.Context) (string, error) { return s.id, nil }
