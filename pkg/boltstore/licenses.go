package boltstore

import (
	"bytes"
	"context"
	"iter"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Licenses are records keyed by sequence. license_orgs indexes them by org
// (org id, 0, license seq), so one org's license status costs a seek, not a
// scan: the first page of `orgs list` reads only its own orgs' licenses.

func licenseOrgKey(orgID string, seq uint64) []byte {
	return append([]byte(orgID+"\x00"), u64(seq)...)
}

func (t *boltTx) License(_ context.Context, id string) (domain.License, error) {
	var l domain.License
	return l, t.getRecord(licenseRecords, id, &l)
}

func (t *boltTx) PutLicense(ctx context.Context, l domain.License) error {
	prev, err := t.License(ctx, l.ID)
	if err != nil && err != store.ErrNotFound {
		return err
	}
	index := t.b(bucketLicOrgs)
	if err == nil && prev.OrgID != "" && prev.OrgID != l.OrgID {
		if err := index.Delete(licenseOrgKey(prev.OrgID, prev.Seq)); err != nil {
			return err
		}
	}
	if l.OrgID != "" {
		if err := index.Put(licenseOrgKey(l.OrgID, l.Seq), nil); err != nil {
			return err
		}
	}
	return putJSONRecord(t, licenseRecords, l.ID, l.Seq, l)
}

func (t *boltTx) Licenses(ctx context.Context, orgID string) iter.Seq2[domain.License, error] {
	if orgID == "" {
		return eachJSON(ctx, t, licenseRecords, func(*domain.License) bool { return true })
	}
	return func(yield func(domain.License, error) bool) {
		prefix := []byte(orgID + "\x00")
		c := t.b(bucketLicOrgs).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			var l domain.License
			if err := getJSON(t.b(bucketLicenses), k[len(prefix):], &l); err != nil {
				yield(l, err)
				return
			}
			if !yield(l, nil) {
				return
			}
		}
	}
}
