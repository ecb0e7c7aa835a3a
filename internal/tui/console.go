// Package tui is the interactive console (`partnerctl console`): seed 000's
// screen in a terminal, as a Bubble Tea model. It knows nothing of cobra or
// of a store: every action goes through the Console interface below, whose
// one implementation (internal/cli/ui) makes the same pkg/console calls as
// the commands, so access rules and the audit trail are theirs.
package tui

import (
	"time"

	"github.com/partnerctl/partnerctl/pkg/console"
)

// Console is what the interactive console asks of the core. Each method is
// one core call made exactly as the matching command makes it.
type Console interface {
	// Load reads the partner card and every org the acting user may see,
	// in name order (orgs list with every match).
	Load() (Snapshot, error)
	// ShowOrg reads one org by id with its health verdict (orgs show --explain).
	ShowOrg(id string) (console.OrgView, error)
	// OpenOrg makes the org the acting user's active org (orgs open).
	OpenOrg(id string) (console.ActiveOrg, error)
	// CreateLink makes a one-time login link (link create).
	CreateLink(p console.LinkParams) (console.NewLink, error)
}

// Snapshot is what the console shows until the next reload.
type Snapshot struct {
	Partner console.PartnerView
	Orgs    []console.OrgView
	// Now is the clock reading the statuses were computed at; relative
	// times ("2 hours ago") are counted from it too.
	Now time.Time
}
