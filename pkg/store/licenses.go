package store

import "github.com/partnerctl/partnerctl/pkg/domain"

// LicenseTx stores licenses.
type LicenseTx interface {
	// License returns ErrNotFound for an unknown id.
	License(id string) (domain.License, error)
	PutLicense(l domain.License) error
	// ForEachLicense visits every license in issue order; fn returns false to stop.
	ForEachLicense(fn func(l *domain.License) bool) error
	// LicensesOfOrg lists the licenses assigned to one org, in issue order.
	LicensesOfOrg(orgID string) ([]domain.License, error)
}
