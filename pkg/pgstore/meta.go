package pgstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

func (t *pgTx) Partner(ctx context.Context) (domain.Partner, error) {
	var p domain.Partner
	var brand []byte
	err := t.queryOne(ctx, `SELECT id, name, support_email, logo_url, login_base_url, contact_name, contact_phone,
		created_at, admin_org_id, brand FROM partner`, nil,
		&p.ID, &p.Name, &p.SupportEmail, &p.LogoURL, &p.LoginBaseURL, &p.ContactName, &p.ContactPhone,
		&p.CreatedAt, &p.AdminOrgID, &brand)
	if errors.Is(err, store.ErrNotFound) {
		// Not the partner's row: none, or one this session may not read.
		return t.outsidersPartner(ctx)
	}
	if err != nil {
		return p, err
	}
	p.CreatedAt = utc(p.CreatedAt)
	return p, json.Unmarshal(brand, &p.Brand)
}

func (t *pgTx) PutPartner(ctx context.Context, p domain.Partner) error {
	if err := t.writable(); err != nil {
		return err
	}
	brand, err := json.Marshal(p.Brand)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO partner (id, name, support_email, logo_url, login_base_url, contact_name,
			contact_phone, created_at, admin_org_id, brand)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (one_row) DO UPDATE SET id = EXCLUDED.id, name = EXCLUDED.name,
			support_email = EXCLUDED.support_email, logo_url = EXCLUDED.logo_url,
			login_base_url = EXCLUDED.login_base_url, contact_name = EXCLUDED.contact_name,
			contact_phone = EXCLUDED.contact_phone, created_at = EXCLUDED.created_at,
			admin_org_id = EXCLUDED.admin_org_id, brand = EXCLUDED.brand`,
		p.ID, p.Name, p.SupportEmail, p.LogoURL, p.LoginBaseURL, p.ContactName, p.ContactPhone,
		micros(p.CreatedAt), p.AdminOrgID, string(brand))
	return err
}

// Kind reads how the store was made through partnerctl_store_facts: it is
// what `init` and `demo` say to anyone, whom row-level security may hide
// the store_meta row from.
func (t *pgTx) Kind(ctx context.Context) (domain.StoreKind, error) {
	f, err := readStoreFacts(ctx, t.tx)
	if err != nil || f.kind == nil {
		return "", err
	}
	return domain.StoreKind(*f.kind), nil
}

func (t *pgTx) SetKind(ctx context.Context, k domain.StoreKind) error {
	if err := t.writable(); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO store_meta (kind) VALUES ($1)
		ON CONFLICT (one_row) DO UPDATE SET kind = EXCLUDED.kind`, string(k))
	return err
}

func (t *pgTx) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := t.queryOne(ctx, "SELECT value FROM settings WHERE key = $1", []any{key}, &v)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return v, err
}

func (t *pgTx) PutSetting(ctx context.Context, key, value string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if value == "" {
		_, err := t.tx.Exec(ctx, "DELETE FROM settings WHERE key = $1", key)
		return err
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, key, value)
	return err
}

// NextSeq counts in memory after reading a sequence once; flushSeqs writes
// the sequences back before the commit.
func (t *pgTx) NextSeq(ctx context.Context, name string) (uint64, error) {
	if err := t.writable(); err != nil {
		return 0, err
	}
	return t.seqs.Next(name, func() (uint64, error) {
		var last int64
		err := t.queryOne(ctx, "SELECT last FROM id_sequences WHERE name = $1", []any{name}, &last)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
		return uint64(last), nil
	})
}

func (t *pgTx) flushSeqs(ctx context.Context) error {
	names, moved := t.seqs.Moved()
	if len(names) == 0 {
		return nil
	}
	lasts := make([]int64, len(moved))
	for i, n := range moved {
		lasts[i] = int64(n)
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO id_sequences (name, last) SELECT * FROM unnest($1::text[], $2::bigint[])
		ON CONFLICT (name) DO UPDATE SET last = EXCLUDED.last`, names, lasts)
	return err
}

func (t *pgTx) Reset(ctx context.Context) error {
	if err := t.writable(); err != nil {
		return err
	}
	t.seqs.Forget()
	t.pending, t.pendingAt, t.liveKeys, t.licensesAhead = nil, nil, nil, nil
	return resetData(ctx, t.tx)
}
