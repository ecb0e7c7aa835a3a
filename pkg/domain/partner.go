// Package domain holds the records partnerctl keeps. They carry data only;
// the rules that read and change them live in pkg/health and pkg/console.
package domain

import "time"

// Partner is the account that owns every customer org. ID and CreatedAt never change.
type Partner struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	SupportEmail string    `json:"support_email"`
	LogoURL      string    `json:"logo_url"`
	LoginBaseURL string    `json:"login_base_url"`
	ContactName  string    `json:"contact_name"`
	ContactPhone string    `json:"contact_phone"`
	CreatedAt    time.Time `json:"created_at"`
	AdminOrgID   string    `json:"admin_org_id"`
	Brand        Brand     `json:"brand"`
}

// StoreKind tells a store made by `init` from one made by `demo`, so demo
// never overwrites real data.
type StoreKind string

const (
	KindInit StoreKind = "init"
	KindDemo StoreKind = "demo"
)
