package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// storeFacts is what anyone who can connect is told of a store, whatever
// row-level security lets them read (partnerctl_store_facts in the
// schema): a removed teammate or a login mapped to no one sees no row of
// any table, yet partnerctl's refusals name the partner and its admin org,
// `init` and `demo` say whether the store is a demo, and opening a store
// checks its schema's version.
type storeFacts struct {
	schemaVersion int
	storeID       *string
	partnerName   *string
	adminOrgID    *string
	adminOrgName  *string
	kind          *string
}

const storeFactsQuery = `SELECT schema_version, store_id, partner_name, admin_org_id, admin_org_name, kind
	FROM partnerctl_store_facts()`

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func readStoreFacts(ctx context.Context, q querier) (storeFacts, error) {
	var f storeFacts
	err := q.QueryRow(ctx, storeFactsQuery).Scan(&f.schemaVersion, &f.storeID, &f.partnerName, &f.adminOrgID, &f.adminOrgName, &f.kind)
	return f, err
}

// outsidersPartner is the partner as a session that may not read its row
// knows it: its name and its admin org's id, nothing else.
// store.ErrNotFound when the store has no partner.
func (t *pgTx) outsidersPartner(ctx context.Context) (domain.Partner, error) {
	f, err := readStoreFacts(ctx, t.tx)
	if err != nil {
		return domain.Partner{}, err
	}
	if f.partnerName == nil || f.adminOrgID == nil {
		return domain.Partner{}, store.ErrNotFound
	}
	return domain.Partner{Name: *f.partnerName, AdminOrgID: *f.adminOrgID}, nil
}

// outsidersAdminOrg is the admin org as a session that may not read its
// row knows it: its id and name. store.ErrNotFound when id isn't the
// admin org's (asking the server only when it may be: the admin org
// changes with a reset alone).
func (t *pgTx) outsidersAdminOrg(ctx context.Context, id string) (domain.Org, error) {
	if t.adminOrgID != "" && id != t.adminOrgID {
		return domain.Org{}, store.ErrNotFound
	}
	f, err := readStoreFacts(ctx, t.tx)
	if err != nil {
		return domain.Org{}, err
	}
	if f.adminOrgID == nil || *f.adminOrgID != id || f.adminOrgName == nil {
		return domain.Org{}, store.ErrNotFound
	}
	return domain.Org{ID: id, Name: *f.adminOrgName, Admin: true}, nil
}
