package store

import (
	"context"

	"github.com/partnerctl/partnerctl/pkg/domain"
)

// ReportTx keeps, per report name, the state the report saw on its last
// run (see domain.ReportState). Names are independent: saving one never
// changes another.
type ReportTx interface {
	// ReportState returns the state last saved under name exactly as it
	// was given to PutReportState (Orgs and Licenses in the same order,
	// At to the nanosecond, in UTC), or ErrNotFound when none was.
	ReportState(ctx context.Context, name string) (domain.ReportState, error)
	// PutReportState replaces the state saved under name; nothing of the
	// earlier one is kept. EncodeReportState is a compact encoding of a
	// state as one value, for a backend that keeps it whole.
	PutReportState(ctx context.Context, name string, s domain.ReportState) error
}
