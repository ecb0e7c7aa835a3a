package console

import (
	"context"
	"time"

	"github.com/partnerctl/partnerctl/pkg/domain"
	"github.com/partnerctl/partnerctl/pkg/health"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// StatusCount is how many connected orgs have one status.
type StatusCount struct {
	Status health.Status `json:"status"`
	Orgs   int           `json:"orgs"`
}

// MonthCount is how many orgs were onboarded (created) in one month.
type MonthCount struct {
	Month string `json:"month"` // YYYY-MM, UTC
	Orgs  int    `json:"orgs"`
}

// Stats is the snapshot of `orgs stats`.
type Stats struct {
	Connected   int           `json:"connected"`
	ByStatus    []StatusCount `json:"by_status"`
	Onboarded   []MonthCount  `json:"onboarded_by_month"` // the last 12 months, oldest first
	Sessions30d int           `json:"sessions_30d"`
	// Pending and Rejected count the tenants that are not connected (every
	// other figure is of connected orgs only).
	Pending  int `json:"pending"`
	Rejected int `json:"rejected"`
}

// Stats counts connected orgs by status and by onboarding month, and the
// tenants whose link is pending or rejected.
func (c *Console) Stats(ctx context.Context) (Stats, error) {
	now := c.Now()
	var s Stats
	months := lastMonths(now, 12)
	for _, m := range months {
		s.Onboarded = append(s.Onboarded, MonthCount{Month: m})
	}
	firstMonth := monthNumber(now) - len(months) + 1
	byStatus := map[health.Status]int{}
	err := c.asAdmin(ctx, func(tx store.Tx, _ string) error {
		for o, err := range tx.Orgs(ctx, store.OrgQuery{Links: domain.LinkStatuses, Borrow: true}) {
			if err != nil {
				return err
			}
			switch o.Link() {
			case domain.LinkPending:
				s.Pending++
				continue
			case domain.LinkRejected:
				s.Rejected++
				continue
			}
			s.Connected++
			byStatus[health.Of(o, now)]++
			s.Sessions30d += o.SessionsLast30Days(now)
			if i := monthNumber(o.CreatedAt) - firstMonth; i >= 0 && i < len(months) {
				s.Onboarded[i].Orgs++
			}
		}
		return nil
	})
	for _, st := range health.All {
		s.ByStatus = append(s.ByStatus, StatusCount{st, byStatus[st]})
	}
	return s, err
}

// monthNumber numbers t's UTC month, consecutive months by consecutive
// numbers: a month's place among lastMonths without formatting it per org.
func monthNumber(t time.Time) int {
	y, m, _ := t.UTC().Date()
	return y*12 + int(m) - 1
}

// lastMonths lists the n months up to and including now's, oldest first.
func lastMonths(now time.Time, n int) []string {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(n - 1), 0)
	out := make([]string, n)
	for i := range out {
		out[i] = first.AddDate(0, i, 0).Format("2006-01")
	}
	return out
}
