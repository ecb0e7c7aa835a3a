package boltstore

import (
	"github.com/partnerctl/partnerctl/pkg/domain"
)

// Licenses are keyed by id; ids are zero-padded sequence numbers, so a
// cursor visits them in issue order.

func (t *tx) License(id string) (domain.License, error) {
	var l domain.License
	return l, getJSON(t.b(bucketLicenses), []byte(id), &l)
}

func (t *tx) PutLicense(l domain.License) error {
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
