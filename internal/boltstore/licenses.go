package boltstore

import (
	"bytes"
	"errors"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// Licenses are keyed by id; ids are zero-padded sequence numbers, so a
// cursor visits them in issue order. license_orgs indexes them by org
// (org id, 0, license id), so one org's license status costs a seek, not a
// scan: the first page of `orgs list` reads only its own orgs' licenses.

func licenseOrgKey(orgID, licenseID string) []byte {
	return []byte(orgID + "\x00" + licenseID)
}

func (t *tx) License(id string) (domain.License, error) {
	var l domain.License
	return l, getJSON(t.b(bucketLicenses), []byte(id), &l)
}

func (t *tx) PutLicense(l domain.License) error {
	prev, err := t.License(l.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	index := t.b(bucketLicOrgs)
	if err == nil && prev.OrgID != "" && prev.OrgID != l.OrgID {
		if err := index.Delete(licenseOrgKey(prev.OrgID, l.ID)); err != nil {
			return err
		}
	}
	if l.OrgID != "" {
		if err := index.Put(licenseOrgKey(l.OrgID, l.ID), nil); err != nil {
			return err
		}
	}
	return putJSON(t.b(bucketLicenses), []byte(l.ID), l)
}

func (t *tx) ForEachLicense(fn func(l *domain.License) bool) error {
	c := t.b(bucketLicenses).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var l domain.License
		if err := jsonUnmarshal(v, &l); err != nil {
			return err
		}
		if !fn(&l) {
			return nil
		}
	}
	return nil
}

func (t *tx) LicensesOfOrg(orgID string) ([]domain.License, error) {
	prefix := []byte(orgID + "\x00")
	var out []domain.License
	c := t.b(bucketLicOrgs).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		l, err := t.License(string(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}
